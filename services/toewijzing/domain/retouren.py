"""The aanbieder's answers to what the gemeente sent: WMO302 on a WMO301, WMO320 on a WMO319."""

from __future__ import annotations

import logging
from typing import cast

from sqlalchemy import select
from sqlalchemy.orm import Session

from infra.inbound import record_retour
from iwmo.berichten import Bericht as BerichtModel
from iwmo.berichten.toewijzing import Wmo301, Wmo302
from iwmo.regels import Fout
from iwmo.xml import from_xml
from services.toewijzing.domain.omgeving import Omgeving
from services.toewijzing.models import Bericht, Toewijzing

log = logging.getLogger("toewijzing.inbound")

def _codes(klasse: object) -> list[str]:
    return list(getattr(klasse, "retourcodes", []) or [])


def _retour_op(session: Session, model: BerichtModel, row: Bericht) -> Bericht | None:
    """Link a retour to the heenbericht it answers (and its client) and keep its verdict there."""
    heen = record_retour(session, Bericht, model, row)
    if heen is not None:
        row.client_id = heen.client_id
    return heen


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
    sent = cast(Wmo301, from_xml(heen.xml))  # what a WMO302 answers
    for product in sent.client.toegewezen_producten:
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

