"""Read models: declaraties with their verdict per Prestatie, what is to be paid per aanbieder and month,
the debet/credit history of a Prestatie, and the export for the financial administration."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable
from fractions import Fraction
from typing import Any

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from infra.errors import NotFound
from services.declaratie.domain.declaratie_regels import Toewijzing
from services.declaratie.domain.levering import Geleverd, levering_van_client
from services.declaratie.models import Declaratie, Prestatie
from services.gegevens import retourcodes_met_betekenis


def _samenvatting(d: Declaratie, aantal: int, afgewezen: int) -> dict[str, Any]:
    return {"id": d.id, "aanbieder": d.aanbieder, "declaratienummer": d.declaratienummer,
            "periode_begin": d.periode_begin, "periode_eind": d.periode_eind, "ingediend": d.ingediend,
            "toegekend": d.toegekend, "status": d.status,
            **retourcodes_met_betekenis(d.retourcodes), "prestaties": aantal,
            "afgewezen": afgewezen, "ontvangen_op": d.ontvangen_op}


def declaraties(session: Session, *, aanbieder: str | None = None, declaratienummer: str | None = None,
                limit: int = 200) -> list[dict[str, Any]]:
    tellingen = (select(Prestatie.declaratie_id, func.count().label("n"),
                        func.sum(case((Prestatie.toegekend.is_(False), 1), else_=0)).label("af"))
                 .group_by(Prestatie.declaratie_id).subquery())
    q = (select(Declaratie, tellingen.c.n, tellingen.c.af).outerjoin(tellingen, tellingen.c.declaratie_id == Declaratie.id)
         .order_by(Declaratie.id.desc()).limit(limit))
    if aanbieder:
        q = q.where(Declaratie.aanbieder == aanbieder)
    if declaratienummer:
        q = q.where(Declaratie.declaratienummer == declaratienummer)
    return [_samenvatting(d, n or 0, int(af or 0)) for d, n, af in session.execute(q)]


def _prestatie(p: Prestatie) -> dict[str, Any]:
    return {"bsn": p.bsn, "referentienummer": p.referentienummer, "vorig_referentienummer": p.vorig_referentienummer,
            "toewijzingnummer": p.toewijzingnummer, "categorie": p.categorie, "code": p.code,
            "begindatum": p.begindatum, "einddatum": p.einddatum, "volume": p.volume, "eenheid": p.eenheid,
            "tarief": p.tarief, "bedrag": p.bedrag, "debet": p.debet, "toegekend": p.toegekend,
            **retourcodes_met_betekenis(p.retourcodes)}


def declaratie(session: Session, declaratie_id: int) -> dict[str, Any]:
    d = session.get(Declaratie, declaratie_id)
    if d is None:
        raise NotFound(f"declaratie {declaratie_id} bestaat niet")
    prestaties = session.scalars(select(Prestatie).where(Prestatie.declaratie_id == d.id).order_by(Prestatie.id)).all()
    return {**_samenvatting(d, len(prestaties), sum(not p.toegekend for p in prestaties)),
            "prestatieregels": [_prestatie(p) for p in prestaties]}


def te_betalen(session: Session) -> list[dict[str, Any]]:
    """Per aanbieder and month (of the ProductPeriode): the granted amount, debet minus credit."""
    totaal: dict[tuple[str, str], list[int]] = {}
    for aanbieder, begin, bedrag in session.execute(select(Prestatie.aanbieder, Prestatie.begindatum, Prestatie.bedrag)
                                                    .where(Prestatie.toegekend.is_(True))):
        regel = totaal.setdefault((aanbieder, begin.strftime("%Y-%m")), [0, 0])
        regel[0] += bedrag
        regel[1] += 1
    return [{"aanbieder": a, "maand": m, "bedrag": b, "prestaties": n} for (a, m), (b, n) in sorted(totaal.items())]


def historie(session: Session, *, aanbieder: str, referentienummer: str) -> list[dict[str, Any]]:
    """A Prestatie and every debet and credit linked to it through VorigReferentieNummer, in order."""
    keten: dict[int, Prestatie] = {}
    te_zoeken = {referentienummer}
    while te_zoeken:
        rijen = session.scalars(select(Prestatie).where(
            Prestatie.aanbieder == aanbieder, Prestatie.referentienummer.in_(te_zoeken)
            | Prestatie.vorig_referentienummer.in_(te_zoeken))).all()
        nieuw = [p for p in rijen if p.id not in keten]
        keten.update((p.id, p) for p in nieuw)
        te_zoeken = {r for p in nieuw for r in (p.referentienummer, p.vorig_referentienummer) if r}
    if not keten:
        raise NotFound(f"geen prestatie {referentienummer} van aanbieder {aanbieder}")
    return [_prestatie(p) for _id, p in sorted(keten.items())]


KOLOMMEN = ["aanbieder", "declaratienummer", "referentienummer", "vorig_referentienummer", "toewijzingnummer",
            "categorie", "code", "begindatum", "einddatum", "volume", "eenheid", "tarief", "bedrag_eurocent"]


def export_csv(session: Session, *, maand: str | None = None) -> str:
    """The granted Prestaties (debet positive, credit negative, in eurocent) for the financial
    administration; no BSN (the ToewijzingNummer and the references identify each line)."""
    q = (select(Prestatie, Declaratie.declaratienummer).join(Declaratie, Declaratie.id == Prestatie.declaratie_id)
         .where(Prestatie.toegekend.is_(True)).order_by(Prestatie.id))
    uit = io.StringIO()
    w = csv.writer(uit, lineterminator="\n")
    w.writerow(KOLOMMEN)
    for p, nummer in session.execute(q):
        if maand and p.begindatum.strftime("%Y-%m") != maand:
            continue
        w.writerow([p.aanbieder, nummer, p.referentienummer, p.vorig_referentienummer or "", p.toewijzingnummer,
                    p.categorie, p.code, p.begindatum.isoformat(), p.einddatum.isoformat(), p.volume, p.eenheid,
                    "" if p.tarief is None else p.tarief, p.bedrag])
    return uit.getvalue()


def _getal(waarde: Fraction | None, decimalen: int = 2) -> float | None:
    return None if waarde is None else round(float(waarde), decimalen)


def levering(session: Session, *, bsn: str, toewijzingen: Iterable[Toewijzing], vandaag: dt.date,
             drempel: float) -> dict[str, Any]:
    """Per toewijzing of the client and calendar month: granted, declared and granted, the percentage, and
    under-delivery (:mod:`services.declaratie.domain.levering`); the Prestaties from this service's own
    tables, in one query."""
    toewijzingen = list(toewijzingen)
    nummers = {t.nummer for t in toewijzingen}
    geleverd = [Geleverd(p.aanbieder, p.toewijzingnummer, p.begindatum, p.volume, p.eenheid, p.debet, p.toegekend)
                for p in session.scalars(select(Prestatie).where(Prestatie.bsn == bsn,
                                                                 Prestatie.toewijzingnummer.in_(nummers)))] if nummers else []
    grens = Fraction(str(drempel))
    regels = levering_van_client(toewijzingen, geleverd, vandaag=vandaag, drempel=grens)
    uit = []
    for r in regels:
        t = r.toewijzing
        uit.append({
            "toewijzingnummer": t.nummer, "aanbieder": t.aanbieder, "categorie": t.categorie, "code": t.code,
            "ingangsdatum": t.ingangsdatum, "einddatum": t.einddatum,
            "omvang": {"volume": t.volume, "eenheid": t.eenheid, "frequentie": t.frequentie, "budget": t.budget},
            "eenheid": t.eenheid, "eenheid_naam": r.eenheid_naam, "grondslag": r.grondslag,
            "onderlevering": r.onderlevering,
            "maanden": [{"maand": m.maand, "begindatum": m.begindatum, "einddatum": m.einddatum,
                         "afgelopen": m.afgelopen, "toegewezen": _getal(m.toegewezen),
                         "gedeclareerd": _getal(m.gedeclareerd), "afgewezen": _getal(m.afgewezen),
                         "percentage": _getal(m.percentage, 1), "onderlevering": m.onderlevering,
                         "opmerkingen": m.opmerkingen} for m in r.maanden]})
    return {"bsn": bsn, "peildatum": vandaag, "drempel": drempel, "onderlevering": any(r.onderlevering for r in regels),
            "toewijzingen": uit}
