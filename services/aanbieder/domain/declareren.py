"""The stand-in declares: one WMO323 per gemeente and month, built from what it delivered.

For every toewijzing of the gemeente whose delivery had started (an accepted WMO305) and not stopped before
the month, one debet Prestatie: the ProductPeriode is the month within the toewijzing (from the 1st or its
later Ingangsdatum, to the last day or its earlier Einddatum, TR387/TR388), the volume what a week's
Omvang comes to over those days (rounded down: the stand-in never declares more than it was granted), and
the tariff from its price list (the contract, as the aanbieder knows it). A deleted toewijzing or one in
total or as a budget is not declared.

``fouten`` injects the mistakes a real aanbieder makes, so that a vendor sees what the gemeente answers:
``tarief`` (the tariff one euro higher: TR418), ``volume`` (ten times the volume: TR321),
``periode`` (the ProductPeriode from the 2nd: TR387), ``toewijzing`` (a ToewijzingNummer that is not
ours: TR338).
"""

from __future__ import annotations

import calendar
import datetime as dt
import json
import secrets
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
from iwmo.berichten.declaratie import Declaratie, DeclaratieClient, Prestatie, Wmo323
from iwmo.berichten.header import Header
from services.aanbieder.models import Bericht, Levering, Toewijzing

DEMO_TARIEVEN = Path(__file__).resolve().parent.parent / "data" / "tarieven.json"
FOUTEN = ("tarief", "volume", "periode", "toewijzing")
#: minutes in a unit of time the stand-in declares in
_MINUTEN = {"01": 1, "04": 60}


@cache
def tarieven(pad: Path = DEMO_TARIEVEN) -> dict[str, dict[str, int]]:
    """Per aanbieder, per ProductCode, the tariff in eurocent per unit (its price list)."""
    data: dict[str, dict[str, int]] = json.loads(pad.read_text(encoding="utf-8"))["tarieven"]
    return data


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


def declareer(session: Session, *, aanbieder: str, gemeente: str, maand: dt.date, nu: dt.datetime,
              fouten: frozenset[str] = frozenset(), prijzen: dict[str, int] | None = None) -> Bericht:
    """Queue the WMO323 for ``maand`` (its first day) to ``gemeente``; 422 when there is nothing to declare."""
    onbekend = sorted(fouten - set(FOUTEN))
    if onbekend:
        raise DomainError(f"onbekende fout {', '.join(onbekend)} (wel: {', '.join(FOUTEN)})", "fouten")
    begin_maand = maand.replace(day=1)
    eind_maand = begin_maand.replace(day=calendar.monthrange(begin_maand.year, begin_maand.month)[1])
    prijzen = prijzen if prijzen is not None else tarieven().get(aanbieder, {})
    per_client: dict[str, list[Prestatie]] = {}
    for t in session.scalars(select(Toewijzing).where(Toewijzing.aanbieder == aanbieder, Toewijzing.gemeente == gemeente)
                             .order_by(Toewijzing.nummer)):
        if t.reden_wijziging == "13" or t.code is None or t.eenheid not in _MINUTEN | {"82": 1}:
            continue
        begin = max(begin_maand, t.ingangsdatum)
        eind = min(eind_maand, t.einddatum) if t.einddatum else eind_maand
        volume = _volume(t, begin, eind) if begin <= eind else None
        if not volume or t.code not in prijzen or not _geleverd(session, t, begin, eind):
            continue
        tarief = prijzen[t.code] + (100 if "tarief" in fouten else 0)
        volume *= 10 if "volume" in fouten else 1
        if "periode" in fouten and begin < eind:
            begin += dt.timedelta(days=1)
        per_client.setdefault(t.bsn, []).append(Prestatie(
            product_referentie=Referentie(referentie_nummer=secrets.token_hex(10).upper()),
            toewijzing_nummer=t.nummer + (100_000 if "toewijzing" in fouten else 0), product_categorie=t.categorie or "",
            product_code=t.code, product_periode=GeslotenPeriode(begindatum=begin, einddatum=eind),
            geleverd_volume=volume, eenheid=t.eenheid or "", product_tarief=tarief,
            ingediend_bedrag=BedragMetDC(bedrag=volume * tarief, debet_credit="D")))
    if not per_client:
        raise DomainError(f"niets te declareren over {begin_maand:%m-%Y}: geen geleverde toewijzing met een tarief",
                          "maand")
    totaal = sum(p.ingediend_bedrag.bedrag for ps in per_client.values() for p in ps)
    model = Wmo323(
        header=Header(afzender=aanbieder, ontvanger=gemeente,
                      bericht_identificatie=BerichtIdentificatie(identificatie="?", dagtekening=nu.date())),
        declaratie=Declaratie(
            declaratie_nummer=f"D{begin_maand:%y%m}{secrets.token_hex(3).upper()}",
            declaratie_periode=GeslotenPeriode(begindatum=begin_maand, einddatum=eind_maand),
            declaratie_dagtekening=nu.date(), totaal_ingediend_bedrag=TotaalBedragMetDC(totaal_bedrag=totaal,
                                                                                       debet_credit="D"),
            clienten=[DeclaratieClient(bsn=bsn, prestaties=ps) for bsn, ps in sorted(per_client.items())]))
    try:
        return queue(session, Bericht(afzender=aanbieder, ontvanger=gemeente, aanbieder=aanbieder), model,
                     prefix="A", nu=nu, set_identificatie=set_identificatie)
    except InvalidBericht as exc:
        raise DomainError(str(exc)) from exc
