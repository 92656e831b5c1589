"""Push delivery: POST each message to its receiver's endpoint, at least once, in order per pair.

* Only the oldest undelivered message of a (sender, receiver) pair is ever claimed, so a pair's
  messages arrive in the order they were accepted.
* Claiming locks rows with ``FOR UPDATE SKIP LOCKED`` (PostgreSQL) and sets a lease
  (``next_attempt_at``), so two gateway processes never push the same message while both are healthy.
* A failed attempt is retried after ``push_backoff_seconds * 2**(attempts-1)`` (capped); after
  ``push_max_attempts`` the message is dead-lettered (status ``dead``) and listed by the admin API.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass

import httpx
from sqlalchemy import func, or_, select, update
from sqlalchemy.orm import Session, aliased, sessionmaker

from gateway.models import Audit, Bericht, Party, utcnow
from gateway.settings import GatewaySettings

log = logging.getLogger("gateway.push")

Clock = Callable[[], dt.datetime]


@dataclass(frozen=True)
class Claim:
    id: int
    endpoint: str
    xml: bytes
    bericht: str
    afzender: str


def claim(session: Session, *, now: dt.datetime, lease_seconds: float, limit: int) -> list[Claim]:
    """Claim due messages for push (committed before any request is made).

    One ``UPDATE ... WHERE id IN (SELECT ... FOR UPDATE SKIP LOCKED) RETURNING id`` statement: on
    PostgreSQL concurrent claimers skip each other's rows; on SQLite the statement holds the write
    lock, and the repeated "due" condition excludes rows another claimer just leased.
    """
    older = aliased(Bericht)
    oldest_of_pair = (select(func.min(older.id))
                      .where(older.afzender == Bericht.afzender, older.ontvanger == Bericht.ontvanger,
                             older.status == "ontvangen")
                      .scalar_subquery())
    due = or_(Bericht.next_attempt_at.is_(None), Bericht.next_attempt_at <= now)
    candidates = (select(Bericht.id)
                  .join(Party, Party.code == Bericht.ontvanger)
                  .where(Party.endpoint.is_not(None), Bericht.status == "ontvangen", Bericht.id == oldest_of_pair,
                         due)
                  .order_by(Bericht.id).limit(limit))
    if session.get_bind().dialect.name == "postgresql":
        candidates = candidates.with_for_update(skip_locked=True, of=Bericht)
    lease = now + dt.timedelta(seconds=lease_seconds)
    stmt = (update(Bericht).where(Bericht.id.in_(candidates), Bericht.status == "ontvangen", due)
            .values(next_attempt_at=lease).returning(Bericht.id))
    ids = list(session.scalars(stmt, execution_options={"synchronize_session": False}))
    session.commit()
    if not ids:
        return []
    rows = session.execute(select(Bericht.id, Party.endpoint, Bericht.xml, Bericht.bericht, Bericht.afzender)
                           .join(Party, Party.code == Bericht.ontvanger)
                           .where(Bericht.id.in_(ids)).order_by(Bericht.id)).all()
    return [Claim(*row) for row in rows]


def backoff(settings: GatewaySettings, attempts: int) -> float:
    return min(settings.push_backoff_seconds * 2 ** max(attempts - 1, 0), settings.push_backoff_max_seconds)


def record(session: Session, *, claim: Claim, error: str | None, now: dt.datetime,
           settings: GatewaySettings) -> str:
    """Store the outcome of one attempt; returns the new status."""
    bericht = session.get(Bericht, claim.id)
    assert bericht is not None
    bericht.attempts += 1
    if error is None:
        bericht.status = "afgeleverd"
        bericht.acked_at = now
        bericht.next_attempt_at = None
        session.add(Audit(actor="hub", action="gepusht", bericht_id=bericht.id, details=f"poging {bericht.attempts}"))
    elif bericht.attempts >= settings.push_max_attempts:
        bericht.status = "dead"
        bericht.dead_at = now
        bericht.last_error = error[:1000]
        session.add(Audit(actor="hub", action="dead-letter", bericht_id=bericht.id, details=error[:500]))
    else:
        bericht.next_attempt_at = now + dt.timedelta(seconds=backoff(settings, bericht.attempts))
        bericht.last_error = error[:1000]
        session.add(Audit(actor="hub", action="push-mislukt", bericht_id=bericht.id, details=error[:500]))
    session.commit()
    return bericht.status


def push_one(client: httpx.Client, claim: Claim, timeout: float) -> str | None:
    """POST the message; None on a 2xx answer, else what went wrong."""
    try:
        response = client.post(claim.endpoint, content=claim.xml, timeout=timeout, headers={
            "Content-Type": "application/xml", "X-Iwmo-Bericht-Id": str(claim.id),
            "X-Iwmo-Bericht": claim.bericht, "X-Iwmo-Afzender": claim.afzender})
    except httpx.HTTPError as exc:
        return f"{type(exc).__name__}: {exc}"
    if 200 <= response.status_code < 300:
        return None
    return f"HTTP {response.status_code}"


def deliver_round(factory: sessionmaker[Session], client: httpx.Client, settings: GatewaySettings,
                  clock: Clock = utcnow) -> int:
    """One round: claim due messages and push them. Returns how many were attempted."""
    with factory() as session:
        claims = claim(session, now=clock(), lease_seconds=settings.push_lease_seconds, limit=settings.push_batch)
    for c in claims:
        error = push_one(client, c, settings.push_timeout_seconds)
        with factory() as session:
            status = record(session, claim=c, error=error, now=clock(), settings=settings)
        log.info("push", extra={"bericht_id": c.id, "bericht": c.bericht, "status": status})
    return len(claims)


class PushWorker:
    """Runs :func:`deliver_round` in a background thread until stopped."""

    def __init__(self, factory: sessionmaker[Session], settings: GatewaySettings,
                 client: httpx.Client | None = None) -> None:
        self.factory = factory
        self.settings = settings
        self.client = client or httpx.Client()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="push-worker", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=10)

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                busy = deliver_round(self.factory, self.client, self.settings)
            except Exception:  # a broken round must not stop delivery; it is retried
                log.exception("push round failed")
                busy = 0
            if not busy:
                self._stop.wait(self.settings.push_poll_seconds)


def dead_letters(session: Session, *, limit: int = 100) -> list[Bericht]:
    return list(session.scalars(select(Bericht).where(Bericht.status == "dead").order_by(Bericht.id).limit(limit)))
