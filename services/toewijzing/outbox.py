"""Outgoing messages: composed and stored with the change that causes them, sent to the hub after.

A message is first a ``Bericht`` row (richting ``uit``, status ``te-verzenden``) in the transaction of
the domain change; :func:`verzend` then offers queued messages to the hub in order. A hub that cannot
be reached leaves them queued for the next attempt; a refusal by the hub is kept on the row.
Every message is validated before it is queued: the service never sends what the standard rejects.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from collections.abc import Callable

from sqlalchemy import select
from sqlalchemy.orm import Session

from iwmo.berichten import Bericht as BerichtModel
from iwmo.hub import HubClient, HubError, HubUnreachable
from iwmo.validation import validate
from iwmo.xml import to_xml
from services.toewijzing.models import Bericht, Client, Toewijzing
from services.toewijzing.wmo301 import in_bericht, wmo301

log = logging.getLogger("toewijzing.outbox")


class OngeldigBericht(RuntimeError):
    """The service composed a message that its own validator rejects (a defect, never the user's input)."""


def identificatie(bericht_id: int) -> str:
    """Unique per sender and message type: the row's id, at most 12 characters."""
    return f"G{bericht_id:011d}"


def plan(session: Session, *, model: BerichtModel, afzender: str, ontvanger: str, client_id: int | None,
         nu: dt.datetime, antwoord_op: int | None = None,
         set_identificatie: Callable[[BerichtModel, str], None] | None = None) -> Bericht:
    """Queue ``model`` (its Identificatie is set from the new row's id by ``set_identificatie``)."""
    row = Bericht(richting="uit", bericht=model.BERICHT, afzender=afzender, ontvanger=ontvanger,
                  identificatie=uuid.uuid4().hex[:12], client_id=client_id, xml=b"", status="te-verzenden",
                  antwoord_op=antwoord_op, created_at=nu)
    session.add(row)
    session.flush()
    row.identificatie = identificatie(row.id)
    if set_identificatie is not None:
        set_identificatie(model, row.identificatie)
    xml = to_xml(model)
    rapport = validate(xml, today=nu.date())
    if not rapport.valid:
        raise OngeldigBericht(f"{model.BERICHT} is ongeldig: {[f.as_dict() for f in rapport.fouten]}")
    row.xml = xml
    return row


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

    def zet(m: BerichtModel, ident: str) -> None:
        m.header.bericht_identificatie.identificatie = ident  # type: ignore[attr-defined]

    row = plan(session, model=model, afzender=gemeente, ontvanger=aanbieder, client_id=client.id, nu=nu,
               set_identificatie=zet)
    for t in inhoud:
        t.gewijzigd = False
    return row


def verzend(session: Session, *, hub: HubClient, limit: int = 100) -> int:
    """Offer queued messages to the hub, oldest first; returns how many the hub accepted."""
    sent = 0
    queued = session.scalars(select(Bericht).where(Bericht.richting == "uit", Bericht.status == "te-verzenden")
                             .order_by(Bericht.id).limit(limit)).all()
    for row in queued:
        try:
            row.hub_id = hub.send(row.xml)
            row.status, row.fout = "verzonden", None
            sent += 1
        except HubUnreachable as exc:
            row.fout = str(exc)
            session.commit()
            log.warning("hub niet bereikbaar; bericht blijft in de wachtrij", extra={"bericht_id": row.id})
            break
        except HubError as exc:
            row.status, row.fout = "geweigerd", f"{exc.foutcode}: {exc.omschrijving} {exc.details}"
            log.error("hub weigerde bericht", extra={"bericht_id": row.id, "foutcode": exc.foutcode})
        session.commit()
    return sent
