"""Rules on start (WMO305) and stop (WMO307) messages."""

from __future__ import annotations

from collections.abc import Iterator

from iwmo.regels.core import Context, Hit, regel


@regel("CS058", ("WMO305", "WMO307"), "StatusAanlevering moet 1 (eerste aanlevering) of 3 (verwijderen) zijn.")
def status_aanlevering(ctx: Context) -> Iterator[Hit]:
    for status in ctx.all("StatusAanlevering"):
        if status.text not in ("1", "3"):
            yield Hit([status], f"StatusAanlevering {status.text} is niet toegestaan; gebruik 1 of 3.")


@regel("TR018", ("WMO307",), "Einddatum moet groter dan of gelijk zijn aan Begindatum.")
def stop_na_start(ctx: Context) -> Iterator[Hit]:
    for el in ctx.all("StopProduct"):
        begin, eind = ctx.date(el, "Begindatum"), ctx.date(el, "Einddatum")
        if begin and eind and eind < begin:
            yield Hit([ctx.get(el, "Begindatum"), ctx.get(el, "Einddatum")])
