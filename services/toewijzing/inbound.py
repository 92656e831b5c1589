"""Messages from aanbieders, as the hub delivers them: stored once, judged, answered.

Processing is idempotent on (Afzender, berichttype, Identificatie): a redelivered message changes
nothing and gets no second retour. A message that fails the in-message rules gets the retour with
0001 and changes nothing.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from infra import messaging
from iwmo.berichten import Bericht as BerichtModel
from iwmo.berichten.toewijzing import Wmo302
from iwmo.regels import Fout
from iwmo.validation import validate
from iwmo.xml import from_xml
from services.toewijzing.models import Bericht, Toewijzing
from services.toewijzing.omgeving import Omgeving
from services.toewijzing.regie import verwerk_start_stop
from services.toewijzing.verzoeken import verwerk_vot, verwerk_vow

log = logging.getLogger("toewijzing.inbound")

@dataclass(frozen=True)
class Verwerking:
    """What processing a message did: its stored row, and whether it was new (not a redelivery)."""

    bericht: Bericht
    nieuw: bool


#: (session, message, its stored row, the surroundings, its in-message faults) -> None
Handler = Callable[[Session, BerichtModel, Bericht, Omgeving, list[Fout]], None]


def verwerk(session: Session, *, xml: bytes, omg: Omgeving, hub_id: int | None = None,
            handlers: dict[str, Handler] | None = None) -> Verwerking:
    """Store and process one inbound message; the caller commits."""
    gemeente, nu = omg.gemeente, omg.nu
    rapport = validate(xml, today=nu.date())
    if rapport.bericht is None:
        raise ValueError("geen iWmo-bericht: " + "; ".join(f.details for f in rapport.fouten))
    model = from_xml(xml) if not any(f.code in ("XML", "XSD") for f in rapport.fouten) else None
    if model is None:
        raise ValueError("bericht voldoet niet aan de XSD; de hub had het moeten weigeren")
    eerder = messaging.existing(session, Bericht, model)
    if eerder is not None:
        return Verwerking(eerder, nieuw=False)
    afzender, ident = messaging.origin(model)
    row = Bericht(richting="in", bericht=model.BERICHT, afzender=afzender, ontvanger=gemeente, identificatie=ident,
                  xml=xml, status="verwerkt", hub_id=hub_id, created_at=nu)
    session.add(row)
    session.flush()
    handler = (handlers or HANDLERS).get(model.BERICHT)
    if handler is None:
        row.status = "onbekend"
        row.fout = f"{model.BERICHT} wordt door deze dienst (nog) niet verwerkt"
    elif rapport.fouten and model.BERICHT in messaging.RETOUREN:
        row.status, row.fout = "afgekeurd", "; ".join(f"{f.code}: {f.details}" for f in rapport.fouten)
    else:
        handler(session, model, row, omg, rapport.fouten)
    return Verwerking(row, nieuw=True)


def _codes(klasse: object) -> list[str]:
    return list(getattr(klasse, "retourcodes", []) or [])


def _retour_op(session: Session, model: BerichtModel, row: Bericht) -> Bericht | None:
    """Link a retour to the heenbericht it answers (and its client) and keep its verdict there."""
    heen = messaging.record_retour(session, Bericht, model, row)
    if heen is not None:
        row.client_id = heen.client_id
    return heen  # type: ignore[no-any-return]


def verwerk_302(session: Session, model: BerichtModel, row: Bericht, omg: Omgeving, _fouten: list[Fout]) -> None:
    """The aanbieder's answer to our WMO301: mark the toewijzingen accepted or rejected, keep the codes.

    Only for the toewijzingen whose current state that WMO301 carried: a retour on an older WMO301 that
    arrives late judges nothing newer (OP080, IV013). A rejected message is not taken over at all (IV032),
    so its toewijzingen are marked to go out again, with their reason, in the next WMO301 (or at once with
    POST /clienten/{bsn}/opnieuw-versturen)."""
    assert isinstance(model, Wmo302)
    heen = _retour_op(session, model, row)
    if heen is None:
        return
    akkoord = heen.retour_status == "goedgekeurd"
    header_codes = _codes(model.header)
    per_product: dict[int, list[str]] = {}
    if model.client is not None:
        per_product = {p.toewijzing_nummer: _codes(p) for p in model.client.toegewezen_producten}
    sent = from_xml(heen.xml)
    for product in sent.client.toegewezen_producten:  # type: ignore[attr-defined]
        t = session.scalar(select(Toewijzing).where(Toewijzing.nummer == product.toewijzing_nummer))
        if t is None or (t.laatste_301_id is not None and t.laatste_301_id != heen.id):
            continue  # a later WMO301 carries its current state; that one's retour judges it
        t.oordeel_aanbieder = "geaccepteerd" if akkoord else "afgewezen"
        t.retourcodes = ",".join(per_product.get(product.toewijzing_nummer, header_codes)) or None
        if not akkoord:
            t.gewijzigd = True


def verwerk_320(session: Session, model: BerichtModel, row: Bericht, omg: Omgeving, _fouten: list[Fout]) -> None:
    """The aanbieder's answer to our WMO319: its verdict is kept on the WMO319 (client overview, berichten)."""
    _retour_op(session, model, row)


HANDLERS: dict[str, Handler] = {"WMO302": verwerk_302, "WMO305": verwerk_start_stop, "WMO307": verwerk_start_stop,
                                "WMO315": verwerk_vot, "WMO317": verwerk_vow, "WMO320": verwerk_320}
