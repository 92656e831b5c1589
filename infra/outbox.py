"""The outbox every service shares: a message is queued in the transaction of the change that causes
it (:func:`queue`, validated first: a service never sends what the standard rejects) and offered to the
hub afterwards (:func:`send_queued`), in order per sender and receiver. (Receiving: infra.inbound.)
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
import uuid
from collections.abc import Callable, Hashable
from typing import Any, Protocol, TypeVar, cast

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from iwmo.berichten import Bericht as BerichtModel
from iwmo.berichten.header import RetourHeader
from iwmo.exceptions import HubError, HubUnreachable
from iwmo.hub import HubClient
from iwmo.regels import Fout
from iwmo.validation import validate
from iwmo.xml import to_xml

log = logging.getLogger("infra.outbox")

#: a row of a service's Bericht table
R = TypeVar("R")


class BerichtRow(Protocol):
    id: int
    richting: str
    bericht: str
    afzender: str
    ontvanger: str
    identificatie: str
    xml: bytes
    status: str
    hub_id: int | None
    fout: str | None


class InvalidBericht(RuntimeError):
    """A composed message that the validator rejects; ``fouten`` says by which rules."""

    def __init__(self, bericht: str, fouten: list[Fout]) -> None:
        self.fouten = fouten
        super().__init__(f"{bericht} voldoet niet aan de standaard: " + "; ".join(
            f"{f.code} ({', '.join(f.locaties)}): {f.details}" for f in fouten))


def queue(session: Session, rij: R, model: BerichtModel, *, prefix: str, nu: dt.datetime,
         set_identificatie: Callable[[BerichtModel, str], None] | None = None) -> R:
    """Queue ``model`` as the new row ``rij`` (status te-verzenden): its Identificatie becomes ``prefix`` and
    the row id (unique per sender), set in the message by ``set_identificatie``; it is validated first."""
    row: Any = rij  # a row of the service's own Bericht table
    row.richting, row.bericht, row.status, row.xml = "uit", model.BERICHT, "te-verzenden", b""
    row.identificatie, row.created_at = uuid.uuid4().hex[:12], nu
    new_id(session, row)
    session.add(rij)
    row.identificatie = f"{prefix}{row.id:0{12 - len(prefix)}d}"
    if set_identificatie is not None:
        set_identificatie(model, row.identificatie)
    xml = to_xml(model)
    rapport = validate(xml, today=nu.date())
    if not rapport.valid:
        raise InvalidBericht(model.BERICHT, rapport.fouten)
    row.xml = xml
    return rij


#: PostgreSQL: the next ids of a table's serial key
_NEXTVAL = text("SELECT nextval(pg_get_serial_sequence(:tabel, 'id')) FROM generate_series(1, :aantal)")


def new_id(session: Session, row: Any, *, en_nog: int = 0) -> None:
    """Give a new row its id before it is stored. On PostgreSQL it comes from the table's sequence and the
    row is inserted, complete, with the next flush (one INSERT, no flush now and no UPDATE after it; in a
    collected batch, one INSERT for many rows); elsewhere the row is flushed now (an INSERT, and an UPDATE
    of what changes after). Ids follow the order in which this session makes its rows (the outbox sends
    in id order).

    ``en_nog``: take that many more ids in the same statement, for the next rows of this table that this
    session makes (a received heenbericht and the retour it gets: one statement for both ids)."""
    if session.get_bind().dialect.name == "postgresql":
        voorraad = _voorraad(session, type(row))
        if not voorraad:
            reserve_ids(session, type(row), 1 + en_nog)
        row.id = voorraad.pop()
    else:
        session.add(row)
        session.flush()


def reserve_ids(session: Session, tabel: type[Any], aantal: int) -> None:
    """Take the next ``aantal`` ids of ``tabel`` in one statement, for the rows this session is about to
    make (:func:`new_id` hands them out in order); elsewhere than on PostgreSQL nothing is taken."""
    if aantal <= 0 or session.get_bind().dialect.name != "postgresql":
        return
    with session.no_autoflush:  # pending changes go with the next flush, as they would have
        nieuw = session.scalars(_NEXTVAL, {"tabel": tabel.__tablename__, "aantal": aantal}).all()
    _voorraad(session, tabel)[:0] = reversed(nieuw)  # below any left over: those are handed out first


def _voorraad(session: Session, tabel: type[Any]) -> list[int]:
    """The ids this session took for ``tabel`` and has not handed out, the next one last."""
    voorraad: list[int] = session.info.setdefault("ids", {}).setdefault(tabel.__tablename__, [])
    return voorraad


def set_identificatie(model: BerichtModel, ident: str) -> None:
    model.header.bericht_identificatie.identificatie = ident


def set_identificatie_retour(model: BerichtModel, ident: str) -> None:
    cast(RetourHeader, model.header).identificatie_retour = ident  # only ever called for a retour


#: why a queued row may not go out yet (None: it may), given the rows held back earlier in this round
Hold = Callable[[Any, set[Any]], str | None]


#: hub answers that say the sender's credentials fail (revoked or rotated token): the message itself is
#: fine, so it stays queued until the credentials are right again
NOT_LOGGED_IN = {401, 403}
#: hub refusals because the addressee is not (yet) connected: the message waits for that receiver
RECEIVER_UNKNOWN = {"IB005", "IB010"}


class Terugval:
    """When a refused sender or (sender, receiver) may be offered to the hub again: after the n-th refusal in a
    row ``basis * 2**(n-1)`` seconds, at most ``maximum``; a success forgets it. A service keeps one per
    process (:class:`infra.traffic.HubTraffic`), so a receiver that stays unknown costs the hub a handful of
    attempts an hour instead of one a second."""

    def __init__(self, basis: float = 2.0, maximum: float = 300.0) -> None:
        self.basis, self.maximum = basis, maximum
        self._stand: dict[Hashable, tuple[int, dt.datetime]] = {}
        self._lock = threading.Lock()

    def wacht_tot(self, sleutel: Hashable, nu: dt.datetime) -> dt.datetime | None:
        """Until when ``sleutel`` waits (None: it may be tried now)."""
        with self._lock:
            stand = self._stand.get(sleutel)
        return stand[1] if stand is not None and nu < stand[1] else None

    def mislukt(self, sleutel: Hashable, nu: dt.datetime) -> dt.datetime:
        """Another refusal: the moment of the next attempt."""
        with self._lock:
            n = self._stand.get(sleutel, (0, nu))[0] + 1
            volgende = nu + dt.timedelta(seconds=min(self.basis * 2 ** (n - 1), self.maximum))
            self._stand[sleutel] = (n, volgende)
        return volgende

    def gelukt(self, sleutel: Hashable) -> None:
        with self._lock:
            self._stand.pop(sleutel, None)


#: messages offered to the hub in one request (POST /berichten/bundel), and their XML together at most
#: (a bigger message goes on its own)
BUNDEL = 100
BUNDEL_BYTES = 4 * 1024 * 1024


def send_queued(session: Session, tabel: type[Any], *, hub: Callable[[Any], HubClient | None], batch: int = 200,
                wacht: Hold | None = None, terugval: Terugval | None = None, nu: dt.datetime | None = None) -> int:
    """Offer every queued row of ``tabel`` to the hub, oldest first; returns how many the hub accepted.
    ``hub(row)`` is the hub client of the row's sender (None: none configured). ``wacht`` may hold a row
    back (it stays queued, with the reason in ``fout``). A sender without working credentials (no client,
    401/403) keeps its rows queued and its later rows wait behind them; other senders go on; so do
    messages to a receiver the hub does not know (yet: IB005/IB010), per sender and receiver. An
    unreachable hub stops the round: the rows stay queued for the next one. A refusal of the message
    itself is kept on the row (status geweigerd); BRS20 (already there) counts as sent. With ``terugval``
    (and the time ``nu``), a refused sender or (sender, receiver) is not offered again until it says so.

    Rows go out in bundles (:data:`BUNDEL`, one request each, in order, each message judged on its own by
    the hub), and what the hub said is committed per bundle."""
    ronde = _Ronde(session, hub=hub, terugval=terugval, nu=nu)
    na = 0
    while True:
        queued = session.scalars(select(tabel).where(tabel.richting == "uit", tabel.status == "te-verzenden",
                                                     tabel.id > na).order_by(tabel.id).limit(batch)).all()
        if not queued:
            session.commit()
            return ronde.sent
        bundel: list[Any] = []
        for row in queued:
            na = row.id
            client = ronde.client_voor(row, wacht)
            if client is None:
                continue
            if bundel and not ronde.past_bij(bundel, row, client):
                if not ronde.verzend(bundel):
                    return ronde.sent
                bundel = []
            bundel.append(row)
        if bundel and not ronde.verzend(bundel):
            return ronde.sent
        session.commit()


class _Ronde:
    """One round of :func:`send_queued`: who waits this round, and what the hub said of each row."""

    def __init__(self, session: Session, *, hub: Callable[[Any], HubClient | None], terugval: Terugval | None,
                 nu: dt.datetime | None) -> None:
        self.session, self.hub, self.nu = session, hub, nu
        self.terugval = terugval if nu is not None else None
        self.sent = 0
        self.wachtend: set[Any] = set()  # what ``wacht`` held back this round
        self.zonder_toegang: set[str] = set()  # senders that wait this round (their credentials fail)
        self.ontvanger_weg: set[tuple[str, str]] = set()  # (sender, receiver) pairs that wait (receiver unknown)

    def client_voor(self, row: Any, wacht: Hold | None) -> HubClient | None:
        """The hub client to offer ``row`` with now, or None when it waits (the reason kept on the row)."""
        if self._houdt_op(row):
            return None
        if self.terugval is not None and self.nu is not None:  # refused before: not again until its time
            if self.terugval.wacht_tot(_inlog(row, self.hub), self.nu) is not None:  # new credentials: at once
                self.zonder_toegang.add(row.afzender)
                return None
            if self.terugval.wacht_tot((row.afzender, row.ontvanger), self.nu) is not None:
                self.ontvanger_weg.add((row.afzender, row.ontvanger))
                return None
        reden = wacht(row, self.wachtend) if wacht is not None else None
        client = self.hub(row) if reden is None else None
        if reden is None and client is None:
            reden = f"geen token voor afzender {row.afzender} bij de hub"
            self.zonder_toegang.add(row.afzender)
        if reden is not None:
            row.fout = reden
            return None
        return client

    def past_bij(self, bundel: list[Any], row: Any, client: HubClient) -> bool:
        """Whether ``row`` may join ``bundel``: the same sender's client, and room left."""
        return (self.hub(bundel[0]) is client and len(bundel) < BUNDEL
                and sum(len(r.xml) for r in bundel) + len(row.xml) <= BUNDEL_BYTES)

    def verzend(self, bundel: list[Any]) -> bool:
        """Offer ``bundel`` (rows of one sender) and keep what the hub said on each row, then commit; False
        when the hub is unreachable (the rows stay queued; the round stops)."""
        client = self.hub(bundel[0])
        assert client is not None
        try:
            uitkomsten = _aanbieden(client, bundel)
        except HubUnreachable as exc:
            bundel[0].fout = str(exc)
            self.session.commit()
            log.warning("hub niet bereikbaar; bericht blijft in de wachtrij", extra={"bericht_id": bundel[0].id})
            return False
        if uitkomsten is None:  # a hub without bundles, or one that finds this one too big: one by one, each
            return all(self.verzend([row]) for row in bundel if not self._houdt_op(row))  # behind a held one
        for row, uitkomst in zip(bundel, uitkomsten, strict=True):
            self._keep(row, uitkomst)
        # per bundle: one commit for what the hub said of up to BUNDEL rows; SQLite's write lock is taken only now
        self.session.commit()
        return True

    def _houdt_op(self, row: Any) -> bool:
        """Whether ``row`` waits behind an earlier one of its sender (credentials) or pair (receiver unknown)."""
        return row.afzender in self.zonder_toegang or (row.afzender, row.ontvanger) in self.ontvanger_weg

    def _mislukt(self, sleutel: Hashable, *, al: bool) -> dt.datetime | None:
        """The next attempt for a refused sender or pair: one step further back, unless an earlier row of this
        bundle took that step already."""
        if self.terugval is None or self.nu is None:
            return None
        return self.terugval.wacht_tot(sleutel, self.nu) if al else self.terugval.mislukt(sleutel, self.nu)

    def _keep(self, row: Any, uitkomst: int | HubError) -> None:
        """Keep on ``row`` what the hub said of it."""
        if isinstance(uitkomst, int) or uitkomst.foutcode == "BRS20":  # BRS20: an earlier attempt's answer was lost
            if isinstance(uitkomst, int):
                row.hub_id = uitkomst
            row.status, row.fout = "verzonden", None
            self.sent += 1
            if self.terugval is not None:
                self.terugval.gelukt(_inlog(row, self.hub))
                self.terugval.gelukt((row.afzender, row.ontvanger))
            return
        exc = uitkomst
        if exc.status in NOT_LOGGED_IN:
            al = row.afzender in self.zonder_toegang  # an earlier row of the bundle: logged there
            _hold(row, exc, "hub weigert de inlog van de afzender; berichten blijven in de wachtrij",
                  self._mislukt(_inlog(row, self.hub), al=al), stil=al)
            self.zonder_toegang.add(row.afzender)
        elif exc.foutcode in RECEIVER_UNKNOWN:  # later messages to that receiver must not overtake
            paar = (row.afzender, row.ontvanger)
            al = paar in self.ontvanger_weg
            _hold(row, exc, "ontvanger (nog) niet aangesloten bij de hub; berichten blijven in de wachtrij",
                  self._mislukt(paar, al=al), stil=al)
            self.ontvanger_weg.add(paar)
        else:
            row.status, row.fout = "geweigerd", f"{exc.foutcode}: {exc.omschrijving} {exc.details}"
            log.error("hub weigerde bericht", extra={"bericht_id": row.id, "foutcode": exc.foutcode})


def _aanbieden(client: HubClient, bundel: list[Any]) -> list[int | HubError] | None:
    """What the hub said of each row of ``bundel``; None when it takes no bundle (404/405: a hub without
    them; 413: this one too big for it). HubUnreachable is raised."""
    if len(bundel) == 1:
        return [_een(client, bundel[0].xml)]
    try:
        return client.send_many([row.xml for row in bundel])
    except HubError as exc:
        if exc.status in (404, 405, 413):
            return None
        return [exc] * len(bundel)  # the request as a whole: the sender's credentials


def _een(client: HubClient, xml: bytes) -> int | HubError:
    """One message offered on its own: the hub's id, or its refusal (HubUnreachable is raised)."""
    try:
        return client.send(xml)
    except HubError as exc:
        return exc


def _inlog(row: Any, hub: Callable[[Any], HubClient | None]) -> tuple[str, int]:
    """The backoff key of a sender's credentials: the sender and its hub client (a new token, a new client:
    tried at once)."""
    return row.afzender, id(hub(row))


def _hold(row: Any, exc: HubError, melding: str, volgende: dt.datetime | None = None, *, stil: bool = False) -> None:
    """The row stays queued with the hub's reason; logged once, when the reason is new for it (a poller
    meets the same refusal every round), with the receiver and when it is tried again; not at all when
    ``stil`` (the same refusal of an earlier row in its bundle was logged)."""
    fout = f"{exc.foutcode}: {exc.omschrijving} (wacht in de wachtrij)"
    if row.fout != fout and not stil:
        log.error(melding, extra={"bericht_id": row.id, "bericht": row.bericht, "foutcode": exc.foutcode,
                                  "afzender": row.afzender, "ontvanger": row.ontvanger,
                                  "opnieuw_om": volgende.isoformat(timespec="seconds") if volgende else None})
    row.fout = fout
