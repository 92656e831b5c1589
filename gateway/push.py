"""Push delivery: POST each message to its receiver's endpoint, at least once, in order per pair.

* The unit of work is a (sender, receiver) pair (:class:`~gateway.models.PushPair`). A worker claims
  a pair by setting its lease (``UPDATE ... WHERE id IN (SELECT ... FOR UPDATE SKIP LOCKED)``), then
  pushes up to ``push_batch`` of the pair's messages oldest first over one kept-alive connection, and
  records the outcomes in one transaction. Only the lease holder pushes a pair, so a pair's messages
  arrive in the order they were accepted, and two gateway processes never push the same message while
  both are healthy. A holder stops before an attempt that could outlast its lease.
* A failed attempt stops the pair's batch; the pair waits ``push_backoff_seconds * 2**(attempts-1)``
  (capped) before the message is tried again. After ``push_max_attempts`` the message is dead-lettered
  (status ``dead``), listed by the admin API, and the pair goes on with its next message.
* A worker pushes up to ``push_concurrency`` pairs at once, so one slow receiver does not hold up the
  others.
"""

from __future__ import annotations

import datetime as dt
import functools
import logging
import threading
import weakref
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass

import httpx
from sqlalchemy import BindParameter, ColumnElement, Update, bindparam, insert, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session, sessionmaker

from gateway.models import Audit, Bericht, Party, PushPair, Route
from gateway.routing import keep_for_collection, pushed
from gateway.settings import GatewaySettings
from infra.db import utcnow
from iwmo.hub import HANDTEKENING, handtekeningen

log = logging.getLogger("gateway.push")

Clock = Callable[[], dt.datetime]


# --- pairs ---------------------------------------------------------------------------------

# Pairs are never removed, so one that exists stays: remember them per database.
_pairs: weakref.WeakKeyDictionary[object, set[tuple[str, str]]] = weakref.WeakKeyDictionary()


def pair_known(session: Session, *, afzender: str, ontvanger: str) -> bool:
    return (afzender, ontvanger) in _pairs.get(session.get_bind(), ())


def add_pair(session: Session, *, afzender: str, ontvanger: str) -> None:
    """Create the pair's row unless it exists (in the caller's transaction)."""
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    session.execute(dialect.insert(PushPair).values(afzender=afzender, ontvanger=ontvanger)
                    .on_conflict_do_nothing(index_elements=["afzender", "ontvanger"]))


def remember_pair(session: Session, *, afzender: str, ontvanger: str) -> None:
    """After the commit that created it: the pair need not be created again."""
    _pairs.setdefault(session.get_bind(), set()).add((afzender, ontvanger))


# --- claiming ------------------------------------------------------------------------------

@dataclass(frozen=True)
class Claim:
    """A pair held by this worker until ``lease_until``."""

    pair_id: int
    afzender: str
    ontvanger: str
    endpoint: str | None  # the receiver's own endpoint (for the types without a route)
    lease_until: dt.datetime
    push_geheimen: tuple[str, ...] = ()  # the receiver's current push secret, then the previous one


@dataclass(frozen=True)
class Item:
    id: int
    xml: bytes
    bericht: str
    afzender: str
    attempts: int
    endpoint: str  # where this message goes (its type's route, or the receiver's endpoint)


def _free(now: dt.datetime | BindParameter[dt.datetime]) -> ColumnElement[bool]:
    return or_(PushPair.lease_until.is_(None), PushPair.lease_until <= now)


@functools.cache
def _claim_statement(postgresql: bool) -> Update:
    """The claiming UPDATE, built once (a worker claims many times a second): now, the lease's end and
    the limit are bound at execution."""
    now = bindparam("now", type_=PushPair.lease_until.type)
    waiting = select(Bericht.id).where(Bericht.afzender == PushPair.afzender, Bericht.ontvanger == PushPair.ontvanger,
                                       Bericht.status == "ontvangen")
    candidates = (select(PushPair.id).join(Party, Party.code == PushPair.ontvanger)
                  .where(_free(now), pushed(waiting))
                  .order_by(PushPair.lease_until.asc().nulls_first(), PushPair.id).limit(bindparam("limit")))
    if postgresql:
        candidates = candidates.with_for_update(skip_locked=True, of=PushPair)
    return (update(PushPair).where(PushPair.id.in_(candidates), _free(now))
            .values(lease_until=bindparam("lease", type_=PushPair.lease_until.type))
            .returning(PushPair.id, PushPair.afzender, PushPair.ontvanger))


def claim(session: Session, *, now: dt.datetime, lease_seconds: float, limit: int) -> list[Claim]:
    """Claim up to ``limit`` pairs that have undelivered messages for a receiver with an endpoint.

    Committed before any request is made. The pairs that waited longest come first. On PostgreSQL
    concurrent claimers skip each other's rows; on SQLite the statement holds the write lock and the
    repeated "free" condition excludes pairs another claimer just leased.
    """
    if limit <= 0:
        return []
    lease = now + dt.timedelta(seconds=lease_seconds)
    stmt = _claim_statement(session.get_bind().dialect.name == "postgresql")
    rows = session.execute(stmt, {"now": now, "lease": lease, "limit": limit},
                           execution_options={"synchronize_session": False}).all()
    session.commit()
    if not rows:
        return []
    endpoints = {code: (endpoint, tuple(g for g in (geheim, vorig) if g)) for code, endpoint, geheim, vorig in
                 session.execute(select(Party.code, Party.endpoint, Party.push_geheim, Party.push_geheim_vorig)
                                 .where(Party.code.in_({r.ontvanger for r in rows})))}
    return sorted((Claim(r.id, r.afzender, r.ontvanger, endpoints[r.ontvanger][0], lease,
                         endpoints[r.ontvanger][1]) for r in rows), key=lambda c: c.pair_id)


def pending(session: Session, *, claim: Claim, limit: int) -> list[Item]:
    """The pair's undelivered messages that are pushed (see gateway.routing), oldest first, each with its
    endpoint; messages kept for collection are passed over (they never hold the pair up)."""
    routes = dict(session.execute(select(Route.bericht, Route.endpoint).join(Party, Party.id == Route.party_id)
                                  .where(Party.code == claim.ontvanger)).all())
    q = (select(Bericht.id, Bericht.xml, Bericht.bericht, Bericht.afzender, Bericht.attempts)
         .where(Bericht.afzender == claim.afzender, Bericht.ontvanger == claim.ontvanger, Bericht.status == "ontvangen"))
    if claim.endpoint:  # everything but the types routed elsewhere or kept for collection
        q = q.where(Bericht.bericht.not_in([b for b, e in routes.items() if e is None]))
    else:
        q = q.where(Bericht.bericht.in_([b for b, e in routes.items() if e is not None]))
    rows = session.execute(q.order_by(Bericht.id).limit(limit))
    return [Item(*row, endpoint=routes.get(row[2]) or claim.endpoint or "") for row in rows]


# --- outcomes ------------------------------------------------------------------------------

def backoff(settings: GatewaySettings, attempts: int) -> float:
    factor: int = 2 ** max(attempts - 1, 0)
    return min(settings.push_backoff_seconds * factor, settings.push_backoff_max_seconds)


def record(session: Session, *, claim: Claim, delivered: list[Item], failed: Item | None, error: str | None,
           now: dt.datetime, settings: GatewaySettings) -> str | None:
    """Store the outcome of a batch in one transaction and hand the pair back.

    Returns the failed message's new status (``ontvangen`` to be retried, ``dead``), or None.
    """
    if delivered:
        ids = [item.id for item in delivered]
        session.execute(update(Bericht).where(Bericht.id.in_(ids), Bericht.status == "ontvangen")
                        .values(status="afgeleverd", acked_at=now, next_attempt_at=None,
                                attempts=Bericht.attempts + 1),
                        execution_options={"synchronize_session": False})
        session.execute(insert(Audit), [{"actor": "hub", "action": "gepusht", "bericht_id": item.id, "at": now,
                                         "details": f"poging {item.attempts + 1}"} for item in delivered])
    release_at: dt.datetime | None = now
    status = None
    if failed is not None:
        attempts = failed.attempts + 1
        values: dict[str, object] = {"attempts": attempts, "last_error": (error or "")[:1000]}
        if attempts >= settings.push_max_attempts:
            status, action = "dead", "dead-letter"
            values.update(status="dead", dead_at=now, next_attempt_at=None)
        else:
            status, action = "ontvangen", "push-mislukt"
            release_at = now + dt.timedelta(seconds=backoff(settings, attempts))
            values.update(next_attempt_at=release_at)
        session.execute(update(Bericht).where(Bericht.id == failed.id, Bericht.status == "ontvangen").values(**values),
                        execution_options={"synchronize_session": False})
        session.add(Audit(actor="hub", action=action, bericht_id=failed.id, at=now, details=(error or "")[:500]))
    # hand the pair back only if it is still ours (a lease that ran out may have passed to another worker)
    session.execute(update(PushPair).where(PushPair.id == claim.pair_id, PushPair.lease_until == claim.lease_until)
                    .values(lease_until=release_at), execution_options={"synchronize_session": False})
    session.commit()
    return status


# --- pushing -------------------------------------------------------------------------------

def push_one(client: httpx.Client, endpoint: str, item: Item, timeout: float,
             geheimen: tuple[str, ...] = ()) -> str | None:
    """POST the message, signed with the receiver's push secrets; None on a 2xx answer, else what went wrong."""
    headers = {"Content-Type": "application/xml", "X-Iwmo-Bericht-Id": str(item.id),
               "X-Iwmo-Bericht": item.bericht, "X-Iwmo-Afzender": item.afzender}
    if geheimen:
        headers[HANDTEKENING] = handtekeningen(list(geheimen), item.id, item.xml)
    try:
        response = client.post(endpoint, content=item.xml, timeout=timeout, headers=headers)
    except httpx.HTTPError as exc:
        return f"{type(exc).__name__}: {exc}"
    if 200 <= response.status_code < 300:
        return None
    return f"HTTP {response.status_code}"


#: the answer of a receiver that does not own a message's type (infra.hub_api): not a failure to retry
NIET_VAN_MIJ = "HTTP 421"


def deliver_pair(factory: sessionmaker[Session], client: httpx.Client, settings: GatewaySettings, claim: Claim,
                 clock: Clock = utcnow) -> int:
    """Push a claimed pair's messages oldest first until one fails; returns how many were attempted."""
    with factory() as session:
        items = pending(session, claim=claim, limit=settings.push_batch)
    delivered: list[Item] = []
    failed: Item | None = None
    error: str | None = None
    margin = dt.timedelta(seconds=settings.push_timeout_seconds)
    for item in items:
        if clock() + margin > claim.lease_until:  # this attempt could outlast the lease
            break
        error = push_one(client, item.endpoint, item, settings.push_timeout_seconds, claim.push_geheimen)
        if error is not None:
            failed = item
            break
        delivered.append(item)
    if failed is not None and error == NIET_VAN_MIJ:  # that endpoint does not own this type: keep it for its owner
        with factory() as session:
            keep_for_collection(session, ontvanger=claim.ontvanger, bericht=failed.bericht, endpoint=failed.endpoint)
            session.commit()
        failed, error = None, None
    with factory() as session:
        status = record(session, claim=claim, delivered=delivered, failed=failed, error=error, now=clock(),
                        settings=settings)
    log.info("push", extra={"afzender": claim.afzender, "ontvanger": claim.ontvanger, "status": status or "afgeleverd",
                            "aantal": len(delivered) + (failed is not None)})
    return len(delivered) + (failed is not None)


def deliver_round(factory: sessionmaker[Session], client: httpx.Client, settings: GatewaySettings,
                  clock: Clock = utcnow) -> int:
    """Claim due pairs and push them one after another. Returns how many messages were attempted."""
    with factory() as session:
        claims = claim(session, now=clock(), lease_seconds=settings.push_lease_seconds,
                       limit=settings.push_concurrency)
    return sum(deliver_pair(factory, client, settings, c, clock) for c in claims)


class PushWorker:
    """Claims pairs and pushes them in a pool of ``push_concurrency`` threads until stopped."""

    def __init__(self, factory: sessionmaker[Session], settings: GatewaySettings,
                 client: httpx.Client | None = None) -> None:
        self.factory = factory
        self.settings = settings
        self.client = client or httpx.Client(limits=httpx.Limits(max_keepalive_connections=settings.push_concurrency))
        self._stop = threading.Event()
        self._wake = threading.Event()  # set by intake in this process: something may be pushable now
        self._pool = ThreadPoolExecutor(settings.push_concurrency, thread_name_prefix="push")
        self._thread = threading.Thread(target=self._run, name="push-worker", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def wake(self) -> None:
        """A message was accepted in this process: claim at once instead of at the next poll."""
        self._wake.set()

    def stop(self) -> None:
        self._stop.set()
        self._wake.set()
        self._thread.join(timeout=10)
        self._pool.shutdown(wait=True, cancel_futures=True)

    def _run(self) -> None:
        busy: set[Future[int]] = set()
        while not self._stop.is_set():
            if self.settings.push_linger_seconds > 0:  # let what trickles in gather: one round pushes several
                self._stop.wait(self.settings.push_linger_seconds)
            busy = {f for f in busy if not f.done()}
            claims: list[Claim] = []
            try:
                with self.factory() as session:
                    claims = claim(session, now=utcnow(), lease_seconds=self.settings.push_lease_seconds,
                                   limit=self.settings.push_concurrency - len(busy))
            except Exception:  # a failed claim must not stop delivery; it is tried again
                log.exception("push claim failed")
            for c in claims:
                busy.add(self._pool.submit(self._deliver, c))
            # no second claim at once: one that found fewer pairs than it could take found them all; when a
            # pair is done (it may have more) or the poll interval passes, claim again
            if busy:  # wake when a pair is done (it may have more) or after the poll interval
                wait(busy, timeout=self.settings.push_poll_seconds, return_when=FIRST_COMPLETED)
            else:
                self._wake.wait(self.settings.push_poll_seconds)
                self._wake.clear()

    def _deliver(self, c: Claim) -> int:
        try:
            return deliver_pair(self.factory, self.client, self.settings, c)
        except Exception:  # the lease runs out and the pair is claimed again
            log.exception("push of a pair failed")
            return 0


def dead_letters(session: Session, *, limit: int = 100, newest_first: bool = False) -> list[Bericht]:
    """Messages that could not be delivered after the last attempt."""
    order = Bericht.id.desc() if newest_first else Bericht.id
    return list(session.scalars(select(Bericht).where(Bericht.status == "dead").order_by(order).limit(limit)))
