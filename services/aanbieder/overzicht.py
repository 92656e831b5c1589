"""Read models of the stand-in: its toewijzingen, requests and messages, per aanbieder."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from infra.errors import NotFound
from services.aanbieder.models import Bericht, Levering, Toewijzing, Verzoek
from services.gegevens import retourcodes_met_betekenis


def _levering(session: Session, t: Toewijzing) -> list[dict[str, Any]]:
    rows = session.execute(select(Levering, Bericht).join(Bericht, Levering.bericht_id == Bericht.id).where(
        Levering.aanbieder == t.aanbieder, Levering.gemeente == t.gemeente, Levering.nummer == t.nummer)
        .order_by(Levering.id)).all()
    return [{"soort": lev.soort, "begindatum": lev.begindatum.isoformat(),
             "einddatum": lev.einddatum.isoformat() if lev.einddatum else None, "reden": lev.reden_beeindiging,
             "status_aanlevering": lev.status_aanlevering, "bericht_id": b.id,
             "oordeel_gemeente": b.retour_status, **retourcodes_met_betekenis(b.retourcodes)}
            for lev, b in rows]


def toewijzingen(session: Session, *, aanbieder: str, bsn: str | None = None) -> list[dict[str, Any]]:
    q = select(Toewijzing).where(Toewijzing.aanbieder == aanbieder).order_by(Toewijzing.gemeente, Toewijzing.nummer)
    if bsn:
        q = q.where(Toewijzing.bsn == bsn)
    return [{"gemeente": t.gemeente, "toewijzingnummer": t.nummer, "bsn": t.bsn,
             "product": {"categorie": t.categorie, "code": t.code},
             "ingangsdatum": t.ingangsdatum.isoformat(), "einddatum": t.einddatum.isoformat() if t.einddatum else None,
             "omvang": {"volume": t.volume, "eenheid": t.eenheid, "frequentie": t.frequentie, "budget": t.budget},
             "reden_wijziging": t.reden_wijziging, "referentie_aanbieder": t.referentie_aanbieder,
             "leveringen": _levering(session, t)} for t in session.scalars(q)]


def _verzoek(v: Verzoek) -> dict[str, Any]:
    return {"referentie": v.referentie, "soort": v.soort, "gemeente": v.gemeente, "bsn": v.bsn, "status": v.status,
            "toelichting": v.toelichting, "bericht_id": v.bericht_id}


def verzoeken(session: Session, *, aanbieder: str) -> list[dict[str, Any]]:
    return [_verzoek(v) for v in session.scalars(select(Verzoek).where(Verzoek.aanbieder == aanbieder)
                                                 .order_by(Verzoek.id))]


def verzoek(session: Session, *, aanbieder: str, referentie: str) -> dict[str, Any]:
    v = session.scalar(select(Verzoek).where(Verzoek.aanbieder == aanbieder, Verzoek.referentie == referentie))
    if v is None:
        raise NotFound(f"geen verzoek met referentie {referentie}")
    return _verzoek(v)


def beschrijf(b: Bericht) -> dict[str, Any]:
    """A message's metadata and state (without its XML)."""
    return {"id": b.id, "richting": b.richting, "bericht": b.bericht, "afzender": b.afzender,
            "ontvanger": b.ontvanger, "identificatie": b.identificatie, "status": b.status,
            "retour_status": b.retour_status, **retourcodes_met_betekenis(b.retourcodes),
            "antwoord_op": b.antwoord_op, "fout": b.fout, "op": b.created_at.isoformat()}


def berichten(session: Session, *, aanbieder: str, bericht: str | None = None, richting: str | None = None,
              na: int = 0, limit: int = 200, nieuwste_eerst: bool = False) -> list[dict[str, Any]]:
    """Messages in and out, oldest first (or newest first); ``na``: only those with a larger id (to follow
    new traffic)."""
    q = select(Bericht).where(Bericht.aanbieder == aanbieder, Bericht.id > na).order_by(
        Bericht.id.desc() if nieuwste_eerst else Bericht.id).limit(limit)
    if bericht:
        q = q.where(Bericht.bericht == bericht.upper())
    if richting:
        q = q.where(Bericht.richting == richting)
    return [beschrijf(b) for b in session.scalars(q)]


def bericht(session: Session, *, aanbieder: str, bericht_id: int) -> Bericht:
    b = session.get(Bericht, bericht_id)
    if b is None or b.aanbieder != aanbieder:
        raise NotFound(f"geen bericht {bericht_id} van aanbieder {aanbieder}")
    return b
