"""Under-delivery per client: the granted volume per month, the declared and granted volume beside it, and
the flag; as plain functions, and through the API beside the hub and the toewijzing service (SQLite and
PostgreSQL)."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

import pytest

from services.declaratie import toewijzingen
from services.declaratie.domain.declaratie_regels import Toewijzing
from services.declaratie.domain.levering import (
    GEEN_MAANDVOLUME,
    LOPENDE_MAAND,
    NIETS_GEDECLAREERD,
    Geleverd,
    levering,
    levering_van_client,
    maanden,
)
from services.declaratie.domain.volume import Omvang, naar_eenheid, toegewezen_in_periode
from tests.services.declaratie.conftest import DeclaratieKeten, prestatie, wmo323
from tests.services.toewijzing.test_beschikking import CLIENT, UREN, beschik

BSN = CLIENT["bsn"]
DREMPEL = Fraction(8, 10)


def _t(nummer: int = 1, *, frequentie: str | None = "2", volume: int | None = 3, eenheid: str | None = "04",
       van: dt.date = dt.date(2026, 12, 1), tot: dt.date | None = dt.date(2027, 11, 30), categorie: str = "01",
       reden: str | None = None) -> Toewijzing:
    return Toewijzing(nummer=nummer, bsn=BSN, wijze="uren", categorie=categorie, code="01A01", ingangsdatum=van,
                      einddatum=tot, volume=volume, eenheid=eenheid, frequentie=frequentie, budget=None,
                      reden_wijziging=reden, aanbieder="12345678")


def _g(maand: dt.date, volume: int, *, eenheid: str = "04", debet: bool = True, toegekend: bool = True,
       nummer: int = 1, aanbieder: str = "12345678") -> Geleverd:
    return Geleverd(aanbieder, nummer, maand, volume, eenheid, debet, toegekend)


# --- the granted volume per month ----------------------------------------------------------------------------

def test_a_week_is_granted_pro_rata_not_as_the_iv077_allowance() -> None:
    o = Omvang("01", dt.date(2026, 12, 1), None, 3, "04", "2")
    assert toegewezen_in_periode(o, dt.date(2026, 12, 1), dt.date(2026, 12, 31)) == Fraction(93, 7)
    assert toegewezen_in_periode(o, dt.date(2027, 2, 1), dt.date(2027, 2, 28)) == 12
    later = Omvang("03", dt.date(2026, 12, 15), dt.date(2026, 12, 20), 2, "04", "2")  # six days of a month
    assert toegewezen_in_periode(later, dt.date(2026, 12, 1), dt.date(2026, 12, 31)) == Fraction(12, 7)


def test_per_day_per_month_and_what_has_no_monthly_volume() -> None:
    dag = Omvang("10", dt.date(2027, 1, 10), None, 1, "14", "1")
    assert toegewezen_in_periode(dag, dt.date(2027, 1, 1), dt.date(2027, 1, 31)) == 22
    maand = Omvang("01", dt.date(2027, 1, 10), None, 8, "04", "4")
    assert toegewezen_in_periode(maand, dt.date(2027, 1, 1), dt.date(2027, 1, 31)) == 8
    assert toegewezen_in_periode(Omvang("01", dt.date(2027, 1, 1), None, 50, "04", "6"),
                                 dt.date(2027, 1, 1), dt.date(2027, 1, 31)) is None
    assert toegewezen_in_periode(Omvang("01", dt.date(2027, 1, 1), None, None, None, None),
                                 dt.date(2027, 1, 1), dt.date(2027, 1, 31)) is None


def test_minutes_on_hours_count_as_hours() -> None:
    assert naar_eenheid(90, "01", "04") == Fraction(3, 2)
    assert naar_eenheid(2, "04", "04") == 2
    assert naar_eenheid(5, "82", "82") == 5


def test_the_months_from_ingangsdatum_to_the_current_month() -> None:
    assert maanden(dt.date(2026, 11, 20), dt.date(2027, 2, 1)) == [
        dt.date(2026, 11, 1), dt.date(2026, 12, 1), dt.date(2027, 1, 1), dt.date(2027, 2, 1)]
    assert maanden(dt.date(2027, 3, 1), dt.date(2027, 2, 1)) == []


# --- declared beside granted, and the flag -----------------------------------------------------------------

def test_under_delivery_per_month() -> None:
    geleverd = [_g(dt.date(2026, 12, 1), 13), _g(dt.date(2027, 1, 1), 9 * 60, eenheid="01"),
                _g(dt.date(2027, 1, 1), 4, toegekend=False), _g(dt.date(2026, 12, 1), 99, nummer=2)]
    r = levering(_t(), geleverd, vandaag=dt.date(2027, 3, 10), drempel=DREMPEL)
    dec, jan, feb, mrt = r.maanden
    assert (dec.maand, dec.toegewezen, dec.gedeclareerd, dec.onderlevering) == ("2026-12", Fraction(93, 7), 13, False)
    assert dec.percentage is not None and round(float(dec.percentage), 1) == 97.8
    assert (jan.gedeclareerd, jan.afgewezen, jan.onderlevering, jan.opmerkingen) == (9, 4, True, [])
    assert (feb.toegewezen, feb.gedeclareerd, feb.onderlevering, feb.opmerkingen) == (12, 0, True, [NIETS_GEDECLAREERD])
    assert (mrt.afgelopen, mrt.onderlevering, mrt.opmerkingen) == (False, False, [NIETS_GEDECLAREERD, LOPENDE_MAAND])
    assert r.onderlevering and r.eenheid_naam == "Uur" and "/ 7" in r.grondslag


def test_a_credit_takes_back_what_its_debet_declared() -> None:
    geleverd = [_g(dt.date(2026, 12, 1), 13), _g(dt.date(2026, 12, 1), 13, debet=False), _g(dt.date(2026, 12, 1), 12)]
    [dec, _jan] = levering(_t(), geleverd, vandaag=dt.date(2027, 1, 10), drempel=DREMPEL).maanden
    assert dec.gedeclareerd == 12 and not dec.onderlevering  # 12 of 13 3/7: 90 %


def test_the_threshold_is_a_setting() -> None:
    geleverd = [_g(dt.date(2026, 12, 1), 10)]  # 10 of 13 3/7: 75 %
    assert levering(_t(), geleverd, vandaag=dt.date(2027, 1, 1), drempel=DREMPEL).maanden[0].onderlevering
    assert not levering(_t(), geleverd, vandaag=dt.date(2027, 1, 1), drempel=Fraction(7, 10)).maanden[0].onderlevering


def test_the_month_of_an_einddatum_and_a_total_toewijzing() -> None:
    kort = _t(tot=dt.date(2027, 1, 14))
    r = levering(kort, [], vandaag=dt.date(2027, 5, 1), drempel=DREMPEL)
    assert [m.maand for m in r.maanden] == ["2026-12", "2027-01"]
    assert (r.maanden[1].begindatum, r.maanden[1].einddatum, r.maanden[1].toegewezen) == (
        dt.date(2027, 1, 1), dt.date(2027, 1, 14), 6)
    totaal = levering(_t(frequentie="6", volume=40), [], vandaag=dt.date(2027, 2, 1), drempel=DREMPEL)
    assert all(m.toegewezen is None and not m.onderlevering and GEEN_MAANDVOLUME in m.opmerkingen
               for m in totaal.maanden)
    assert totaal.maanden[0].percentage is None


def test_a_deleted_toewijzing_is_left_out_and_the_others_come_oldest_first() -> None:
    lijst = [_t(3, van=dt.date(2027, 1, 1)), _t(2, reden="13"), _t(1)]
    assert [r.toewijzing.nummer for r in levering_van_client(lijst, [], vandaag=dt.date(2027, 2, 1),
                                                             drempel=DREMPEL)] == [1, 3]


def test_no_toewijzing_service_no_answer() -> None:
    with pytest.raises(toewijzingen.ToewijzingNietBereikbaar):
        toewijzingen.van_client(None, bsn=BSN)


# --- through the API -----------------------------------------------------------------------------------------

PV = {**UREN, "categorie": "03", "code": "03A01", "omvang": {"volume": 2, "eenheid": "04", "frequentie": "2"}}


def test_the_levering_of_a_client_through_the_api(declaratie_keten: DeclaratieKeten) -> None:
    dk = declaratie_keten
    hh, pv = (t["toewijzingnummer"] for t in beschik(dk.keten, UREN, PV)["toewijzingen"])
    dk.keten.aanbieder.haal_op(dk.keten.clock.now.date())
    dk.declareer(wmo323("D1", {BSN: [prestatie(hh, "P1", volume=13),
                                     prestatie(pv, "P2", categorie="03", code="03A01", volume=11, tarief=5600)]}))
    dk.declareer(wmo323("D2", {BSN: [prestatie(hh, "P3", volume=9 * 60, eenheid="01", begin=dt.date(2027, 1, 1),
                                               eind=dt.date(2027, 1, 31))]},
                        periode=dt.date(2027, 1, 1), dagtekening=dt.date(2027, 2, 3)))
    dk.keten.clock.now = dt.datetime(2027, 3, 10, 10, tzinfo=dt.UTC)
    r = dk.declaratie.get(f"/clienten/{BSN}/levering")
    assert r.status_code == 200, r.text
    data = r.json()
    assert (data["bsn"], data["peildatum"], data["drempel"], data["onderlevering"]) == (BSN, "2027-03-10", 0.8, True)
    eerste, tweede = data["toewijzingen"]
    assert (eerste["toewijzingnummer"], eerste["eenheid"], eerste["eenheid_naam"]) == (hh, "04", "Uur")
    assert eerste["omvang"] == {"volume": 3, "eenheid": "04", "frequentie": "2", "budget": None}
    assert [(m["maand"], m["toegewezen"], m["gedeclareerd"], m["percentage"], m["onderlevering"])
            for m in eerste["maanden"]] == [("2026-12", 13.29, 13.0, 97.8, False),
                                            ("2027-01", 13.29, 9.0, 67.7, True),  # 540 minutes: 9 hours
                                            ("2027-02", 12.0, 0.0, 0.0, True),
                                            ("2027-03", 13.29, 0.0, 0.0, False)]
    assert eerste["maanden"][2]["opmerkingen"] == ["niets gedeclareerd"]
    assert not eerste["maanden"][3]["afgelopen"]
    dec = tweede["maanden"][0]  # 11 hours rejected (9321): nothing delivered that counts
    assert (tweede["toewijzingnummer"], dec["toegewezen"], dec["gedeclareerd"], dec["afgewezen"],
            dec["onderlevering"]) == (pv, 8.86, 0.0, 11.0, True)
    alleen = dk.declaratie.get(f"/clienten/{BSN}/levering", params={"aanbieder": "87654321"}).json()
    assert (alleen["toewijzingen"], alleen["onderlevering"]) == ([], False)


def test_a_bad_bsn_is_a_clear_422(declaratie_keten: DeclaratieKeten) -> None:
    r = declaratie_keten.declaratie.get("/clienten/123456789/levering")
    assert r.status_code == 422
    assert "11-proef" in r.text
    assert declaratie_keten.declaratie.get("/clienten/12345/levering").status_code == 422


def test_a_client_without_toewijzingen(declaratie_keten: DeclaratieKeten) -> None:
    r = declaratie_keten.declaratie.get("/clienten/999990032/levering")
    assert r.status_code == 200, r.text
    assert r.json()["toewijzingen"] == [] and r.json()["onderlevering"] is False
