"""Rules that need a source outside the message: today's date (TR135) and the CBS list (TR378)."""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache

from iwmo import codelijsten
from iwmo.catalogue import BERICHTEN
from iwmo.regels.core import Context, Hit, regel, to_date


@cache
def _gemeenten() -> frozenset[str]:
    return frozenset(codelijsten.codes("CBS"))


ALLE = tuple(b.naam for b in BERICHTEN.values() if b.is_heen) + ("WMO325",)


@regel("TR135", ALLE, "De Dagtekening mag niet in de toekomst liggen.", retourcode="8848", bron="extern")
def dagtekening_niet_in_toekomst(ctx: Context) -> Iterator[Hit]:
    """The message's Dagtekening, and in a WMO323 also the DeclaratieDagtekening."""
    dagtekening = ctx.dagtekening
    if dagtekening is not None and dagtekening > ctx.today:
        yield Hit([ctx.dagtekening_el],
                  f"Dagtekening {dagtekening} ligt na de systeemdatum {ctx.today}.")
    if ctx.btype.naam == "WMO323":
        for el in ctx.all("DeclaratieDagtekening"):
            datum = to_date(el.text)
            if datum is not None and datum > ctx.today:
                yield Hit([el], f"DeclaratieDagtekening {datum} ligt na de systeemdatum {ctx.today}.")


@regel("TR378", ALLE, "Vullen met een bestaande gemeentecode uit de CBS-lijst.", retourcode="S300", bron="extern")
def bestaande_gemeente(ctx: Context) -> Iterator[Hit]:
    veld = "Afzender" if ctx.btype.header_afzender == "gemeente" else "Ontvanger"
    el = ctx.get(ctx.header, veld)
    if el is not None and el.text not in _gemeenten():
        yield Hit([el], f"Gemeentecode {el.text} komt niet voor in de CBS-lijst van gemeenten.")
