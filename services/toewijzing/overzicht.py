"""Read models: the client overview the back office shows."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from infra.db import in_values
from infra.errors import NotFound
from services.gegevens import retourcodes_met_betekenis
from services.toewijzing.domain.beschikking import zoek_client
from services.toewijzing.domain.varianten import Catalogus, Omvang, in_woorden
from services.toewijzing.domain.wmo301 import is_actueel
from services.toewijzing.models import (
    Bericht,
    Beschikking,
    Client,
    Levering,
    Toewijzing,
    Verzoek,
    Voorziening,
)


def _status(leveringen: list[Levering]) -> str:
    """Started, (temporarily) stopped, from the accepted starts and stops (the latest start counts)."""
    actief = [lev for lev in leveringen if not lev.verwijderd]
    starts = sorted((lev for lev in actief if lev.soort == "start"), key=lambda lev: lev.begindatum)
    if not starts:
        return "niet gestart"
    laatste = starts[-1]
    stops = [lev for lev in actief if lev.soort == "stop" and lev.begindatum == laatste.begindatum]
    if not stops:
        return f"gestart op {laatste.begindatum:%d-%m-%Y}"
    stop = max(stops, key=lambda lev: (lev.einddatum, lev.reden_beeindiging != "20"))
    soort = "tijdelijk gestopt" if stop.reden_beeindiging == "20" else "gestopt"
    return f"{soort} op {stop.einddatum:%d-%m-%Y}"


def overzicht(session: Session, *, bsn: str, vandaag: Any, producten: Catalogus) -> dict[str, Any]:
    client = zoek_client(session, bsn)
    if client is None:
        raise NotFound(f"Geen client met BSN {bsn}.")
    voorzieningen = {v.id: v for v in session.scalars(
        select(Voorziening).join(Beschikking).where(Beschikking.client_id == client.id))}
    toewijzingen = session.scalars(select(Toewijzing).where(Toewijzing.client_id == client.id)
                                   .order_by(Toewijzing.nummer)).all()
    leveringen = session.scalars(select(Levering).where(Levering.bsn == bsn)).all()
    rows = []
    for t in toewijzingen:
        v = voorzieningen[t.voorziening_id]
        product = producten.get((t.categorie, t.code))
        rows.append({
            "toewijzingnummer": t.nummer, "aanbieder": t.aanbieder, "wijze": v.wijze,
            "product": {"categorie": t.categorie, "code": t.code,
                        "omschrijving": product.omschrijving if product else None},
            "toegewezen": in_woorden(v.wijze, Omvang(t.volume, t.eenheid, t.frequentie, t.budget), v.resultaat),
            "omvang": {"volume": t.volume, "eenheid": t.eenheid, "frequentie": t.frequentie, "budget": t.budget},
            "ingangsdatum": t.ingangsdatum.isoformat(), "einddatum": t.einddatum.isoformat() if t.einddatum else None,
            "reden_wijziging": t.reden_wijziging, "actueel": is_actueel(t, vandaag),
            "oordeel_aanbieder": t.oordeel_aanbieder, **retourcodes_met_betekenis(t.retourcodes),
            "levering": _status([lev for lev in leveringen if lev.toewijzing_nummer == t.nummer]),
        })
    berichten = session.scalars(select(Bericht).where(Bericht.client_id == client.id).order_by(Bericht.id)).all()
    return {
        "bsn": client.bsn, "naam": " ".join(p for p in (client.voorletters, client.voorvoegsel, client.achternaam) if p),
        "toewijzingen": rows,
        "verzoeken": [{"id": v.id, "soort": v.soort, "aanbieder": v.aanbieder, "referentie_aanbieder":
                       v.referentie_aanbieder, "status": v.status, "advies": v.advies}
                      for v in session.scalars(select(Verzoek).where(Verzoek.bsn == bsn).order_by(Verzoek.id))],
        "berichten": [{"id": b.id, "richting": b.richting, "bericht": b.bericht, "identificatie": b.identificatie,
                       "status": b.status, "wacht_op": b.fout if b.status == "te-verzenden" else None,
                       "retour": b.retour_status,
                       **retourcodes_met_betekenis(b.retourcodes), "op": b.created_at.isoformat()} for b in berichten],
    }


def toewijzingen_op_nummer(session: Session, *, aanbieder: str | None, nummers: list[int],
                           bsn: str | None = None) -> list[dict[str, Any]]:
    """The toewijzingen with these numbers and/or of the client with ``bsn``, of ``aanbieder`` (None: of
    every aanbieder), as granted, with the client's BSN and the accepted starts and stops: what the
    declaratie service checks a WMO323 against (one query per message; a number of another aanbieder is not
    returned: for the declaratie it does not exist), and a client's delivery. Without numbers and BSN: none.
    Plain columns, no ORM objects: a WMO323 may name tens of thousands."""
    if not nummers and bsn is None:
        return []
    t = Toewijzing
    q = (select(t.nummer, Client.bsn, t.aanbieder, Voorziening.wijze, t.categorie, t.code, t.ingangsdatum,
                t.einddatum, t.volume, t.eenheid, t.frequentie, t.budget, t.reden_wijziging)
         .join(Client, Client.id == t.client_id).join(Voorziening, Voorziening.id == t.voorziening_id))
    if aanbieder is not None:
        q = q.where(t.aanbieder == aanbieder)
    if nummers:
        q = q.where(in_values(session, t.nummer, set(nummers)))
    if bsn is not None:
        q = q.where(Client.bsn == bsn)
    rows = session.execute(q.order_by(t.nummer)).all()
    leveringen: dict[tuple[str, int], list[dict[str, Any]]] = {}
    lev = Levering
    for aanbieder_lev, nummer, soort, begindatum, einddatum, reden in session.execute(
            select(lev.aanbieder, lev.toewijzing_nummer, lev.soort, lev.begindatum, lev.einddatum,
                   lev.reden_beeindiging)
            .where(in_values(session, lev.aanbieder, {r.aanbieder for r in rows}),
                   in_values(session, lev.toewijzing_nummer, {r.nummer for r in rows}),
                   lev.verwijderd.is_(False)).order_by(lev.id)):
        leveringen.setdefault((aanbieder_lev, nummer or 0), []).append(
            {"soort": soort, "begindatum": begindatum, "einddatum": einddatum, "reden_beeindiging": reden})
    return [{"toewijzingnummer": r.nummer, "bsn": r.bsn, "aanbieder": r.aanbieder, "wijze": r.wijze,
             "categorie": r.categorie, "code": r.code, "ingangsdatum": r.ingangsdatum, "einddatum": r.einddatum,
             "omvang": {"volume": r.volume, "eenheid": r.eenheid, "frequentie": r.frequentie, "budget": r.budget},
             "reden_wijziging": r.reden_wijziging, "leveringen": leveringen.get((r.aanbieder, r.nummer), [])}
            for r in rows]


def clienten_van(session: Session, *, aanbieder: str | None, bsns: list[str]) -> list[str]:
    """Which of ``bsns`` are clients with a toewijzing of ``aanbieder`` (None: of any aanbieder; TR304 for
    the declaratie service)."""
    if not bsns:
        return []
    q = (select(Client.bsn).join(Toewijzing, Toewijzing.client_id == Client.id)
         .where(in_values(session, Client.bsn, set(bsns))))
    if aanbieder is not None:
        q = q.where(Toewijzing.aanbieder == aanbieder)
    return sorted(set(session.scalars(q)))
