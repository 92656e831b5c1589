"""How much may be declared: the maximum volume in a product period and over a toewijzing (IV077).

A toewijzing's Omvang is a volume per day, week or month, or in total. A declaratie is per calendar month,
so a weekly volume is turned into a monthly maximum:

- **inspanningsgericht** (time: minuten, uur, etmaal, dagdeel, keer), per week: the number of calendar weeks
  (ISO week numbers) the product period touches within the toewijzing, times the weekly volume; for
  huishoudelijke hulp (productcategorie 01) always 6 times the weekly volume (the allowance of TR321);
- **outputgericht** (82 stuks, 83 euro's), per week: the number of Sundays in the product period (plus one
  when the toewijzing's last Sunday lies in it and its einddatum is not a Sunday), times the volume;
- per dag: the days of the product period within the toewijzing; per maand: the volume (a product period
  lies within one month); in totaal: the volume over the whole toewijzing.

Over the whole toewijzing (TR322) the same counts run from its ingangsdatum to its einddatum; without an
einddatum there is no total to check against (None).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from fractions import Fraction

OUTPUT = frozenset({"82", "83"})
#: minutes in a unit a toewijzing in time may be declared in (TR341: minutes on a toewijzing in hours)
MINUTEN_PER = {"01": 1, "04": 60}


@dataclass(frozen=True)
class Omvang:
    categorie: str
    ingangsdatum: dt.date
    einddatum: dt.date | None
    volume: int | None
    eenheid: str | None
    frequentie: str | None


def kalenderweken(van: dt.date, tot: dt.date) -> int:
    """How many calendar weeks (Monday to Sunday) the days ``van`` to ``tot`` touch."""
    if tot < van:
        return 0
    maandag_van = van - dt.timedelta(days=van.weekday())
    maandag_tot = tot - dt.timedelta(days=tot.weekday())
    return (maandag_tot - maandag_van).days // 7 + 1


def zondagen(van: dt.date, tot: dt.date) -> int:
    """How many Sundays lie in ``van`` to ``tot``."""
    if tot < van:
        return 0
    eerste = van + dt.timedelta(days=(6 - van.weekday()) % 7)
    return 0 if eerste > tot else (tot - eerste).days // 7 + 1


def _maanden(van: dt.date, tot: dt.date) -> int:
    return (tot.year - van.year) * 12 + tot.month - van.month + 1


def max_in_periode(o: Omvang, begin: dt.date, eind: dt.date) -> int | None:
    """The most that may be declared for a product period ``begin``-``eind``, in the toewijzing's unit;
    None when the toewijzing has no volume (a budget: TR369)."""
    if o.volume is None or o.frequentie is None:
        return None
    b = max(begin, o.ingangsdatum)
    e = min(eind, o.einddatum) if o.einddatum else eind
    if e < b:
        return 0
    if o.frequentie == "1":
        return ((e - b).days + 1) * o.volume
    if o.frequentie == "2":
        if o.eenheid in OUTPUT:
            keer = zondagen(b, e)
            if o.einddatum is not None and o.einddatum.weekday() != 6:
                laatste_zondag = o.einddatum - dt.timedelta(days=o.einddatum.weekday() + 1)
                if b <= laatste_zondag <= e:
                    keer += 1
            return keer * o.volume
        if o.categorie == "01":
            return 6 * o.volume
        return kalenderweken(b, e) * o.volume
    return o.volume  # per maand (a product period lies within one month) or in total


def max_over_toewijzing(o: Omvang) -> int | None:
    """The most that may be declared over the whole toewijzing (TR322), in its unit; None when unbounded."""
    if o.volume is None or o.frequentie is None:
        return None
    if o.frequentie == "6":
        return o.volume
    if o.einddatum is None:
        return None
    if o.frequentie == "1":
        return ((o.einddatum - o.ingangsdatum).days + 1) * o.volume
    if o.frequentie == "4":
        return _maanden(o.ingangsdatum, o.einddatum) * o.volume
    if o.eenheid in OUTPUT:
        return (zondagen(o.ingangsdatum, o.einddatum) + (o.einddatum.weekday() != 6)) * o.volume
    return kalenderweken(o.ingangsdatum, o.einddatum) * o.volume


def in_basis(volume: int, eenheid: str | None) -> int:
    """A volume in a unit that compares across minutes and hours (minutes), else as it is: a declaration in
    minutes on a toewijzing in hours is compared in minutes, exactly."""
    return volume * MINUTEN_PER.get(eenheid or "", 1)


def toegewezen_in_periode(o: Omvang, begin: dt.date, eind: dt.date) -> Fraction | None:
    """What the Omvang grants in ``begin``-``eind`` (the days within the toewijzing), exactly, in its unit:
    what was meant to be delivered, not the most that may be declared. Per dag and per maand as
    :func:`max_in_periode`; per week the weekly volume pro rata, volume x days / 7 (the basis the
    provider stand-in declares on; :func:`max_in_periode` counts the calendar weeks a month touches, or six
    for huishoudelijke hulp, an allowance that would make every month look under-delivered). None in total
    or as a budget: a toewijzing without a volume per period grants nothing per month."""
    if o.volume is None or o.frequentie not in ("1", "2", "4"):
        return None
    if o.frequentie != "2":
        return Fraction(max_in_periode(o, begin, eind) or 0)
    b = max(begin, o.ingangsdatum)
    e = min(eind, o.einddatum) if o.einddatum else eind
    return Fraction(max(0, (e - b).days + 1) * o.volume, 7)


def naar_eenheid(volume: int, van: str, naar: str | None) -> Fraction:
    """A volume declared in unit ``van`` in the toewijzing's unit ``naar``: minutes on a toewijzing in hours
    become hours (TR341 allows them); any other unit stays as it is."""
    if naar in MINUTEN_PER and van in MINUTEN_PER:
        return Fraction(in_basis(volume, van), MINUTEN_PER[naar])
    return Fraction(volume)
