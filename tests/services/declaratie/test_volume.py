"""IV077: the most that may be declared per product period and over the toewijzing, from the standard's
own worked examples."""

from __future__ import annotations

import datetime as dt

from services.declaratie.domain.volume import (
    Omvang,
    kalenderweken,
    max_in_periode,
    max_over_toewijzing,
    zondagen,
)

D = dt.date


def test_inspanningsgericht_per_week_counts_calendar_weeks() -> None:
    # 3 hours a week from 7 October to 30 December 2025 (not huishoudelijke hulp)
    o = Omvang("02", D(2025, 10, 7), D(2025, 12, 30), 3, "04", "2")
    assert max_in_periode(o, D(2025, 10, 1), D(2025, 10, 31)) == 12  # weeks 41-44
    assert max_in_periode(o, D(2025, 11, 1), D(2025, 11, 30)) == 15  # weeks 44-48
    assert max_in_periode(o, D(2025, 12, 1), D(2025, 12, 31)) == 15  # weeks 49-52 and 1 (30 December)
    assert max_over_toewijzing(o) == 39  # weeks 41 to 52, plus week 1: 13 weeks


def test_huishoudelijke_hulp_may_declare_six_weeks_a_month() -> None:
    o = Omvang("01", D(2025, 10, 7), D(2025, 12, 30), 3, "04", "2")
    assert max_in_periode(o, D(2025, 10, 7), D(2025, 10, 31)) == 18
    assert max_over_toewijzing(o) == 39  # the allowance is per month, never over the whole toewijzing


def test_outputgericht_per_week_counts_sundays() -> None:
    # 300 euro a week from 1 October to 31 December 2025
    o = Omvang("02", D(2025, 10, 1), D(2025, 12, 31), 30000, "83", "2")
    assert max_in_periode(o, D(2025, 11, 1), D(2025, 11, 30)) == 5 * 30000  # five Sundays
    assert max_in_periode(o, D(2025, 12, 1), D(2025, 12, 31)) == 5 * 30000  # four Sundays and the last week
    # 7 July to 5 September 2025: August has the toewijzing's last Sunday (31 August), 5 September is a Friday
    o = Omvang("02", D(2025, 7, 7), D(2025, 9, 5), 30000, "83", "2")
    assert max_in_periode(o, D(2025, 7, 7), D(2025, 7, 31)) == 3 * 30000
    assert max_in_periode(o, D(2025, 8, 1), D(2025, 8, 31)) == 6 * 30000


def test_other_frequencies() -> None:
    per_dag = Omvang("07", D(2026, 1, 10), None, 2, "16", "1")
    assert max_in_periode(per_dag, D(2026, 1, 1), D(2026, 1, 31)) == 22 * 2  # from the 10th
    assert max_over_toewijzing(per_dag) is None  # no end: no total
    per_maand = Omvang("02", D(2026, 1, 1), D(2026, 6, 30), 10, "04", "4")
    assert max_in_periode(per_maand, D(2026, 2, 1), D(2026, 2, 28)) == 10 and max_over_toewijzing(per_maand) == 60
    totaal = Omvang("02", D(2026, 1, 1), D(2026, 6, 30), 40, "04", "6")
    assert max_in_periode(totaal, D(2026, 2, 1), D(2026, 2, 28)) == 40 and max_over_toewijzing(totaal) == 40
    budget = Omvang("02", D(2026, 1, 1), None, None, None, None)
    assert max_in_periode(budget, D(2026, 2, 1), D(2026, 2, 28)) is None


def test_counting_helpers() -> None:
    assert kalenderweken(D(2026, 12, 1), D(2026, 12, 31)) == 5
    assert kalenderweken(D(2026, 3, 2), D(2026, 3, 8)) == 1 and kalenderweken(D(2026, 3, 8), D(2026, 3, 9)) == 2
    assert zondagen(D(2026, 3, 1), D(2026, 3, 31)) == 5 and zondagen(D(2026, 3, 2), D(2026, 3, 7)) == 0
