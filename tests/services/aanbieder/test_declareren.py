"""The stand-in declares a month of what it delivered (WMO323) through the hub to the gemeente's declaratie
service, and keeps the verdict of the WMO325 on its message; faults it is asked to make come back with the
rule's retourcode. On SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from infra.auth import PartyTokens
from services.declaratie.app import create_app
from services.declaratie.settings import DeclaratieSettings
from tests.services.aanbieder.conftest import AANBIEDER, GEMEENTE, Keten, keten  # noqa: F401
from tests.services.declaratie.conftest import TOKENS
from tests.services.toewijzing.conftest import database_beside
from tests.services.toewijzing.test_beschikking import CLIENT, UREN


@pytest.fixture
def declaratie(keten: Keten, request: pytest.FixtureRequest, tmp_path: Any) -> Iterator[TestClient]:  # noqa: F811
    settings = DeclaratieSettings(database_url=database_beside(keten.gemeente, request, tmp_path, "declaratie"), gemeente=GEMEENTE,
                                  hub_token=keten.gemeente.app.state.settings.hub_token,  # type: ignore[attr-defined]
                                  poll_seconds=0, api_tokens=TOKENS)
    app = create_app(settings, hub_http=keten.hub, toewijzing_http=keten.gemeente, clock=keten.clock)
    with TestClient(app) as client:
        client.auth = PartyTokens(TOKENS)
        yield client
    app.state.engine.dispose()


def _geleverd(k: Keten) -> int:
    r = k.gemeente.post("/beschikkingen", json={"client": CLIENT, "besluitdatum": "2026-11-20", "voorzieningen": [UREN]})
    assert r.status_code == 201, r.text
    nummer: int = r.json()["toewijzingen"][0]["toewijzingnummer"]
    k.rond()  # the stand-in receives the WMO301
    k.clock.now = dt.datetime(2026, 12, 2, 10, tzinfo=dt.UTC)
    k.post("/starts", {"toewijzingnummer": nummer, "begindatum": "2026-12-01"})
    k.rond()
    k.clock.now = dt.datetime(2027, 1, 5, 10, tzinfo=dt.UTC)
    return nummer


def _declareer(k: Keten, declaratie: TestClient, **body: Any) -> Any:
    verzonden = k.post("/declaraties", {"gemeente": GEMEENTE, "maand": "2026-12", **body})
    assert declaratie.post("/hub/ophalen").json()["ontvangen"] == 1
    k.aanbieder.post("/hub/ophalen")  # the WMO325
    return next(b for b in k.get("/berichten?bericht=WMO323") if b["id"] == verzonden["id"])


def test_a_month_declared_and_granted(keten: Keten, declaratie: TestClient) -> None:  # noqa: F811
    _geleverd(keten)
    bericht = _declareer(keten, declaratie)
    assert bericht["retour_status"] == "goedgekeurd" and bericht["retourcodes"] == ["0200", "8001"]
    [d] = declaratie.get("/declaraties").json()
    assert d["status"] == "toegekend" and d["toegekend"] == 13 * 3480  # 3 hours a week over 31 days, rounded down


@pytest.mark.parametrize(("fout", "retourcode"), [("tarief", "0611"), ("volume", "9321"), ("periode", "9387"),
                                                  ("toewijzing", "9338")])
def test_a_fault_the_stand_in_makes_comes_back(keten: Keten, declaratie: TestClient,  # noqa: F811
                                               fout: str, retourcode: str) -> None:
    _geleverd(keten)
    bericht = _declareer(keten, declaratie, fouten=[fout])
    assert bericht["retour_status"] == "afgekeurd" and retourcode in bericht["retourcodes"]


def test_nothing_delivered_nothing_to_declare(keten: Keten) -> None:  # noqa: F811
    keten.clock.now = dt.datetime(2027, 1, 5, 10, tzinfo=dt.UTC)
    r = keten.aanbieder.post(f"/aanbieders/{AANBIEDER}/declaraties", json={"gemeente": GEMEENTE, "maand": "2026-12"})
    assert r.status_code == 422 and r.json()["veld"] == "maand"
