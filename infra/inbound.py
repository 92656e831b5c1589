"""One inbound pipeline for every service and the stand-in: validate, parse, refuse what is not ours,
deduplicate, store, dispatch.

A service declares a :class:`Pipeline`: its ``Bericht`` table, how a received row is made, and a table
of handlers, one per message type it owns. The keys of that table are what the service collects from
the hub (its mailbox, filtered by type) and what it takes by push; any other type is refused before
anything is stored (:class:`NotOwned`), so no service ever keeps or acknowledges another's message.

Processing is idempotent on (Afzender, BerichtCode, Identificatie): a redelivered message changes
nothing and gets no second retour. A retour with faults of its own is kept (afgekeurd) and not applied.
The caller commits: a message is stored and processed in one transaction, or not at all.

Judging a message is bounded in time (:attr:`Pipeline.validation_budget_seconds`, from
``INBOUND_VALIDATION_BUDGET_SECONDS``, one setting for every service): a message whose check outlasts it is
neither dropped nor left at the hub but refused for technical reasons. It reaches its handler with the
faults found so far and one fault ``TIJD`` with retourcode 0001, so it gets the usual header-only 0001
retour and changes nothing; a retour over budget is kept ``afgekeurd`` (docs/validation.md).
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from sqlalchemy import Select, bindparam, select
from sqlalchemy.orm import Session

from infra.outbox import new_id, reserve_ids
from iwmo.berichten import Bericht as BerichtModel
from iwmo.exceptions import XmlError
from iwmo.loader import parse_xml
from iwmo.regels import Budget, Fout
from iwmo.retour import goedgekeurd, retourcodes
from iwmo.validation import check_tree
from iwmo.xml import from_element

#: a row of a service's Bericht table
R = TypeVar("R")

#: the retourberichten: their header copies the heenbericht's, so their sender is its Ontvanger (all but the
#: WMO325, which has a header of its own: its Afzender is the gemeente, and DeclaratieIdentificatie names the
#: WMO323 it answers)
RETOUREN = frozenset({"WMO302", "WMO306", "WMO308", "WMO316", "WMO318", "WMO320", "WMO325"})
EIGEN_HEADER = frozenset({"WMO325"})
#: the heenbericht each retour answers
HEEN_VAN = {"WMO302": "WMO301", "WMO306": "WMO305", "WMO308": "WMO307", "WMO316": "WMO315",
            "WMO318": "WMO317", "WMO320": "WMO319", "WMO325": "WMO323"}


class NotAMessage(ValueError):
    """A body that is no schema-valid iWmo message (the hub should have refused it)."""


class NotOwned(ValueError):
    """A message of a type this service does not own."""


class NotAddressed(NotOwned):
    """A message addressed to another party than the one it was delivered for."""


#: (session, message, its stored row, the service's context, its in-message faults) -> None
Handler = Callable[[Session, BerichtModel, Any, Any, list[Fout]], None]
#: what a message is about, for a collected batch (:func:`receive`): None when it cannot say
Sleutels = Callable[[BerichtModel], frozenset[Hashable] | None]
#: in a batch's keys: rows of a message that could not say what it is about wait to be written
ALLES = ("alles",)


def client_sleutels(model: BerichtModel) -> frozenset[Hashable] | None:
    """A message about one client is about its BSN (every type but the declaratie and its answer)."""
    bsn = getattr(getattr(model, "client", None), "bsn", None)
    return frozenset({("bsn", bsn)}) if bsn else None


class _Mis:
    """Nothing read in advance (or no longer valid): ask the database."""

    def __repr__(self) -> str:
        return "MIS"


MIS: Any = _Mis()
#: in a :class:`Voorraad`: the id of the stored row of a message that came before (None: it did not)
BESTAAND = "bestaand"


class Voorraad:
    """What a collected batch will read, read for the whole batch before its first message is handled
    (:func:`receive_many`): one statement per kind of read instead of one per message.

    Each entry is about a subject (a key from :attr:`Pipeline.sleutels`, or a message's own key) and is
    handed out only while no earlier message of the batch was about that subject; after one, it may be
    stale, and :meth:`neem` answers :data:`MIS` (the caller reads the database, where that message's rows
    are written first). After a message that could not say what it is about, every entry is stale."""

    #: where a handler finds the batch's Voorraad: ``session.info[SESSIE]`` (absent outside a batch)
    SESSIE = "inbound.voorraad"

    def __init__(self) -> None:
        self._waarden: dict[tuple[Hashable, Hashable], Any] = {}
        self._gehad: set[Hashable] = set()
        self._alles = False

    @classmethod
    def van(cls, session: Session) -> Voorraad | None:
        """The batch's Voorraad while a collected batch is handled in this session, else None."""
        voorraad: Voorraad | None = session.info.get(cls.SESSIE)
        return voorraad

    def zet(self, onderwerp: Hashable, wat: Hashable, waarde: Any) -> None:
        """Keep ``waarde``, read in advance: ``wat`` about ``onderwerp``."""
        self._waarden[onderwerp, wat] = waarde

    def neem(self, onderwerp: Hashable, wat: Hashable) -> Any:
        """What was read in advance, or :data:`MIS` when nothing was or it may be stale."""
        if self._alles or onderwerp in self._gehad:
            return MIS
        return self._waarden.get((onderwerp, wat), MIS)

    def gehad(self, onderwerpen: Iterable[Hashable]) -> None:
        """A message about these subjects was handled (:data:`ALLES` among them: about anything)."""
        for onderwerp in onderwerpen:
            if onderwerp == ALLES:
                self._alles = True
            self._gehad.add(onderwerp)


#: reads, for a collected batch, what its handlers will read about its new messages, into the batch's Voorraad
Vooraf = Callable[[Session, Sequence[BerichtModel], Voorraad], None]


#: the environment variable with the time (seconds) a service may spend judging one inbound message
BUDGET_ENV = "INBOUND_VALIDATION_BUDGET_SECONDS"
DEFAULT_BUDGET_SECONDS = 15.0


def validation_budget_seconds() -> float:
    """The budget per inbound message: ``INBOUND_VALIDATION_BUDGET_SECONDS`` (default 15), read when a
    service's :class:`Pipeline` is made (at its import)."""
    waarde = os.environ.get(BUDGET_ENV, "").strip()
    try:
        seconden = float(waarde) if waarde else DEFAULT_BUDGET_SECONDS
    except ValueError:
        raise ValueError(f"{BUDGET_ENV}={waarde!r}: geen aantal seconden") from None
    if not seconden >= 0:
        raise ValueError(f"{BUDGET_ENV}={waarde!r}: het budget kan niet negatief zijn")
    return seconden


@dataclass(frozen=True)
class Pipeline:
    """What a service plugs into the inbound pipeline."""

    #: the service's ``Bericht`` table (with :class:`infra.models.BerichtColumns`)
    tabel: type[Any]
    #: message type -> its handler; the keys are the types this service owns
    handlers: Mapping[str, Handler]
    #: makes the row of a received message from the common columns (a service adds its own, e.g. a BSN)
    new_row: Callable[..., Any] | None = None
    #: what a message is about: a handler may read what concerns it without writing the batch's earlier
    #: messages first (``session.no_autoflush``), as long as those were about something else (:func:`receive`)
    sleutels: Sleutels = client_sleutels
    #: the time judging one message (parsing, XSD, the rules) may take; beyond it the message is refused
    #: for technical reasons (the module's docstring). None: unbounded
    validation_budget_seconds: float | None = field(default_factory=validation_budget_seconds)
    #: reads in advance, for a collected batch, what the handlers will read (:class:`Voorraad`); None: each
    #: handler reads for itself
    vooraf: Vooraf | None = None

    @property
    def owned(self) -> frozenset[str]:
        return frozenset(self.handlers)


@dataclass(frozen=True)
class Received:
    """What receiving a message did: its stored row, and whether it was new (not a redelivery)."""

    bericht: Any
    nieuw: bool


def origin(model: BerichtModel) -> tuple[str, str]:
    """(afzender, identificatie) of a received message: the key that makes intake idempotent."""
    header: Any = model.header
    if model.BERICHT in RETOUREN and model.BERICHT not in EIGEN_HEADER:
        return header.ontvanger, header.identificatie_retour
    return header.afzender, header.bericht_identificatie.identificatie


def addressee(model: BerichtModel) -> str:
    """The party a message is for: a retour copies its heenbericht's header, so that is its Afzender."""
    header: Any = model.header
    return str(header.afzender if model.BERICHT in RETOUREN - EIGEN_HEADER else header.ontvanger)


#: the look-up of :func:`existing` per table, built once (every received message runs it)
_EXISTING: dict[type[Any], Select[Any]] = {}


def _existing(tabel: type[Any]) -> Select[Any]:
    if tabel not in _EXISTING:
        c = tabel.__table__.c  # the table's id only: a plain read (a redelivery, rare, then loads its row)
        _EXISTING[tabel] = select(c.id).where(c.richting == "in", c.afzender == bindparam("afzender"),
                                              c.bericht == bindparam("bericht"), c.identificatie == bindparam("ident"))
    return _EXISTING[tabel]


def existing(session: Session, tabel: type[Any], model: BerichtModel) -> Any | None:
    """The stored row of this received message when it came before (a redelivery), else None."""
    afzender, ident = origin(model)
    rij_id = session.scalar(_existing(tabel), {"afzender": afzender, "bericht": model.BERICHT, "ident": ident})
    return None if rij_id is None else session.get(tabel, rij_id)


def _existing_many(session: Session, tabel: type[Any], modellen: Sequence[BerichtModel]
                   ) -> dict[tuple[str, str, str, str], int]:
    """:func:`existing` for many messages at once: their own key (:func:`_eigen_sleutel`) -> the stored
    row's id, for those that came before."""
    gezocht = {_eigen_sleutel(m) for m in modellen}
    c = tabel.__table__.c
    gevonden: dict[tuple[str, str, str, str], int] = {}
    idents = sorted({sleutel[3] for sleutel in gezocht})
    for i in range(0, len(idents), _PER_STATEMENT):
        rows = session.execute(select(c.id, c.afzender, c.bericht, c.identificatie).where(
            c.richting == "in", c.identificatie.in_(idents[i:i + _PER_STATEMENT])))
        for rij_id, afzender, bericht, ident in rows:
            if ("bericht", afzender, bericht, ident) in gezocht:
                gevonden["bericht", afzender, bericht, ident] = rij_id
    return gevonden


#: values in one IN (...) of a read in advance (SQLite allows 32,766 parameters per statement)
_PER_STATEMENT = 500


def heenbericht(session: Session, tabel: type[R], retour: BerichtModel) -> R | None:
    """The message we sent that a received retour answers (by our Identificatie)."""
    header: Any = retour.header
    t: Any = tabel  # the service's own Bericht table
    if retour.BERICHT in EIGEN_HEADER:  # a WMO325: we are its Ontvanger; it names our WMO323
        afzender, ident = header.ontvanger, header.declaratie_identificatie.identificatie
    else:
        afzender, ident = header.afzender, header.bericht_identificatie.identificatie
    heen: R | None = session.scalar(select(t).where(
        t.richting == "uit", t.bericht == HEEN_VAN[retour.BERICHT], t.afzender == afzender, t.identificatie == ident))
    return heen


def record_retour(session: Session, tabel: type[R], retour: BerichtModel, rij: Any) -> R | None:
    """Link a received retour (stored as ``rij``) to the message we sent that it answers and keep the
    verdict and RetourCodes there; None, with ``rij`` marked onbekend, when we sent no such message."""
    heen = heenbericht(session, tabel, retour)
    uit: Any = heen
    if heen is None:
        rij.status, rij.fout = "onbekend", f"geen verzonden {HEEN_VAN[retour.BERICHT]} met deze identificatie"
        return None
    rij.antwoord_op = uit.id
    uit.retour_status = "goedgekeurd" if goedgekeurd(retour) else "afgekeurd"
    uit.retourcodes = ",".join(retourcodes(retour)) or None
    return heen


def fault_text(fouten: list[Fout]) -> str:
    return "; ".join(f"{f.code}: {f.details}" for f in fouten)


def record_verdict(rij: Any, fouten: list[Fout]) -> None:
    """Keep on a received heenbericht's row the verdict of the retour we owe it: approved or not, its
    RetourCodes and the faults in words."""
    rij.retour_status = "afgekeurd" if fouten else "goedgekeurd"
    rij.retourcodes = ",".join(dict.fromkeys(f.retourcode or "" for f in fouten)) or None
    rij.fout = fault_text(fouten) or None


_NOT_A_MESSAGE = "geen geldig iWmo-bericht (XML of XSD); de hub had het moeten weigeren: "


def read(xml: bytes, *, today: dt.date, pipeline: Pipeline, party: str | None = None
         ) -> tuple[BerichtModel, list[Fout]]:
    """The message and its in-message faults; NotAMessage when it is no schema-valid iWmo message,
    NotOwned when its type is not the pipeline's (or it is not addressed to ``party``). A check that
    outlasts the pipeline's budget ends in the fault ``TIJD`` (retourcode 0001) among the faults."""
    seconden = pipeline.validation_budget_seconds
    budget = Budget.vanaf_nu(seconden) if seconden is not None else None  # parsing counts too, as at the hub
    try:
        tree = parse_xml(xml)  # once: validated and read from the same tree
    except XmlError as exc:
        raise NotAMessage(_NOT_A_MESSAGE + fault_text([Fout("XML", [], None, str(exc))])) from None
    rapport = check_tree(tree, today=today, budget=budget)
    if rapport.bericht is None or any(f.code in ("XML", "XSD") for f in rapport.fouten):
        raise NotAMessage(_NOT_A_MESSAGE + fault_text(rapport.fouten[:3]))
    if rapport.bericht not in pipeline.handlers:
        raise NotOwned(f"{rapport.bericht} wordt door deze dienst niet verwerkt")
    model = from_element(tree.getroot())
    if party is not None and addressee(model) != party:
        raise NotAddressed(f"het bericht is niet voor {party}")
    return model, rapport.fouten


def receive(session: Session, pipeline: Pipeline, *, xml: bytes, ontvanger: str, nu: dt.datetime, context: Any,
            hub_id: int | None = None) -> Received:
    """Store and process one inbound message for the party ``ontvanger``; the caller commits."""
    model, fouten = read(xml, today=nu.date(), pipeline=pipeline, party=ontvanger)
    return _store(session, pipeline, model, fouten, xml=xml, ontvanger=ontvanger, nu=nu, context=context,
                  hub_id=hub_id)


def receive_many(session: Session, pipeline: Pipeline, berichten: Sequence[tuple[bytes, int | None]], *,
                 ontvanger: str, nu: dt.datetime, context: Any) -> list[Received]:
    """Store and process a collected batch (``(xml, hub_id)`` per message) for ``ontvanger``, in order; the
    caller commits. The same as :func:`receive` for each in turn, in fewer statements:

    * what the batch reads is read for all of it first: which messages came before (one statement), the
      ids of the rows it will make (one), and what its handlers will read (:attr:`Pipeline.vooraf`, into
      the batch's :class:`Voorraad`);
    * its rows are written together: a message's rows are written (flushed) only before a later message
      about the same thing (the message itself and :attr:`Pipeline.sleutels`), so that each goes to the
      database complete, in as few statements as the session can make of them. What a message was read
      for in advance is handed out only while no earlier message of the batch was about it; after one, it is
      read again, with the earlier one's rows written first."""
    gelezen = [(read(xml, today=nu.date(), pipeline=pipeline, party=ontvanger), xml, hub_id)
               for xml, hub_id in berichten]
    modellen = [model for (model, _fouten), _xml, _hub_id in gelezen]
    bestaand = _existing_many(session, pipeline.tabel, modellen)
    voorraad = Voorraad()
    nieuw = []
    for model in modellen:
        zelf = _eigen_sleutel(model)
        eerder_id = bestaand.get(zelf)
        voorraad.zet(zelf, BESTAAND, eerder_id)
        if eerder_id is None:
            nieuw.append(model)
    reserve_ids(session, pipeline.tabel, sum(1 if m.BERICHT in RETOUREN else 2 for m in nieuw))
    if pipeline.vooraf is not None and nieuw:
        pipeline.vooraf(session, nieuw, voorraad)
    onbewaard: set[Hashable] = set()
    session.info[Voorraad.SESSIE] = voorraad
    try:
        return [_store(session, pipeline, model, fouten, xml=xml, ontvanger=ontvanger, nu=nu, context=context,
                       hub_id=hub_id, onbewaard=onbewaard)
                for (model, fouten), xml, hub_id in gelezen]
    finally:
        session.info.pop(Voorraad.SESSIE, None)


def _eigen_sleutel(model: BerichtModel) -> tuple[str, str, str, str]:
    """The message's own key: (afzender, BerichtCode, Identificatie), as a subject."""
    afzender, ident = origin(model)
    return ("bericht", afzender, model.BERICHT, ident)


def _store(session: Session, pipeline: Pipeline, model: BerichtModel, fouten: list[Fout], *, xml: bytes,
           ontvanger: str, nu: dt.datetime, context: Any, hub_id: int | None,
           onbewaard: set[Hashable] | None = None) -> Received:
    """Store and dispatch one message that was read (:func:`read`); in a batch, see :func:`receive_many`."""
    zelf = _eigen_sleutel(model)
    _soort, afzender, _bericht, ident = zelf
    eigen = pipeline.sleutels(model)
    onderwerpen = {zelf, *(eigen if eigen is not None else (ALLES,))}
    voorraad = Voorraad.van(session)
    if onbewaard is not None:
        if ALLES in onbewaard or not onbewaard.isdisjoint(onderwerpen):
            session.flush()
            onbewaard.clear()
        onbewaard.update(onderwerpen)
    try:
        eerder_id = voorraad.neem(zelf, BESTAAND) if voorraad is not None else MIS
        if eerder_id is MIS:
            with session.no_autoflush:
                eerder = existing(session, pipeline.tabel, model)
        else:
            eerder = None if eerder_id is None else session.get(pipeline.tabel, eerder_id)
        if eerder is not None:
            return Received(eerder, nieuw=False)
        maak = pipeline.new_row or (lambda _model, **kolommen: pipeline.tabel(**kolommen))
        row = maak(model, richting="in", bericht=model.BERICHT, afzender=afzender, ontvanger=ontvanger,
                   identificatie=ident, xml=xml, status="verwerkt", hub_id=hub_id, created_at=nu)
        # the id the handler links to (on PostgreSQL written with the rest of the batch); a heenbericht's
        # retour takes the next one, asked for in the same statement
        new_id(session, row, en_nog=0 if model.BERICHT in RETOUREN else 1)
        session.add(row)
        if fouten and model.BERICHT in RETOUREN:  # a retour is never answered; a faulty one is kept, not applied
            row.status, row.fout = "afgekeurd", fault_text(fouten)
        else:
            pipeline.handlers[model.BERICHT](session, model, row, context, fouten)
        return Received(row, nieuw=True)
    finally:
        if voorraad is not None:  # what was read in advance about this message's subjects is stale now
            voorraad.gehad(onderwerpen)
