"""Intake of one message: the hub's checks, in the hub's order, then a durable store.

Each refusal is a :class:`HubError` with the code a real hub would give. Only a message that passes
every check is stored, and the caller answers 202 only after the commit.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from itertools import islice
from typing import Any

from lxml import etree
from sqlalchemy import Table, bindparam, insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from gateway.errors import HubError, OntvangerOnbekend, te_duur
from gateway.models import Audit, Bericht
from gateway.parties import Ingelogd, party_exists
from gateway.push import add_pair, pair_known, remember_pair
from infra.db import utcnow
from iwmo.catalogue import BASIS_NS, BerichtType
from iwmo.exceptions import BudgetOverschreden, XmlError
from iwmo.loader import MAX_ATTRIBUTEN, parse_xml, te_veel_attributen
from iwmo.regels import Budget, Context, regels_voor, toets
from iwmo.schemas import own_schema
from iwmo.validation import identify


@dataclass(frozen=True)
class Kop:
    """What the hub reads from a header to route and correlate a message."""

    btype: BerichtType
    verzender: str  # the party that sends it
    ontvanger: str  # the party that receives it
    identificatie: str  # unique per sender and message type
    heen_afzender: str | None = None  # for a retour: the heenbericht's sender ...
    heen_identificatie: str | None = None  # ... and its Identificatie
    retourcodes: tuple[str, ...] = ()


def _text(header: etree._Element, ns: str, *path: str) -> str:
    node: etree._Element | None = header
    for step in path:
        assert node is not None
        node = node.find(f"{{{ns}}}{step}") if node is header else node.find(f"{{{BASIS_NS}}}{step}")
    return "" if node is None else (node.text or "")


def read_kop(root: etree._Element, btype: BerichtType) -> Kop:
    ns = btype.namespace
    header = root[0]
    afzender = _text(header, ns, "Afzender")
    ontvanger = _text(header, ns, "Ontvanger")
    ident = _text(header, ns, "BerichtIdentificatie", "Identificatie")
    codes = tuple(dict.fromkeys(el.text or "" for el in root.iter(f"{{{ns}}}RetourCode")))
    if btype.is_heen:
        return Kop(btype, afzender, ontvanger, ident)
    if btype.naam == "WMO325":  # own header; answers the declaratie of its Ontvanger
        return Kop(btype, afzender, ontvanger, ident, heen_afzender=ontvanger,
                   heen_identificatie=_text(header, ns, "DeclaratieIdentificatie", "Identificatie"),
                   retourcodes=codes)
    # a retour copies the heenbericht's header: the receiver of the heenbericht sends it back
    return Kop(btype, ontvanger, afzender, _text(header, ns, "IdentificatieRetour"), heen_afzender=afzender,
               heen_identificatie=ident, retourcodes=codes)


#: at most this many XSD violations in an IB001/IB014 answer; a last line says how many were left out
MAX_XSD_DETAILS = 50


def _xsd_fout(sender: Ingelogd, schema: etree.XMLSchema) -> HubError:
    code = "IB001" if sender.rol == "gemeente" else "IB014"
    log = schema.error_log
    details = [f"regel {e.line}: {e.message}" for e in islice(log, MAX_XSD_DETAILS)]  # type: ignore[call-overload]  # lxml-stubs: _ErrorLog is iterable
    rest = len(log) - len(details)  # type: ignore[arg-type]  # lxml-stubs: _ErrorLog has a length
    if rest > 0:
        details.append(f"... en {rest} XSD-fouten meer (weggelaten)")
    return HubError(400, code, "Payload voldoet niet aan de XSD.", details)


def check(session: Session, *, sender: Ingelogd, body: bytes, max_bytes: int,
          budget: Budget | None = None) -> tuple[Kop, etree._Element]:
    """The checks up to routing; returns the routing data and the parsed root or raises :class:`HubError`.

    Uniqueness (BRS20) and the optional rules (BRS28) follow in :func:`accept`, inside the store's
    transaction, so that a concurrent duplicate is caught by the database's unique constraint.
    """
    if te_veel_attributen(body):  # before a tree is built: 500,000 of them would cost the hub 700 MB
        raise HubError(400, "IB001" if sender.rol == "gemeente" else "IB014", "Payload voldoet niet aan de XSD.",
                       [f"meer dan {MAX_ATTRIBUTEN} attributen: het iWmo-schema kent geen attributen"])
    try:
        tree = parse_xml(body, max_bytes=max_bytes)
    except XmlError as exc:
        raise HubError(400, "BRS14", "Payload bevat geen well-formed XML.", [str(exc)]) from None
    root = tree.getroot()
    btype = identify(root)
    if btype is None:
        raise HubError(400, "IB004", "Dit berichttype wordt niet ondersteund.",
                      [f"root-element {root.tag} is geen iWmo 3.2-bericht"])
    if btype.verzender != sender.rol:
        raise HubError(403, "IB008", f"Indienende partij beschikt niet over de juiste rol voor {btype.naam}: "
                                    f"alleen een {btype.verzender} verstuurt dit bericht.")
    with own_schema(btype.naam) as schema:  # its faults are this thread's
        if not schema.validate(tree):
            raise _xsd_fout(sender, schema)
    if budget is not None:  # lxml's XSD validation cannot be interrupted: what it took counts afterwards
        try:
            budget.controleer("XSD")
        except BudgetOverschreden as exc:
            raise te_duur(exc) from None
    kop = read_kop(root, btype)
    if kop.verzender != sender.code:
        raise HubError(403, "IB009", "Indiener is niet gemachtigd om namens de afzender in het bericht in te dienen.",
                      [f"bericht noemt {kop.verzender} als verzender, u bent {sender.code}"])
    if not party_exists(session, code=kop.ontvanger):
        raise OntvangerOnbekend(rol=sender.rol, ontvanger=kop.ontvanger, bericht=btype.naam)
    return kop, root


def heenbericht_van(session: Session, *, kop: Kop) -> int:
    """For a retour: the id of the heenbericht it answers, which must have been sent to the retour's
    sender and not be answered yet (IV028: one retour per heenbericht, from its receiver). One query:
    the heenbericht with the retour it may have had already."""
    return _beantwoordt(kop, session.execute(_HEENBERICHT, {"afzender": kop.heen_afzender, "bericht": kop.btype.partner,
                                                            "identificatie": kop.heen_identificatie}).first())


def _beantwoordt(kop: Kop, heen: Any) -> int:
    """:func:`heenbericht_van` on the row read (None: no such heenbericht)."""
    if heen is None or heen.ontvanger != kop.verzender:
        raise HubError(422, "IB021", "AlsAntwoordOp niet (juist) gevuld: het bericht waarop dit retourbericht "
                                    "antwoordt, is niet aan u verstuurd.",
                      [f"geen {kop.btype.partner} {kop.heen_identificatie} van {kop.heen_afzender} aan "
                       f"{kop.verzender}"])
    if heen.retour_id is not None:
        if (heen.retour_afzender, heen.retour_identificatie) == (kop.verzender, kop.identificatie):
            raise _dubbel(kop)  # the same retour again (a retry whose answer was lost): BRS20, as any resend
        raise al_beantwoord(kop, heen.retour_id)
    return int(heen.id)


def _heenberichten(session: Session, koppen: list[Kop]) -> dict[tuple[str | None, str, str | None], Any]:
    """The heenberichten (with their retours) of many retours at once: (afzender, bericht, identificatie) ->
    the row :func:`heenbericht_van` reads."""
    gezocht = {(k.heen_afzender, k.btype.partner, k.heen_identificatie) for k in koppen}
    idents = sorted({ident for _a, _b, ident in gezocht if ident is not None})
    rijen: dict[tuple[str | None, str, str | None], Any] = {}
    if idents:
        for rij in session.execute(_HEENBERICHTEN, {"identificaties": idents}):
            sleutel = (rij.afzender, rij.bericht, rij.identificatie)
            if sleutel in gezocht:
                rijen.setdefault(sleutel, rij)
    return rijen


def al_beantwoord(kop: Kop, eerder: int | None) -> HubError:
    code, tekst = (("IB019", "Declaratie-antwoord reeds ingediend.") if kop.btype.naam == "WMO325" else
                   ("IB021", "Er is al een retourbericht op dit bericht: per heenbericht een retourbericht."))
    return HubError(409, code, tekst, [f"{kop.btype.partner} {kop.heen_identificatie} van {kop.heen_afzender}"
                                      + (f" is al beantwoord (bericht {eerder})" if eerder else " is al beantwoord")])


def _dubbel(kop: Kop) -> HubError:
    return HubError(409, "BRS20", "Identificatie moet per berichtsoort uniek zijn voor de verzendende partij.",
                   [f"{kop.btype.naam} {kop.identificatie} is al eerder ontvangen van {kop.verzender}"])


# built once: Core statements on the tables, parameters given at execution
_BERICHTEN = Bericht.__table__
_AUDITS = Audit.__table__
assert isinstance(_BERICHTEN, Table) and isinstance(_AUDITS, Table)  # mapped to tables (typed as any FromClause)
_STORE = insert(_BERICHTEN).returning(_BERICHTEN.c.id)
_AUDIT = insert(_AUDITS)
_STORED = ("bericht", "berichtcode", "afzender", "ontvanger", "identificatie", "xml", "size", "status", "received_at",
           "attempts", "heen_afzender", "heen_bericht", "heen_identificatie", "retourcodes", "heen_id")
_AUDITED = ("actor", "action", "at", "details")
# PostgreSQL: the message and its audit row in one statement (an INSERT in a CTE), one round trip fewer
_stored = (insert(_BERICHTEN).values({c: bindparam(c, type_=_BERICHTEN.c[c].type) for c in _STORED})
           .returning(_BERICHTEN.c.id).cte("stored"))
_STORE_AUDITED = (insert(_AUDITS).from_select(
    [*_AUDITED, "bericht_id"],
    select(*(bindparam(f"audit_{c}", type_=_AUDITS.c[c].type) for c in _AUDITED), _stored.c.id))
    .returning(_AUDITS.c.bericht_id))
_heen, _retour = _BERICHTEN.alias("heen"), _BERICHTEN.alias("retour")
_HEENBERICHT = (select(_heen.c.id, _heen.c.ontvanger, _retour.c.id.label("retour_id"),
                       _retour.c.afzender.label("retour_afzender"),
                       _retour.c.identificatie.label("retour_identificatie"))
                .select_from(_heen.outerjoin(_retour, _retour.c.heen_id == _heen.c.id))
                .where(_heen.c.afzender == bindparam("afzender"), _heen.c.bericht == bindparam("bericht"),
                       _heen.c.identificatie == bindparam("identificatie")))
_HEENBERICHTEN = (select(*_HEENBERICHT.selected_columns, _heen.c.afzender, _heen.c.bericht, _heen.c.identificatie)
                  .select_from(_heen.outerjoin(_retour, _retour.c.heen_id == _heen.c.id))
                  .where(_heen.c.identificatie.in_(bindparam("identificaties", expanding=True))))
# a bundle's messages in one statement (RETURNING their ids in order), then their audit rows in one more
_STORE_MANY = insert(_BERICHTEN).returning(_BERICHTEN.c.id, sort_by_parameter_order=True)


@dataclass(frozen=True)
class Aangenomen:
    """An accepted, stored message."""

    id: int
    kop: Kop
    status: str = "ontvangen"
    #: the first message from this sender to this receiver (its push row was made with it)
    nieuw_paar: bool = False


def accept(session: Session, *, sender: Ingelogd, body: bytes, max_bytes: int,
           rules_for: frozenset[str] = frozenset(), today: dt.date | None = None,
           budget_seconden: float | None = None) -> Aangenomen:
    """Check and store a message; committed when this returns.

    The store is two INSERTs (the message, its audit row; one statement on PostgreSQL) and, the first
    time a pair is seen, the pair's push row; a duplicate Identificatie is refused by the unique
    constraint (BRS20). Judging it (parsing, XSD, the rules) may take ``budget_seconden`` (IB422 beyond).
    """
    aangenomen = _store(session, sender=sender, body=body, max_bytes=max_bytes, rules_for=rules_for, today=today,
                        budget_seconden=budget_seconden)
    session.commit()
    if aangenomen.nieuw_paar:
        remember_pair(session, afzender=aangenomen.kop.verzender, ontvanger=aangenomen.kop.ontvanger)
    return aangenomen


def _store(session: Session, *, sender: Ingelogd, body: bytes, max_bytes: int, rules_for: frozenset[str],
           today: dt.date | None, budget_seconden: float | None) -> Aangenomen:
    """:func:`accept` up to the commit. A refusal found after the message was written (a duplicate the
    unique key catches, BRS28, IB422) rolls the whole transaction back first."""
    budget = Budget.vanaf_nu(budget_seconden) if budget_seconden is not None else None
    kop, root = check(session, sender=sender, body=body, max_bytes=max_bytes, budget=budget)
    heen_id = None if kop.btype.is_heen else heenbericht_van(session, kop=kop)
    waarden, audit = _rijen(kop, sender=sender, body=body, heen_id=heen_id, now=utcnow())
    in_one = session.get_bind().dialect.name == "postgresql"
    try:
        if in_one:
            bericht_id = session.execute(_STORE_AUDITED, {**waarden, **{f"audit_{k}": v for k, v in audit.items()}}
                                         ).scalar_one()
        else:
            bericht_id = session.execute(_STORE, waarden).scalar_one()
    except IntegrityError:  # this Identificatie (or a retour on this heenbericht) was accepted a moment ago
        session.rollback()
        zelfde = session.scalar(select(Bericht.id).where(
            Bericht.afzender == kop.verzender, Bericht.bericht == kop.btype.naam,
            Bericht.identificatie == kop.identificatie))
        if zelfde is None and heen_id is not None:
            raise al_beantwoord(kop, None) from None
        raise _dubbel(kop) from None
    _regels(session, kop, root, rules_for=rules_for, today=today, budget=budget)
    if not in_one:
        session.execute(_AUDIT, {**audit, "bericht_id": bericht_id})
    return Aangenomen(bericht_id, kop, nieuw_paar=_paar(session, kop))


def _rijen(kop: Kop, *, sender: Ingelogd, body: bytes, heen_id: int | None, now: dt.datetime
           ) -> tuple[dict[str, Any], dict[str, Any]]:
    """The message's row and its audit row (without the message's id)."""
    waarden = {
        "bericht": kop.btype.naam, "berichtcode": kop.btype.code, "afzender": kop.verzender,
        "ontvanger": kop.ontvanger, "identificatie": kop.identificatie, "xml": body, "size": len(body),
        "status": "ontvangen", "received_at": now, "attempts": 0, "heen_afzender": kop.heen_afzender,
        "heen_bericht": None if kop.btype.is_heen else kop.btype.partner,
        "heen_identificatie": kop.heen_identificatie, "retourcodes": ",".join(kop.retourcodes) or None,
        "heen_id": heen_id,
    }
    audit = {"actor": sender.code, "action": "ontvangen", "at": now,
             "details": f"{kop.btype.naam} {kop.identificatie} -> {kop.ontvanger}"}
    return waarden, audit


def _regels(session: Session, kop: Kop, root: etree._Element, *, rules_for: frozenset[str], today: dt.date | None,
            budget: Budget | None) -> None:
    """The in-message rules (XSLT level; not those on today's date or a list) for the types in ``rules_for``,
    after the message was written (a duplicate is refused first, BRS20): a fault rolls the transaction
    back (BRS28, or IB422 beyond the budget)."""
    if kop.btype.naam not in rules_for:
        return
    regels = [r for r in regels_voor(kop.btype.naam) if r.bron == "bericht"]
    try:
        fouten, weggelaten = toets(Context(root, kop.btype, today or dt.date.today()), regels, budget=budget)
    except BudgetOverschreden as exc:
        session.rollback()
        raise te_duur(exc) from None
    if fouten:
        session.rollback()
        details = [f"{f.code}: {f.details} ({', '.join(f.locaties)})" for f in fouten]
        if weggelaten:
            per_code = ", ".join(f"{code} {n}" for code, n in sorted(weggelaten.items()))
            details.append(f"... en {sum(weggelaten.values())} fouten meer (weggelaten; per regel: {per_code})")
        raise HubError(422, "BRS28", "Het bericht is afgekeurd op basis van de controleregels.", details)


def _paar(session: Session, kop: Kop) -> bool:
    """Make the pair's push row the first time a sender sends to a receiver; whether it is new."""
    pair = {"afzender": kop.verzender, "ontvanger": kop.ontvanger}
    new_pair = not pair_known(session, **pair)
    if new_pair:
        add_pair(session, **pair)
    return new_pair


#: the most messages one bundle may hold (POST /berichten/bundel)
MAX_BUNDEL = 100


def accept_many(session: Session, *, sender: Ingelogd, bodies: list[bytes], max_bytes: int,
                rules_for: frozenset[str] = frozenset(), today: dt.date | None = None,
                budget_seconden: float | None = None) -> list[Aangenomen | HubError]:
    """:func:`accept` for each of ``bodies``, in order: per message the stored message or the refusal, exactly
    as one by one; committed when this returns.

    The usual bundle is one transaction of a few statements: every message is checked first (a refusal up to
    routing costs nothing), the heenberichten of its retours are read in one statement, its messages are
    written in one and their audit rows in one more. A bundle in which two messages meet (the same
    Identificatie twice, two retours on one heenbericht), in which the rules refuse a message (that refusal
    gives way to BRS20 for a duplicate), or in which the unique key catches a duplicate of an earlier
    message, is taken one message at a time instead, each committed on its own."""
    def een_voor_een() -> list[Aangenomen | HubError]:
        return _een_voor_een(session, sender=sender, bodies=bodies, max_bytes=max_bytes, rules_for=rules_for,
                             today=today, budget_seconden=budget_seconden)

    nu = utcnow()
    uitkomsten: list[Kop | HubError] = []
    for body in bodies:
        budget = Budget.vanaf_nu(budget_seconden) if budget_seconden is not None else None
        try:
            kop, root = check(session, sender=sender, body=body, max_bytes=max_bytes, budget=budget)
        except HubError as fout:
            uitkomsten.append(fout)
            continue
        try:  # within the message's own budget; a fault may yet give way to BRS20: then one by one
            _regels(session, kop, root, rules_for=rules_for, today=today, budget=budget)
        except HubError:
            return een_voor_een()
        uitkomsten.append(kop)
    gekeurd = [u for u in uitkomsten if isinstance(u, Kop)]
    if len({(kop.verzender, kop.btype.naam, kop.identificatie) for kop in gekeurd}) < len(gekeurd):
        return een_voor_een()
    heen = _heenberichten(session, [kop for kop in gekeurd if not kop.btype.is_heen])
    rijen: list[tuple[int, Kop, dict[str, Any], dict[str, Any]]] = []
    beantwoord: set[int] = set()
    resultaat: list[Aangenomen | HubError | None] = []
    for body, uitkomst in zip(bodies, uitkomsten, strict=True):
        if isinstance(uitkomst, HubError):
            resultaat.append(uitkomst)
            continue
        kop, heen_id = uitkomst, None
        if not kop.btype.is_heen:
            try:
                heen_id = _beantwoordt(kop, heen.get((kop.heen_afzender, kop.btype.partner, kop.heen_identificatie)))
            except HubError as fout:
                resultaat.append(fout)
                continue
            if heen_id in beantwoord:  # two retours on one heenbericht in this bundle
                return een_voor_een()
            beantwoord.add(heen_id)
        rijen.append((len(resultaat), kop, *_rijen(kop, sender=sender, body=body, heen_id=heen_id, now=nu)))
        resultaat.append(None)
    if rijen:
        try:
            ids = list(session.scalars(_STORE_MANY, [waarden for *_rest, waarden, _audit in rijen]))
        except IntegrityError:  # a duplicate of an earlier message, caught by the unique key: one by one
            return een_voor_een()
        session.execute(_AUDIT, [{**audit, "bericht_id": bericht_id}
                                 for (*_rest, audit), bericht_id in zip(rijen, ids, strict=True)])
        for (plaats, kop, *_rest), bericht_id in zip(rijen, ids, strict=True):
            resultaat[plaats] = Aangenomen(bericht_id, kop, nieuw_paar=_paar(session, kop))
    session.commit()
    klaar = [u for u in resultaat if u is not None]
    for aangenomen in klaar:
        if isinstance(aangenomen, Aangenomen) and aangenomen.nieuw_paar:
            remember_pair(session, afzender=aangenomen.kop.verzender, ontvanger=aangenomen.kop.ontvanger)
    return klaar


def _een_voor_een(session: Session, *, bodies: list[bytes], **kwargs: Any) -> list[Aangenomen | HubError]:
    session.rollback()
    return [_een(session, body=body, **kwargs) for body in bodies]


def _een(session: Session, **kwargs: Any) -> Aangenomen | HubError:
    try:
        return accept(session, **kwargs)
    except HubError as fout:
        return fout
