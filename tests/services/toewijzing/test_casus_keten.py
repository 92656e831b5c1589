"""Scenarios after the standard's casus descriptions, message by message through the chain.

CASUS 1 (oprekken) and the stop cases 2 and 4 follow the published casus with a Wmo product; the
standard has no casus for shortening and for a change of volume, so those follow the business rules
(OP033x1: same ToewijzingNummer for a new einddatum; a new omvang is a new toewijzing).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from iwmo.berichten.start_stop import Wmo306, Wmo308
from iwmo.berichten.toewijzing import Wmo301
from tests.services.toewijzing.conftest import Keten
from tests.services.toewijzing.test_beschikking import CLIENT, UREN
from tests.services.toewijzing.test_start_stop_keten import retour_codes
from tests.services.toewijzing.test_start_stop_keten import start as _start
from tests.services.toewijzing.test_start_stop_keten import stop as _stop

D = dt.date
EERSTE = {**UREN, "ingangsdatum": "2026-01-01", "einddatum": "2026-06-30"}


def start(keten: Keten, nummer: int, begindatum: dt.date, ident: str, status: str = "1") -> None:
    _start(keten, nummer, begindatum, ident, status, ingang=D(2026, 1, 1))


def stop(keten: Keten, nummer: int, begindatum: dt.date, reden: str, einddatum: dt.date, ident: str,
         status: str = "1") -> None:
    _stop(keten, nummer, begindatum, reden, einddatum, ident, status, ingang=D(2026, 1, 1))


def op(keten: Keten, dag: dt.date) -> dt.date:
    keten.clock.now = dt.datetime.combine(dag, dt.time(9, 0), tzinfo=dt.UTC)
    return dag


def ontvang(keten: Keten, dag: dt.date) -> list[Any]:
    """The service collects; the aanbieder receives and accepts every WMO301 with an empty WMO302."""
    keten.sync()
    berichten = keten.aanbieder.haal_op(dag)
    for b in berichten:
        if isinstance(b, Wmo301):
            keten.aanbieder.beantwoord(b, dag)
    keten.sync()
    return berichten


def toegewezen(bericht: Wmo301) -> dict[int, Any]:
    return {p.toewijzing_nummer: p for p in bericht.client.toegewezen_producten}


def overzicht(keten: Keten) -> dict[str, Any]:
    return dict(keten.client.get(f"/clienten/{CLIENT['bsn']}").json())


def eerste_toewijzing(keten: Keten) -> int:
    dag = op(keten, D(2026, 1, 1))
    r = keten.client.post("/beschikkingen", json={"client": CLIENT, "besluitdatum": "2026-01-01",
                                                  "voorzieningen": [EERSTE]})
    assert r.status_code == 201, r.text
    [bericht] = ontvang(keten, dag)
    [(nummer, product)] = toegewezen(bericht).items()
    assert (product.einddatum, product.reden_wijziging, product.omvang.volume) == (D(2026, 6, 30), None, 3)
    dag = op(keten, D(2026, 1, 6))
    start(keten, nummer, D(2026, 1, 5), "S1")
    [antwoord] = ontvang(keten, dag)
    assert isinstance(antwoord, Wmo306) and retour_codes(antwoord) == [[]]
    return nummer


def test_casus_1_oprekken_einddatum(keten: Keten) -> None:
    nummer = eerste_toewijzing(keten)
    dag = op(keten, D(2026, 5, 10))  # the client wants support after 30 June; the gemeente agrees
    r = keten.client.post(f"/toewijzingen/{nummer}/einddatum", json={"einddatum": "2026-12-31", "in_overleg_met_aanbieder": True})
    assert r.status_code == 200, r.text
    [bericht] = ontvang(keten, dag)
    product = toegewezen(bericht)[nummer]  # same ToewijzingNummer (OP380)
    assert (product.einddatum, product.reden_wijziging, product.toewijzingsdatum) == (D(2026, 12, 31), "04", dag)
    assert (product.omvang.volume, product.omvang.eenheid, product.omvang.frequentie) == (3, "04", "2")
    [t] = overzicht(keten)["toewijzingen"]
    assert (t["einddatum"], t["oordeel_aanbieder"], t["levering"]) == ("2026-12-31", "geaccepteerd",
                                                                        "gestart op 05-01-2026")


def test_shortening_then_the_aanbieder_stops(keten: Keten) -> None:
    nummer = eerste_toewijzing(keten)
    dag = op(keten, D(2026, 3, 2))
    keten.client.post(f"/toewijzingen/{nummer}/einddatum", json={"einddatum": "2026-03-31", "in_overleg_met_aanbieder": True})
    [bericht] = ontvang(keten, dag)
    assert (toegewezen(bericht)[nummer].einddatum, toegewezen(bericht)[nummer].reden_wijziging) == (D(2026, 3, 31),
                                                                                                   "05")
    dag = op(keten, D(2026, 4, 1))
    stop(keten, nummer, D(2026, 1, 5), "19", D(2026, 3, 31), "T1")  # delivery ended as planned
    [antwoord] = ontvang(keten, dag)
    assert isinstance(antwoord, Wmo308) and retour_codes(antwoord) == [[]]
    [t] = overzicht(keten)["toewijzingen"]
    assert (t["einddatum"], t["reden_wijziging"], t["levering"]) == ("2026-03-31", "05", "gestopt op 31-03-2026")


def test_change_of_volume_is_a_new_toewijzing_and_delivery_moves_over(keten: Keten) -> None:
    nummer = eerste_toewijzing(keten)
    dag = op(keten, D(2026, 3, 15))
    r = keten.client.post(f"/toewijzingen/{nummer}/omvang", json={
        "per": "2026-04-01", "omvang": {"volume": 5, "eenheid": "04", "frequentie": "2"}, "in_overleg_met_aanbieder": True})
    assert r.status_code == 200, r.text
    [bericht] = ontvang(keten, dag)
    alle = toegewezen(bericht)
    [nieuw] = [n for n in alle if n != nummer]
    assert (alle[nummer].einddatum, alle[nummer].reden_wijziging, alle[nummer].omvang.volume) == (D(2026, 3, 31),
                                                                                                 "05", 3)
    assert (alle[nieuw].ingangsdatum, alle[nieuw].einddatum, alle[nieuw].omvang.volume,
            alle[nieuw].reden_wijziging) == (D(2026, 4, 1), D(2026, 6, 30), 5, None)
    dag = op(keten, D(2026, 4, 2))
    stop(keten, nummer, D(2026, 1, 5), "19", D(2026, 3, 31), "T1")
    _start(keten, nieuw, D(2026, 4, 1), "S2", ingang=D(2026, 4, 1))
    stop_retour, start_retour = ontvang(keten, dag)
    assert retour_codes(stop_retour) == [[]] and retour_codes(start_retour) == [[]]
    rows = {t["toewijzingnummer"]: t for t in overzicht(keten)["toewijzingen"]}
    assert rows[nummer]["levering"] == "gestopt op 31-03-2026"
    assert (rows[nieuw]["toegewezen"], rows[nieuw]["levering"]) == ("5 uur per week", "gestart op 01-04-2026")


def test_casus_2_temporary_then_definitive_stop_with_the_same_einddatum(keten: Keten) -> None:
    nummer = eerste_toewijzing(keten)
    dag = op(keten, D(2026, 3, 1))
    stop(keten, nummer, D(2026, 1, 5), "20", D(2026, 2, 20), "T1")  # temporary (client in hospital)
    [tijdelijk] = ontvang(keten, dag)
    assert retour_codes(tijdelijk) == [[]]
    assert overzicht(keten)["toewijzingen"][0]["levering"] == "tijdelijk gestopt op 20-02-2026"
    dag = op(keten, D(2026, 4, 1))
    stop(keten, nummer, D(2026, 1, 5), "02", D(2026, 2, 20), "T2")  # definitive, same einddatum
    [definitief] = ontvang(keten, dag)
    assert retour_codes(definitief) == [[]]
    assert overzicht(keten)["toewijzingen"][0]["levering"] == "gestopt op 20-02-2026"


def test_casus_4_correcting_a_stop(keten: Keten) -> None:
    nummer = eerste_toewijzing(keten)
    dag = op(keten, D(2026, 3, 1))
    stop(keten, nummer, D(2026, 1, 5), "23", D(2026, 2, 27), "T1")
    ontvang(keten, dag)
    dag = op(keten, D(2026, 3, 3))  # the einddatum was wrong: delete the stop, then send the right one
    stop(keten, nummer, D(2026, 1, 5), "23", D(2026, 2, 27), "T2", status="3")
    stop(keten, nummer, D(2026, 1, 5), "23", D(2026, 2, 25), "T3")
    verwijderd, juist = ontvang(keten, dag)
    assert retour_codes(verwijderd) == [[]] and retour_codes(juist) == [[]]
    assert overzicht(keten)["toewijzingen"][0]["levering"] == "gestopt op 25-02-2026"
