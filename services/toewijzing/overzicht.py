"""Read models: the client overview the back office shows, and its lists (clients, toewijzingen, messages)
with filters, paged by id, and the CSV export of toewijzingen."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, Select, and_, or_, select
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
        "bsn": client.bsn, "naam": _naam(client),
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


# -- lists for the back office: filtered, paged by id (keyset: stable while rows are added) ----------------

#: the most rows one page holds
MAX_LIMIT = 1000


@dataclass(frozen=True)
class Selectie:
    """Which toewijzingen: every filter given applies (None: no filter)."""

    aanbieder: str | None = None
    bsn: str | None = None
    categorie: str | None = None
    code: str | None = None
    actief_op: dt.date | None = None
    wijze: str | None = None


def _niet_verwijderd() -> ColumnElement[bool]:
    """Not deleted (Einddatum = Ingangsdatum with RedenWijziging 13), as SQL."""
    return or_(Toewijzing.reden_wijziging.is_(None), Toewijzing.reden_wijziging != "13",
               Toewijzing.einddatum.is_(None), Toewijzing.einddatum != Toewijzing.ingangsdatum)


def _geldig_op(op: dt.date) -> ColumnElement[bool]:
    """In force on ``op``: started, not ended before it, not deleted."""
    return and_(Toewijzing.ingangsdatum <= op, or_(Toewijzing.einddatum.is_(None), Toewijzing.einddatum >= op),
                _niet_verwijderd())


def _pagina(rijen: list[Any], limit: int, sleutel: Any) -> tuple[list[Any], int | None]:
    """The first ``limit`` of ``rijen`` (one more was asked for) and the id to continue after, or None."""
    if len(rijen) > limit:
        rijen = rijen[:limit]
        return rijen, sleutel(rijen[-1])
    return rijen, None


#: the status filters of GET /clienten: which toewijzing a client must have
CLIENT_STATUS = ("actueel", "onbeantwoord", "geaccepteerd", "afgewezen")


def clienten(session: Session, *, vandaag: dt.date, aanbieder: str | None = None, status: str | None = None,
             na: int | None = None, limit: int = 100) -> dict[str, Any]:
    """The clients, oldest first, ``limit`` at a time after id ``na``: those with a toewijzing of
    ``aanbieder`` and/or one in ``status`` (actueel: in force today or later, not deleted; onbeantwoord: no
    WMO302 on its last WMO301 yet; geaccepteerd, afgewezen: the aanbieder's verdict); both given: the same
    toewijzing. Per client the number of toewijzingen, how many are actueel, and the aanbieders."""
    q = select(Client).order_by(Client.id).limit(limit + 1)
    if na is not None:
        q = q.where(Client.id > na)
    if aanbieder is not None or status is not None:
        heeft = select(Toewijzing.id).where(Toewijzing.client_id == Client.id)
        if aanbieder is not None:
            heeft = heeft.where(Toewijzing.aanbieder == aanbieder)
        if status == "actueel":
            heeft = heeft.where(or_(Toewijzing.einddatum.is_(None), Toewijzing.einddatum >= vandaag),
                                _niet_verwijderd())
        elif status == "onbeantwoord":
            heeft = heeft.where(Toewijzing.oordeel_aanbieder.is_(None))
        elif status is not None:
            heeft = heeft.where(Toewijzing.oordeel_aanbieder == status)
        q = q.where(heeft.exists())
    pagina, volgende = _pagina(list(session.scalars(q)), limit, lambda c: c.id)
    per_client: dict[int, list[Toewijzing]] = {}
    if pagina:
        for t in session.scalars(select(Toewijzing).where(Toewijzing.client_id.in_([c.id for c in pagina]))):
            per_client.setdefault(t.client_id, []).append(t)
    return {"items": [{"id": c.id, "bsn": c.bsn, "naam": _naam(c),
                       "toewijzingen": len(per_client.get(c.id, [])),
                       "actueel": sum(is_actueel(t, vandaag) for t in per_client.get(c.id, [])),
                       "aanbieders": sorted({t.aanbieder for t in per_client.get(c.id, [])})} for c in pagina],
            "volgende": volgende}


def _naam(c: Client) -> str:
    return " ".join(p for p in (c.voorletters, c.voorvoegsel, c.achternaam) if p)


_Q = TypeVar("_Q", bound=Select[*tuple[Any, ...]])


def _selectie(q: _Q, selectie: Selectie) -> _Q:
    if selectie.aanbieder is not None:
        q = q.where(Toewijzing.aanbieder == selectie.aanbieder)
    if selectie.bsn is not None:
        q = q.where(Client.bsn == selectie.bsn)
    if selectie.categorie is not None:
        q = q.where(Toewijzing.categorie == selectie.categorie)
    if selectie.code is not None:
        q = q.where(Toewijzing.code == selectie.code)
    if selectie.actief_op is not None:
        q = q.where(_geldig_op(selectie.actief_op))
    if selectie.wijze is not None:
        q = q.where(Voorziening.wijze == selectie.wijze)
    return q


def toewijzingen(session: Session, *, selectie: Selectie, vandaag: dt.date, producten: Catalogus,
                 na: int | None = None, limit: int = 100) -> dict[str, Any]:
    """The toewijzingen in ``selectie``, in the order they were made (by id), ``limit`` at a time after id
    ``na``; each with the client's BSN, what is granted in words and whether care started or stopped."""
    q = (select(Toewijzing, Client.bsn, Voorziening.wijze, Voorziening.resultaat)
         .join(Client, Client.id == Toewijzing.client_id).join(Voorziening, Voorziening.id == Toewijzing.voorziening_id)
         .order_by(Toewijzing.id).limit(limit + 1))
    if na is not None:
        q = q.where(Toewijzing.id > na)
    pagina, volgende = _pagina(list(session.execute(_selectie(q, selectie))), limit, lambda r: r[0].id)
    leveringen: dict[tuple[str, int], list[Levering]] = {}
    if pagina:
        for lev in session.scalars(select(Levering).where(Levering.bsn.in_({bsn for _, bsn, *_ in pagina}))):
            leveringen.setdefault((lev.aanbieder, lev.toewijzing_nummer or 0), []).append(lev)
    items = []
    for t, bsn, wijze, resultaat in pagina:
        product = producten.get((t.categorie, t.code))
        items.append({
            "id": t.id, "toewijzingnummer": t.nummer, "bsn": bsn, "aanbieder": t.aanbieder, "wijze": wijze,
            "product": {"categorie": t.categorie, "code": t.code,
                        "omschrijving": product.omschrijving if product else None},
            "toegewezen": in_woorden(wijze, Omvang(t.volume, t.eenheid, t.frequentie, t.budget), resultaat),
            "omvang": {"volume": t.volume, "eenheid": t.eenheid, "frequentie": t.frequentie, "budget": t.budget},
            "ingangsdatum": t.ingangsdatum, "einddatum": t.einddatum, "reden_wijziging": t.reden_wijziging,
            "actueel": is_actueel(t, vandaag), "oordeel_aanbieder": t.oordeel_aanbieder,
            **retourcodes_met_betekenis(t.retourcodes),
            "levering": _status(leveringen.get((t.aanbieder, t.nummer), [])),
        })
    return {"items": items, "volgende": volgende}


#: the columns of the CSV export, in order (bsn only without zonder_bsn)
EXPORT_KOLOMMEN = ("toewijzingnummer", "bsn", "aanbieder", "wijze", "categorie", "code", "ingangsdatum",
                   "einddatum", "volume", "eenheid", "frequentie", "budget", "reden_wijziging", "oordeel_aanbieder",
                   "actueel", "levering")


def export_csv(session: Session, *, selectie: Selectie, vandaag: dt.date, producten: Catalogus,
               zonder_bsn: bool = False) -> str:
    """Every toewijzing in ``selectie`` as CSV (by id), read a page of :data:`MAX_LIMIT` at a time; with the
    client's BSN for the gemeente's own administration unless ``zonder_bsn``. Budget in eurocent."""
    kolommen = [k for k in EXPORT_KOLOMMEN if not (zonder_bsn and k == "bsn")]
    uit = io.StringIO()
    w = csv.DictWriter(uit, kolommen, lineterminator="\n", extrasaction="ignore")
    w.writeheader()
    na: int | None = None
    while True:
        pagina = toewijzingen(session, selectie=selectie, vandaag=vandaag, producten=producten, na=na,
                              limit=MAX_LIMIT)
        for t in pagina["items"]:
            w.writerow({**t, **t["omvang"], **t["product"], "einddatum": t["einddatum"] or "",
                        "actueel": "ja" if t["actueel"] else "nee"})
        na = pagina["volgende"]
        if na is None:
            return uit.getvalue()


#: the status filters of GET /berichten
BERICHT_STATUS = ("te-verzenden", "verzonden", "afgekeurd", "fout", "verwerkt")


def _bericht_status(status: str) -> ColumnElement[bool]:
    """te-verzenden: waits in the outbox; verzonden: taken by the hub; afgekeurd: rejected by its receiver
    (our heenbericht by the retour, or a message we received and rejected); fout: refused by the hub
    (geweigerd) or a retour to no message of ours (onbekend); verwerkt: received and processed."""
    if status == "afgekeurd":
        return or_(and_(Bericht.richting == "uit", Bericht.retour_status == "afgekeurd"),
                   and_(Bericht.richting == "in", Bericht.status == "afgekeurd"))
    if status == "fout":
        return or_(and_(Bericht.richting == "uit", Bericht.status == "geweigerd"),
                   and_(Bericht.richting == "in", Bericht.status == "onbekend"))
    richting = "in" if status == "verwerkt" else "uit"
    return and_(Bericht.richting == richting, Bericht.status == status)


def berichten(session: Session, *, status: Sequence[str] = (), bericht: str | None = None,
              richting: str | None = None, na: int | None = None, limit: int = 100) -> dict[str, Any]:
    """The gemeente's messages (by id, ``limit`` at a time after ``na``) in any of ``status``, of type
    ``bericht``, in or out; with why a waiting one waits and since when, and the client's BSN."""
    q = (select(Bericht, Client.bsn).outerjoin(Client, Client.id == Bericht.client_id)
         .order_by(Bericht.id).limit(limit + 1))
    if status:
        q = q.where(or_(*(_bericht_status(s) for s in status)))
    if bericht is not None:
        q = q.where(Bericht.bericht == bericht)
    if richting is not None:
        q = q.where(Bericht.richting == richting)
    if na is not None:
        q = q.where(Bericht.id > na)
    pagina, volgende = _pagina(list(session.execute(q)), limit, lambda r: r[0].id)
    return {"items": [{"id": b.id, "richting": b.richting, "bericht": b.bericht, "identificatie": b.identificatie,
                       "afzender": b.afzender, "ontvanger": b.ontvanger, "bsn": bsn, "status": b.status,
                       "wacht_op": (b.fout or "de volgende ronde naar de hub") if b.status == "te-verzenden" else None,
                       "fout": b.fout if b.status != "te-verzenden" else None,
                       "retour": b.retour_status,
                       **retourcodes_met_betekenis(b.retourcodes),
                       "sinds": b.created_at.isoformat()} for b, bsn in pagina],
            "volgende": volgende}
