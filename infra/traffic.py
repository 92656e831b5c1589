"""A service's traffic with the hub, for every party it speaks for: send the outbox, collect the mailbox
in batches, take a push.

Collecting asks the hub only for the message types the service owns (its pipeline's handlers), up to
``batch`` at a time with their content, processes the batch in one transaction (one commit per batch,
not per message) and then acknowledges the whole batch in one request: a crash before the commit or
the acknowledgement means redelivery (which intake deduplicates), never loss. Each message is stored
and processed entirely or not at all: when one fails, the batch is rolled back and taken again with a
SAVEPOINT per message, so the one that cannot be processed stays in the hub (logged, without content)
and does not block the ones after it. Such a message is tried again after 2, 4, 8 ... seconds (at most
five minutes), not at every collection, and logged once per reason, not once per attempt. Messages of
types the service does not own are never fetched: they wait in the hub for their owner.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import partial
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from infra.inbound import NotAMessage, NotOwned, Pipeline, Received, existing, read, receive, receive_many
from infra.outbox import Terugval
from iwmo.exceptions import HubError, HubUnreachable
from iwmo.hub import HANDTEKENING, HubClient, handtekening_klopt

log = logging.getLogger("infra.traffic")

#: the answer to a push when a service has no push secret (it collects instead)
GEEN_PUSH = "deze dienst neemt geen push aan: er is geen push-geheim ingesteld (de berichten worden opgehaald)"

#: messages fetched per request when collecting
BATCH = 100


@dataclass(frozen=True)
class HubParty:
    """A party the service speaks for at the hub: its client (None without a token) and push secret."""

    code: str
    client: HubClient | None
    push_geheim: str = ""


class PushRefused(Exception):
    """A push that is not signed by the hub for one of our parties (answered 401, or 403 when this
    service takes no pushes at all)."""

    def __init__(self, status: int, melding: str) -> None:
        super().__init__(melding)
        self.status = status


#: takes a batch of collected messages (their metadata with ``xml``) and commits; returns the hub ids of
#: those it took (the others stay in the hub) and how many of them were new
TakeBatch = Callable[[list[dict[str, Any]]], tuple[list[int], int]]


def collect(client: HubClient, *, owned: frozenset[str], take: TakeBatch, batch: int = BATCH,
            after_batch: Callable[[], None] | None = None) -> int:
    """Fetch the waiting messages of the ``owned`` types in batches with their content; ``take(berichten)``
    stores and processes a batch and commits; the messages it took are acknowledged at once after that,
    and then ``after_batch()`` runs. Returns how many were new."""
    nieuw, na = 0, 0
    while True:
        berichten = client.mailbox(limit=batch, berichten=sorted(owned), na=na, inhoud=True)
        if berichten:
            na = max(na, *(int(meta["id"]) for meta in berichten))
        genomen, nieuw_hier = take(berichten) if berichten else ([], 0)
        nieuw += nieuw_hier
        if genomen:
            client.acknowledge_many(genomen)  # only after the commits: a crash before it means redelivery
            if after_batch is not None:
                after_batch()
        if len(berichten) < batch:
            return nieuw


class HubTraffic:
    """The hub traffic of one app: one sender and one collector at a time per process (the poller and
    requests share them)."""

    def __init__(self, *, parties: Mapping[str, HubParty], pipeline: Pipeline,
                 session_factory: sessionmaker[Session], clock: Callable[[], dt.datetime],
                 context: Callable[[str], Any], send: Callable[[Session, HubTraffic], int],
                 batch: int = BATCH) -> None:
        self.parties = dict(parties)
        self.pipeline = pipeline
        self.session_factory = session_factory
        self.clock = clock
        self.context = context
        self._send = send
        self.batch = batch
        self._send_lock, self._collect_lock = threading.Lock(), threading.Lock()
        self._sender: threading.Thread | None = None  # sends what a collected batch queued, beside the next
        self._sent_beside = 0
        #: senders and receivers the hub refused, and when to offer them again (infra.outbox.send_queued)
        self.terugval = Terugval()
        #: collected messages that could not be processed, per (party, hub id): when to try them again, and
        #: the reason last logged
        self.onverwerkt = Terugval()
        self._reden: dict[tuple[str, int], str] = {}

    @property
    def owned(self) -> frozenset[str]:
        return self.pipeline.owned

    def client(self, party: str) -> HubClient | None:
        p = self.parties.get(party)
        return p.client if p is not None else None

    def receive(self, xml: bytes, *, party: str, hub_id: int | None = None) -> Received:
        """Store, judge and answer one message for ``party``; committed before this returns. The same
        message taken at the same moment by push and by collection is processed once: the second to
        commit meets the unique key and answers as a redelivery."""
        with self.session_factory() as session:
            try:
                ontvangen = receive(session, self.pipeline, xml=xml, ontvanger=party, nu=self.clock(),
                                    context=self.context(party), hub_id=hub_id)
                session.commit()
            except IntegrityError as exc:
                session.rollback()
                return self._redelivery(session, xml, party=party, refused=exc)
        if hub_id is not None and self._reden:  # pushed after collecting it had failed
            self._verwerkt(party, hub_id)
        return ontvangen

    def _redelivery(self, session: Session, xml: bytes, *, party: str, refused: IntegrityError) -> Received:
        """After the unique key refused a message: the row of the same message that another path committed
        a moment ago (re-raising when there is none)."""
        model, _fouten = read(xml, today=self.clock().date(), pipeline=self.pipeline, party=party)
        eerder = existing(session, self.pipeline.tabel, model)
        if eerder is None:
            raise refused
        return Received(eerder, nieuw=False)

    def receive_batch(self, berichten: list[dict[str, Any]], *, party: str) -> tuple[list[int], int]:
        """Store, judge and answer collected messages (metadata with ``xml``) for ``party`` in one
        transaction; committed before this returns. Returns the hub ids taken and how many were new.

        The usual batch, in which nothing fails, goes in one go. When any message fails, that
        transaction is rolled back whole and the batch is taken again with a SAVEPOINT per message: the
        failing one is rolled back entirely (logged without content; it stays in the hub) and the
        others go on. Either way each message is stored and processed entirely or not at all."""
        if self._reden:  # some message failed before: it waits for its next attempt
            nu = self.clock()
            berichten = [meta for meta in berichten if self.onverwerkt.wacht_tot((party, int(meta["id"])), nu) is None]
            if not berichten:
                return [], 0
        try:
            return self._take(berichten, party=party, careful=False)
        except Exception:  # noqa: BLE001 - rolled back; taken again message by message
            return self._take(berichten, party=party, careful=True)

    def _take(self, berichten: list[dict[str, Any]], *, party: str, careful: bool) -> tuple[list[int], int]:
        genomen: list[int] = []
        nieuw = 0
        with self.session_factory() as session:
            if not careful:  # any failure fails the batch (rolled back as the session closes)
                ontvangen = receive_many(session, self.pipeline, [(meta["xml"], int(meta["id"])) for meta in berichten],
                                         ontvanger=party, nu=self.clock(), context=self.context(party))
                session.commit()
                genomen = [int(meta["id"]) for meta in berichten]
                for hub_id in genomen if self._reden else ():
                    self._verwerkt(party, hub_id)
                return genomen, sum(o.nieuw for o in ontvangen)
            for meta in berichten:
                hub_id = int(meta["id"])
                try:
                    try:
                        with session.begin_nested():
                            ontvangen_een = self._receive_in(session, meta["xml"], party=party, hub_id=hub_id)
                    except IntegrityError as exc:  # taken by push a moment ago: a redelivery
                        ontvangen_een = self._redelivery(session, meta["xml"], party=party, refused=exc)
                except Exception as exc:  # noqa: BLE001 - one bad message must not block the ones after it
                    self._niet_verwerkt(party, hub_id, meta.get("bericht"), exc)
                    continue
                genomen.append(hub_id)
                nieuw += ontvangen_een.nieuw
            session.commit()
        for hub_id in genomen if self._reden else ():
            self._verwerkt(party, hub_id)
        return genomen, nieuw

    def _niet_verwerkt(self, party: str, hub_id: int, bericht: str | None, exc: Exception) -> None:
        """A collected message failed: it stays in the hub and is tried again after a growing pause;
        logged (without content) when it first fails and whenever the reason changes."""
        sleutel, reden = (party, hub_id), type(exc).__name__
        volgende = self.onverwerkt.mislukt(sleutel, self.clock())
        if self._reden.get(sleutel) != reden:
            self._reden[sleutel] = reden
            log.error("bericht niet verwerkt; het blijft in de hub staan en wordt later opnieuw geprobeerd",
                      extra={"hub_id": hub_id, "bericht": bericht, "ontvanger": party, "fout": reden,
                             "opnieuw_om": volgende.isoformat(timespec="seconds")})

    def _verwerkt(self, party: str, hub_id: int) -> None:
        sleutel = (party, hub_id)
        if self._reden.pop(sleutel, None) is not None:
            self.onverwerkt.gelukt(sleutel)
            log.info("bericht alsnog verwerkt", extra={"hub_id": hub_id, "ontvanger": party})

    def _receive_in(self, session: Session, xml: bytes, *, party: str, hub_id: int) -> Received:
        return receive(session, self.pipeline, xml=xml, ontvanger=party, nu=self.clock(),
                       context=self.context(party), hub_id=hub_id)

    def send_now(self, *, wait: bool = False) -> int:
        """Send what is queued. Never fails the caller (its change is committed already): when another
        thread is sending (and not ``wait``), or the hub is unreachable, the messages wait for the next
        round."""
        if not self._send_lock.acquire(blocking=wait):
            return 0
        try:
            with self.session_factory() as session:
                return self._send(session, self)
        except Exception as exc:  # noqa: BLE001 - logged; the outbox keeps the message
            log.warning("verzenden mislukt; berichten blijven in de wachtrij", extra={"fout": type(exc).__name__})
            return 0
        finally:
            self._send_lock.release()

    def collect(self) -> int:
        """Collect for every party; one whose token fails (or a hub hiccup) does not stop the others.
        While the next batch is processed, what the last one queued (its retours) is sent beside it."""
        nieuw = 0
        with self._collect_lock:
            for code, party in self.parties.items():
                if party.client is None:
                    continue
                try:
                    nieuw += collect(party.client, owned=self.owned, batch=self.batch, after_batch=self._send_beside,
                                     take=partial(self.receive_batch, party=code))
                except (HubError, HubUnreachable) as exc:
                    log.warning("ophalen mislukt", extra={"ontvanger": code, "fout": type(exc).__name__})
        return nieuw

    def _send_beside(self) -> None:
        """Start sending in a thread of its own, unless a sender runs already."""
        if self._sender is None or not self._sender.is_alive():
            self._sender = threading.Thread(target=self._send_counted, name="outbox", daemon=True)
            self._sender.start()

    def _send_counted(self) -> None:
        self._sent_beside += self.send_now()

    def synchronise(self) -> dict[str, int]:
        """Collect, then send what is left (after the sender beside the collection finished); a failed
        collection does not keep the outbox waiting."""
        ontvangen = self.collect()
        if self._sender is not None:
            self._sender.join()
        verzonden, self._sent_beside = self.send_now(wait=True) + self._sent_beside, 0
        return {"ontvangen": ontvangen, "verzonden": verzonden}

    # --- push -----------------------------------------------------------------------------

    def takes_pushes(self) -> bool:
        return any(p.push_geheim for p in self.parties.values())



def pushed_by(parties: Mapping[str, HubParty], headers: Mapping[str, str], body: bytes) -> str:
    """The party whose push secret signed this push (see iwmo.hub); PushRefused otherwise. Without any
    configured secret a service takes no pushes at all: anyone who can reach it could otherwise inject
    messages. One answer for every mismatch."""
    if not any(p.push_geheim for p in parties.values()):
        raise PushRefused(403, GEEN_PUSH)
    bericht_id, gegeven = headers.get("X-Iwmo-Bericht-Id"), headers.get(HANDTEKENING)
    for code, party in parties.items():
        if party.push_geheim and handtekening_klopt(party.push_geheim, bericht_id, body, gegeven):
            return code
    raise PushRefused(401, "handtekening van de hub ontbreekt of klopt niet")


__all__ = ["BATCH", "HubParty", "HubTraffic", "NotAMessage", "NotOwned", "PushRefused", "collect", "pushed_by"]
