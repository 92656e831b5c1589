"""Normenkaders published, plans made and versioned: every version immutable, with who, when and why.

A plan is one client's ondersteuningsplan for one voorziening. Its first version is made with the plan,
each change is a new version (a concept) whose content is checked against its normenkader and whose time
is computed and kept with it (:mod:`services.plan.domain.rekenen`). Only a :mod:`besluit
<services.plan.domain.besluit>` establishes a version; a version never changes afterwards.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import OrderedDict
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from infra.errors import Conflict, DomainError, NotFound
from services.plan.domain import normenkader as nk
from services.plan.domain.rekenen import Berekening, OngeldigPlan, PlanInhoud, bereken
from services.plan.models import Normenkader, Plan, PlanVersie

_CACHE: OrderedDict[tuple[Any, ...], nk.NormenkaderVersie] = OrderedDict()


def normenkader_van(row: Normenkader) -> nk.NormenkaderVersie:
    """The checked normenkader of a stored version (stored versions never change: kept in a small cache)."""
    sleutel = (row.id, row.gemeente, row.naam, row.versie, row.op)
    versie = _CACHE.get(sleutel)
    if versie is None:
        versie = nk.NormenkaderVersie.model_validate(row.document)
        _CACHE[sleutel] = versie
        if len(_CACHE) > 64:
            _CACHE.popitem(last=False)
    return versie


def publiceer(session: Session, *, gemeente: str, document: Any, door: str) -> Normenkader:
    """Publish a normenkader version from its document (parsed YAML or JSON). A version never changes:
    publishing an existing (naam, versie) again is refused; publish a new versie instead."""
    try:
        versie = nk.uit_document(document)
    except nk.OngeldigNormenkader as exc:
        raise DomainError(f"het normenkader klopt niet: {exc}", exc.fouten[0][0] if exc.fouten else None,
                          exc.fouten) from None
    if versie.gemeente != gemeente:
        raise DomainError(f"dit normenkader is van gemeente {versie.gemeente}; deze dienst werkt voor {gemeente}",
                          "gemeente")
    if zoek_normenkader(session, gemeente=gemeente, naam=versie.naam, versie=versie.versie) is not None:
        raise Conflict(f"normenkader {versie.naam} versie {versie.versie} bestaat al; een gepubliceerde versie "
                       f"verandert nooit: publiceer een nieuwe versie", "versie")
    row = Normenkader(gemeente=gemeente, naam=versie.naam, versie=versie.versie, titel=versie.titel,
                      geldig_van=versie.geldig_van, geldig_tot=versie.geldig_tot, bruikbaar=versie.bruikbaar,
                      document=nk.als_document(versie), door=door)
    session.add(row)
    session.flush()
    return row


def zoek_normenkader(session: Session, *, gemeente: str, naam: str, versie: str) -> Normenkader | None:
    return session.scalars(select(Normenkader).where(
        Normenkader.gemeente == gemeente, Normenkader.naam == naam, Normenkader.versie == versie)).first()


def normenkaders(session: Session, *, gemeente: str) -> list[Normenkader]:
    return list(session.scalars(select(Normenkader).where(Normenkader.gemeente == gemeente)
                                .order_by(Normenkader.naam, Normenkader.geldig_van, Normenkader.id)))


def _bereken(session: Session, *, gemeente: str, inhoud: PlanInhoud) -> tuple[Normenkader, Berekening]:
    """The plan's normenkader row and its computed time; 422 with every fault when it does not fit."""
    row = zoek_normenkader(session, gemeente=gemeente, naam=inhoud.normenkader.naam,
                           versie=inhoud.normenkader.versie)
    if row is None:
        raise DomainError(f"normenkader {inhoud.normenkader.naam} versie {inhoud.normenkader.versie} is niet "
                          f"gepubliceerd", "normenkader")
    voorziening = normenkader_van(row).voorziening(inhoud.voorziening.categorie, inhoud.voorziening.code)
    if voorziening is None:
        wat = f"{inhoud.voorziening.categorie}/{inhoud.voorziening.code or '-'}"
        raise DomainError(f"normenkader {row.naam} versie {row.versie} kent voorziening {wat} niet", "voorziening")
    try:
        return row, bereken(inhoud, voorziening)
    except OngeldigPlan as exc:
        raise DomainError(f"het plan past niet in het normenkader: {exc}", exc.fouten[0][0], exc.fouten) from None


def _versie(session: Session, plan: Plan, *, nummer: int, inhoud: PlanInhoud, toewijzingnummer: int | None,
            reden: str, door: str, nu: dt.datetime) -> PlanVersie:
    row, berekening = _bereken(session, gemeente=plan.gemeente, inhoud=inhoud)
    versie = PlanVersie(plan_id=plan.id, nummer=nummer, normenkader_id=row.id, toewijzingnummer=toewijzingnummer,
                        inhoud=inhoud.model_dump(mode="json"), per_jaar_h=berekening.per_jaar_h,
                        minuten_per_week=berekening.per_week, minuten_per_jaar=berekening.per_jaar,
                        verlaagd=berekening.verlaagd, status="concept", reden=reden, door=door, op=nu)
    session.add(versie)
    session.flush()
    return versie


def maak(session: Session, *, gemeente: str, bsn: str, inhoud: PlanInhoud, toewijzingnummer: int | None,
         reden: str, door: str, nu: dt.datetime) -> PlanVersie:
    """A new plan for a client's voorziening, with its first version (a concept)."""
    bestaand = session.scalars(select(Plan).where(
        Plan.gemeente == gemeente, Plan.bsn == bsn, Plan.categorie == inhoud.voorziening.categorie,
        Plan.code == inhoud.voorziening.code)).first()
    if bestaand is not None:
        raise Conflict(f"deze client heeft al plan {bestaand.id} voor deze voorziening; maak daar een nieuwe "
                       f"versie van", "voorziening")
    plan = Plan(gemeente=gemeente, bsn=bsn, categorie=inhoud.voorziening.categorie, code=inhoud.voorziening.code, op=nu)
    session.add(plan)
    session.flush()
    return _versie(session, plan, nummer=1, inhoud=inhoud, toewijzingnummer=toewijzingnummer, reden=reden,
                   door=door, nu=nu)


def zoek_plan(session: Session, *, gemeente: str, plan_id: int) -> Plan:
    plan = session.get(Plan, plan_id)
    if plan is None or plan.gemeente != gemeente:
        raise NotFound(f"plan {plan_id} bestaat niet")
    return plan


def versies(session: Session, plan: Plan) -> list[PlanVersie]:
    return list(session.scalars(select(PlanVersie).where(PlanVersie.plan_id == plan.id).order_by(PlanVersie.nummer)))


def zoek_versie(session: Session, plan: Plan, nummer: int) -> PlanVersie:
    versie = session.scalars(select(PlanVersie).where(PlanVersie.plan_id == plan.id,
                                                      PlanVersie.nummer == nummer)).first()
    if versie is None:
        raise NotFound(f"plan {plan.id} heeft geen versie {nummer}")
    return versie


def nieuwe_versie(session: Session, *, plan: Plan, inhoud: PlanInhoud, toewijzingnummer: int | None, reden: str,
                  door: str, nu: dt.datetime) -> PlanVersie:
    """A new version (a concept) of ``plan``; earlier concepts that were never established lapse."""
    if (inhoud.voorziening.categorie, inhoud.voorziening.code) != (plan.categorie, plan.code):
        raise DomainError(f"plan {plan.id} is voor voorziening {plan.categorie}/{plan.code or '-'}; een andere "
                          f"voorziening is een ander plan", "voorziening")
    laatste = session.scalar(select(func.max(PlanVersie.nummer)).where(PlanVersie.plan_id == plan.id)) or 0
    for oud in session.scalars(select(PlanVersie).where(PlanVersie.plan_id == plan.id,
                                                        PlanVersie.status == "concept")):
        oud.status = "vervallen"
    if toewijzingnummer is None:  # a change keeps the toewijzing it belongs to, unless it names another
        toewijzingnummer = zoek_versie(session, plan, laatste).toewijzingnummer if laatste else None
    return _versie(session, plan, nummer=laatste + 1, inhoud=inhoud, toewijzingnummer=toewijzingnummer,
                   reden=reden, door=door, nu=nu)


def plannen_van(session: Session, *, gemeente: str, bsn: str) -> list[Plan]:
    return list(session.scalars(select(Plan).where(Plan.gemeente == gemeente, Plan.bsn == bsn).order_by(Plan.id)))


def berekening_van(session: Session, versie: PlanVersie) -> Berekening:
    """The computed time of a stored version (recomputed from its content and its normenkader, which are
    both immutable, so it equals what was stored)."""
    row = session.get_one(Normenkader, versie.normenkader_id)
    inhoud = PlanInhoud.model_validate(versie.inhoud)
    voorziening = normenkader_van(row).voorziening(inhoud.voorziening.categorie, inhoud.voorziening.code)
    assert voorziening is not None  # checked when the version was made; a normenkader never changes
    return bereken(inhoud, voorziening)


#: who published a normenkader from PLAN_NORMENKADERS (the ``door`` of its row)
BIJ_START = "PLAN_NORMENKADERS"


def publiceer_bij_start(session: Session, *, gemeente: str, paden: list[Path]) -> list[str]:
    """Publish each normenkader file of PLAN_NORMENKADERS that is not published yet; returns what happened
    per file (``gepubliceerd`` | ``bestond al`` | ``wijkt af``). A published version never changes: when the
    stored (naam, versie) differs from the file, a warning names the version, never its content, and the
    stored one stays. A file that cannot be read or does not validate stops the start (a wrong setting)."""
    log = logging.getLogger("plan")
    uitkomsten = []
    for pad in paden:
        try:
            versie = nk.laad(pad)
        except nk.OngeldigNormenkader as exc:
            raise ValueError(f"PLAN_NORMENKADERS: {pad}: {exc}") from None
        row = zoek_normenkader(session, gemeente=gemeente, naam=versie.naam, versie=versie.versie)
        if row is None:
            publiceer(session, gemeente=gemeente, document=nk.als_document(versie), door=BIJ_START)
            log.info("normenkader %s versie %s gepubliceerd (PLAN_NORMENKADERS)", versie.naam, versie.versie)
            uitkomsten.append("gepubliceerd")
        elif row.document != nk.als_document(versie):
            log.warning("normenkader %s versie %s in PLAN_NORMENKADERS wijkt af van de gepubliceerde versie; die "
                        "blijft (een gepubliceerde versie verandert nooit: geef het bestand een nieuwe versie)",
                        versie.naam, versie.versie)
            uitkomsten.append("wijkt af")
        else:
            uitkomsten.append("bestond al")
    return uitkomsten
