"""The plan service beside the toewijzing service and the hub, in process, on SQLite and on PostgreSQL: the
plan service reads the client's toewijzingen from the toewijzing service, which asks the plan service before
a resultaat WMO301 goes out."""

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
from tests.services.toewijzing.conftest import Keten, database_beside, keten  # noqa: F401 - the chain this one joins

PLAN_TOKENS = {"consulent": "api-token-consulent", "toewijzing": "api-token-toewijzing"}


@dataclass
class PlanKeten:
    plan: TestClient  # the plan service, as the consulent
    keten: Keten  # the hub, the toewijzing service and a scripted aanbieder

    def publiceer_demo(self) -> None:
        r = self.plan.post("/normenkaders", content=DEMO.read_bytes(), headers={"Content-Type": "application/yaml"})
        assert r.status_code == 201, r.text


@pytest.fixture
def plan_keten(keten: Keten, request: pytest.FixtureRequest, tmp_path) -> Iterator[PlanKeten]:  # type: ignore[no-untyped-def]  # noqa: F811
    settings = PlanSettings(database_url=database_beside(keten.client, request, tmp_path, "plan"), gemeente="0363",
                            api_tokens=PLAN_TOKENS)
    app = create_app(settings, toewijzing_http=keten.client, clock=keten.clock)
    with TestClient(app) as plan:
        plan.auth = PartyTokens(PLAN_TOKENS, standaard=PLAN_TOKENS["consulent"])
        poort = TestClient(app, headers={"Authorization": f"Bearer {PLAN_TOKENS['toewijzing']}"})
        keten.client.app.state.plan_check = http_plan_check(poort, "/plancheck", "0363")  # type: ignore[attr-defined]
        yield PlanKeten(plan, keten)
    app.state.engine.dispose()
