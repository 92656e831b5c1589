"""Legal terms and working days by the Dutch calendar.

One place for the days that stop a term or a working-day count in this suite:

* the *algemeen erkende feestdagen* of the Algemene termijnenwet (Atw) art. 3: lid 1 names them, lid 2 adds
  Goede Vrijdag, lid 3 lets a *Besluit gelijkstelling* add days (shipped as data,
  ``iwmo/data/gelijkgestelde_dagen.json``; see :data:`ENV_EXTRA` for a file of your own);
* the Awb bezwaartermijn (6:7, 6:8, 6:9) with the extension of Atw art. 1;
* working days for the hub (:func:`werkdagen_na`): Monday to Friday in Dutch local time, less those days.

::

    from iwmo import kalender

    kalender.algemeen_erkende_feestdagen(2026)          # [Feestdag(datum, naam, grondslag), ...]
    kalender.is_algemeen_erkende_feestdag(date(2026, 5, 15))         # True (gelijkgesteld)
    kalender.einde_bezwaartermijn(date(2026, 4, 2))     # date(2026, 5, 18): Hemelvaart, 15 mei, weekend
    kalender.tijdig(date(2026, 4, 2), ontvangen=date(2026, 5, 18))  # True

The movable feasts and the Koningsdag rule come from the ``holidays`` package (loaded on first use, so
importing this module stays cheap); what the Atw names and that package does not (5 mei every year,
Goede Vrijdag in its own right, the gelijkgestelde dagen) is added here, and what the Atw does not name
(Eerste Paasdag, Eerste Pinksterdag) is left out. The current text of art. 3 is applied to every year: the
module is meant for terms that run now, not for reconstructing terms under older versions of the law.

A file of gelijkgestelde dagen that cannot be read or does not fit, or a year the holidays package does not
cover (before 1966), raises :class:`~iwmo.exceptions.KalenderError` (an ``IwmoError`` and a ``ValueError``).
"""

from __future__ import annotations

import datetime as dt
import json
import os
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from iwmo.exceptions import KalenderError

#: environment variable naming an extra JSON file of gelijkgestelde dagen (same format as the shipped file),
#: read in addition to it; a ``extra=`` argument to a function here takes its place
ENV_EXTRA = "IWMO_GELIJKGESTELDE_DAGEN"

#: the Dutch local time by which working days and calendar days are told apart
NL = ZoneInfo("Europe/Amsterdam")

#: Awb 6:7: the term for bezwaar (and beroep) is six weeks
BEZWAARTERMIJN = dt.timedelta(weeks=6)

#: Awb 6:9 lid 2: a bezwaarschrift posted in time may arrive up to a week after the term
POSTTERMIJN = dt.timedelta(weeks=1)

#: package data, next to this module (as iwmo/data/codelijsten.json)
GELIJKGESTELDE_DAGEN = Path(__file__).resolve().parent / "data" / "gelijkgestelde_dagen.json"

Pad = str | os.PathLike[str]

LID_1 = "art. 3 lid 1 Atw"
LID_2 = "art. 3 lid 2 Atw"
LID_3 = "art. 3 lid 3 Atw"

#: the names the holidays package gives (in Dutch) to the days of art. 3 lid 1 it knows -> ours
_UIT_HOLIDAYS = {
    "nieuwjaarsdag": "Nieuwjaarsdag",
    "tweede paasdag": "Tweede Paasdag",
    "koningsdag": "Koningsdag",
    "koninginnedag": "Koninginnedag",  # before 2014 the day the King's (then the Queen's) birthday was kept
    "hemelvaartsdag": "Hemelvaartsdag",
    "tweede pinksterdag": "Tweede Pinksterdag",
    "eerste kerstdag": "Eerste Kerstdag",
    "tweede kerstdag": "Tweede Kerstdag",
}


@dataclass(frozen=True, order=True)
class Feestdag:
    """A day that counts as an algemeen erkende feestdag for the Atw.

    ``grondslag`` says why: ``art. 3 lid 1 Atw``, ``art. 3 lid 2 Atw`` (Goede Vrijdag) or
    ``art. 3 lid 3 Atw: <the besluit or file that names it>``."""

    datum: dt.date
    naam: str
    grondslag: str


def algemeen_erkende_feestdagen(jaar: int, *, extra: Pad | None = None) -> list[Feestdag]:
    """The days of ``jaar`` that count as algemeen erkende feestdagen for the Atw, in date order.

    Lid 1: Nieuwjaarsdag, Tweede Paasdag, Koningsdag (27 April, 26 April when the 27th is a Sunday),
    5 mei, Hemelvaartsdag, Tweede Pinksterdag, Eerste and Tweede Kerstdag; lid 2: Goede Vrijdag;
    lid 3: the gelijkgestelde dagen of the shipped data file and of ``extra`` (a path; when not given,
    the file named by ``$IWMO_GELIJKGESTELDE_DAGEN``, if set). A date can be listed twice when two of
    these fall on it (5 mei on Hemelvaartsdag, as in 2016).
    """
    return list(_jaar(jaar, _extra_pad(extra))[0])


def is_algemeen_erkende_feestdag(d: dt.date, *, extra: Pad | None = None) -> bool:
    """Whether ``d`` is an algemeen erkende feestdag for the Atw (art. 3 lid 1, 2 or 3; see
    :func:`algemeen_erkende_feestdagen` for ``extra``). A datetime is taken by its calendar date as given."""
    d = _datum(d)
    return d in _jaar(d.year, _extra_pad(extra))[1]


def is_werkdag(d: dt.date, *, extra: Pad | None = None) -> bool:
    """Monday to Friday and no algemeen erkende feestdag: a day on which a term of the Atw may end."""
    d = _datum(d)
    return d.weekday() < 5 and not is_algemeen_erkende_feestdag(d, extra=extra)


def verlengd_volgens_atw(einde: dt.date, *, extra: Pad | None = None) -> dt.date:
    """Atw art. 1: a term set by law that ends on a Saturday, a Sunday or an algemeen erkende feestdag
    runs on to the end of the next day that is none of these (so past a row of them: Goede Vrijdag,
    the weekend and Tweede Paasdag give the Tuesday). ``einde`` itself when it is a working day."""
    einde = _datum(einde)
    while not is_werkdag(einde, extra=extra):
        einde += dt.timedelta(days=1)
    return einde


def einde_bezwaartermijn(bekendmaking: dt.date, *, extra: Pad | None = None) -> dt.date:
    """The last day of the bezwaartermijn for a besluit made known on ``bekendmaking``.

    Awb 6:7 and 6:8 lid 1: six weeks from the day after the bekendmaking, so the term ends at the end of the
    same weekday six weeks later (``bekendmaking + 42 days``); Atw art. 1 moves that end past Saturdays,
    Sundays and algemeen erkende feestdagen (:func:`verlengd_volgens_atw`). A bezwaarschrift received on
    the returned day is in time."""
    return verlengd_volgens_atw(_datum(bekendmaking) + BEZWAARTERMIJN, extra=extra)


def tijdig(bekendmaking: dt.date, ontvangen: dt.date, *, ter_post_bezorgd: dt.date | None = None,
           extra: Pad | None = None) -> bool:
    """Whether a bezwaarschrift against a besluit made known on ``bekendmaking`` is in time (Awb 6:9).

    Lid 1: it is, when it was received no later than the last day of the term (:func:`einde_bezwaartermijn`).
    Lid 2, when ``ter_post_bezorgd`` (the day it was posted) is given: also when it was posted no later
    than that last day and received no later than a week after it; that week is counted as seven calendar
    days. Not covered: a bezwaarschrift made before the term began (6:10) and an excusable lateness (6:11).
    """
    einde = einde_bezwaartermijn(bekendmaking, extra=extra)
    ontvangen = _datum(ontvangen)
    if ontvangen <= einde:
        return True
    return (ter_post_bezorgd is not None and _datum(ter_post_bezorgd) <= einde
            and ontvangen <= einde + POSTTERMIJN)


def werkdagen_na(moment: dt.datetime, dagen: int, *, extra: Pad | None = None) -> dt.datetime:
    """``moment`` plus ``dagen`` working days, in Dutch local time (Europe/Amsterdam).

    Counted by the Dutch calendar day: each following day that is a Monday to Friday and no algemeen
    erkende feestdag (:func:`is_werkdag`) is one; the answer keeps the local time of day of ``moment``
    (``dagen`` 0 or less: ``moment`` itself). A naive ``moment`` is taken as UTC. At least ``dagen``
    calendar days later, so a query may first narrow by that."""
    lokaal = (moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)).astimezone(NL)
    while dagen > 0:
        lokaal += dt.timedelta(days=1)
        if is_werkdag(lokaal.date(), extra=extra):
            dagen -= 1
    return lokaal


# --- the data behind it -----------------------------------------------------------------------------------

def _datum(d: dt.date) -> dt.date:
    return d.date() if isinstance(d, dt.datetime) else d


def _extra_pad(extra: Pad | None) -> str | None:
    if extra is not None:
        return os.fspath(extra)
    return os.environ.get(ENV_EXTRA) or None


@cache
def _jaar(jaar: int, extra: str | None) -> tuple[tuple[Feestdag, ...], frozenset[dt.date]]:
    dagen = [*_wettelijk(jaar)]
    for bestand in (str(GELIJKGESTELDE_DAGEN), *([extra] if extra else [])):
        dagen += [f for f in _gelijkgesteld(bestand) if f.datum.year == jaar]
    lijst = tuple(sorted(set(dagen)))
    return lijst, frozenset(f.datum for f in lijst)


def _wettelijk(jaar: int) -> list[Feestdag]:
    """Art. 3 lid 1 and 2: from the holidays package what it knows, 5 mei and Goede Vrijdag added here."""
    import holidays  # loaded on first use: about 80 ms that `import iwmo` and `iwmo validate` never pay

    # language pinned: by default the package names the days in the language of the process' locale
    nl = holidays.country_holidays("NL", years=jaar, language="nl")
    # get_list: two holidays on one date (Hemelvaartsdag on 5 mei 2005) share one entry of the mapping
    gevonden = {_UIT_HOLIDAYS[naam.lower()]: d for d in nl for naam in nl.get_list(d)
                if naam.lower() in _UIT_HOLIDAYS}
    verwacht = set(_UIT_HOLIDAYS.values()) - {"Koninginnedag" if "Koningsdag" in gevonden else "Koningsdag"}
    if set(gevonden) != verwacht:
        raise KalenderError(f"{jaar}: the holidays package does not give the Atw days "
                         f"{sorted(verwacht - set(gevonden))} (a year it does not cover, or a changed package)")
    dagen = [Feestdag(d, naam, LID_1) for naam, d in gevonden.items()]
    dagen.append(Feestdag(dt.date(jaar, 5, 5), "5 mei (Bevrijdingsdag)", LID_1))  # every year, not each 5th
    dagen.append(Feestdag(gevonden["Tweede Paasdag"] - dt.timedelta(days=3), "Goede Vrijdag", LID_2))
    return dagen


@cache
def _gelijkgesteld(pad: str) -> tuple[Feestdag, ...]:
    """The days of a file of gelijkgestelde dagen::

        {"perioden": [{"jaren": "2026-2028", "bron": "Besluit gelijkstelling van ...",
                       "dagen": ["2026-01-02", ...]}, ...]}

    Read once per process and path (a changed file counts from the next start); one that cannot be read or
    does not fit raises :class:`KalenderError` naming the file."""
    try:
        data: Any = json.loads(Path(pad).read_text(encoding="utf-8"))
    except OSError as e:
        raise KalenderError(f"gelijkgestelde dagen: cannot read {pad}: {e.strerror or e}") from None
    except json.JSONDecodeError as e:
        raise KalenderError(f"gelijkgestelde dagen: {pad} is no JSON: {e}") from None
    perioden = data.get("perioden") if isinstance(data, dict) else None
    if not isinstance(perioden, list):
        raise KalenderError(f"gelijkgestelde dagen: {pad} has no list 'perioden'")
    uit: list[Feestdag] = []
    for i, periode in enumerate(perioden):
        bron = periode.get("bron") if isinstance(periode, dict) else None
        dagen = periode.get("dagen") if isinstance(periode, dict) else None
        if not isinstance(bron, str) or not bron.strip() or not isinstance(dagen, list):
            raise KalenderError(f"gelijkgestelde dagen: {pad}: periode {i} needs a 'bron' and a list 'dagen'")
        for dag in dagen:
            try:
                datum = dt.date.fromisoformat(dag)
            except (TypeError, ValueError):
                raise KalenderError(f"gelijkgestelde dagen: {pad}: periode {i}: {dag!r} is no date "
                                 "(YYYY-MM-DD)") from None
            uit.append(Feestdag(datum, "Gelijkgestelde dag", f"{LID_3}: {bron.strip()}"))
    return tuple(uit)
