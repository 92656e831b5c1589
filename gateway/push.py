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
import time
import weakref
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass

import httpx
from sqlalchemy import BindParameter, ColumnElement, Table, Update, bindparam, insert, or_, select, update
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


def routes_of(session: Session, *, ontvanger: str) -> dict[str, str | None]:
    """The receiver's routes: message type -> endpoint (None: kept for collection)."""
    return {bericht: endpoint for bericht, endpoint in session.execute(_ROUTES, {"ontvanger": ontvanger})}


def pending(session: Session, *, claim: Claim, limit: int, routes: dict[str, str | None] | None = None) -> list[Item]:
    """The pair's undelivered messages that are pushed (see gateway.routing), oldest first, each with its
    endpoint; messages kept for collection are passed over (they never hold the pair up). ``routes``: the
    receiver's (:func:`routes_of`), when the caller has them already."""
    routes = routes_of(session, ontvanger=claim.ontvanger) if routes is None else routes
    if claim.endpoint:  # everything but the types routed elsewhere or kept for collection
        stmt, types = _PENDING_BUT, [b for b, e in routes.items() if e is None]
    else:
        stmt, types = _PENDING_ONLY, [b for b, e in routes.items() if e is not None]
    rows = session.execute(stmt, {"afzender": claim.afzender, "ontvanger": claim.ontvanger, "types": types,
                                  "limit": limit})
    return [Item(*row, endpoint=routes.get(row[2]) or claim.endpoint or "") for row in rows]


# built once (every round runs them): Core statements on the tables, parameters bound at execution
_BERICHTEN, _audits, _pairs_t = Bericht.__table__, Audit.__table__, PushPair.__table__
assert isinstance(_BERICHTEN, Table) and isinstance(_audits, Table) and isinstance(_pairs_t, Table)
_berichten = _BERICHTEN.c
_ROUTES = (select(Route.bericht, Route.endpoint).join(Party, Party.id == Route.party_id)
           .where(Party.code == bindparam("ontvanger")))
_PENDING = (select(_berichten.id, _berichten.xml, _berichten.bericht, _berichten.afzender, _berichten.attempts)
            .where(_berichten.afzender == bindparam("afzender"), _berichten.ontvanger == bindparam("ontvanger"),
                   _berichten.status == "ontvangen").order_by(_berichten.id).limit(bindparam("limit")))
_PENDING_BUT = _PENDING.where(_berichten.bericht.not_in(bindparam("types", expanding=True)))
_PENDING_ONLY = _PENDING.where(_berichten.bericht.in_(bindparam("types", expanding=True)))
_DELIVERED = (update(_BERICHTEN).where(_berichten.id.in_(bindparam("ids", expanding=True)),
                                              _berichten.status == "ontvangen")
              .values(status="afgeleverd", acked_at=bindparam("at_", type_=_berichten.acked_at.type),
                      next_attempt_at=None, attempts=_berichten.attempts + 1))
_AUDIT = insert(_audits)
_RELEASE = (update(_pairs_t).where(_pairs_t.c.id == bindparam("pair_id"),
                                   _pairs_t.c.lease_until == bindparam("held", type_=_pairs_t.c.lease_until.type))
            .values(lease_until=bindparam("release_at", type_=_pairs_t.c.lease_until.type)))


# --- outcomes ------------------------------------------------------------------------------

def backoff(settings: GatewaySettings, attempts: int) -> float:
    factor: int = 2 ** max(attempts - 1, 0)
    return min(settings.push_backoff_seconds * factor, settings.push_backoff_max_seconds)


def record(session: Session, *, claim: Claim, delivered: list[Item], failed: Item | None, error: str | None,
           now: dt.datetime, settings: GatewaySettings, release: bool = True) -> str | None:
    """Store the outcome of a batch in one transaction and hand the pair back (unless not ``release``:
    the holder goes on with the pair's next round).

    Returns the failed message's new status (``ontvangen`` to be retried, ``dead``), or None.
    """
    if delivered:
        session.execute(_DELIVERED, {"ids": [item.id for item in delivered], "at_": now})
        session.execute(_AUDIT, [{"actor": "hub", "action": "gepusht", "bericht_id": item.id, "at": now,
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
    if release or failed is not None:
        session.execute(_RELEASE, {"pair_id": claim.pair_id, "held": claim.lease_until, "release_at": release_at})
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
    # a Request of our own, sent as is: the client's merging of URLs, headers and cookies costs a quarter of
    # a push's CPU and adds nothing here (one absolute endpoint, our own headers)
    request = httpx.Request("POST", endpoint, content=item.xml, headers=headers,
                            extensions={"timeout": _timeouts(timeout)})
    try:
        response = client.send(request)
    except httpx.HTTPError as exc:
        return f"{type(exc).__name__}: {exc}"
    if 200 <= response.status_code < 300:
        return None
    return f"HTTP {response.status_code}"


@functools.cache
def _timeouts(seconden: float) -> dict[str, float | None]:
    return httpx.Timeout(seconden).as_dict()


#: the answer of a receiver that does not own a message's type (infra.hub_api): not a failure to retry
NIET_VAN_MIJ = "HTTP 421"


def deliver_pair(factory: sessionmaker[Session], client: httpx.Client, settings: GatewaySettings, claim: Claim,
                 clock: Clock = utcnow, stop: threading.Event | None = None) -> int:
    """Push a claimed pair's messages oldest first until one fails; returns how many were attempted.

    While messages keep coming the pair is kept (one claim for a stream of them): after a round that pushed
    all it found, the holder lingers ``push_linger_seconds`` and looks again, until a look finds nothing,
    an attempt could outlast the lease, or ``stop`` is set; then it hands the pair back."""
    attempted = 0
    with factory() as session:
        routes = routes_of(session, ontvanger=claim.ontvanger)  # once per claim
    while True:
        may_keep = settings.push_linger_seconds > 0 and not (stop is not None and stop.is_set())
        n, kept = _deliver_round(factory, client, settings, claim, clock, routes, may_keep=may_keep)
        attempted += n
        if not kept:
            return attempted
        if n < settings.push_batch:  # it found all there was: let what trickles in gather
            if stop is not None:
                stop.wait(settings.push_linger_seconds)
            else:
                time.sleep(settings.push_linger_seconds)


def _deliver_round(factory: sessionmaker[Session], client: httpx.Client, settings: GatewaySettings, claim: Claim,
                   clock: Clock, routes: dict[str, str | None], *, may_keep: bool) -> tuple[int, bool]:
    """One round of :func:`deliver_pair`: how many were attempted, and whether the pair is kept (``may_keep``,
    and everything found was pushed: there may be more); otherwise it was handed back."""
    with factory() as session:
        items = pending(session, claim=claim, limit=settings.push_batch, routes=routes)
    delivered: list[Item] = []
    failed: Item | None = None
    error: str | None = None
    margin = dt.timedelta(seconds=settings.push_timeout_seconds)
    cut = False
    for item in items:
        if clock() + margin > claim.lease_until:  # this attempt could outlast the lease
            cut = True
            break
        error = push_one(client, item.endpoint, item, settings.push_timeout_seconds, claim.push_geheimen)
        if error is not None:
            failed = item
            break
        delivered.append(item)
    rerouted = False
    if failed is not None and error == NIET_VAN_MIJ:  # that endpoint does not own this type: keep it for its owner
        with factory() as session:
            keep_for_collection(session, ontvanger=claim.ontvanger, bericht=failed.bericht, endpoint=failed.endpoint)
            session.commit()
        failed, error, rerouted = None, None, True  # the pair is handed back: the next claim reads the new route
    keep = may_keep and bool(delivered) and failed is None and not cut and not rerouted
    with factory() as session:
        status = record(session, claim=claim, delivered=delivered, failed=failed, error=error, now=clock(),
                        settings=settings, release=not keep)
    if delivered or failed is not None:
        log.info("push", extra={"afzender": claim.afzender, "ontvanger": claim.ontvanger,
                                "status": status or "afgeleverd", "aantal": len(delivered) + (failed is not None)})
    return len(delivered) + (failed is not None), keep


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
            return deliver_pair(self.factory, self.client, self.settings, c, stop=self._stop)
        except Exception:  # the lease runs out and the pair is claimed again
            log.exception("push of a pair failed")
            return 0


def dead_letters(session: Session, *, limit: int = 100, newest_first: bool = False) -> list[Bericht]:
    """Messages that could not be delivered after the last attempt."""
    order = Bericht.id.desc() if newest_first else Bericht.id
    return list(session.scalars(select(Bericht).where(Bericht.status == "dead").order_by(order).limit(limit)))
