"""Read models: plans with their versions and computed time, normenkaders, besluiten, as the API shows them.

Exact figures are shown as texts ("1620/13" minutes per week) beside the rounded-up whole minutes, so that
anyone can redo the sum."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.plan.domain import besluit as besluiten
from services.plan.domain.brief import (
    Brief,
    BriefInstellingen,
    datum,
    resultaat_voorziening,
    uren_voorziening,
)
from services.plan.domain.plannen import berekening_van, normenkader_van, versies
from services.plan.domain.rekenen import Berekening, afgerond, als_tekst, uren_en_minuten
from services.plan.models import Besluit, Normenkader, Plan, PlanVersie


def in_woorden(per_week: int, per_jaar: int) -> str:
    """``"2 uur en 5 minuten per week, 108 uur per jaar"``."""
    return f"{uren_en_minuten(per_week)} per week, {uren_en_minuten(per_jaar)} per jaar"


def berekening(b: Berekening) -> dict[str, Any]:
    return {
        "resultaat": b.resultaat,
        "activiteiten": [{"code": a.code, "omschrijving": a.omschrijving, "frequentie": str(a.frequentie),
                          "norm_minuten_per_keer": als_tekst(a.norm_minuten_per_keer),
                          "minuten_per_keer": als_tekst(a.minuten_per_keer),
                          "minuten_per_week": als_tekst(a.per_week), "minuten_per_jaar": als_tekst(a.per_jaar),
                          "afwijking": a.afwijking.value if a.afwijking else None, "reden": a.reden,
                          "grond": a.grond} for a in b.activiteiten],
        "omstandigheden": [{"code": o.code, "omschrijving": o.omschrijving, "aantal": o.aantal,
                            "minuten_per_week": als_tekst(o.per_week), "minuten_per_jaar": als_tekst(o.per_jaar),
                            "toelichting": o.toelichting} for o in b.omstandigheden],
        "vervallen": [{"code": v.code, "omschrijving": v.omschrijving, "norm_minuten_per_week":
                       als_tekst(v.norm_per_week), "reden": v.reden, "grond": v.grond} for v in b.vervallen],
        "totaal": {"minuten_per_week": b.per_week, "minuten_per_jaar": b.per_jaar,
                   "minuten_per_week_exact": als_tekst(b.per_week_exact),
                   "minuten_per_jaar_exact": als_tekst(b.per_jaar_exact),
                   "in_woorden": in_woorden(b.per_week, b.per_jaar)},
        "norm": {"minuten_per_week": afgerond(b.norm_per_jaar_h)[0], "minuten_per_jaar": afgerond(b.norm_per_jaar_h)[1],
                 "minuten_per_week_exact": als_tekst(b.norm_per_week_exact)},
        "verlaagd": b.verlaagd,
    }


def normenkader(row: Normenkader, *, met_document: bool = False) -> dict[str, Any]:
    versie = normenkader_van(row)
    uit: dict[str, Any] = {
        "naam": row.naam, "versie": row.versie, "titel": row.titel, "gemeente": row.gemeente,
        "geldig_van": row.geldig_van, "geldig_tot": row.geldig_tot, "demonstratie": versie.demonstratie,
        "bruikbaar": row.bruikbaar, "waarom_niet_bruikbaar": versie.waarom_niet_bruikbaar(),
        "voorzieningen": [{"categorie": v.categorie, "code": v.code, "resultaat": v.resultaat,
                           "norm": in_woorden(*afgerond(v.norm_per_jaar()))}
                          for v in versie.voorzieningen],
        "door": row.door, "op": row.op,
    }
    if met_document:
        uit["document"] = row.document
    return uit


def versie(session: Session, v: PlanVersie, in_bezwaar: set[int]) -> dict[str, Any]:
    kader = session.get_one(Normenkader, v.normenkader_id)
    return {
        "nummer": v.nummer, "status": v.status, "in_bezwaar": v.besluit_id in in_bezwaar,
        "toewijzingnummer": v.toewijzingnummer, "normenkader": {"naam": kader.naam, "versie": kader.versie},
        "besluit": v.besluit_id, "reden": v.reden, "door": v.door, "op": v.op, "inhoud": v.inhoud,
        "berekening": berekening(berekening_van(session, v)),
    }


def plan(session: Session, p: Plan) -> dict[str, Any]:
    alle = versies(session, p)
    besluit_ids = [v.besluit_id for v in alle if v.besluit_id is not None]
    in_bezwaar = set(besluiten.bezwaren(session, besluit_ids))
    geldend = [v.nummer for v in alle if v.status == "vastgesteld"]
    return {"id": p.id, "bsn": p.bsn, "voorziening": {"categorie": p.categorie, "code": p.code},
            "geldende_versie": geldend[-1] if geldend else None,
            "versies": [versie(session, v, in_bezwaar) for v in alle]}


def besluit(session: Session, b: Besluit) -> dict[str, Any]:
    bezwaar = besluiten.bezwaren(session, [b.id]).get(b.id)
    plannen = session.execute(select(PlanVersie.plan_id, PlanVersie.nummer).where(PlanVersie.besluit_id == b.id)
                              .order_by(PlanVersie.plan_id)).all()
    return {"id": b.id, "bsn": b.bsn, "besluitdatum": b.besluitdatum, "bekendmaking": b.bekendmaking,
            "einde_bezwaartermijn": b.einde_bezwaartermijn, "instemming": b.instemming, "motivering": b.motivering,
            "toewijzingen": b.toewijzingen, "plannen": [{"plan": p, "versie": n} for p, n in plannen],
            "bezwaar": None if bezwaar is None else {"ontvangen": bezwaar.ontvangen, "tijdig": bezwaar.tijdig,
                                                      "toelichting": bezwaar.toelichting, "door": bezwaar.door,
                                                      "op": bezwaar.op},
            "door": b.door, "op": b.op}



def brief(session: Session, b: Besluit, inst: BriefInstellingen) -> Brief:
    """The letter to the client about besluit ``b``: per toewijzing in it what he gets, with the plan's time
    for a resultaat (the established version, computed as it was)."""
    versies = {v.toewijzingnummer: v for v in session.scalars(select(PlanVersie).where(PlanVersie.besluit_id == b.id))}
    voorzieningen = []
    for t in b.toewijzingen:
        versie = versies.get(t["toewijzingnummer"])
        if versie is None:
            voorzieningen.append(uren_voorziening(t, inst))
            continue
        kader = normenkader_van(session.get_one(Normenkader, versie.normenkader_id))
        voorzieningen.append(resultaat_voorziening(t, berekening_van(session, versie), kader, inst))
    return Brief(instellingen=inst, kenmerk=f"besluit {b.id}", client_naam=b.client_naam,
                 besluitdatum=datum(b.besluitdatum), bekendmaking=datum(b.bekendmaking),
                 einde_bezwaartermijn=datum(b.einde_bezwaartermijn), voorzieningen=voorzieningen,
                 zonder_instemming=b.motivering if b.instemming == "college" else None)
