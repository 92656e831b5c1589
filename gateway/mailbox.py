"""Delivery by pull: the mailbox, fetching a message, acknowledging it; and retour correlation."""

from __future__ import annotations

import base64
import datetime as dt
from collections.abc import Collection
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session, aliased

from gateway.errors import not_found
from gateway.models import Audit, Bericht
from gateway.parties import Ingelogd
from infra.db import utcnow
from iwmo.kalender import werkdagen_na
from iwmo.retour import GEEN_OPMERKING, VOLLEDIG_TOEGEKEND

#: the codes of an approving retour (none at all, 0200, and 8001 for a fully granted declaratie)
GOEDGEKEURD = {"", GEEN_OPMERKING, VOLLEDIG_TOEGEKEND}


def mailbox(session: Session, *, party: Ingelogd, limit: int = 100, berichten: Collection[str] = (),
            na: int | None = None) -> list[Bericht]:
    """The party's undelivered messages, oldest first: only of the types in ``berichten`` when given (a
    service collects what it owns), only after the id ``na`` when given (the next batch)."""
    q = select(Bericht).where(Bericht.ontvanger == party.code, Bericht.status == "ontvangen")
    if berichten:
        q = q.where(Bericht.bericht.in_(sorted(berichten)))
    if na is not None:
        q = q.where(Bericht.id > na)
    return list(session.scalars(q.order_by(Bericht.id).limit(limit)))


def fetch(session: Session, *, party: Ingelogd, bericht_id: int) -> Bericht:
    """A message for its sender or receiver; anyone else gets 'not found' (no existence oracle)."""
    bericht = session.get(Bericht, bericht_id)
    if bericht is None or party.code not in (bericht.afzender, bericht.ontvanger):
        raise not_found()
    return bericht


def acknowledge(session: Session, *, party: Ingelogd, bericht_id: int) -> Bericht:
    """The receiver confirms receipt; repeating it is harmless."""
    bericht = fetch(session, party=party, bericht_id=bericht_id)
    if bericht.ontvanger != party.code:
        raise not_found()
    if bericht.status != "afgeleverd":
        bericht.status = "afgeleverd"
        bericht.acked_at = utcnow()
        session.add(Audit(actor=party.code, action="afgeleverd", bericht_id=bericht.id))
        session.commit()
    return bericht


def tot_omvang(berichten: list[Bericht], max_bytes: int) -> list[Bericht]:
    """The first messages whose sizes together stay within ``max_bytes``; the first always."""
    uit: list[Bericht] = []
    totaal = 0
    for b in berichten:
        totaal += b.size
        if uit and totaal > max_bytes:
            break
        uit.append(b)
    return uit


def acknowledge_many(session: Session, *, party: Ingelogd, ids: Collection[int]) -> list[int]:
    """The receiver confirms receipt of several messages in one go; returns the ids that are its own
    (delivered now or before). Ids of others' messages are passed over without a word (no oracle)."""
    eigen = list(session.execute(select(Bericht.id, Bericht.status).where(
        Bericht.id.in_(sorted(set(ids))), Bericht.ontvanger == party.code)).all())
    nieuw = [bid for bid, status in eigen if status in ("ontvangen", "dead")]  # a dead letter collected after all
    if nieuw:
        now = utcnow()
        session.execute(update(Bericht).where(Bericht.id.in_(nieuw), Bericht.status.in_(("ontvangen", "dead")))
                        .values(status="afgeleverd", acked_at=now), execution_options={"synchronize_session": False})
        session.execute(insert(Audit), [{"actor": party.code, "action": "afgeleverd", "bericht_id": bid, "at": now}
                                        for bid in nieuw])
        session.commit()
    return sorted(bid for bid, _ in eigen)


def retour_van(session: Session, *, bericht: Bericht) -> Bericht | None:
    """The retourbericht that answers a heenbericht, when it has arrived (the hub takes one per heenbericht,
    from its receiver)."""
    return session.scalar(select(Bericht).where(Bericht.heen_id == bericht.id))


def metadata(session: Session, *, bericht: Bericht) -> dict[str, Any]:
    """What the hub knows of a message, without its content (no personal data)."""
    return _metadata(bericht, retour_van(session, bericht=bericht) if bericht.heen_bericht is None else None)


def metadata_many(session: Session, *, berichten: list[Bericht], inhoud: bool = False) -> list[dict[str, Any]]:
    """:func:`metadata` of a page of messages, their retours found in one query; with ``inhoud`` each
    carries its XML too (base64, field ``xml``): a receiver collects a batch in one request."""
    heen = [b.id for b in berichten if b.heen_bericht is None]
    retouren = {r.heen_id: r for r in session.scalars(select(Bericht).where(Bericht.heen_id.in_(heen)))} if heen else {}
    out = [_metadata(b, retouren.get(b.id)) for b in berichten]
    if inhoud:
        for meta, b in zip(out, berichten, strict=True):
            meta["xml"] = base64.b64encode(b.xml).decode("ascii")
    return out


def _metadata(bericht: Bericht, retour: Bericht | None) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": bericht.id, "bericht": bericht.bericht, "berichtcode": bericht.berichtcode,
        "afzender": bericht.afzender, "ontvanger": bericht.ontvanger, "identificatie": bericht.identificatie,
        "status": bericht.status, "size": bericht.size, "ontvangen_op": bericht.received_at.isoformat(),
        "afgeleverd_op": bericht.acked_at.isoformat() if bericht.acked_at else None,
    }
    if bericht.heen_bericht is None:
        out["retour"] = None if retour is None else {
            "id": retour.id, "bericht": retour.bericht, "retourcodes": _codes(retour),
            "oordeel": "goedgekeurd" if set(_codes(retour)) <= GOEDGEKEURD else "afgekeurd",
        }
    else:
        out["antwoord_op"] = {"afzender": bericht.heen_afzender, "bericht": bericht.heen_bericht,
                              "identificatie": bericht.heen_identificatie}
    return out


def zonder_retour(session: Session, *, nu: dt.datetime, werkdagen: dict[str, int], standaard: int,
                  ouder_dan: dt.datetime | None = None, afzender: str | None = None,
                  limit: int = 100) -> list[Bericht]:
    """Heenberichten still without a retourbericht after their term: ``werkdagen`` per message type
    (``standaard`` for the others) after receipt, or accepted before ``ouder_dan`` when that is given.

    Working days as :func:`iwmo.kalender.werkdagen_na` counts them: Monday to Friday by the Dutch calendar
    day, less the algemeen erkende feestdagen of the Algemene termijnenwet (with the gelijkgestelde dagen,
    also those of ``$IWMO_GELIJKGESTELDE_DAGEN``)."""
    retour = aliased(Bericht)
    answered = select(retour.id).where(retour.heen_id == Bericht.id).exists()
    kortste = min([standaard, *werkdagen.values()])  # n working days are at least n calendar days
    grens = ouder_dan if ouder_dan is not None else nu - dt.timedelta(days=kortste)
    q = (select(Bericht).where(Bericht.heen_bericht.is_(None), Bericht.received_at < grens, ~answered)
         .order_by(Bericht.id))
    if afzender is not None:
        q = q.where(Bericht.afzender == afzender)
    if ouder_dan is not None:
        return list(session.scalars(q.limit(limit)))
    uit: list[Bericht] = []
    for b in session.scalars(q.execution_options(yield_per=500)):
        if werkdagen_na(b.received_at, werkdagen.get(b.bericht, standaard)) < nu:
            uit.append(b)
            if len(uit) == limit:
                break
    return uit


def _codes(bericht: Bericht) -> list[str]:
    return bericht.retourcodes.split(",") if bericht.retourcodes else []
