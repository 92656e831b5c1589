"""iwmo.kalender: the Atw's feestdagen, the Awb bezwaartermijn and the hub's working days.

Every expected date below was worked out by hand from the law and a calendar (Easter 2024-03-31,
2025-04-20, 2026-04-05, 2027-03-28, 2028-04-16), not taken from the code under test."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from iwmo import kalender
from iwmo.exceptions import IwmoError, KalenderError
from iwmo.kalender import (
    ENV_EXTRA,
    algemeen_erkende_feestdagen,
    einde_bezwaartermijn,
    is_algemeen_erkende_feestdag,
    is_werkdag,
    tijdig,
    verlengd_volgens_atw,
    werkdagen_na,
)

D = dt.date
NL = kalender.NL


@pytest.fixture(autouse=True, scope="module")
def _no_extra_file_from_the_environment() -> Iterator[None]:
    with pytest.MonkeyPatch.context() as mp:
        mp.delenv(ENV_EXTRA, raising=False)
        yield


# --- Atw art. 3: the days per year ------------------------------------------------------------------------

JAREN = {
    2024: [(D(2024, 1, 1), "Nieuwjaarsdag"), (D(2024, 3, 29), "Goede Vrijdag"), (D(2024, 4, 1), "Tweede Paasdag"),
           (D(2024, 4, 27), "Koningsdag"), (D(2024, 5, 5), "5 mei (Bevrijdingsdag)"),
           (D(2024, 5, 9), "Hemelvaartsdag"), (D(2024, 5, 10), "Gelijkgestelde dag"),
           (D(2024, 5, 20), "Tweede Pinksterdag"), (D(2024, 12, 25), "Eerste Kerstdag"),
           (D(2024, 12, 26), "Tweede Kerstdag"), (D(2024, 12, 27), "Gelijkgestelde dag")],
    2025: [(D(2025, 1, 1), "Nieuwjaarsdag"), (D(2025, 4, 18), "Goede Vrijdag"), (D(2025, 4, 21), "Tweede Paasdag"),
           (D(2025, 4, 26), "Koningsdag"),  # 27 April 2025 was a Sunday
           (D(2025, 5, 5), "5 mei (Bevrijdingsdag)"), (D(2025, 5, 29), "Hemelvaartsdag"),
           (D(2025, 5, 30), "Gelijkgestelde dag"), (D(2025, 6, 9), "Tweede Pinksterdag"),
           (D(2025, 12, 25), "Eerste Kerstdag"), (D(2025, 12, 26), "Tweede Kerstdag")],
    2026: [(D(2026, 1, 1), "Nieuwjaarsdag"), (D(2026, 1, 2), "Gelijkgestelde dag"),
           (D(2026, 4, 3), "Goede Vrijdag"), (D(2026, 4, 6), "Tweede Paasdag"), (D(2026, 4, 27), "Koningsdag"),
           (D(2026, 5, 5), "5 mei (Bevrijdingsdag)"), (D(2026, 5, 14), "Hemelvaartsdag"),
           (D(2026, 5, 15), "Gelijkgestelde dag"), (D(2026, 5, 25), "Tweede Pinksterdag"),
           (D(2026, 12, 25), "Eerste Kerstdag"), (D(2026, 12, 26), "Tweede Kerstdag")],
    2027: [(D(2027, 1, 1), "Nieuwjaarsdag"), (D(2027, 3, 26), "Goede Vrijdag"), (D(2027, 3, 29), "Tweede Paasdag"),
           (D(2027, 4, 27), "Koningsdag"), (D(2027, 5, 5), "5 mei (Bevrijdingsdag)"),
           (D(2027, 5, 6), "Hemelvaartsdag"), (D(2027, 5, 7), "Gelijkgestelde dag"),
           (D(2027, 5, 17), "Tweede Pinksterdag"), (D(2027, 12, 25), "Eerste Kerstdag"),
           (D(2027, 12, 26), "Tweede Kerstdag")],
    2028: [(D(2028, 1, 1), "Nieuwjaarsdag"), (D(2028, 4, 14), "Goede Vrijdag"), (D(2028, 4, 17), "Tweede Paasdag"),
           (D(2028, 4, 27), "Koningsdag"), (D(2028, 4, 28), "Gelijkgestelde dag"),
           (D(2028, 5, 5), "5 mei (Bevrijdingsdag)"), (D(2028, 5, 25), "Hemelvaartsdag"),
           (D(2028, 5, 26), "Gelijkgestelde dag"), (D(2028, 6, 5), "Tweede Pinksterdag"),
           (D(2028, 12, 25), "Eerste Kerstdag"), (D(2028, 12, 26), "Tweede Kerstdag")],
}


@pytest.mark.parametrize("jaar", sorted(JAREN))
def test_the_days_of_the_law_per_year(jaar: int) -> None:
    dagen = algemeen_erkende_feestdagen(jaar)
    assert [(f.datum, f.naam) for f in dagen] == JAREN[jaar]
    assert all(is_algemeen_erkende_feestdag(d) for d, _ in JAREN[jaar])


def test_each_day_names_its_ground() -> None:
    grond = {f.naam: f.grondslag for f in algemeen_erkende_feestdagen(2026)}
    assert grond["Goede Vrijdag"] == "art. 3 lid 2 Atw"
    assert grond["Koningsdag"] == grond["5 mei (Bevrijdingsdag)"] == "art. 3 lid 1 Atw"
    assert grond["Gelijkgestelde dag"] == ("art. 3 lid 3 Atw: Besluit gelijkstelling van 2 januari 2026, "
                                           "15 mei 2026, 7 mei 2027, 28 april 2028 en 26 mei 2028 met een "
                                           "algemeen erkende feestdag")


def test_the_gelijkgestelde_dagen_2026_to_2028() -> None:
    gelijk = [f.datum for jaar in (2026, 2027, 2028) for f in algemeen_erkende_feestdagen(jaar)
              if f.grondslag.startswith("art. 3 lid 3")]
    assert gelijk == [D(2026, 1, 2), D(2026, 5, 15), D(2027, 5, 7), D(2028, 4, 28), D(2028, 5, 26)]


def test_koningsdag_is_the_26th_when_the_27th_is_a_sunday() -> None:
    for jaar in (2014, 2025):  # 27 April was a Sunday in both
        assert D(jaar, 4, 27).weekday() == 6
        assert is_algemeen_erkende_feestdag(D(jaar, 4, 26)) and not is_algemeen_erkende_feestdag(D(jaar, 4, 27))
    assert is_algemeen_erkende_feestdag(D(2026, 4, 27)) and not is_algemeen_erkende_feestdag(D(2026, 4, 26))
    assert [(f.datum, f.naam) for f in algemeen_erkende_feestdagen(2013) if f.datum.month == 4 and
            f.datum.day > 20] == [(D(2013, 4, 30), "Koninginnedag")]


def test_5_mei_every_year_and_once() -> None:
    for jaar in range(2020, 2036):
        assert [f.naam for f in algemeen_erkende_feestdagen(jaar) if f.datum == D(jaar, 5, 5)
                and f.naam != "Hemelvaartsdag"] == ["5 mei (Bevrijdingsdag)"], jaar
    # 5 mei fell on Hemelvaartsdag in 2005 (a lustrum year, when the holidays package lists both on one
    # date) and in 2016: listed under both names, one date
    for jaar in (2005, 2016):
        assert [f.naam for f in algemeen_erkende_feestdagen(jaar) if f.datum == D(jaar, 5, 5)] == [
            "5 mei (Bevrijdingsdag)", "Hemelvaartsdag"]


def test_no_day_the_law_does_not_name() -> None:
    """Lid 1 and 2 give nine days a year, each once; the rest are gelijkgestelde dagen (lid 3)."""
    for jaar in range(1970, 2051):
        koning = "Koningsdag" if jaar >= 2014 else "Koninginnedag"
        wet = sorted(f.naam for f in algemeen_erkende_feestdagen(jaar) if not f.grondslag.startswith("art. 3 lid 3"))
        assert wet == sorted(["Nieuwjaarsdag", "Goede Vrijdag", "Tweede Paasdag", koning, "5 mei (Bevrijdingsdag)",
                              "Hemelvaartsdag", "Tweede Pinksterdag", "Eerste Kerstdag", "Tweede Kerstdag"]), jaar
    assert not is_algemeen_erkende_feestdag(D(2026, 4, 5))  # Eerste Paasdag: a Sunday, not named
    assert not is_algemeen_erkende_feestdag(D(2026, 5, 24))  # Eerste Pinksterdag
    assert not is_algemeen_erkende_feestdag(D(2026, 12, 31)) and is_werkdag(D(2026, 12, 31))  # Oudejaarsdag


def test_a_datetime_counts_by_its_calendar_date() -> None:
    assert is_algemeen_erkende_feestdag(dt.datetime(2026, 12, 25, 23, 59))
    assert not is_werkdag(dt.datetime(2026, 5, 15, 8, 0))


def test_a_year_the_holidays_package_does_not_cover_is_an_error() -> None:
    with pytest.raises(KalenderError, match="1960"):
        algemeen_erkende_feestdagen(1960)


def test_the_shipped_data_file_fits() -> None:
    data = json.loads(kalender.GELIJKGESTELDE_DAGEN.read_text(encoding="utf-8"))
    for periode in data["perioden"]:
        van, tot = (int(j) for j in periode["jaren"].split("-"))
        assert periode["bron"].startswith("Besluit gelijkstelling")
        for dag in periode["dagen"]:
            datum = D.fromisoformat(dag)
            assert van <= datum.year <= tot and datum.weekday() < 5, dag
            # a gelijkgestelde dag is no day of lid 1 or 2 already, and its date is in the besluit's title
            assert [f.grondslag[:16] for f in algemeen_erkende_feestdagen(datum.year) if f.datum == datum] == [
                "art. 3 lid 3 Atw"]
            assert f"{datum.day} " in periode["bron"] and str(datum.year) in periode["bron"]


# --- Atw art. 1 and Awb 6:7-6:9: the bezwaartermijn -------------------------------------------------------

#: (bekendmaking, last day of the term, why): bekendmaking + 42 days falls on the weekday of the bekendmaking
BEZWAAR = [
    (D(2026, 1, 5), D(2026, 2, 16), "Monday + 6 weeks: a Monday, a working day"),
    (D(2026, 1, 24), D(2026, 3, 9), "ends on Saturday 7 March: Monday"),
    (D(2026, 1, 25), D(2026, 3, 9), "ends on Sunday 8 March: Monday"),
    (D(2024, 11, 20), D(2025, 1, 2), "Nieuwjaarsdag 2025 (Wednesday): Thursday"),
    (D(2025, 11, 20), D(2026, 1, 5), "Nieuwjaarsdag 2026, gelijkgestelde 2 January, weekend: Monday"),
    (D(2026, 11, 20), D(2027, 1, 4), "Nieuwjaarsdag 2027 (Friday), weekend: Monday"),
    (D(2025, 11, 21), D(2026, 1, 5), "gelijkgestelde dag 2 January 2026, weekend: Monday"),
    (D(2026, 2, 20), D(2026, 4, 7), "Goede Vrijdag, weekend, Tweede Paasdag: Tuesday"),
    (D(2026, 2, 23), D(2026, 4, 7), "Tweede Paasdag 2026: Tuesday"),
    (D(2026, 3, 16), D(2026, 4, 28), "Koningsdag 2026 (Monday): Tuesday"),
    (D(2025, 3, 15), D(2025, 4, 28), "Koningsdag on Saturday 26 April 2025, Sunday: Monday"),
    (D(2028, 3, 16), D(2028, 5, 1), "Koningsdag 2028 (Thursday), gelijkgestelde 28 April, weekend: Monday"),
    (D(2026, 3, 24), D(2026, 5, 6), "5 mei 2026 (Tuesday): Wednesday"),
    (D(2025, 3, 24), D(2025, 5, 6), "5 mei 2025 (Monday, no lustrum rule): Tuesday"),
    (D(2027, 3, 24), D(2027, 5, 10), "5 mei 2027 (Wednesday), Hemelvaartsdag, gelijkgestelde 7 May, weekend"),
    (D(2026, 4, 2), D(2026, 5, 18), "Hemelvaartsdag 2026, gelijkgestelde 15 May, weekend: Monday 18 May"),
    (D(2025, 4, 17), D(2025, 6, 2), "Hemelvaartsdag 2025, gelijkgestelde 30 May, weekend: Monday"),
    (D(2027, 3, 26), D(2027, 5, 10), "gelijkgestelde 7 May 2027, weekend: Monday"),
    (D(2026, 4, 13), D(2026, 5, 26), "Tweede Pinksterdag 2026: Tuesday"),
    (D(2025, 4, 28), D(2025, 6, 10), "Tweede Pinksterdag 2025: Tuesday"),
    (D(2026, 11, 13), D(2026, 12, 28), "Eerste Kerstdag 2026 (Friday), Tweede Kerstdag on Saturday, Sunday"),
    (D(2025, 11, 13), D(2025, 12, 29), "Eerste Kerstdag 2025 (Thursday), Tweede Kerstdag, weekend: Monday"),
    (D(2025, 11, 14), D(2025, 12, 29), "Tweede Kerstdag 2025 (Friday), weekend: Monday"),
    (D(2024, 11, 13), D(2024, 12, 30), "both Kerstdagen 2024, gelijkgestelde 27 December, weekend: Monday"),
    (D(2028, 11, 13), D(2028, 12, 27), "Eerste and Tweede Kerstdag 2028 (Monday, Tuesday): Wednesday"),
    (D(2026, 12, 17), D(2027, 1, 28), "across the turn of the year, no feestdag at the end: Thursday"),
]


@pytest.mark.parametrize(("bekendmaking", "einde", "waarom"), BEZWAAR, ids=[b[2] for b in BEZWAAR])
def test_the_last_day_of_the_bezwaartermijn(bekendmaking: dt.date, einde: dt.date, waarom: str) -> None:
    assert einde_bezwaartermijn(bekendmaking) == einde, waarom
    assert einde_bezwaartermijn(bekendmaking=bekendmaking) == einde


def test_the_cases_are_what_they_say() -> None:
    """The table's raw ends (bekendmaking + 42 days) are the days named, on the weekdays named."""
    rauw = {b: b + dt.timedelta(days=42) for b, _, _ in BEZWAAR}
    assert rauw[D(2026, 1, 24)] == D(2026, 3, 7) and rauw[D(2026, 1, 24)].weekday() == 5
    assert rauw[D(2026, 1, 25)] == D(2026, 3, 8) and rauw[D(2026, 1, 25)].weekday() == 6
    assert rauw[D(2026, 2, 20)] == D(2026, 4, 3)  # Goede Vrijdag
    assert rauw[D(2025, 3, 15)] == D(2025, 4, 26)  # Koningsdag 2025
    assert rauw[D(2027, 3, 24)] == D(2027, 5, 5) and rauw[D(2027, 3, 24)].weekday() == 2  # a Wednesday
    assert rauw[D(2026, 4, 2)] == D(2026, 5, 14)  # Hemelvaartsdag
    assert rauw[D(2024, 11, 13)] == D(2024, 12, 25)
    assert all(b.weekday() == r.weekday() for b, r in rauw.items())


def test_atw_article_1_on_its_own() -> None:
    assert verlengd_volgens_atw(D(2026, 4, 3)) == D(2026, 4, 7)
    assert verlengd_volgens_atw(D(2026, 4, 8)) == D(2026, 4, 8)  # a working day stays


def test_in_time_by_awb_6_9() -> None:
    bekendmaking = D(2026, 4, 2)  # last day Monday 18 May 2026
    assert tijdig(bekendmaking, D(2026, 5, 18))
    assert tijdig(bekendmaking, D(2026, 5, 14))  # on Hemelvaartsdag, before the end: in time too
    assert not tijdig(bekendmaking, D(2026, 5, 19))
    # lid 2: posted no later than the last day, received no later than a week after it
    assert tijdig(bekendmaking, D(2026, 5, 25), ter_post_bezorgd=D(2026, 5, 18))
    assert tijdig(bekendmaking, D(2026, 5, 22), ter_post_bezorgd=D(2026, 5, 11))
    assert not tijdig(bekendmaking, D(2026, 5, 26), ter_post_bezorgd=D(2026, 5, 18))
    assert not tijdig(bekendmaking, D(2026, 5, 20), ter_post_bezorgd=D(2026, 5, 19))


def test_the_examples_in_the_docs() -> None:
    assert is_algemeen_erkende_feestdag(D(2026, 5, 15)) and is_werkdag(D(2026, 5, 18))
    assert einde_bezwaartermijn(D(2026, 4, 2)) == D(2026, 5, 18)
    assert not tijdig(D(2026, 4, 2), D(2026, 5, 19))
    assert tijdig(D(2026, 4, 2), D(2026, 5, 22), ter_post_bezorgd=D(2026, 5, 18))
    assert werkdagen_na(dt.datetime(2026, 12, 24, 9, tzinfo=dt.UTC), 1).isoformat() == "2026-12-28T10:00:00+01:00"


# --- lid 3: an extra file ----------------------------------------------------------------------------------

def _schrijf(pad: Path, data: object) -> Path:
    pad.write_text(json.dumps(data), encoding="utf-8")
    return pad


#: a made-up besluit for 2029: the Friday after Hemelvaartsdag (10 May 2029)
EXTRA_2029 = {"perioden": [{"jaren": "2029-2031", "bron": "Besluit gelijkstelling (test)", "dagen": ["2029-05-11"]}]}


def test_an_extra_file_adds_days(tmp_path: Path) -> None:
    extra = _schrijf(tmp_path / "extra.json", EXTRA_2029)
    assert not is_algemeen_erkende_feestdag(D(2029, 5, 11))
    assert is_algemeen_erkende_feestdag(D(2029, 5, 11), extra=extra)
    assert is_algemeen_erkende_feestdag(D(2029, 5, 11), extra=str(extra))
    assert is_algemeen_erkende_feestdag(D(2026, 5, 15), extra=extra)  # the shipped days stay
    assert einde_bezwaartermijn(D(2029, 3, 29)) == D(2029, 5, 11)  # Hemelvaartsdag 2029: Friday
    assert einde_bezwaartermijn(D(2029, 3, 29), extra=extra) == D(2029, 5, 14)  # and the Friday: Monday
    assert [f.grondslag for f in algemeen_erkende_feestdagen(2029, extra=extra) if f.datum == D(2029, 5, 11)] == [
        "art. 3 lid 3 Atw: Besluit gelijkstelling (test)"]


def test_the_environment_names_an_extra_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    extra = _schrijf(tmp_path / "env.json", EXTRA_2029)
    monkeypatch.setenv(ENV_EXTRA, str(extra))
    assert is_algemeen_erkende_feestdag(D(2029, 5, 11))
    assert werkdagen_na(dt.datetime(2029, 5, 9, 10, tzinfo=NL), 1) == dt.datetime(2029, 5, 14, 10, tzinfo=NL)
    # an extra= argument takes the environment's place
    other = _schrijf(tmp_path / "other.json", {"perioden": []})
    assert not is_algemeen_erkende_feestdag(D(2029, 5, 11), extra=other)
    monkeypatch.setenv(ENV_EXTRA, "")
    assert not is_algemeen_erkende_feestdag(D(2029, 5, 11))


@pytest.mark.parametrize(("inhoud", "fout"), [
    (None, "cannot read"),
    ("{kapot", "no JSON"),
    ('{"dagen": ["2029-05-11"]}', "no list 'perioden'"),
    ('{"perioden": [{"dagen": ["2029-05-11"]}]}', "needs a 'bron'"),
    ('{"perioden": [{"bron": "x", "dagen": ["11-05-2029"]}]}', "'11-05-2029' is no date"),
    ('{"perioden": [{"bron": "x", "dagen": [20290511]}]}', "20290511 is no date"),
])
def test_an_extra_file_that_does_not_fit_is_an_error(tmp_path: Path, inhoud: str | None, fout: str) -> None:
    pad = tmp_path / "extra.json"
    if inhoud is not None:
        pad.write_text(inhoud, encoding="utf-8")
    with pytest.raises(KalenderError, match=fout) as info:
        is_algemeen_erkende_feestdag(D(2029, 5, 11), extra=pad)
    assert str(pad) in str(info.value)
    assert isinstance(info.value, IwmoError) and isinstance(info.value, ValueError)


# --- working days for the hub ------------------------------------------------------------------------------

def _nl(jaar: int, maand: int, dag: int, uur: int = 0, minuut: int = 0) -> dt.datetime:
    return dt.datetime(jaar, maand, dag, uur, minuut, tzinfo=NL)


@pytest.mark.parametrize(("moment", "dagen", "uit"), [
    (_nl(2026, 11, 20, 10), 3, _nl(2026, 11, 25, 10)),  # Friday: Monday, Tuesday, Wednesday
    (_nl(2026, 12, 24, 10), 1, _nl(2026, 12, 28, 10)),  # Eerste Kerstdag (Friday), Tweede on Saturday, Sunday
    (_nl(2026, 12, 24, 10), 3, _nl(2026, 12, 30, 10)),
    (_nl(2026, 12, 24, 10), 10, _nl(2027, 1, 11, 10)),  # 28-31 Dec, Nieuwjaarsdag (Fri), 4-8 Jan, 11 Jan
    (_nl(2026, 4, 2, 10), 1, _nl(2026, 4, 7, 10)),  # Goede Vrijdag, weekend, Tweede Paasdag
    (_nl(2026, 5, 13, 10), 1, _nl(2026, 5, 18, 10)),  # Hemelvaartsdag, gelijkgestelde 15 May, weekend
    (_nl(2026, 4, 24, 10), 1, _nl(2026, 4, 28, 10)),  # Friday, weekend, Koningsdag on Monday
    (_nl(2026, 5, 4, 10), 1, _nl(2026, 5, 6, 10)),  # 5 mei (Tuesday)
    (_nl(2026, 5, 22, 10), 1, _nl(2026, 5, 26, 10)),  # Tweede Pinksterdag
    (_nl(2026, 3, 27, 10), 1, _nl(2026, 3, 30, 10)),  # the clocks go forward on Sunday: still 10:00 local
    (_nl(2026, 11, 20, 10), 0, _nl(2026, 11, 20, 10)),
])
def test_working_days_after_a_moment(moment: dt.datetime, dagen: int, uit: dt.datetime) -> None:
    got = werkdagen_na(moment, dagen)
    assert got == uit and (got.date(), got.time()) == (uit.date(), uit.time())


def test_working_days_count_by_the_dutch_calendar_day() -> None:
    # Friday 23:30 UTC is Saturday 00:30 in Amsterdam: the first working day is Monday
    assert werkdagen_na(dt.datetime(2026, 11, 20, 23, 30, tzinfo=dt.UTC), 1) == _nl(2026, 11, 23, 0, 30)
    assert werkdagen_na(dt.datetime(2026, 11, 20, 23, 30), 1) == _nl(2026, 11, 23, 0, 30)  # naive: UTC
    assert werkdagen_na(dt.datetime(2026, 3, 27, 9, tzinfo=dt.UTC), 1).astimezone(dt.UTC) == dt.datetime(
        2026, 3, 30, 8, tzinfo=dt.UTC)  # 10:00 CET on Friday, 10:00 CEST on Monday


# --- properties ----------------------------------------------------------------------------------------------

bekendmakingen = st.dates(min_value=D(1970, 1, 1), max_value=D(2099, 12, 31))


@given(bekendmakingen)
def test_the_end_of_the_term_follows_the_law(bekendmaking: dt.date) -> None:
    einde = einde_bezwaartermijn(bekendmaking)
    rauw = bekendmaking + dt.timedelta(days=42)
    assert einde >= rauw
    assert einde.weekday() < 5 and not is_algemeen_erkende_feestdag(einde)
    for n in range((einde - rauw).days):
        dag = rauw + dt.timedelta(days=n)
        assert dag.weekday() >= 5 or is_algemeen_erkende_feestdag(dag), dag
    assert tijdig(bekendmaking, einde) and not tijdig(bekendmaking, einde + dt.timedelta(days=1))


@given(st.datetimes(min_value=dt.datetime(1970, 1, 2), max_value=dt.datetime(2099, 12, 1),
                    timezones=st.just(dt.UTC)), st.integers(min_value=0, max_value=25))
def test_working_days_are_counted_one_by_one(moment: dt.datetime, dagen: int) -> None:
    uit = werkdagen_na(moment, dagen)
    start = moment.astimezone(NL).date()
    # at least n calendar days (an hour less at most across a change of the clocks)
    assert uit >= moment + dt.timedelta(days=dagen) - dt.timedelta(hours=1)
    tussen = [start + dt.timedelta(days=n) for n in range(1, (uit.date() - start).days + 1)]
    assert sum(is_werkdag(d) for d in tussen) == dagen
    assert dagen == 0 or is_werkdag(uit.date())


# --- cost -------------------------------------------------------------------------------------------------

def test_the_calendar_loads_the_holidays_package_only_when_asked() -> None:
    script = ("import json, sys, iwmo\nloaded = ['iwmo.kalender' in sys.modules]\n"
              "import iwmo.kalender\nloaded.append('holidays' in sys.modules)\n"
              "import datetime\niwmo.kalender.is_werkdag(datetime.date(2026, 1, 2))\n"
              "loaded.append('holidays' in sys.modules)\nprint(json.dumps(loaded))")
    env = {k: v for k, v in os.environ.items() if k != ENV_EXTRA}
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True, env=env)
    assert json.loads(out.stdout) == [False, False, True]
