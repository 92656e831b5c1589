"""Rules on the client and persons: BSN, birth date, name, communication."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from operator import mul

from lxml import etree

from iwmo.regels.core import Context, Hit, regel, years_before

PERSOON = ("WMO301", "WMO305", "WMO307", "WMO315")
UNKNOWN_BIRTH_DATE = dt.date(1900, 1, 1)


@regel("CS002", ("WMO301", "WMO305", "WMO307", "WMO315", "WMO317", "WMO323", "WMO325"),
       "Bsn moet voldoen aan de 11-proef.")
def bsn_elfproef(ctx: Context) -> Iterator[Hit]:
    for el in ctx.all("Bsn"):
        if not elfproef(el.text or ""):
            yield Hit([el], "Bsn voldoet niet aan de 11-proef.")


_BSN_SCHEIDING = str.maketrans("", "", " -.")
#: the weights of the 11-proef: 9 for the first digit down to 2 for the eighth, -1 for the last
_GEWICHTEN = (9, 8, 7, 6, 5, 4, 3, 2, -1)
#: what the weighted sum gains because each digit's code point is ord("0") plus its value
_NUL_GEWOGEN = ord("0") * sum(_GEWICHTEN)


def elfproef(bsn: str) -> bool:
    """The 11-proef as python-stdnum's ``stdnum.nl.bsn.is_valid`` judges it (separators ' -.' and outer
    whitespace dropped, zero-padded to 9 digits, not all zeros; the Unicode dashes and spaces
    that python-stdnum also maps count as no digit here, and the XSD refuses them anyway), without its import: python-stdnum costs
    25-45 ms of start-up, more than the whole rest of a small ``iwmo validate``."""
    nummer = bsn.translate(_BSN_SCHEIDING).strip().zfill(9)
    if len(nummer) != 9 or not nummer.isascii() or not nummer.isdigit() or int(nummer) == 0:
        return False
    # the digits' code points, not int() of each digit (nine int() calls cost more than the rest)
    gewogen: int = sum(map(mul, _GEWICHTEN, nummer.encode("ascii"))) - _NUL_GEWOGEN
    return gewogen % 11 == 0


@regel("CS139", PERSOON, "DatumGebruik en Datum van de Geboortedatum moeten met elkaar in overeenstemming zijn.")
def geboortedatum_gebruik(ctx: Context) -> Iterator[Hit]:
    for gd in ctx.all("Geboortedatum"):
        gebruik_el = ctx.get(gd, "DatumGebruik")
        if gebruik_el is None:
            continue
        datum_el = ctx.get(gd, "Datum")
        datum = ctx.date(gd, "Datum")
        if datum is None or datum_el is None:
            continue
        gebruik = gebruik_el.text
        if gebruik == "1" and datum.day != 1:
            yield Hit([datum_el, gebruik_el], "Bij DatumGebruik 1 (dag onbekend) moet de dag 01 zijn.")
        elif gebruik == "2" and (datum.day, datum.month) != (1, 1):
            yield Hit([datum_el, gebruik_el],
                      "Bij DatumGebruik 2 (dag en maand onbekend) moeten dag en maand 01-01 zijn.")
        elif gebruik == "3" and datum != UNKNOWN_BIRTH_DATE:
            yield Hit([datum_el, gebruik_el], "Bij DatumGebruik 3 (datum onbekend) moet Datum 1900-01-01 zijn.")


def _is_unknown(ctx: Context, gd: etree._Element) -> bool:
    return ctx.text(gd, "DatumGebruik") == "3" and ctx.date(gd, "Datum") == UNKNOWN_BIRTH_DATE


@regel("TR002", PERSOON,
       "Geboortedatum mag niet meer dan 120 jaar voor de Dagtekening liggen, tenzij de geboortedatum onbekend is.")
def geboortedatum_120_jaar(ctx: Context) -> Iterator[Hit]:
    dagtekening = ctx.dagtekening
    if dagtekening is None:
        return
    for gd in ctx.all("Geboortedatum"):
        datum = ctx.date(gd, "Datum")
        if datum is None or _is_unknown(ctx, gd):
            continue
        grens = years_before(dagtekening, 120)
        if datum < grens:
            yield Hit([ctx.get(gd, "Datum"), ctx.dagtekening_el])


@regel("CS050", ("WMO301",),
       "Als Partnernaam gevuld is, dan NaamGebruik 1, 2, 3 of 4; anders NaamGebruik 1 of 6.")
def naamgebruik_partner(ctx: Context) -> Iterator[Hit]:
    for naam in ctx.all("Naam"):
        gebruik = ctx.get(naam, "NaamGebruik")
        if gebruik is None:
            continue
        if ctx.get(naam, "Partnernaam") is not None:
            if gebruik.text not in ("1", "2", "3", "4"):
                yield Hit([gebruik], "Partnernaam is gevuld: NaamGebruik moet 1, 2, 3 of 4 zijn.")
        elif gebruik.text not in ("1", "6"):
            yield Hit([gebruik], "Partnernaam is leeg: NaamGebruik moet 1 of 6 zijn.")


@regel("CS318", ("WMO301",), "NaamGebruik 6 (niet-natuurlijk persoon) mag niet voor de client gevuld worden.")
def naamgebruik_client(ctx: Context) -> Iterator[Hit]:
    for client in ctx.all("Client"):
        gebruik = ctx.get(client, "Naam", "NaamGebruik")
        if gebruik is not None and gebruik.text == "6":
            yield Hit([gebruik])


@regel("CD007", ("WMO301",),
       "Taal is verplicht als Communicatie/Vorm 1 (tolk taal) is, en moet anders leeg zijn.")
def communicatie_taal(ctx: Context) -> Iterator[Hit]:
    for com in ctx.all("Communicatie"):
        vorm = ctx.get(com, "Vorm")
        taal = ctx.get(com, "Taal")
        if vorm is None:
            continue
        if vorm.text == "1" and taal is None:
            yield Hit([vorm], "Vorm is 1 (tolk taal): Taal moet gevuld zijn.")
        elif vorm.text != "1" and taal is not None:
            yield Hit([taal], "Vorm is geen tolk taal: Taal moet leeg zijn.")
