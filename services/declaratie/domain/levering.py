"""Under-delivery per client: per toewijzing and calendar month, what was granted beside what was declared
and granted in the declaraties, and a flag when too little was delivered in a month that has ended.

Plain functions over the toewijzingen (as the toewijzing service has them) and the Prestaties this service
judged. Per month:

- ``toegewezen``: what the toewijzing's Omvang grants in the days of the month within the toewijzing
  (:func:`services.declaratie.domain.volume.toegewezen_in_periode`: per week pro rata, volume x days / 7);
  None in total or as a budget;
- ``gedeclareerd``: the granted Prestaties on the toewijzing whose ProductPeriode lies in the month, debet
  minus credit, in the toewijzing's unit (minutes on a toewijzing in hours count as hours); ``afgewezen``
  the same for the rejected ones;
- ``onderlevering`` when the month has ended and ``gedeclareerd`` is below ``drempel`` x ``toegewezen``
  (a month without any declaration counts as 0: 'niets gedeclareerd').

The months run from the toewijzing's ingangsdatum to its einddatum or the current month, whichever is
earlier. A deleted toewijzing (RedenWijziging 13) granted nothing and is left out.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from fractions import Fraction

from iwmo import codelijsten
from services.declaratie.domain.declaratie_regels import VERWIJDERD, Toewijzing
from services.declaratie.domain.volume import naar_eenheid, toegewezen_in_periode

NIETS_GEDECLAREERD = "niets gedeclareerd"
LOPENDE_MAAND = "lopende maand: nog geen oordeel"
GEEN_MAANDVOLUME = "geen volume per maand (totaal of budget): geen oordeel"

GRONDSLAG = {
    "1": "per dag: volume x dagen van de maand binnen de toewijzing",
    "2": "per week naar rato: volume x dagen van de maand binnen de toewijzing / 7",
    "4": "per maand: het volume",
}


@dataclass(frozen=True)
class Geleverd:
    """A Prestatie this service judged, as far as delivery counts it."""

    aanbieder: str
    toewijzingnummer: int
    begindatum: dt.date  # of the ProductPeriode, which lies within one month
    volume: int
    eenheid: str
    debet: bool
    toegekend: bool


@dataclass
class Maand:
    maand: str  # JJJJ-MM
    begindatum: dt.date
    einddatum: dt.date
    afgelopen: bool
    toegewezen: Fraction | None
    gedeclareerd: Fraction
    afgewezen: Fraction
    onderlevering: bool
    opmerkingen: list[str] = field(default_factory=list)

    @property
    def percentage(self) -> Fraction | None:
        """Declared and granted as a percentage of what was granted; None when nothing was granted."""
        return None if not self.toegewezen else self.gedeclareerd * 100 / self.toegewezen


@dataclass
class ToewijzingLevering:
    toewijzing: Toewijzing
    maanden: list[Maand]

    @property
    def onderlevering(self) -> bool:
        return any(m.onderlevering for m in self.maanden)

    @property
    def grondslag(self) -> str:
        return GRONDSLAG.get(self.toewijzing.frequentie or "", GEEN_MAANDVOLUME)

    @property
    def eenheid_naam(self) -> str | None:
        e = self.toewijzing.eenheid
        return codelijsten.betekenis("WJ756", e) if e else None


def laatste_dag(dag: dt.date) -> dt.date:
    return dag.replace(day=calendar.monthrange(dag.year, dag.month)[1])


def maanden(van: dt.date, tot: dt.date) -> list[dt.date]:
    """The first days of the calendar months from ``van``'s to ``tot``'s."""
    uit, m = [], van.replace(day=1)
    while m <= tot:
        uit.append(m)
        m = laatste_dag(m) + dt.timedelta(days=1)
    return uit


def per_maand(t: Toewijzing, geleverd: Iterable[Geleverd]) -> dict[dt.date, tuple[Fraction, Fraction, int]]:
    """Per month (its first day): declared and granted, declared and rejected (debet minus credit, in the
    toewijzing's unit), and how many Prestaties there were."""
    uit: dict[dt.date, list[Fraction | int]] = defaultdict(lambda: [Fraction(0), Fraction(0), 0])
    for g in geleverd:
        if g.toewijzingnummer != t.nummer or (t.aanbieder and g.aanbieder != t.aanbieder):
            continue
        regel = uit[g.begindatum.replace(day=1)]
        v = naar_eenheid(g.volume, g.eenheid, t.eenheid) * (1 if g.debet else -1)
        regel[0 if g.toegekend else 1] += v
        regel[2] += 1
    return {m: (Fraction(a), Fraction(b), int(n)) for m, (a, b, n) in uit.items()}


def levering(t: Toewijzing, geleverd: Iterable[Geleverd], *, vandaag: dt.date, drempel: Fraction) -> ToewijzingLevering:
    """The delivery on one toewijzing per month, up to the current month (see the module)."""
    eind = min(t.einddatum, vandaag) if t.einddatum else vandaag
    gedeclareerd = per_maand(t, geleverd)
    regels = []
    for eerste in maanden(t.ingangsdatum, eind):
        laatste = laatste_dag(eerste)
        begin, einde = max(eerste, t.ingangsdatum), min(laatste, t.einddatum) if t.einddatum else laatste
        toegewezen = toegewezen_in_periode(t.omvang, begin, einde)
        toegekend, afgewezen, aantal = gedeclareerd.get(eerste, (Fraction(0), Fraction(0), 0))
        afgelopen = laatste < vandaag
        opmerkingen = []
        if not aantal:
            opmerkingen.append(NIETS_GEDECLAREERD)
        if toegewezen is None:
            opmerkingen.append(GEEN_MAANDVOLUME)
        elif not afgelopen:
            opmerkingen.append(LOPENDE_MAAND)
        onder = bool(afgelopen and toegewezen and toegekend < drempel * toegewezen)
        regels.append(Maand(f"{eerste:%Y-%m}", begin, einde, afgelopen, toegewezen, toegekend, afgewezen, onder,
                            opmerkingen))
    return ToewijzingLevering(t, regels)


def levering_van_client(toewijzingen: Iterable[Toewijzing], geleverd: Iterable[Geleverd], *, vandaag: dt.date,
                        drempel: Fraction) -> list[ToewijzingLevering]:
    """:func:`levering` for each of a client's toewijzingen (not the deleted ones), oldest first."""
    alles = list(geleverd)
    return [levering(t, alles, vandaag=vandaag, drempel=drempel)
            for t in sorted(toewijzingen, key=lambda t: (t.ingangsdatum, t.nummer)) if t.reden_wijziging != VERWIJDERD]
