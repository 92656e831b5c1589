"""Delivery per party and message type: routes, and what waits for its owner.

A gemeente is one party at the hub but runs several services (toewijzing, declaratie, plan), each owning
some message types. A :class:`~gateway.models.Route` says where a party's messages of one type go:
pushed to its endpoint, or kept for collection by the service that asks for that type
(``GET /mailbox?bericht=...``). A type without a route follows the party's own endpoint when it has one
(an aanbieder's software usually takes everything), else waits to be collected. So a message whose owner
is not running waits, listed by :func:`wachtend` with its age, and is delivered when its owner collects
it or a route to it is set: nobody else ever receives it.
"""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, and_, func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from gateway.models import Audit, Bericht, OnbekendeOntvanger, Party, Route
from gateway.parties import PartyError
from iwmo.catalogue import BERICHTEN

#: the message types each role receives (heenberichten for it, and the retours on what it sends)
ONTVANGT = {
    "gemeente": frozenset(b.naam for b in BERICHTEN.values() if b.ontvanger == "gemeente"),
    "aanbieder": frozenset(b.naam for b in BERICHTEN.values() if b.ontvanger == "aanbieder"),
}


def set_routes(session: Session, *, party: Party, berichten: list[str], endpoint: str | None) -> list[Route]:
    """Route the party's messages of these types to ``endpoint`` (None: kept for collection). A party
    that gets its first push endpoint gets a push secret too. The caller commits."""
    toegestaan = ONTVANGT[party.rol]
    onbekend = sorted(set(berichten) - toegestaan)
    if not berichten or onbekend:
        raise PartyError(f"een {party.rol} ontvangt {', '.join(sorted(toegestaan))}"
                         + (f"; niet {', '.join(onbekend)}" if onbekend else ""))
    if endpoint is not None and not endpoint.startswith(("http://", "https://")):
        raise PartyError(f"endpoint moet een http(s)-adres zijn, niet {endpoint!r}")
    bestaand = {r.bericht: r for r in session.scalars(select(Route).where(Route.party_id == party.id))}
    for bericht in dict.fromkeys(berichten):
        route = bestaand.get(bericht)
        if route is None:
            route = Route(party_id=party.id, bericht=bericht)
            session.add(route)
            bestaand[bericht] = route
        route.endpoint = endpoint
    if endpoint is not None and not party.push_geheim:
        party.push_geheim = secrets.token_urlsafe(32)
    session.add(Audit(actor="admin", action="route-gezet",
                      details=f"{party.code} {','.join(berichten)} -> {'push' if endpoint else 'ophalen'}"))
    session.flush()
    return routes_of(session, party=party)


def keep_for_collection(session: Session, *, ontvanger: str, bericht: str, endpoint: str) -> None:
    """The endpoint answered 421: the service there does not own this type. From now on the party's
    messages of this type wait to be collected by their owner (a route without endpoint, visible in the
    party's routes and audit) instead of being retried and dead-lettered; the pair goes on with the rest.
    The caller commits."""
    party = session.scalar(select(Party).where(Party.code == ontvanger))
    if party is None:
        return
    route = session.scalar(select(Route).where(Route.party_id == party.id, Route.bericht == bericht))
    if route is None:
        session.add(Route(party_id=party.id, bericht=bericht, endpoint=None))
    else:
        route.endpoint = None
    session.add(Audit(actor="hub", action="route-ophalen",
                      details=f"{ontvanger} {bericht}: {endpoint} antwoordde 421 (niet de eigenaar)"))


def remove_route(session: Session, *, party: Party, bericht: str) -> bool:
    route = session.scalar(select(Route).where(Route.party_id == party.id, Route.bericht == bericht))
    if route is None:
        return False
    session.delete(route)
    session.add(Audit(actor="admin", action="route-verwijderd", details=f"{party.code} {bericht}"))
    return True


def routes_of(session: Session, *, party: Party) -> list[Route]:
    return list(session.scalars(select(Route).where(Route.party_id == party.id).order_by(Route.bericht)))


def pushed(waiting: Select[Any]) -> ColumnElement[bool]:
    """SQL: among the ``waiting`` messages (a ``select(Bericht.id)`` narrowed to one receiver) is one that
    is pushed, not collected: its receiver (``Party``, correlated) has a route with an endpoint for its
    type, or an endpoint of its own and no route for its type that keeps it for collection. Each branch
    is an index lookup on (afzender, ontvanger, status, bericht), so messages kept for collection cost
    nothing however many wait."""
    # correlate explicitly: Party is two levels up, where auto-correlation does not reach
    push_types = select(Route.bericht).where(Route.party_id == Party.id, Route.endpoint.is_not(None)).correlate(Party)
    pull_types = select(Route.bericht).where(Route.party_id == Party.id, Route.endpoint.is_(None)).correlate(Party)
    return or_(waiting.where(Bericht.bericht.in_(push_types)).exists(),
               and_(Party.endpoint.is_not(None), waiting.where(Bericht.bericht.not_in(pull_types)).exists()))


@dataclass(frozen=True)
class Wachtend:
    """Messages of one type that wait for one receiver: how many, since when, how they will go."""

    ontvanger: str
    bericht: str
    aantal: int
    oudste: dt.datetime
    aflevering: str  # push naar <endpoint> | ophalen
    laatste_fout: str | None


def wachtend(session: Session, *, ontvanger: str | None = None) -> list[Wachtend]:
    """Undelivered messages per receiver and type (dead letters excluded: the admin lists them apart)."""
    q = (select(Bericht.ontvanger, Bericht.bericht, func.count(), func.min(Bericht.received_at))
         .where(Bericht.status == "ontvangen").group_by(Bericht.ontvanger, Bericht.bericht)
         .order_by(Bericht.ontvanger, Bericht.bericht))
    fouten = (select(Bericht.ontvanger, Bericht.bericht, Bericht.last_error)
              .where(Bericht.status == "ontvangen", Bericht.last_error.is_not(None)).order_by(Bericht.id))
    if ontvanger is not None:
        q, fouten = q.where(Bericht.ontvanger == ontvanger), fouten.where(Bericht.ontvanger == ontvanger)
    rows = session.execute(q).all()
    laatste = {(o, b): f for o, b, f in session.execute(fouten)}  # the newest message's error per type
    parties = {p.code: p for p in session.scalars(select(Party).where(Party.code.in_({r[0] for r in rows})))}
    routes = {(code, r.bericht): r.endpoint for code, r in session.execute(
        select(Party.code, Route).join(Route, Route.party_id == Party.id).where(Party.code.in_(parties)))}
    uit = []
    for code, bericht, aantal, oudste in rows:
        party = parties.get(code)
        endpoint = routes.get((code, bericht), party.endpoint if party else None)
        uit.append(Wachtend(code, bericht, aantal, oudste, f"push naar {endpoint}" if endpoint else "ophalen",
                            laatste.get((code, bericht))))
    return uit


def onbekende_ontvanger(session: Session, *, afzender: str, ontvanger: str, bericht: str, foutcode: str,
                        nu: dt.datetime) -> None:
    """Record one more refusal of a message to a receiver that is not connected (its own transaction: the
    refused message left nothing else behind)."""
    rij = session.scalar(select(OnbekendeOntvanger).where(
        OnbekendeOntvanger.afzender == afzender, OnbekendeOntvanger.ontvanger == ontvanger,
        OnbekendeOntvanger.bericht == bericht))
    if rij is None:
        session.add(OnbekendeOntvanger(afzender=afzender, ontvanger=ontvanger, bericht=bericht, foutcode=foutcode,
                                       eerste=nu, laatste=nu, pogingen=1))
    else:
        rij.laatste, rij.pogingen, rij.foutcode = nu, rij.pogingen + 1, foutcode
    try:
        session.commit()
    except IntegrityError:  # two refusals of the same kind at once: the other one recorded it
        session.rollback()


def onbekende_ontvangers(session: Session, *, partij: str | None = None) -> list[OnbekendeOntvanger]:
    """What waits at its sender because its receiver is not connected, oldest first (``partij``: only what
    that party sent or would receive)."""
    q = select(OnbekendeOntvanger).order_by(OnbekendeOntvanger.eerste, OnbekendeOntvanger.id)
    if partij is not None:
        q = q.where(or_(OnbekendeOntvanger.afzender == partij, OnbekendeOntvanger.ontvanger == partij))
    return list(session.scalars(q))

