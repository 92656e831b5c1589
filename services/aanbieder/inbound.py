"""Messages from gemeenten, as the hub delivers them: stored once, judged, answered.

WMO301 and WMO319 are validated (XSD and every in-message rule) and answered with WMO302 / WMO320:
without RetourCode when correct, with 0001 when not (then nothing changes). A WMO301 product whose
ToewijzingNummer already names another client or product is refused with 9332 (TR332), the rest taken over. Retours (WMO306, 308, 316, 318) are matched to the message they answer and their verdict is
kept. Intake is idempotent on (afzender, berichttype, identificatie).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from iwmo.berichten import Bericht as BerichtModel
from iwmo.berichten.toewijzing import Wmo301
from iwmo.berichten.verzoek import Wmo316, Wmo319
from iwmo.regels import Fout
from iwmo.retour import RetourOpties, goedgekeurd, is_niveau2, retour, retourcodes
from iwmo.validation import validate
from iwmo.xml import from_xml
from services.aanbieder.models import Bericht, Client, Toewijzing, Verzoek
from services.common import berichtenverkeer


@dataclass(frozen=True)
class Verwerking:
    bericht: Bericht
    nieuw: bool


def verwerk(session: Session, *, xml: bytes, aanbieder: str, nu: dt.datetime, hub_id: int | None = None) -> Verwerking:
    """Store and process one message for ``aanbieder``; the caller commits."""
    rapport = validate(xml, today=nu.date())
    if rapport.bericht is None or any(f.code in ("XML", "XSD") for f in rapport.fouten):
        raise ValueError("geen geldig iWmo-bericht; de hub had het moeten weigeren")
    model = from_xml(xml)
    eerder = berichtenverkeer.bestaand(session, Bericht, model)
    if eerder is not None:
        return Verwerking(eerder, nieuw=False)
    afzender, ident = berichtenverkeer.herkomst(model)
    client = getattr(model, "client", None)
    row = Bericht(richting="in", bericht=model.BERICHT, afzender=afzender, ontvanger=aanbieder, aanbieder=aanbieder,
                  identificatie=ident, bsn=client.bsn if client is not None else None, xml=xml, status="verwerkt",
                  hub_id=hub_id, created_at=nu)
    session.add(row)
    session.flush()
    if model.BERICHT in berichtenverkeer.RETOUREN:
        if rapport.fouten:  # a retour is never answered; a faulty one is kept, not applied
            row.status, row.fout = "afgekeurd", _tekst(rapport.fouten)
        else:
            _verwerk_retour(session, model, row)
    elif model.BERICHT in ("WMO301", "WMO319"):
        fouten = rapport.fouten  # in-message faults: 0001, nothing changes
        if not fouten:
            verwerk_heen = _verwerk_301 if model.BERICHT == "WMO301" else _verwerk_319
            fouten = verwerk_heen(session, model, row)  # type: ignore[arg-type]
        _beantwoord(session, model, row, fouten, nu)
    else:
        row.status, row.fout = "onbekend", f"{model.BERICHT} wordt door de aanbieder niet verwerkt"
    return Verwerking(row, nieuw=True)


def _tekst(fouten: list[Fout]) -> str:
    return "; ".join(f"{f.code}: {f.details}" for f in fouten)


def _beantwoord(session: Session, heen: BerichtModel, rij: Bericht, fouten: list[Fout], nu: dt.datetime) -> None:
    """Queue the retour we owe for ``heen`` (WMO302 / WMO320) and record the verdict on its row. A message
    refused as a whole (0001) changed nothing; one with refused products was taken over for the others."""
    rij.status = "afgekeurd" if any(is_niveau2(f) for f in fouten) else "verwerkt"
    rij.retour_status = "afgekeurd" if fouten else "goedgekeurd"
    rij.retourcodes = ",".join(dict.fromkeys(f.retourcode or "" for f in fouten)) or None
    rij.fout = _tekst(fouten) or None
    antwoord = retour(heen, fouten, RetourOpties(identificatie="?", dagtekening=nu.date()))
    berichtenverkeer.plan(session, Bericht(afzender=rij.aanbieder, ontvanger=rij.afzender, aanbieder=rij.aanbieder,
                                           bsn=rij.bsn, antwoord_op=rij.id),
                          antwoord, prefix="A", nu=nu, set_identificatie=berichtenverkeer.zet_identificatie_retour)


def _tr332(bekend: Toewijzing | None, bsn: str, product: object) -> str | None:
    """TR332: one ToewijzingNummer names one ToegewezenProduct at a gemeente: not another client's, not
    another product."""
    if bekend is None:
        return None
    if bekend.bsn != bsn:
        return "het ToewijzingNummer hoort bij een andere client"
    categorie, code = (product.categorie, product.code) if product is not None else (None, None)  # type: ignore[attr-defined]
    if (bekend.categorie, bekend.code) != (categorie, code):
        return f"het ToewijzingNummer hoort bij product {bekend.categorie} {bekend.code or ''}".rstrip()
    return None


def _verwerk_301(session: Session, model: Wmo301, row: Bericht) -> list[Fout]:
    """Take over the client and every ToegewezenProduct as this WMO301 states them (the latest counts).
    A product whose number already names another client or product is refused (TR332, 9332); the others
    are taken over."""
    c = model.client
    aanbieder, gemeente = row.aanbieder, row.afzender
    fouten: list[Fout] = []
    client = session.scalar(select(Client).where(Client.aanbieder == aanbieder, Client.bsn == c.bsn))
    if client is None:
        client = Client(aanbieder=aanbieder, bsn=c.bsn)
        session.add(client)
    client.geboortedatum, client.geslacht = c.geboortedatum.datum, c.geslacht
    naam = c.naam.geslachtsnaam
    client.achternaam, client.voorvoegsel, client.voorletters = naam.achternaam, naam.voorvoegsel, c.naam.voorletters
    for index, p in enumerate(c.toegewezen_producten, start=1):
        t = session.scalar(select(Toewijzing).where(Toewijzing.aanbieder == aanbieder, Toewijzing.gemeente == gemeente,
                                                    Toewijzing.nummer == p.toewijzing_nummer))
        reden = _tr332(t, c.bsn, p.product)
        if reden is not None:
            fouten.append(Fout("TR332", [f"/Bericht/Client/ToegewezenProducten/ToegewezenProduct[{index}]"], "9332",
                               f"ToegewezenProduct {index} ({p.toewijzing_nummer}): {reden}"))
            continue
        if t is None:
            t = Toewijzing(aanbieder=aanbieder, gemeente=gemeente, nummer=p.toewijzing_nummer)
            session.add(t)
        t.bsn, t.ingangsdatum, t.einddatum = c.bsn, p.ingangsdatum, p.einddatum
        t.categorie, t.code = (p.product.categorie, p.product.code) if p.product else (None, None)
        t.volume, t.eenheid, t.frequentie = ((p.omvang.volume, p.omvang.eenheid, p.omvang.frequentie) if p.omvang
                                             else (None, None, None))
        t.budget, t.reden_wijziging, t.bericht_id = p.budget, p.reden_wijziging, row.id
        if p.referentie_aanbieder:
            t.referentie_aanbieder = p.referentie_aanbieder
            _verzoek_status(session, aanbieder, p.referentie_aanbieder, "toegekend",
                            f"toegekend met toewijzing {p.toewijzing_nummer}")
    return fouten


def _verwerk_319(session: Session, model: Wmo319, row: Bericht) -> list[Fout]:
    a = model.antwoord
    if a.verzoek_antwoord == "1":
        status, tekst = "afgewezen", f"afgewezen, reden {a.reden_afwijzing_verzoek}"
    else:
        status, tekst = "in-onderzoek", "de gemeente onderzoekt het verzoek"
    if not _verzoek_status(session, row.aanbieder, a.referentie_aanbieder, status, tekst):
        row.fout = f"geen verzoek met referentie {a.referentie_aanbieder}"
    return []


def _verzoek_status(session: Session, aanbieder: str, referentie: str, status: str, tekst: str) -> bool:
    verzoek = session.scalar(select(Verzoek).where(Verzoek.aanbieder == aanbieder, Verzoek.referentie == referentie))
    if verzoek is None:
        return False
    verzoek.status, verzoek.toelichting = status, tekst
    return True


def _verwerk_retour(session: Session, model: BerichtModel, row: Bericht) -> None:
    """Keep the gemeente's verdict on the message it answers; a rejected request is marked afgekeurd."""
    heen = berichtenverkeer.heenbericht(session, Bericht, model)
    if heen is None:
        row.status, row.fout = "onbekend", "geen verzonden bericht met deze identificatie"
        return
    row.antwoord_op = heen.id
    codes = retourcodes(model)
    heen.retour_status = "goedgekeurd" if goedgekeurd(model) else "afgekeurd"
    heen.retourcodes = ",".join(codes) or None
    if heen.bericht not in ("WMO315", "WMO317"):
        return
    header_codes = set(model.header.retourcodes) - {"0200"}  # type: ignore[attr-defined]
    for verzoek in session.scalars(select(Verzoek).where(Verzoek.bericht_id == heen.id)):
        codes_verzoek = set(header_codes)
        if isinstance(model, Wmo316) and model.client is not None:
            for p in model.client.aangevraagde_producten:
                if p.referentie_aanbieder == verzoek.referentie:
                    codes_verzoek |= set(p.retourcodes) - {"0200"}
        elif model.client is not None:  # WMO318: the request is judged as a whole
            codes_verzoek |= set(retourcodes(model)) - {"0200"}
        if codes_verzoek and verzoek.status == "verzonden":
            verzoek.status, verzoek.toelichting = "afgekeurd", "retourcodes " + ",".join(sorted(codes_verzoek))
