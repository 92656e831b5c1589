"""Gemeente (toewijzing service), hub and the provider stand-in together, in process, on SQLite and on
PostgreSQL: the whole chain with real services on both sides of the hub."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from fastapi.testclient import TestClient

from gateway.app import create_app as create_hub
from gateway.settings import GatewaySettings
from infra.auth import PartyTokens
from services.aanbieder.app import create_app as create_aanbieder
from services.aanbieder.settings import AanbiederSettings
from services.declaratie.app import create_app as create_declaratie
from services.declaratie.settings import DeclaratieSettings
from services.toewijzing.app import create_app as create_toewijzing
from services.toewijzing.settings import ToewijzingSettings
from tests.services.push import AANBIEDER_TOKENS, GEHEIMEN, GEMEENTE_TOKENS
from tests.services.toewijzing.conftest import ADMIN, Clock, _database, database_beside

GEMEENTE, AANBIEDER, ZONDER_CONTRACT = "0363", "12345678", "87654321"
#: the declaratie service's API token (for the financial administration)
DECLARATIE_TOKENS = {"financien": "api-token-financien"}


@dataclass
class Keten:
    gemeente: TestClient
    aanbieder: TestClient
    hub: TestClient
    clock: Clock

    def rond(self) -> None:
        """One round trip: the gemeente collects and sends, the stand-in collects, answers and sends, the
        gemeente collects the answers (and sends what they caused)."""
        for client in (self.gemeente, self.aanbieder, self.gemeente, self.aanbieder):
            r = client.post("/hub/ophalen")
            assert r.status_code == 200, r.text

    def post(self, pad: str, body: dict[str, Any], agb: str = AANBIEDER, status: int = 201) -> Any:
        r = self.aanbieder.post(f"/aanbieders/{agb}{pad}", json=body)
        assert r.status_code == status, r.text
        return r.json()

    def get(self, pad: str, agb: str = AANBIEDER) -> Any:
        r = self.aanbieder.get(f"/aanbieders/{agb}{pad}")
        assert r.status_code == 200, r.text
        return r.json()


@pytest.fixture(params=["sqlite", "postgresql"])
def keten(request: pytest.FixtureRequest, tmp_path) -> Iterator[Keten]:  # type: ignore[no-untyped-def]
    hub_app = create_hub(GatewaySettings(database_url=_database(request, tmp_path, "hub"), admin_token=ADMIN,
                                         push_enabled=False, auth_cache_seconds=0))
    with TestClient(hub_app) as hub:
        tokens = {}
        for rol, code in (("gemeente", GEMEENTE), ("aanbieder", AANBIEDER), ("aanbieder", ZONDER_CONTRACT)):
            r = hub.post("/admin/parties", json={"rol": rol, "code": code}, headers={"Authorization": f"Bearer {ADMIN}"})
            tokens[code] = r.json()["token"]
        clock = Clock()
        gemeente_app = create_toewijzing(ToewijzingSettings(
            database_url=_database(request, tmp_path, "toewijzing"), gemeente=GEMEENTE, hub_token=tokens[GEMEENTE],
            poll_seconds=0, api_tokens=GEMEENTE_TOKENS), hub_http=hub, clock=clock)
        aanbieder_app = create_aanbieder(AanbiederSettings(
            database_url=_database(request, tmp_path, "aanbieder"), poll_seconds=0,
            partijen={AANBIEDER: tokens[AANBIEDER], ZONDER_CONTRACT: tokens[ZONDER_CONTRACT]},
            push_geheimen={AANBIEDER: GEHEIMEN[AANBIEDER]}, api_tokens=AANBIEDER_TOKENS), hub_http=hub,
            clock=clock)
        with TestClient(gemeente_app) as gemeente, TestClient(aanbieder_app) as aanbieder:
            gemeente.auth, aanbieder.auth = PartyTokens(GEMEENTE_TOKENS), PartyTokens(AANBIEDER_TOKENS)
            yield Keten(gemeente, aanbieder, hub, clock)
        gemeente_app.state.engine.dispose()
        aanbieder_app.state.engine.dispose()
    hub_app.state.engine.dispose()


@pytest.fixture
def declaratie(keten: Keten, request: pytest.FixtureRequest, tmp_path: Any) -> Iterator[TestClient]:
    """The gemeente's declaratie service beside the chain: it collects the WMO323s and answers them."""
    settings = DeclaratieSettings(database_url=database_beside(keten.gemeente, request, tmp_path, "declaratie"), gemeente=GEMEENTE,
                                  hub_token=keten.gemeente.app.state.settings.hub_token,  # type: ignore[attr-defined]
                                  poll_seconds=0, api_tokens=DECLARATIE_TOKENS)
    app = create_declaratie(settings, hub_http=keten.hub, toewijzing_http=keten.gemeente, clock=keten.clock)
    with TestClient(app) as client:
        client.auth = PartyTokens(DECLARATIE_TOKENS)
        yield client
    app.state.engine.dispose()
