"""The stand-in declares: one WMO323 per gemeente and month, built from what it delivered and what it declared
before.

For every toewijzing of the gemeente whose delivery had started (an accepted WMO305) and not stopped before
the month, one debet Prestatie: the ProductPeriode is the month within the toewijzing (from the 1st or its
later Ingangsdatum, to the last day or its earlier Einddatum, TR387/TR388), the volume what a week's
Omvang comes to over those days (rounded down: the stand-in never declares more than it was granted), and
the tariff from its price list (the contract, as the aanbieder knows it). A deleted toewijzing or one in
total or as a budget is not declared, nor a toewijzing and month that has a debet granted (and not
credited) or still waiting for its WMO325: the stand-in keeps its books from the WMO323s it sent and the
WMO325s it got (:func:`boeken`).

Options, as an aanbieder's software has them:

- ``bsn``: declare for that client only;
- ``meer``: declare that many units more than the Omvang comes to (negative: fewer, what was not delivered);
- ``corrigeer`` (a month): credit every debet granted for that month (VorigReferentieNummer: the debet's
  ReferentieNummer) and declare it anew as it is now (with ``meer``), in the same message; credits go first.

``fouten`` injects the mistakes a real aanbieder makes, so that a vendor sees what the gemeente answers:
``tarief`` (the tariff one euro higher: TR418), ``volume`` (ten times the volume: TR321),
``periode`` (the ProductPeriode from the 2nd: TR387), ``toewijzing`` (a ToewijzingNummer that is not
ours: TR338), ``verwijderd`` (also the toewijzingen the gemeente deleted, as if delivered: TR384), ``dubbel``
(also what has a debet granted already: TR389).
"""

from __future__ import annotations

import calendar
import copy
import datetime as dt
import json
import secrets
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from infra.errors import DomainError
from infra.outbox import InvalidBericht, queue, set_identificatie
from iwmo.berichten.basis import (
    BedragMetDC,
    BerichtIdentificatie,
    GeslotenPeriode,
    Referentie,
    TotaalBedragMetDC,
)
from iwmo.berichten.declaratie import Declaratie, DeclaratieClient, Prestatie, Wmo323, Wmo325
from iwmo.berichten.header import Header
from iwmo.xml import from_xml
from services.aanbieder.models import Bericht, Levering, Toewijzing

DEMO_TARIEVEN = Path(__file__).resolve().parent.parent / "data" / "tarieven.json"
FOUTEN = ("tarief", "volume", "periode", "toewijzing", "verwijderd", "dubbel")
#: units a toewijzing may be declared in by the stand-in: time (minutes, hours) and stuks (output)
EENHEDEN = frozenset({"01", "04", "82"})
VOLLEDIG_TOEGEKEND = "8001"


@cache
def tarieven(pad: Path = DEMO_TARIEVEN) -> dict[str, dict[str, int]]:
    """Per aanbieder, per ProductCode, the tariff in eurocent per unit (its price list)."""
    data: dict[str, dict[str, int]] = json.loads(pad.read_text(encoding="utf-8"))["tarieven"]
    return data


# -- the books: what was declared, and what the gemeente granted ---------------------------------------------

@dataclass
class Boeken:
    """The stand-in's declared Prestaties for one gemeente: per (ToewijzingNummer, first day of the month of
    the ProductPeriode) the debets granted and not credited, and those still waiting for a WMO325."""

    open_debet: dict[tuple[int, dt.date], list[tuple[str, Prestatie]]] = field(default_factory=dict)
    wacht: set[tuple[int, dt.date]] = field(default_factory=set)

    def gedeclareerd(self, nummer: int, maand: dt.date) -> bool:
        return (nummer, maand) in self.open_debet or (nummer, maand) in self.wacht


def afgewezen(antwoord: Wmo325) -> set[str] | None:
    """The ReferentieNummers the WMO325 rejects; None when it rejects the whole declaratie."""
    da = antwoord.declaratie_antwoord
    if da is None or (not da.clienten and VOLLEDIG_TOEGEKEND not in da.retourcodes):
        return None
    return {p.product_referentie.referentie_nummer for c in da.clienten for p in c.prestaties}


def _prestaties(bericht: Wmo323) -> Iterator[tuple[str, Prestatie]]:
    for client in bericht.declaratie.clienten:
        for p in client.prestaties:
            yield client.bsn, p


def boeken(session: Session, *, aanbieder: str, gemeente: str) -> Boeken:
    """Read the books from the WMO323s sent to ``gemeente`` and their WMO325s."""
    verzonden = session.scalars(select(Bericht).where(
        Bericht.aanbieder == aanbieder, Bericht.richting == "uit", Bericht.bericht == "WMO323",
        Bericht.ontvanger == gemeente).order_by(Bericht.id)).all()
    antwoorden = {r.antwoord_op: r for r in session.scalars(select(Bericht).where(
        Bericht.bericht == "WMO325", Bericht.antwoord_op.in_([v.id for v in verzonden])))}
    b = Boeken()
    granted: list[tuple[str, Prestatie]] = []
    for rij in verzonden:
        heen = from_xml(rij.xml)
        assert isinstance(heen, Wmo323)
        retour = antwoorden.get(rij.id)
        if retour is None:
            if rij.status != "geweigerd":  # refused at the hub: never reached the gemeente
                b.wacht.update((p.toewijzing_nummer, p.product_periode.begindatum.replace(day=1))
                               for _bsn, p in _prestaties(heen))
            continue
        antwoord = from_xml(retour.xml)
        weg = afgewezen(antwoord) if isinstance(antwoord, Wmo325) else None
        if weg is not None:
            granted += [(bsn, p) for bsn, p in _prestaties(heen) if p.product_referentie.referentie_nummer not in weg]
    gecrediteerd = {p.product_referentie.vorig_referentie_nummer for _bsn, p in granted
                    if p.ingediend_bedrag.debet_credit == "C"}
    for bsn, p in granted:
        if p.ingediend_bedrag.debet_credit == "D" and p.product_referentie.referentie_nummer not in gecrediteerd:
            b.open_debet.setdefault((p.toewijzing_nummer, p.product_periode.begindatum.replace(day=1)), []).append(
                (bsn, p))
    return b


# -- what was delivered ------------------------------------------------------------------------------------

def _volume(t: Toewijzing, begin: dt.date, eind: dt.date) -> int | None:
    """What the Omvang comes to over ``begin``-``eind``, rounded down; None when not declared per period."""
    if t.volume is None or t.frequentie is None:
        return None
    dagen = (eind - begin).days + 1
    if t.frequentie == "1":
        return dagen * t.volume
    if t.frequentie == "2":
        return t.volume * dagen // 7
    if t.frequentie == "4":
        return t.volume
    return None  # in total: the stand-in does not guess how to spread it


def _geleverd(session: Session, t: Toewijzing, begin: dt.date, eind: dt.date) -> bool:
    """Whether delivery had started by ``eind`` and not stopped before ``begin``."""
    leveringen = session.scalars(select(Levering).where(
        Levering.aanbieder == t.aanbieder, Levering.gemeente == t.gemeente, Levering.nummer == t.nummer,
        Levering.status_aanlevering == "1")).all()
    starts = [lev.begindatum for lev in leveringen if lev.soort == "start" and lev.begindatum <= eind]
    if not starts:
        return False
    laatste = max(starts)
    stops = [lev.einddatum for lev in leveringen if lev.soort == "stop" and lev.begindatum == laatste and lev.einddatum]
    return not any(stop < begin for stop in stops)


def _maand(dag: dt.date) -> tuple[dt.date, dt.date]:
    begin = dag.replace(day=1)
    return begin, begin.replace(day=calendar.monthrange(begin.year, begin.month)[1])


@dataclass(frozen=True)
class Opdracht:
    """What to declare: the month, for whom, and the options of the module docstring."""

    aanbieder: str
    gemeente: str
    maand: dt.date
    fouten: frozenset[str] = frozenset()
    bsn: str | None = None
    meer: int = 0
    corrigeer: dt.date | None = None


@dataclass
class Gedeclareerd:
    """The WMO323 queued: its row, its DeclaratieNummer, how many Prestaties, and the total (eurocent,
    credits negative)."""

    rij: Bericht
    declaratienummer: str
    prestaties: int
    totaal: int


def _referentie(vorig: str | None = None) -> Referentie:
    return Referentie(referentie_nummer=secrets.token_hex(10).upper(), vorig_referentie_nummer=vorig)


def _debet(t: Toewijzing, o: Opdracht, maand: dt.date, prijzen: dict[str, int]) -> Prestatie | None:
    """The debet Prestatie for toewijzing ``t`` over ``maand`` (its first day), or None when there is none."""
    begin_maand, eind_maand = _maand(maand)
    begin = max(begin_maand, t.ingangsdatum)
    # a deleted toewijzing ends on its Ingangsdatum; declared by mistake, it is declared as if it had not been
    eind = min(eind_maand, t.einddatum) if t.einddatum and t.reden_wijziging != "13" else eind_maand
    volume = _volume(t, begin, eind) if begin <= eind else None
    if not volume or t.code not in prijzen:
        return None
    volume = (volume + o.meer) * (10 if "volume" in o.fouten else 1)
    if volume <= 0:
        return None
    tarief = prijzen[t.code] + (100 if "tarief" in o.fouten else 0)
    if "periode" in o.fouten and begin < eind:
        begin += dt.timedelta(days=1)
    return Prestatie(
        product_referentie=_referentie(),
        toewijzing_nummer=t.nummer + (100_000 if "toewijzing" in o.fouten else 0), product_categorie=t.categorie or "",
        product_code=t.code or "", product_periode=GeslotenPeriode(begindatum=begin, einddatum=eind),
        geleverd_volume=volume, eenheid=t.eenheid or "", product_tarief=tarief,
        ingediend_bedrag=BedragMetDC(bedrag=volume * tarief, debet_credit="D"))


def _credit(debet: Prestatie) -> Prestatie:
    """The credit of a granted debet: the same key fields and amount, naming it as VorigReferentieNummer."""
    credit = copy.deepcopy(debet)
    credit.product_referentie = _referentie(debet.product_referentie.referentie_nummer)
    credit.ingediend_bedrag = BedragMetDC(bedrag=debet.ingediend_bedrag.bedrag, debet_credit="C")
    credit.retourcodes = []
    return credit


def _toewijzingen(session: Session, o: Opdracht) -> list[Toewijzing]:
    query = select(Toewijzing).where(Toewijzing.aanbieder == o.aanbieder, Toewijzing.gemeente == o.gemeente)
    if o.bsn:
        query = query.where(Toewijzing.bsn == o.bsn)
    return [t for t in session.scalars(query.order_by(Toewijzing.nummer))
            if t.code is not None and t.eenheid in EENHEDEN
            and (t.reden_wijziging != "13" or "verwijderd" in o.fouten)]


def prestaties(session: Session, o: Opdracht, prijzen: dict[str, int]) -> dict[str, list[Prestatie]]:
    """Per BSN the Prestaties the WMO323 holds: the corrections (credit, then the debet anew), then the month."""
    boek = boeken(session, aanbieder=o.aanbieder, gemeente=o.gemeente)
    toewijzingen = _toewijzingen(session, o)
    per_client: dict[str, list[Prestatie]] = {}
    if o.corrigeer is not None:
        maand = o.corrigeer.replace(day=1)
        for t in toewijzingen:
            for bsn, debet in boek.open_debet.get((t.nummer, maand), []):
                per_client.setdefault(bsn, []).append(_credit(debet))
                opnieuw = _debet(t, o, maand, prijzen)
                if opnieuw is not None:
                    per_client[bsn].append(opnieuw)
    maand = o.maand.replace(day=1)
    if o.corrigeer is not None and o.corrigeer.replace(day=1) == maand:
        return per_client  # this month is declared anew above
    for t in toewijzingen:
        if boek.gedeclareerd(t.nummer, maand) and "dubbel" not in o.fouten:
            continue
        p = _debet(t, o, maand, prijzen)
        if p is not None and (t.reden_wijziging == "13"  # asked for (verwijderd): declared as if delivered
                              or _geleverd(session, t, p.product_periode.begindatum, p.product_periode.einddatum)):
            per_client.setdefault(t.bsn, []).append(p)
    return per_client


def declareer(session: Session, o: Opdracht, *, nu: dt.datetime, prijzen: dict[str, int] | None = None) -> Gedeclareerd:
    """Queue the WMO323 for ``o.maand`` to ``o.gemeente``; 422 when there is nothing to declare."""
    onbekend = sorted(o.fouten - set(FOUTEN))
    if onbekend:
        raise DomainError(f"onbekende fout {', '.join(onbekend)} (wel: {', '.join(FOUTEN)})", "fouten")
    begin_maand, eind_maand = _maand(o.maand)
    if o.corrigeer is not None and o.corrigeer.replace(day=1) > begin_maand:
        raise DomainError(f"corrigeer {o.corrigeer:%m-%Y} ligt na de declaratieperiode {begin_maand:%m-%Y}", "corrigeer")
    per_client = prestaties(session, o, prijzen if prijzen is not None else tarieven().get(o.aanbieder, {}))
    if not per_client:
        wat = f"over {begin_maand:%m-%Y}" + (f" of te corrigeren over {o.corrigeer:%m-%Y}" if o.corrigeer else "")
        raise DomainError(f"niets te declareren {wat}: geen geleverde toewijzing met een tarief die nog niet "
                          f"gedeclareerd is" + (" voor deze client" if o.bsn else ""), "maand")
    totaal = sum(-p.ingediend_bedrag.bedrag if p.ingediend_bedrag.debet_credit == "C" else p.ingediend_bedrag.bedrag
                 for ps in per_client.values() for p in ps)
    nummer = f"D{begin_maand:%y%m}{secrets.token_hex(3).upper()}"
    model = Wmo323(
        header=Header(afzender=o.aanbieder, ontvanger=o.gemeente,
                      bericht_identificatie=BerichtIdentificatie(identificatie="?", dagtekening=nu.date())),
        declaratie=Declaratie(
            declaratie_nummer=nummer,
            declaratie_periode=GeslotenPeriode(begindatum=begin_maand, einddatum=eind_maand),
            declaratie_dagtekening=nu.date(),
            totaal_ingediend_bedrag=TotaalBedragMetDC(totaal_bedrag=abs(totaal), debet_credit="C" if totaal < 0 else "D"),
            clienten=[DeclaratieClient(bsn=bsn, prestaties=ps) for bsn, ps in sorted(per_client.items())]))
    try:
        rij = queue(session, Bericht(afzender=o.aanbieder, ontvanger=o.gemeente, aanbieder=o.aanbieder), model,
                    prefix="A", nu=nu, set_identificatie=set_identificatie)
    except InvalidBericht as exc:
        raise DomainError(str(exc)) from exc
    return Gedeclareerd(rij, nummer, sum(len(ps) for ps in per_client.values()), totaal)
