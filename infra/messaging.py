"""Message traffic that every party's service shares: the outbox, collecting the mailbox, idempotent intake.

A service keeps each message it sends or receives as a row of its own ``Bericht`` table (see
:class:`BerichtColumns`). Outgoing messages are queued in the transaction of the change that causes
them (:func:`plan`) and offered to the hub afterwards (:func:`verzend`); incoming ones are stored once
per (afzender, berichttype, identificatie) (:func:`bestaand`) and acknowledged to the hub only after
their transaction committed (:func:`haal_op`).
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from collections.abc import Callable
from typing import Any, Protocol

from sqlalchemy import DateTime, Integer, LargeBinary, String, Text, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from infra.db import utcnow
from iwmo.berichten import Bericht as BerichtModel
from iwmo.hub import HubClient, HubError, HubUnreachable
from iwmo.regels import Fout
from iwmo.retour import goedgekeurd, retourcodes
from iwmo.validation import validate
from iwmo.xml import to_xml

log = logging.getLogger("infra.messaging")

#: the retourberichten: their header copies the heenbericht's, so their sender is its Ontvanger
RETOUREN = frozenset({"WMO302", "WMO306", "WMO308", "WMO316", "WMO318", "WMO320", "WMO325"})


class BerichtColumns:
    """The columns every service's ``Bericht`` table has (mix into a declarative class)."""

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    richting: Mapped[str] = mapped_column(String(3))  # uit | in
    bericht: Mapped[str] = mapped_column(String(6))  # WMO301 ...
    afzender: Mapped[str] = mapped_column(String(8))
    ontvanger: Mapped[str] = mapped_column(String(8))
    identificatie: Mapped[str] = mapped_column(String(12))
    xml: Mapped[bytes] = mapped_column(LargeBinary)
    #: uit: te-verzenden | verzonden | geweigerd; in: verwerkt | afgekeurd | onbekend
    status: Mapped[str] = mapped_column(String(12))
    hub_id: Mapped[int | None] = mapped_column(Integer, default=None)
    #: for a heenbericht: the verdict of its retour (goedgekeurd | afgekeurd) and its RetourCodes
    retour_status: Mapped[str | None] = mapped_column(String(12), default=None)
    retourcodes: Mapped[str | None] = mapped_column(String(200), default=None)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    fout: Mapped[str | None] = mapped_column(Text, default=None)


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


def origin(model: BerichtModel) -> tuple[str, str]:
    """(afzender, identificatie) of a received message: the key that makes intake idempotent."""
    header: Any = model.header  # type: ignore[attr-defined]
    if model.BERICHT in RETOUREN:
        return header.ontvanger, header.identificatie_retour
    return header.afzender, header.bericht_identificatie.identificatie


def existing(session: Session, tabel: type[Any], model: BerichtModel) -> Any | None:
    """The stored row of this received message when it came before (a redelivery), else None."""
    afzender, ident = origin(model)
    return session.scalar(select(tabel).where(tabel.richting == "in", tabel.afzender == afzender,
                                              tabel.bericht == model.BERICHT, tabel.identificatie == ident))


#: the heenbericht each retour answers
HEEN_VAN = {"WMO302": "WMO301", "WMO306": "WMO305", "WMO308": "WMO307", "WMO316": "WMO315",
            "WMO318": "WMO317", "WMO320": "WMO319", "WMO325": "WMO323"}


def heenbericht(session: Session, tabel: type[Any], retour: BerichtModel) -> Any | None:
    """The message we sent that a received retour answers (by our Identificatie)."""
    header: Any = retour.header  # type: ignore[attr-defined]
    return session.scalar(select(tabel).where(
        tabel.richting == "uit", tabel.bericht == HEEN_VAN[retour.BERICHT], tabel.afzender == header.afzender,
        tabel.identificatie == header.bericht_identificatie.identificatie))


def record_retour(session: Session, tabel: type[Any], retour: BerichtModel, rij: Any) -> Any | None:
    """Link a received retour (stored as ``rij``) to the message we sent that it answers and keep the
    verdict and RetourCodes there; None, with ``rij`` marked onbekend, when we sent no such message."""
    heen = heenbericht(session, tabel, retour)
    if heen is None:
        rij.status, rij.fout = "onbekend", f"geen verzonden {HEEN_VAN[retour.BERICHT]} met deze identificatie"
        return None
    rij.antwoord_op = heen.id
    heen.retour_status = "goedgekeurd" if goedgekeurd(retour) else "afgekeurd"
    heen.retourcodes = ",".join(retourcodes(retour)) or None
    return heen


def queue(session: Session, rij: Any, model: BerichtModel, *, prefix: str, nu: dt.datetime,
         set_identificatie: Callable[[BerichtModel, str], None] | None = None) -> Any:
    """Queue ``model`` as the new row ``rij`` (status te-verzenden): its Identificatie becomes ``prefix`` and
    the row id (unique per sender), set in the message by ``set_identificatie``; it is validated first."""
    rij.richting, rij.bericht, rij.status, rij.xml = "uit", model.BERICHT, "te-verzenden", b""
    rij.identificatie, rij.created_at = uuid.uuid4().hex[:12], nu
    session.add(rij)
    session.flush()
    rij.identificatie = f"{prefix}{rij.id:0{12 - len(prefix)}d}"
    if set_identificatie is not None:
        set_identificatie(model, rij.identificatie)
    xml = to_xml(model)
    rapport = validate(xml, today=nu.date())
    if not rapport.valid:
        raise InvalidBericht(model.BERICHT, rapport.fouten)
    rij.xml = xml
    return rij


def set_identificatie(model: BerichtModel, ident: str) -> None:
    model.header.bericht_identificatie.identificatie = ident  # type: ignore[attr-defined]


def set_identificatie_retour(model: BerichtModel, ident: str) -> None:
    model.header.identificatie_retour = ident  # type: ignore[attr-defined]


#: why a queued row may not go out yet (None: it may), given the rows held back earlier in this round
Hold = Callable[[Any, set[Any]], str | None]


#: hub answers that say the sender's credentials fail (revoked or rotated token): the message itself is
#: fine, so it stays queued until the credentials are right again
NOT_LOGGED_IN = {401, 403}
#: hub refusals because the addressee is not (yet) connected: the message waits for that receiver
RECEIVER_UNKNOWN = {"IB005", "IB010"}


def send_queued(session: Session, tabel: type[Any], *, hub: Callable[[Any], HubClient | None], batch: int = 200,
            wacht: Hold | None = None) -> int:
    """Offer every queued row of ``tabel`` to the hub, oldest first; returns how many the hub accepted.

    ``hub(row)`` is the hub client of the row's sender (None: none configured). ``wacht`` may hold a row
    back (it stays queued, with the reason in ``fout``). A sender without working credentials (no client,
    401/403) keeps its rows queued and its later rows wait behind them; other senders go on; so do
    messages to a receiver the hub does not know (yet: IB005/IB010), per sender and receiver. An
    unreachable hub stops the round: the rows stay queued for the next one. A refusal of the message
    itself is kept on the row (status geweigerd); BRS20 (already there) counts as sent."""
    sent, na = 0, 0
    wachtend: set[Any] = set()
    zonder_toegang: set[str] = set()  # senders that wait this round (their credentials fail)
    ontvanger_weg: set[tuple[str, str]] = set()  # (sender, receiver) pairs that wait (receiver unknown)
    while True:
        queued = session.scalars(select(tabel).where(tabel.richting == "uit", tabel.status == "te-verzenden",
                                                     tabel.id > na).order_by(tabel.id).limit(batch)).all()
        if not queued:
            return sent
        for row in queued:
            na = row.id
            if row.afzender in zonder_toegang or (row.afzender, row.ontvanger) in ontvanger_weg:
                continue
            reden = wacht(row, wachtend) if wacht is not None else None
            client = hub(row) if reden is None else None
            if reden is None and client is None:
                reden = f"geen token voor afzender {row.afzender} bij de hub"
                zonder_toegang.add(row.afzender)
            if reden is not None:
                row.fout = reden
                session.commit()
                continue
            assert client is not None
            try:
                row.hub_id = client.send(row.xml)
                row.status, row.fout = "verzonden", None
                sent += 1
            except HubUnreachable as exc:
                row.fout = str(exc)
                session.commit()
                log.warning("hub niet bereikbaar; bericht blijft in de wachtrij", extra={"bericht_id": row.id})
                return sent
            except HubError as exc:
                if exc.foutcode == "BRS20":  # the hub has it already: an earlier attempt's answer was lost
                    row.status, row.fout = "verzonden", None
                    sent += 1
                elif exc.status in NOT_LOGGED_IN:
                    _hold(row, exc, "hub weigert de inlog van de afzender; berichten blijven in de wachtrij")
                    zonder_toegang.add(row.afzender)
                elif exc.foutcode in RECEIVER_UNKNOWN:  # later messages to that receiver must not overtake
                    _hold(row, exc, "ontvanger (nog) niet aangesloten bij de hub; berichten blijven in de wachtrij")
                    ontvanger_weg.add((row.afzender, row.ontvanger))
                else:
                    row.status, row.fout = "geweigerd", f"{exc.foutcode}: {exc.omschrijving} {exc.details}"
                    log.error("hub weigerde bericht", extra={"bericht_id": row.id, "foutcode": exc.foutcode})
            session.commit()


def _hold(row: Any, exc: HubError, melding: str) -> None:
    """The row stays queued with the hub's reason; logged once, when the reason is new for it (a poller
    meets the same refusal every round)."""
    fout = f"{exc.foutcode}: {exc.omschrijving} (wacht in de wachtrij)"
    if row.fout != fout:
        log.error(melding, extra={"bericht_id": row.id, "foutcode": exc.foutcode})
    row.fout = fout


def collect(hub: HubClient, ontvang: Callable[[bytes, int], bool]) -> int:
    """Collect the messages waiting in the hub for ``hub``'s party: ``ontvang(xml, hub_id)`` stores and
    processes one and commits (True when it was new); the hub is told only after that. A message that
    cannot be processed stays in the hub (logged, without content) and does not block the ones after it."""
    nieuw = 0
    for meta in hub.mailbox():
        try:
            nieuw += ontvang(hub.fetch(meta["id"]), meta["id"])
        except (HubUnreachable, HubError):
            raise
        except Exception as exc:  # noqa: BLE001 - one bad message must not block the ones after it
            log.error("bericht niet verwerkt; het blijft in de hub staan",
                      extra={"hub_id": meta["id"], "fout": type(exc).__name__})
            continue
        hub.acknowledge(meta["id"])  # only after the commit: a crash before it means redelivery, not loss
    return nieuw
