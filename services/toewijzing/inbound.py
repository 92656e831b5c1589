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

from iwmo.berichten import Bericht as BerichtModel
from iwmo.berichten.toewijzing import Wmo302
from iwmo.regels import Fout
from iwmo.validation import validate
from iwmo.xml import from_xml
from services.common import berichtenverkeer
from services.toewijzing.models import Bericht, Toewijzing
from services.toewijzing.omgeving import Omgeving
from services.toewijzing.regie import verwerk_start_stop
from services.toewijzing.verzoeken import verwerk_vot, verwerk_vow

log = logging.getLogger("toewijzing.inbound")

GOED = {"0200"}


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
    eerder = berichtenverkeer.bestaand(session, Bericht, model)
    if eerder is not None:
        return Verwerking(eerder, nieuw=False)
    afzender, ident = berichtenverkeer.herkomst(model)
    row = Bericht(richting="in", bericht=model.BERICHT, afzender=afzender, ontvanger=gemeente, identificatie=ident,
                  xml=xml, status="verwerkt", hub_id=hub_id, created_at=nu)
    session.add(row)
    session.flush()
    handler = (handlers or HANDLERS).get(model.BERICHT)
    if handler is None:
        row.status = "onbekend"
        row.fout = f"{model.BERICHT} wordt door deze dienst (nog) niet verwerkt"
    elif rapport.fouten and model.BERICHT in berichtenverkeer.RETOUREN:
        row.status, row.fout = "afgekeurd", "; ".join(f"{f.code}: {f.details}" for f in rapport.fouten)
    else:
        handler(session, model, row, omg, rapport.fouten)
    return Verwerking(row, nieuw=True)


def _codes(klasse: object) -> list[str]:
    return list(getattr(klasse, "retourcodes", []) or [])


def verwerk_302(session: Session, model: BerichtModel, row: Bericht, omg: Omgeving, _fouten: list[Fout]) -> None:
    """The aanbieder's answer to our WMO301: mark the toewijzingen accepted or rejected, keep the codes."""
    assert isinstance(model, Wmo302)
    heen = berichtenverkeer.heenbericht(session, Bericht, model)
    if heen is None:
        row.status, row.fout = "onbekend", "geen WMO301 met deze identificatie verzonden"
        return
    row.antwoord_op, row.client_id = heen.id, heen.client_id
    header_codes = _codes(model.header)
    per_product: dict[int, list[str]] = {}
    if model.client is not None:
        per_product = {p.toewijzing_nummer: _codes(p) for p in model.client.toegewezen_producten}
    alle = header_codes + [c for codes in per_product.values() for c in codes]
    goedgekeurd = not alle  # a fully approved message carries no RetourCode at all
    heen.retour_status = "goedgekeurd" if goedgekeurd else "afgekeurd"
    heen.retourcodes = ",".join(dict.fromkeys(alle)) or None
    sent = from_xml(heen.xml)
    for product in sent.client.toegewezen_producten:  # type: ignore[attr-defined]
        t = session.scalar(select(Toewijzing).where(Toewijzing.nummer == product.toewijzing_nummer))
        if t is None:
            continue
        codes = per_product.get(product.toewijzing_nummer, header_codes)
        t.oordeel_aanbieder = "geaccepteerd" if goedgekeurd else "afgewezen"
        t.retourcodes = ",".join(codes) or None


HANDLERS: dict[str, Handler] = {"WMO302": verwerk_302, "WMO305": verwerk_start_stop, "WMO307": verwerk_start_stop,
                                "WMO315": verwerk_vot, "WMO317": verwerk_vow}
