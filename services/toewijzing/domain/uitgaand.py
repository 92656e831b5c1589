"""Outgoing messages: composed and stored with the change that causes them, sent to the hub after.

A message is first a ``Bericht`` row (richting ``uit``, status ``te-verzenden``) in the transaction of
the domain change; :func:`verzend` then offers queued messages to the hub in order. A hub that cannot
be reached leaves them queued for the next attempt; a refusal by the hub is kept on the row.
Every message is validated before it is queued: the service never sends what the standard rejects.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from sqlalchemy import select
from sqlalchemy.orm import Session

from infra.inbound import record_verdict
from infra.outbox import Terugval, queue, send_queued, set_identificatie, set_identificatie_retour
from iwmo.berichten import Bericht as BerichtModel
from iwmo.berichten.basis import BerichtIdentificatie
from iwmo.hub import HubClient
from iwmo.regels import Fout
from iwmo.retour import RetourOpties, retour
from services.toewijzing.domain.plancheck import PlanCheck
from services.toewijzing.domain.wmo301 import in_bericht, is_actueel, wmo301
from services.toewijzing.models import Bericht, Client, Toewijzing, Voorziening


def plan(session: Session, *, model: BerichtModel, afzender: str, ontvanger: str, client_id: int | None,
         nu: dt.datetime, antwoord_op: int | None = None,
         set_identificatie: Callable[[BerichtModel, str], None] | None = None) -> Bericht:
    """Queue ``model`` (its Identificatie is set from the new row's id by ``set_identificatie``)."""
    rij = Bericht(afzender=afzender, ontvanger=ontvanger, client_id=client_id, antwoord_op=antwoord_op)
    return queue(session, rij, model, prefix="G", nu=nu, set_identificatie=set_identificatie)


def nieuwe_identificatie(nu: dt.datetime) -> BerichtIdentificatie:
    """A placeholder BerichtIdentificatie; :func:`plan` sets the real one (see :func:`set_identificatie`)."""
    return BerichtIdentificatie(identificatie="?", dagtekening=nu.date())


def beantwoord(session: Session, *, heen: BerichtModel, fouten: list[Fout], rij: Bericht, gemeente: str,
               nu: dt.datetime, geaccepteerd: bool | None = None) -> Bericht:
    """Record the outcome on the inbound heenbericht ``heen`` (stored as ``rij``) and queue its retour.

    ``geaccepteerd``: whether the message changed anything (default: when it has no faults; a WMO315
    whose products are partly refused is accepted for the others)."""
    geaccepteerd = not fouten if geaccepteerd is None else geaccepteerd
    rij.status = "verwerkt" if geaccepteerd else "afgekeurd"
    record_verdict(rij, fouten)
    antwoord = retour(heen, fouten, RetourOpties(identificatie="?", dagtekening=nu.date()))
    return plan(session, model=antwoord, afzender=gemeente, ontvanger=rij.afzender, client_id=rij.client_id, nu=nu,
                antwoord_op=rij.id, set_identificatie=set_identificatie_retour)


def plan_301(session: Session, *, gemeente: str, client: Client, aanbieder: str, nu: dt.datetime) -> Bericht | None:
    """Queue the WMO301 for this client and aanbieder, if there is anything to tell."""
    session.flush()
    alle = session.scalars(select(Toewijzing).where(Toewijzing.client_id == client.id,
                                                    Toewijzing.aanbieder == aanbieder)).all()
    inhoud = in_bericht(alle, nu.date())
    if not inhoud:
        return None
    model = wmo301(gemeente=gemeente, aanbieder=aanbieder, identificatie="?", dagtekening=nu.date(), client=client,
                   toewijzingen=inhoud)
    row = plan(session, model=model, afzender=gemeente, ontvanger=aanbieder, client_id=client.id, nu=nu,
               set_identificatie=set_identificatie)
    resultaat = set(session.scalars(select(Voorziening.id).where(Voorziening.id.in_({t.voorziening_id for t in inhoud}),
                                                                 Voorziening.wijze == "resultaat")))
    te_checken = [t.nummer for t in inhoud if t.voorziening_id in resultaat and is_actueel(t, nu.date())]
    row.plan_nummers = ",".join(map(str, te_checken)) or None
    for t in inhoud:
        t.gewijzigd = False
        t.laatste_301_id = row.id
    return row


def _plan_wacht(session: Session, row: Bericht, plan_check: PlanCheck | None) -> str | None:
    """Why a WMO301 may not go out yet: a resultaat toewijzing in it without an established support plan."""
    if plan_check is None or not row.plan_nummers:
        return None
    bsn = session.get_one(Client, row.client_id).bsn
    return plan_check(bsn, [int(n) for n in row.plan_nummers.split(",")])


def verzend(session: Session, *, hub: HubClient | None, batch: int = 200, plan_check: PlanCheck | None = None,
            terugval: Terugval | None = None, nu: dt.datetime | None = None) -> int:
    """Offer every queued message to the hub, oldest first; returns how many the hub accepted (``hub`` None:
    no client for the gemeente, so every message stays queued).

    A WMO301 waiting for a support plan stays queued, and so does every later WMO301 to the same
    aanbieder about the same client (they must not overtake it); other messages go. An unreachable hub stops the round;
    the messages stay queued for the next one."""

    def wacht(row: Bericht, wachtend: set[tuple[int | None, str]]) -> str | None:
        if row.bericht != "WMO301":  # retours and answers never wait: they have deadlines
            return None
        paar = (row.client_id, row.ontvanger)
        reden = "een eerder WMO301 voor deze client wacht nog" if paar in wachtend else _plan_wacht(
            session, row, plan_check)
        if reden is not None:
            wachtend.add(paar)
        return reden

    return send_queued(session, Bericht, hub=lambda _row: hub, batch=batch, wacht=wacht, terugval=terugval, nu=nu)
