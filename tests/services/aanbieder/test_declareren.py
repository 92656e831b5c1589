"""The stand-in declares a month of what it delivered (WMO323) through the hub to the gemeente's declaratie
service, and keeps the verdict of the WMO325 on its message; faults it is asked to make come back with the
rule's retourcode. On SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.services.aanbieder.conftest import AANBIEDER, GEMEENTE, Keten, declaratie, keten  # noqa: F401
from tests.services.toewijzing.test_beschikking import CLIENT, UREN


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


def _declareer(k: Keten, dienst: TestClient, **body: Any) -> Any:
    verzonden = k.post("/declaraties", {"gemeente": GEMEENTE, "maand": "2026-12", **body})
    assert dienst.post("/hub/ophalen").json()["ontvangen"] == 1
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
    assert r.status_code == 422 and r.json()["fouten"][0]["veld"] == "maand"


def _verdict(k: Keten, dienst: TestClient, status: int = 201, **body: Any) -> tuple[Any, Any]:
    """Declare December, let the gemeente answer; the stand-in's answer and the message with its verdict."""
    verzonden = k.post("/declaraties", {"gemeente": GEMEENTE, "maand": "2026-12", **body}, status=status)
    if status != 201:
        return verzonden, None
    dienst.post("/hub/ophalen")
    k.aanbieder.post("/hub/ophalen")
    return verzonden, next(b for b in k.get("/berichten?bericht=WMO323") if b["id"] == verzonden["id"])


def test_what_was_granted_is_not_declared_again_unless_asked(keten: Keten, declaratie: TestClient) -> None:  # noqa: F811
    _geleverd(keten)
    verzonden, bericht = _verdict(keten, declaratie)
    assert verzonden["prestaties"] == 1 and verzonden["totaal"] == 13 * 3480 and verzonden["declaratienummer"]
    r = keten.aanbieder.post(f"/aanbieders/{AANBIEDER}/declaraties", json={"gemeente": GEMEENTE, "maand": "2026-12"})
    assert r.status_code == 422 and "nog niet gedeclareerd" in r.json()["detail"]
    _, bericht = _verdict(keten, declaratie, fouten=["dubbel"])  # a second declaratie for December (IV090)
    assert bericht["retour_status"] == "afgekeurd" and "9389" in bericht["retourcodes"]


def test_a_correction_credits_the_granted_debet_and_declares_it_anew(keten: Keten,  # noqa: F811
                                                                     declaratie: TestClient) -> None:  # noqa: F811
    _geleverd(keten)
    eerste, _ = _verdict(keten, declaratie)
    keten.clock.now = dt.datetime(2027, 2, 3, 10, tzinfo=dt.UTC)
    verzonden, bericht = _verdict(keten, declaratie, corrigeer="2026-12", meer=-2)
    assert bericht["retour_status"] == "goedgekeurd", bericht
    assert verzonden["prestaties"] == 2 and verzonden["totaal"] == -2 * 3480  # 13 hours credited, 11 declared
    d = declaratie.get("/declaraties", params={"aanbieder": AANBIEDER}).json()
    assert [x["toegekend"] for x in d] == [-2 * 3480, 13 * 3480]
    [regel] = declaratie.get(f"/declaraties/{d[1]['id']}").json()["prestatieregels"]
    historie = declaratie.get("/prestaties/historie", params={"aanbieder": AANBIEDER,
                                                             "referentienummer": regel["referentienummer"]}).json()
    assert [h["bedrag"] for h in historie] == [13 * 3480, -13 * 3480]
    # the month is declared (anew): nothing left, and a second correction credits the new debet
    _, bericht = _verdict(keten, declaratie, corrigeer="2026-12")
    assert bericht["retour_status"] == "goedgekeurd" and eerste["declaratienummer"] != verzonden["declaratienummer"]


@pytest.mark.parametrize(("meer", "retourcodes"), [(5, ["0200", "8001"]), (6, "9321")])
def test_huishoudelijke_hulp_may_be_declared_up_to_six_weeks_a_month(keten: Keten, declaratie: TestClient,  # noqa: F811
                                                                      meer: int, retourcodes: Any) -> None:
    _geleverd(keten)  # 3 hours a week: 13 in December, and up to 18 (IV077)
    _, bericht = _verdict(keten, declaratie, meer=meer)
    if isinstance(retourcodes, list):
        assert bericht["retourcodes"] == retourcodes
    else:
        assert retourcodes in bericht["retourcodes"]


def test_one_client_only_and_a_deleted_toewijzing(keten: Keten, declaratie: TestClient) -> None:  # noqa: F811
    r = keten.gemeente.post("/beschikkingen", json={"client": CLIENT, "besluitdatum": "2026-11-20", "voorzieningen": [UREN]})
    nummer = r.json()["toewijzingen"][0]["toewijzingnummer"]
    keten.rond()  # received, never started: the gemeente may delete it (reden 13)
    r = keten.gemeente.post(f"/toewijzingen/{nummer}/verwijderen")
    assert r.status_code == 200, r.text
    keten.rond()
    keten.clock.now = dt.datetime(2027, 1, 5, 10, tzinfo=dt.UTC)
    _verdict(keten, declaratie, bsn=CLIENT["bsn"], status=422)  # a deleted toewijzing is not declared
    _verdict(keten, declaratie, bsn="999990032", fouten=["verwijderd"], status=422)  # no toewijzing for that client
    _, bericht = _verdict(keten, declaratie, bsn=CLIENT["bsn"], fouten=["verwijderd"])
    assert bericht["retour_status"] == "afgekeurd" and "9384" in bericht["retourcodes"]
