"""The besluit that establishes plan versions (vaststellen), the bezwaar against it, and the gate that
lets a resultaat toewijzing out only once its plan is established.

A besluit is about some of a client's toewijzingen, as the toewijzing service holds them (its client
overview, passed in as ``toewijzingen``), and establishes the plan versions that go with them. The plan is
part of the besluit, so bezwaar is open against it and against every later version established by a later
besluit. Refused, with the field and the reason: a resultaat toewijzing without a plan (a result alone says
nothing about time), a plan of another client or another voorziening, a normenkader without onderbouwing
or not valid when the toewijzing starts, a version established already or overtaken by a newer one, a
bekendmaking before the besluit, a decision without the client's agreement that does not say why.

The bezwaar term ends six weeks after the day of bekendmaking, moved past weekends and public holidays
(Awb 6:7, 6:8 and the Algemene termijnenwet: :func:`iwmo.kalender.einde_bezwaartermijn`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from infra.errors import Conflict, DomainError, NotFound
from iwmo import kalender
from services.plan.domain.plannen import normenkader_van, zoek_plan
from services.plan.models import Besluit, Bezwaar, Normenkader, Plan, PlanVersie

INSTEMMING = ("client", "college")


@dataclass(frozen=True)
class TeBesluiten:
    """What a besluit decides: toewijzingen by number, plan versions as (plan id, versie)."""

    bsn: str
    toewijzingnummers: list[int]
    plannen: list[tuple[int, int]]
    besluitdatum: dt.date
    bekendmaking: dt.date
    instemming: str
    motivering: str | None


def _toewijzing(toewijzingen: list[dict[str, Any]], nummer: int) -> dict[str, Any] | None:
    return next((t for t in toewijzingen if t["toewijzingnummer"] == nummer), None)


def _versies(session: Session, *, gemeente: str, besluit: TeBesluiten,
             toewijzingen: list[dict[str, Any]]) -> list[PlanVersie]:
    """The plan versions to establish, each checked."""
    gekozen: list[PlanVersie] = []
    for i, (plan_id, nummer) in enumerate(besluit.plannen):
        veld = f"plannen[{i}]"
        plan = zoek_plan(session, gemeente=gemeente, plan_id=plan_id)
        if plan.bsn != besluit.bsn:
            raise DomainError(f"plan {plan_id} is het plan van een andere client", veld)
        versie = session.scalars(select(PlanVersie).where(PlanVersie.plan_id == plan.id,
                                                          PlanVersie.nummer == nummer)).first()
        if versie is None:
            raise NotFound(f"plan {plan_id} heeft geen versie {nummer}", veld)
        if versie.status == "vastgesteld" or versie.status == "vervangen":
            raise DomainError(f"plan {plan_id} versie {nummer} is al vastgesteld (besluit {versie.besluit_id}); "
                              f"een wijziging is een nieuwe versie met een nieuw besluit", veld)
        if versie.status == "vervallen":
            raise DomainError(f"plan {plan_id} versie {nummer} is vervallen: er is een nieuwere versie", veld)
        if any(v.plan_id == plan.id for v in gekozen):
            raise DomainError(f"plan {plan_id} staat twee keer in het besluit", veld)
        waarom = normenkader_van(session.get_one(Normenkader, versie.normenkader_id)).waarom_niet_bruikbaar()
        if waarom:
            raise DomainError(waarom, veld)
        if versie.toewijzingnummer is None:
            raise DomainError(f"plan {plan_id} versie {nummer} hoort nog bij geen toewijzing; maak een versie met "
                              f"het toewijzingnummer", veld)
        t = _toewijzing(toewijzingen, versie.toewijzingnummer)
        if t is None or versie.toewijzingnummer not in besluit.toewijzingnummers:
            raise DomainError(f"plan {plan_id} hoort bij toewijzing {versie.toewijzingnummer}, die niet in dit besluit "
                              f"staat", veld)
        if (t["product"]["categorie"], t["product"]["code"]) != (plan.categorie, plan.code):
            raise DomainError(f"plan {plan_id} is voor voorziening {plan.categorie}/{plan.code or '-'}, toewijzing "
                              f"{versie.toewijzingnummer} voor {t['product']['categorie']}/"
                              f"{t['product']['code'] or '-'}", veld)
        kader = normenkader_van(session.get_one(Normenkader, versie.normenkader_id))
        ingang = dt.date.fromisoformat(t["ingangsdatum"])
        if not kader.geldig_op(ingang):
            raise DomainError(f"normenkader {kader.naam} versie {kader.versie} geldt niet op {ingang:%d-%m-%Y}, de "
                              f"ingangsdatum van toewijzing {versie.toewijzingnummer}", veld)
        gekozen.append(versie)
    return gekozen


def _al_vastgesteld(session: Session, *, gemeente: str, bsn: str, nummer: int) -> bool:
    return session.scalars(select(PlanVersie.id).join(Plan).where(
        Plan.gemeente == gemeente, Plan.bsn == bsn, PlanVersie.toewijzingnummer == nummer,
        PlanVersie.status.in_(("vastgesteld", "vervangen")))).first() is not None


def neem(session: Session, *, gemeente: str, besluit: TeBesluiten, toewijzingen: list[dict[str, Any]],
         client_naam: str, door: str, nu: dt.datetime) -> Besluit:
    """Record the besluit and establish its plan versions, or refuse it whole."""
    if not besluit.toewijzingnummers:
        raise DomainError("een besluit gaat over ten minste één toewijzing", "toewijzingnummers")
    for nummer in besluit.toewijzingnummers:
        if _toewijzing(toewijzingen, nummer) is None:
            raise DomainError(f"toewijzing {nummer} is geen toewijzing van deze client", "toewijzingnummers")
    if len(set(besluit.toewijzingnummers)) != len(besluit.toewijzingnummers):
        raise DomainError("een toewijzing staat twee keer in het besluit", "toewijzingnummers")
    if besluit.bekendmaking < besluit.besluitdatum:
        raise DomainError("de bekendmaking ligt voor de besluitdatum", "bekendmaking")
    if besluit.instemming not in INSTEMMING:
        raise DomainError("instemming is 'client' (de client stemt in) of 'college' (vastgesteld zonder instemming)",
                          "instemming")
    if besluit.instemming == "college" and not (besluit.motivering or "").strip():
        raise DomainError("zonder instemming van de client zegt het college waarom het het plan toch vaststelt",
                          "motivering")
    versies = _versies(session, gemeente=gemeente, besluit=besluit, toewijzingen=toewijzingen)
    met_plan = {v.toewijzingnummer for v in versies}
    for nummer in besluit.toewijzingnummers:
        t = _toewijzing(toewijzingen, nummer)
        assert t is not None
        if t["wijze"] == "resultaat" and nummer not in met_plan and not _al_vastgesteld(
                session, gemeente=gemeente, bsn=besluit.bsn, nummer=nummer):
            raise DomainError(f"toewijzing {nummer} is een resultaat zonder ondersteuningsplan: de client moet kunnen "
                              f"zien wat hij krijgt, in tijd; neem het plan in het besluit op", "plannen")
    row = Besluit(gemeente=gemeente, bsn=besluit.bsn, client_naam=client_naam, besluitdatum=besluit.besluitdatum,
                  bekendmaking=besluit.bekendmaking,
                  einde_bezwaartermijn=kalender.einde_bezwaartermijn(besluit.bekendmaking),
                  instemming=besluit.instemming, motivering=besluit.motivering,
                  toewijzingen=[_toewijzing(toewijzingen, n) for n in besluit.toewijzingnummers], door=door, op=nu)
    session.add(row)
    session.flush()
    for versie in versies:
        session.execute(update(PlanVersie).where(PlanVersie.plan_id == versie.plan_id,
                                                 PlanVersie.status == "vastgesteld").values(status="vervangen"))
        # only a version that is still a concept: a besluit taken at the same moment loses here, whole
        vastgesteld = session.execute(update(PlanVersie).where(PlanVersie.id == versie.id,
                                                               PlanVersie.status == "concept")
                                      .values(status="vastgesteld", besluit_id=row.id))
        if vastgesteld.rowcount != 1:  # type: ignore[attr-defined]
            raise Conflict(f"plan {versie.plan_id} versie {versie.nummer} is zojuist door een ander besluit "
                           f"vastgesteld of vervangen", "plannen")
    session.expire_all()
    return row


def zoek(session: Session, *, gemeente: str, besluit_id: int) -> Besluit:
    row = session.get(Besluit, besluit_id)
    if row is None or row.gemeente != gemeente:
        raise NotFound(f"besluit {besluit_id} bestaat niet")
    return row


def bezwaar(session: Session, *, besluit: Besluit, ontvangen: dt.date, ter_post_bezorgd: dt.date | None,
            toelichting: str | None, door: str, nu: dt.datetime) -> Bezwaar:
    """Register a bezwaarschrift against ``besluit``: on time or not per Awb 6:9."""
    if ontvangen < besluit.bekendmaking:
        raise DomainError(f"een bezwaar kan niet binnenkomen voor de bekendmaking ({besluit.bekendmaking:%d-%m-%Y})",
                          "ontvangen")
    if ter_post_bezorgd is not None and ter_post_bezorgd > ontvangen:
        raise DomainError("verzonden na ontvangst kan niet", "ter_post_bezorgd")
    if session.scalars(select(Bezwaar.id).where(Bezwaar.besluit_id == besluit.id)).first() is not None:
        raise Conflict(f"tegen besluit {besluit.id} is al bezwaar geregistreerd", "besluit")
    row = Bezwaar(besluit_id=besluit.id, ontvangen=ontvangen,
                  tijdig=kalender.tijdig(besluit.bekendmaking, ontvangen, ter_post_bezorgd=ter_post_bezorgd),
                  toelichting=toelichting, door=door, op=nu)
    session.add(row)
    session.flush()
    return row


def bezwaren(session: Session, besluit_ids: list[int]) -> dict[int, Bezwaar]:
    if not besluit_ids:
        return {}
    return {b.besluit_id: b for b in session.scalars(select(Bezwaar).where(Bezwaar.besluit_id.in_(besluit_ids)))}


def poort(session: Session, *, gemeente: str, bsn: str, nummers: list[int]) -> str | None:
    """The plan check of the toewijzing service: None when every toewijzing has an established plan, else
    why not (in words, naming the toewijzing)."""
    redenen = []
    for nummer in nummers:
        rijen = session.execute(select(Plan.id, PlanVersie.nummer, PlanVersie.status).join(Plan).where(
            Plan.gemeente == gemeente, Plan.bsn == bsn, PlanVersie.toewijzingnummer == nummer)).all()
        if any(status in ("vastgesteld", "vervangen") for _p, _n, status in rijen):
            continue
        concepten = [f"plan {p} versie {n}" for p, n, status in rijen if status == "concept"]
        redenen.append(f"toewijzing {nummer}: {concepten[-1]} is nog een concept" if concepten
                       else f"toewijzing {nummer}: er is nog geen ondersteuningsplan")
    return "; ".join(redenen) or None
