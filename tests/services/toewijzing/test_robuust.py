"""Robustness: unique ToewijzingNummers under concurrent beschikkingen; a poller that outlives a hub outage."""

from __future__ import annotations

import datetime as dt
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from fastapi.testclient import TestClient

from infra.traffic import HubTraffic
from iwmo.hub import HubUnreachable
from iwmo.samples import sample
from iwmo.xml import to_xml
from services.toewijzing.app import create_app
from services.toewijzing.domain import beschikking
from services.toewijzing.domain.varianten import Omvang, catalogus
from services.toewijzing.settings import ToewijzingSettings
from tests.services.push import push
from tests.services.toewijzing.conftest import AANBIEDER, Keten

BSNS = ["999990019", "999990032", "999990044", "999990056", "999990068", "999990081", "999990093", "999990111"]


def test_concurrent_beschikkingen_get_distinct_numbers(keten: Keten) -> None:
    app = keten.client.app
    nu = keten.clock.now

    def beschik(bsn: str) -> int:
        with app.state.session_factory() as session:  # type: ignore[attr-defined]
            b = beschikking.beschik(session, gemeente="0363", besluitdatum=nu.date(), nu=nu, producten=catalogus(),
                               client=beschikking.ClientGegevens(
                bsn=bsn, geboortedatum=dt.date(1950, 1, 1), geslacht="1", achternaam="Test", postcode="1011AB",
                huisnummer=1), voorzieningen=[beschikking.VoorzieningInvoer(
                    wijze="uren", categorie="01", code="01A01", aanbieder=AANBIEDER, ingangsdatum=dt.date(2026, 12, 1),
                    einddatum=dt.date(2027, 5, 31), omvang=Omvang(3, "04", "2"))])
            session.commit()
            return b.id

    with ThreadPoolExecutor(8) as pool:
        list(pool.map(beschik, BSNS))
    nummers = [t["toewijzingnummer"] for bsn in BSNS
               for t in keten.client.get(f"/clienten/{bsn}").json()["toewijzingen"]]
    assert sorted(nummers) == list(range(1, 9))


def test_the_poller_survives_a_hub_outage(tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    rondes: list[str] = []

    def ronde(_traffic: object) -> dict[str, int]:
        rondes.append("x")
        if len(rondes) == 1:
            raise HubUnreachable("hub weg")
        return {"ontvangen": 0, "verzonden": 0}

    monkeypatch.setattr(HubTraffic, "synchronise", ronde)
    app = create_app(ToewijzingSettings(database_url=f"sqlite:///{tmp_path}/t.db", poll_seconds=0.01))
    with TestClient(app) as client:
        deadline = time.monotonic() + 5
        while len(rondes) < 3 and time.monotonic() < deadline:
            time.sleep(0.01)
        assert client.get("/health").status_code == 200
    assert len(rondes) >= 3
    app.state.engine.dispose()


def test_a_push_without_the_hubs_signature_is_refused(keten: Keten) -> None:
    xml = to_xml(sample("WMO305"))
    r = keten.client.post("/berichten", content=xml, headers={"Content-Type": "application/xml",
                                                              "X-Iwmo-Bericht-Id": "1"})
    assert r.status_code == 401
    assert push(keten.client, xml, "0363", geheim="niet-het-geheim").status_code == 401
    assert keten.client.get("/clienten/999990019").status_code == 404  # nothing stored
