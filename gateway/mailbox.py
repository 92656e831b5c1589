"""Delivery by pull: the mailbox, fetching a message, acknowledging it; and retour correlation."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, aliased

from gateway.errors import niet_gevonden
from gateway.models import Audit, Bericht, utcnow
from gateway.parties import Ingelogd

GOEDGEKEURD = {"", "0200", "8001"}


def mailbox(session: Session, *, party: Ingelogd, limit: int = 100) -> list[Bericht]:
    """The party's undelivered messages, oldest first."""
    q = (select(Bericht).where(Bericht.ontvanger == party.code, Bericht.status == "ontvangen")
         .order_by(Bericht.id).limit(limit))
    return list(session.scalars(q))


def fetch(session: Session, *, party: Ingelogd, bericht_id: int) -> Bericht:
    """A message for its sender or receiver; anyone else gets 'not found' (no existence oracle)."""
    bericht = session.get(Bericht, bericht_id)
    if bericht is None or party.code not in (bericht.afzender, bericht.ontvanger):
        raise niet_gevonden()
    return bericht


def acknowledge(session: Session, *, party: Ingelogd, bericht_id: int) -> Bericht:
    """The receiver confirms receipt; repeating it is harmless."""
    bericht = fetch(session, party=party, bericht_id=bericht_id)
    if bericht.ontvanger != party.code:
        raise niet_gevonden()
    if bericht.status != "afgeleverd":
        bericht.status = "afgeleverd"
        bericht.acked_at = utcnow()
        session.add(Audit(actor=party.code, action="afgeleverd", bericht_id=bericht.id))
        session.commit()
    return bericht


def retour_van(session: Session, *, bericht: Bericht) -> Bericht | None:
    """The retourbericht that answers a heenbericht, when it has arrived."""
    q = (select(Bericht).where(Bericht.heen_afzender == bericht.afzender, Bericht.heen_bericht == bericht.bericht,
                               Bericht.heen_identificatie == bericht.identificatie)
         .order_by(Bericht.id).limit(1))
    return session.scalar(q)


def metadata(session: Session, *, bericht: Bericht) -> dict[str, Any]:
    """What the hub knows of a message, without its content (no personal data)."""
    out: dict[str, Any] = {
        "id": bericht.id, "bericht": bericht.bericht, "berichtcode": bericht.berichtcode,
        "afzender": bericht.afzender, "ontvanger": bericht.ontvanger, "identificatie": bericht.identificatie,
        "status": bericht.status, "size": bericht.size, "ontvangen_op": bericht.received_at.isoformat(),
        "afgeleverd_op": bericht.acked_at.isoformat() if bericht.acked_at else None,
    }
    if bericht.heen_bericht is None:
        retour = retour_van(session, bericht=bericht)
        out["retour"] = None if retour is None else {
            "id": retour.id, "bericht": retour.bericht, "retourcodes": _codes(retour),
            "oordeel": "goedgekeurd" if set(_codes(retour)) <= GOEDGEKEURD else "afgekeurd",
        }
    else:
        out["antwoord_op"] = {"afzender": bericht.heen_afzender, "bericht": bericht.heen_bericht,
                              "identificatie": bericht.heen_identificatie}
    return out


def zonder_retour(session: Session, *, older_than: dt.datetime, afzender: str | None = None,
                  limit: int = 100) -> list[Bericht]:
    """Heenberichten accepted before ``older_than`` for which no retourbericht has arrived."""
    retour = aliased(Bericht)
    answered = (select(retour.id).where(retour.heen_afzender == Bericht.afzender,
                                        retour.heen_bericht == Bericht.bericht,
                                        retour.heen_identificatie == Bericht.identificatie).exists())
    q = (select(Bericht).where(Bericht.heen_bericht.is_(None), Bericht.received_at < older_than, ~answered)
         .order_by(Bericht.id).limit(limit))
    if afzender is not None:
        q = q.where(Bericht.afzender == afzender)
    return list(session.scalars(q))


def _codes(bericht: Bericht) -> list[str]:
    return bericht.retourcodes.split(",") if bericht.retourcodes else []
