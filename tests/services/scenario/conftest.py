"""The whole chain in process, as `make run` starts it: the toewijzing service, the hub and the provider
stand-in and the declaratie service (the fixtures of the stand-in tests), and the plan service with the
demonstration normenkader published at its start and the toewijzing service's plan check on."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from fastapi.testclient import TestClient

from infra.auth import PartyTokens
from services.plan.app import create_app
from services.plan.domain.normenkader import DEMO
from services.plan.settings import PlanSettings
from services.toewijzing.domain.plancheck import http_plan_check
from tests.services.aanbieder.conftest import GEMEENTE, Keten, declaratie, keten  # noqa: F401 - the chain this one extends
from tests.services.toewijzing.conftest import database_beside

PLAN_TOKENS = {"medewerker": "api-token-medewerker", "toewijzing": "api-token-toewijzing"}


@dataclass
class MetPlan:
    keten: Keten
    plan: TestClient  # the plan service, as the medewerker
    declaratie: TestClient  # the declaratie service, as the financial administration


@pytest.fixture
def met_plan(keten: Keten, declaratie: TestClient, request: pytest.FixtureRequest, tmp_path) -> Iterator[MetPlan]:  # type: ignore[no-untyped-def]  # noqa: F811
    app = create_app(PlanSettings(database_url=database_beside(keten.gemeente, request, tmp_path, "plan"),
                                  gemeente=GEMEENTE,
                                  api_tokens=PLAN_TOKENS, normenkaders=[DEMO]),
                     toewijzing_http=keten.gemeente, clock=keten.clock)
    with TestClient(app) as plan:
        plan.auth = PartyTokens(PLAN_TOKENS)
        poort = TestClient(app, headers={"Authorization": f"Bearer {PLAN_TOKENS['toewijzing']}"})
        keten.gemeente.app.state.plan_check = http_plan_check(poort, "/plancheck", GEMEENTE)  # type: ignore[attr-defined]
        yield MetPlan(keten, plan, declaratie)
    app.state.engine.dispose()
