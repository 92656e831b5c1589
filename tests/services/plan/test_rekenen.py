"""The plan's arithmetic: exact until the end, rounded only upwards, and every cut on the record."""

from __future__ import annotations

import math
from fractions import Fraction
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from services.plan.domain import normenkader as nk
from services.plan.domain.rekenen import OngeldigPlan, PlanInhoud, afgerond, bereken, uren_en_minuten

KADER = nk.laad(nk.DEMO)
HH = KADER.voorziening("01", "01A02")
assert HH is not None
SLEUTEL = {"normenkader": {"naam": "hh-demo", "versie": "2026.1"}, "voorziening": {"categorie": "01", "code": "01A02"}}


def plan(**inhoud: Any) -> PlanInhoud:
    inhoud.setdefault("activiteiten", [{"activiteit": a.code} for a in HH.activiteiten])
    return PlanInhoud.model_validate({**SLEUTEL, **inhoud})


def fouten(**inhoud: Any) -> list[tuple[str, str]]:
    with pytest.raises(OngeldigPlan) as exc:
        bereken(plan(**inhoud), HH)
    return exc.value.fouten


def test_the_demonstration_norm_is_108_hours_a_year_and_2_hours_5_minutes_a_week() -> None:
    b = bereken(plan(), HH)
    assert b.per_jaar_exact == 108 * 60 and b.per_jaar == 6480
    assert b.per_week_exact == Fraction(6480, 52) and b.per_week == 125  # 124.6... rounded up, never down
    assert uren_en_minuten(b.per_week) == "2 uur en 5 minuten" and uren_en_minuten(b.per_jaar) == "108 uur"
    assert not b.verlaagd and all(a.afwijking is None for a in b.activiteiten)


def test_the_demonstration_circumstances_are_the_published_surcharges() -> None:
    uren = {o.code: Fraction(o.per_jaar(), 100 * 60) for o in HH.omstandigheden}
    assert uren["extra-kamer-in-gebruik"] == 16 and uren["samenstelling-huishouden"] == 26
    assert uren["eigen-mogelijkheden"] == -23 and uren["enige-extra-inzet"] == 26


def test_frequencies_count_as_the_issue_says() -> None:
    per_week = {p: nk.PER_WEEK[p] for p in nk.Periode}
    assert per_week == {nk.Periode.DAG: 7, nk.Periode.WEEK: 1, nk.Periode.TWEE_WEKEN: Fraction(1, 2),
                        nk.Periode.VIER_WEKEN: Fraction(1, 4), nk.Periode.MAAND: Fraction(12, 52),
                        nk.Periode.KWARTAAL: Fraction(4, 52), nk.Periode.JAAR: Fraction(1, 52)}


def test_a_deviation_is_computed_and_flagged_by_direction() -> None:
    b = bereken(plan(activiteiten=[
        {"activiteit": "stofzuigen-dweilen", "extra_minuten": 15, "reden": "rolstoel: meer vuil"},
        {"activiteit": "sanitair", "extra_minuten": "-5", "reden": "kleine badkamer", "grond": "huisbezoek"},
        *({"activiteit": a.code} for a in HH.activiteiten[2:])]), HH)
    stofzuigen, sanitair = b.activiteiten[0], b.activiteiten[1]
    assert (stofzuigen.afwijking, stofzuigen.minuten_per_keer, stofzuigen.per_jaar) == ("hoger", 60, 60 * 52)
    assert (sanitair.afwijking, sanitair.per_week) == ("lager", 20)
    assert b.verlaagd
    assert b.per_jaar_exact == 6480 + 15 * 52 - 5 * 52


def test_every_fault_is_reported_at_once_with_its_place() -> None:
    gevonden = dict(fouten(activiteiten=[
        {"activiteit": "ramen-buiten"},
        {"activiteit": "keuken", "frequentie": "1 keer per dag"},
        {"activiteit": "sanitair", "extra_minuten": 5},
        {"activiteit": "afstoffen", "frequentie": "1 keer per 4 weken", "reden": "weinig meubels"},
    ], omstandigheden=[{"omstandigheid": "eigen-mogelijkheden"}, {"omstandigheid": "zwembad"}]))
    assert "staat niet in het normenkader" in gevonden["activiteiten[0].activiteit"]
    assert "mag niet voor keuken" in gevonden["activiteiten[1].frequentie"]
    assert "vraagt een reden" in gevonden["activiteiten[2].reden"]
    assert "vraagt een grond" in gevonden["activiteiten[3].grond"]  # less than the norm: a ground, flagged
    assert "zegt niets over" in gevonden["activiteiten"]
    assert "vraagt een toelichting" in gevonden["omstandigheden[0].toelichting"]
    assert "staat niet in het normenkader" in gevonden["omstandigheden[1].omstandigheid"]


def test_a_result_without_activities_is_refused() -> None:
    assert fouten(activiteiten=[], vervallen=[{"activiteit": a.code, "reden": "r", "grond": "g"}
                                             for a in HH.activiteiten])[0][0] == "activiteiten"
    assert "resultaat zonder tijd" in fouten(activiteiten=[])[0][1]


def test_a_dropped_activity_needs_a_reason_and_a_ground_and_lowers_the_time() -> None:
    b = bereken(plan(activiteiten=[{"activiteit": a.code} for a in HH.activiteiten if a.code != "ramen-binnen"],
                     vervallen=[{"activiteit": "ramen-binnen", "reden": "dochter", "grond": "gesprek"}]), HH)
    assert b.verlaagd and b.per_jaar_exact == 6480 - 25 * 12
    with pytest.raises(ValueError):  # the model itself asks for both
        plan(vervallen=[{"activiteit": "ramen-binnen", "reden": "dochter"}])


def test_a_following_activity_carries_no_reason() -> None:
    assert "hoort bij een afwijking" in dict(fouten(activiteiten=[
        {"activiteit": HH.activiteiten[0].code, "reden": "zomaar"},
        *({"activiteit": a.code} for a in HH.activiteiten[1:])]))["activiteiten[0].reden"]


# -- properties --------------------------------------------------------------------------------------------

PERIODEN = {a.code: a.perioden() for a in HH.activiteiten}


@st.composite
def plannen(draw: st.DrawFn) -> PlanInhoud:
    activiteiten, vervallen = [], []
    for a in HH.activiteiten:
        if draw(st.integers(0, 5)) == 0:
            vervallen.append({"activiteit": a.code, "reden": "r", "grond": "g"})
            continue
        per = draw(st.sampled_from(PERIODEN[a.code]))
        extra = draw(st.decimals(min_value=-float(a.minuten) + 1, max_value=120, places=2, allow_nan=False,
                                 allow_infinity=False))
        aantal = draw(st.integers(1, 3))
        afwijkend = extra != 0 or (aantal, per) != (a.standaard.aantal, a.standaard.per)
        activiteiten.append({"activiteit": a.code, "frequentie": {"aantal": aantal, "per": per},
                             "extra_minuten": str(extra), **({"reden": "r", "grond": "g"} if afwijkend else {})})
    if not activiteiten:
        activiteiten.append({"activiteit": vervallen.pop()["activiteit"]})
    omstandigheden = [{"omstandigheid": o.code, "aantal": draw(st.integers(1, o.max_aantal)), "toelichting": "t"}
                      for o in HH.omstandigheden if o.minuten > 0 and draw(st.booleans())]
    return plan(activiteiten=activiteiten, vervallen=vervallen, omstandigheden=omstandigheden)


@settings(max_examples=300, deadline=None)
@given(plannen())
def test_totals_are_the_exact_sum_of_their_parts(inhoud: PlanInhoud) -> None:
    b = bereken(inhoud, HH)
    onderdelen = [a.per_week for a in b.activiteiten] + [o.per_week for o in b.omstandigheden]
    assert b.per_week_exact == sum(onderdelen, Fraction(0))
    assert b.per_jaar_exact == b.per_week_exact * 52  # a year has 52 weeks
    for a in b.activiteiten:  # each part exact: minutes per occurrence x occurrences per year
        keer = next(x for x in inhoud.activiteiten if x.activiteit == a.code)
        freq = keer.frequentie or HH.activiteit[a.code].standaard
        assert a.per_jaar == a.minuten_per_keer * freq.aantal * nk.PER_JAAR[freq.per]


@settings(max_examples=300, deadline=None)
@given(plannen())
def test_rounding_is_only_upwards_to_a_whole_minute(inhoud: PlanInhoud) -> None:
    b = bereken(inhoud, HH)
    assert b.per_week == math.ceil(b.per_week_exact) and b.per_jaar == math.ceil(b.per_jaar_exact)
    assert b.per_week_exact <= b.per_week < b.per_week_exact + 1
    assert b.per_jaar_exact <= b.per_jaar < b.per_jaar_exact + 1
    # each from its own exact value: never the rounded week times 52
    assert b.per_jaar <= b.per_week * 52


@given(st.integers(min_value=1, max_value=10**9))
def test_afgerond_never_rounds_down(honderdsten: int) -> None:
    week, jaar = afgerond(honderdsten)
    assert Fraction(honderdsten, 5200) <= week < Fraction(honderdsten, 5200) + 1
    assert Fraction(honderdsten, 100) <= jaar < Fraction(honderdsten, 100) + 1
