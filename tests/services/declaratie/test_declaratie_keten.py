"""A WMO323 through the hub to the declaratie service and its WMO325 back: the rules at the level of a
whole message, on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt

import pytest

from iwmo.berichten.declaratie import Wmo325
from iwmo.exceptions import HubError
from iwmo.retour import retourcodes
from iwmo.xml import to_xml
from tests.services.declaratie.conftest import DeclaratieKeten, prestatie, wmo323
from tests.services.toewijzing.test_beschikking import CLIENT, UREN, beschik

BSN = CLIENT["bsn"]


def _toewijzing(dk: DeclaratieKeten) -> int:
    nummer: int = beschik(dk.keten, UREN)["toewijzingen"][0]["toewijzingnummer"]  # 3 uur per week from 1-12-2026
    dk.keten.aanbieder.haal_op(dk.keten.clock.now.date())  # the WMO301
    dk.keten.clock.now = dt.datetime(2027, 1, 5, 10, tzinfo=dt.UTC)
    return nummer


def _afgewezen(antwoord: Wmo325) -> dict[str, list[str]]:
    assert antwoord.declaratie_antwoord is not None
    return {p.product_referentie.referentie_nummer: p.retourcodes
            for c in antwoord.declaratie_antwoord.clienten for p in c.prestaties}


def test_a_month_of_uren_is_granted_in_full(declaratie_keten: DeclaratieKeten) -> None:
    dk = declaratie_keten
    nummer = _toewijzing(dk)
    antwoord = dk.declareer(wmo323("D1", {BSN: [prestatie(nummer, "P1")]}))
    assert antwoord.declaratie_antwoord is not None
    assert antwoord.declaratie_antwoord.retourcodes == ["8001"]
    assert antwoord.declaratie_antwoord.totaal_toegekend_bedrag.totaal_bedrag == 12 * 3480
    [d] = dk.declaratie.get("/declaraties").json()
    assert (d["status"], d["toegekend"], d["afgewezen"]) == ("toegekend", 12 * 3480, 0)
    assert dk.declaratie.get("/te-betalen").json() == [{"aanbieder": "12345678", "maand": "2026-12",
                                                       "bedrag": 12 * 3480, "prestaties": 1}]


PV = {**UREN, "categorie": "03", "code": "03A01", "omvang": {"volume": 2, "eenheid": "04", "frequentie": "2"}}


def test_only_the_rejected_prestaties_come_back_with_their_codes(declaratie_keten: DeclaratieKeten) -> None:
    dk = declaratie_keten
    hh, pv = (t["toewijzingnummer"] for t in beschik(dk.keten, UREN, PV)["toewijzingen"])
    dk.keten.aanbieder.haal_op(dk.keten.clock.now.date())
    dk.keten.clock.now = dt.datetime(2027, 1, 5, 10, tzinfo=dt.UTC)
    antwoord = dk.declareer(wmo323("D1", {BSN: [
        prestatie(hh, "P1"),                                                  # fine
        prestatie(hh + 77, "P2"),                                             # TR338: no such toewijzing
        prestatie(pv, "P3", categorie="03", code="03A01", volume=8, tarief=5700),  # TR418: the contract says 5600
    ]}))
    afgewezen = _afgewezen(antwoord)
    assert afgewezen == {"P2": ["9338"], "P3": ["0611"]}
    assert antwoord.declaratie_antwoord is not None
    assert antwoord.declaratie_antwoord.totaal_toegekend_bedrag.totaal_bedrag == 12 * 3480
    detail = dk.declaratie.get(f"/declaraties/{dk.declaratie.get('/declaraties').json()[0]['id']}").json()
    assert [p["toegekend"] for p in detail["prestatieregels"]] == [True, False, False]
    assert detail["status"] == "deels" and detail["toegekend"] == 12 * 3480


def test_above_the_omvang(declaratie_keten: DeclaratieKeten) -> None:
    dk = declaratie_keten
    hh, pv = (t["toewijzingnummer"] for t in beschik(dk.keten, UREN, PV)["toewijzingen"])
    dk.keten.aanbieder.haal_op(dk.keten.clock.now.date())
    dk.keten.clock.now = dt.datetime(2027, 1, 5, 10, tzinfo=dt.UTC)
    antwoord = dk.declareer(wmo323("D1", {BSN: [
        # huishoudelijke hulp, 3 hours a week: up to 6 weeks' worth a month (18 hours), in minutes too
        prestatie(hh, "P1", volume=18 * 60, eenheid="01"),
        # persoonlijke verzorging, 2 hours a week: December 2026 touches 5 calendar weeks, so 10 hours
        prestatie(pv, "P2", categorie="03", code="03A01", volume=11, tarief=5600),
    ]}))
    assert _afgewezen(antwoord) == {"P2": ["9321"]}
    antwoord = dk.declareer(wmo323("D2", {BSN: [prestatie(hh, "P3", volume=1, eenheid="01")]},
                                   periode=dt.date(2027, 1, 1), dagtekening=dt.date(2027, 2, 3)))
    assert _afgewezen(antwoord) == {"P3": ["9389"]}  # December has a debet already (and no credit)


def test_a_credit_and_its_corrected_debet(declaratie_keten: DeclaratieKeten) -> None:
    dk = declaratie_keten
    nummer = _toewijzing(dk)
    dk.declareer(wmo323("D1", {BSN: [prestatie(nummer, "P1")]}))
    antwoord = dk.declareer(wmo323("D2", {BSN: [prestatie(nummer, "P2", volume=10),
                                                prestatie(nummer, "C1", credit=True, vorig="P1")]},
                                   periode=dt.date(2027, 1, 1), dagtekening=dt.date(2027, 2, 3)))
    assert antwoord.declaratie_antwoord is not None and antwoord.declaratie_antwoord.retourcodes == ["8001"]
    r = dk.declaratie.get("/prestaties/historie", params={"aanbieder": "12345678", "referentienummer": "P1"})
    assert r.status_code == 200, r.text
    assert [(p["referentienummer"], p["bedrag"]) for p in r.json()] == [("P1", 12 * 3480), ("C1", -12 * 3480)]
    antwoord = dk.declareer(wmo323("D3", {BSN: [prestatie(nummer, "C2", credit=True, vorig="P1")]},
                                   periode=dt.date(2027, 2, 1), dagtekening=dt.date(2027, 3, 2)))
    assert _afgewezen(antwoord) == {"C2": ["9390"]}  # credited already


def test_declaratienummer_and_period(declaratie_keten: DeclaratieKeten) -> None:
    dk = declaratie_keten
    nummer = _toewijzing(dk)
    dk.declareer(wmo323("D1", {BSN: [prestatie(nummer, "P1")]}))
    antwoord = dk.declareer(wmo323("D1", {BSN: [prestatie(nummer, "P9", begin=dt.date(2027, 1, 1),
                                                          eind=dt.date(2027, 1, 31))]},
                                   periode=dt.date(2027, 1, 1), dagtekening=dt.date(2027, 2, 3), ident="A-D1-2"))
    assert antwoord.declaratie_antwoord is not None
    assert antwoord.declaratie_antwoord.retourcodes == ["9333"]  # the whole declaratie
    assert antwoord.declaratie_antwoord.totaal_toegekend_bedrag.totaal_bedrag == 0
    assert "9333" in retourcodes(antwoord)


def test_an_unknown_client_rejects_its_prestaties(declaratie_keten: DeclaratieKeten) -> None:
    dk = declaratie_keten
    nummer = _toewijzing(dk)
    antwoord = dk.declareer(wmo323("D1", {BSN: [prestatie(nummer, "P1")], "999990032": [prestatie(nummer + 500, "P2")]}))
    assert antwoord.declaratie_antwoord is not None
    [client] = antwoord.declaratie_antwoord.clienten
    assert client.bsn == "999990032" and client.retourcodes == ["8187"]
    assert [p.retourcodes for p in client.prestaties] == [["0233"]]


def test_the_same_wmo323_twice_is_answered_once(declaratie_keten: DeclaratieKeten) -> None:
    dk = declaratie_keten
    nummer = _toewijzing(dk)
    bericht = wmo323("D1", {BSN: [prestatie(nummer, "P1")]})
    dk.declareer(bericht)
    with pytest.raises(HubError, match="BRS20"):  # the hub refuses the same identificatie from the same sender
        dk.keten.aanbieder.stuur(bericht)
    traffic = dk.declaratie.app.state.traffic  # type: ignore[attr-defined]
    tweede = traffic.receive(to_xml(bericht), party="0363")  # delivered again all the same (push and poll at once)
    assert not tweede.nieuw
    dk.declaratie.post("/hub/ophalen")
    assert [b for b in dk.keten.aanbieder.haal_op(dk.keten.clock.now.date()) if b.BERICHT == "WMO325"] == []
    assert len(dk.declaratie.get("/declaraties").json()) == 1


def test_the_toewijzing_service_does_not_take_a_wmo323(declaratie_keten: DeclaratieKeten) -> None:
    dk = declaratie_keten
    nummer = _toewijzing(dk)
    dk.keten.aanbieder.stuur(wmo323("D1", {BSN: [prestatie(nummer, "P1")]}))
    dk.keten.sync()  # the toewijzing service collects only its own types
    assert dk.keten.client.get(f"/clienten/{BSN}").json()["berichten"][-1]["bericht"] != "WMO323"
    assert dk.declaratie.post("/hub/ophalen").json()["ontvangen"] == 1


def test_the_contracts_it_judges_by_are_readable(declaratie_keten: DeclaratieKeten) -> None:
    alle = declaratie_keten.declaratie.get("/contracten").json()
    assert {c["aanbieder"] for c in alle["contracten"]} >= {"12345678", "87654321"}
    r = declaratie_keten.declaratie.get("/contracten", params={"aanbieder": "12345678"})
    [contract] = r.json()["contracten"]
    assert {"categorie": "01", "code": "01A01", "bekostiging": "per prestatie", "eenheid": "04", "tarief": 3480,
            "van": "2026-01-01", "tot": None} in contract["producten"]
    assert declaratie_keten.declaratie.get("/contracten", params={"aanbieder": "123"}).status_code == 422
