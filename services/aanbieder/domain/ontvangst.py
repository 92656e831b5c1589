"""Messages from gemeenten, as the hub delivers them: stored once, judged, answered.

WMO301 and WMO319 are validated (XSD and every in-message rule) and answered with WMO302 / WMO320:
without RetourCode when correct, with 0001 when not. Then the cross-message rules an aanbieder checks:
on a WMO301 TR332 (a ToewijzingNummer names one client and product, 9332) and TR379 (a
ReferentieAanbieder names a request this aanbieder sent, 9379), on the product at fault; on a WMO319
TR355 (the request exists, 9355), TR359 (not already honoured by a WMO301, 9359), TR360 (VerzoekAntwoord
2 only as the first answer, 9360) and TR365 (an earlier answer was a 2, 9365), on the Antwoord. Any fault
rejects the whole message (IV032): nothing of it is taken over. Of two states of one toewijzing the one
with the latest Toewijzingsdatum and -tijd counts (IV013), whatever order they arrive in. Retours (WMO306,
308, 316, 318) are matched to the message they answer and their verdict is kept. Intake is idempotent on
(afzender, berichttype, identificatie).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import cast

from sqlalchemy import select
from sqlalchemy.orm import Session

from infra.inbound import record_retour, record_verdict
from infra.outbox import queue, set_identificatie_retour
from iwmo.berichten import Bericht as BerichtModel
from iwmo.berichten.basis import Product
from iwmo.berichten.toewijzing import Wmo301
from iwmo.berichten.verzoek import Wmo316, Wmo319
from iwmo.regels import Fout
from iwmo.retour import RetourOpties, is_niveau2, retour, retourcodes
from services.aanbieder.models import Bericht, Client, Toewijzing, Verzoek


@dataclass(frozen=True)
class Omgeving:
    """What handling a message needs besides the session: the time of processing."""

    nu: dt.datetime


def ontvang_heenbericht(session: Session, model: BerichtModel, row: Bericht, omg: Omgeving, fouten: list[Fout]) -> None:
    """A WMO301 or WMO319: in-message faults give 0001 and change nothing; else the cross-message rules
    (TR332/TR379 on a WMO301; TR355/TR359/TR360/TR365 on a WMO319) decide; the retour is queued either way."""
    if not fouten:
        # the handler table sends only a WMO301 or a WMO319 here
        fouten = (_verwerk_301(session, model, row) if isinstance(model, Wmo301)
                  else _verwerk_319(session, cast(Wmo319, model), row))
    _beantwoord(session, model, row, fouten, omg.nu)


def ontvang_retour(session: Session, model: BerichtModel, row: Bericht, _omg: Omgeving, _fouten: list[Fout]) -> None:
    """A retour on what we sent (WMO306/308/316/318, WMO325): its verdict is kept on the message it answers."""
    _verwerk_retour(session, model, row)


def _beantwoord(session: Session, heen: BerichtModel, rij: Bericht, fouten: list[Fout], nu: dt.datetime) -> None:
    """Queue the retour we owe for ``heen`` (WMO302 / WMO320) and record the verdict on its row. A message
    refused as a whole (0001) changed nothing; one with refused products was taken over for the others."""
    rij.status = "afgekeurd" if any(is_niveau2(f) for f in fouten) else "verwerkt"
    record_verdict(rij, fouten)
    antwoord = retour(heen, fouten, RetourOpties(identificatie="?", dagtekening=nu.date()))
    queue(session, Bericht(afzender=rij.aanbieder, ontvanger=rij.afzender, aanbieder=rij.aanbieder,
                                           bsn=rij.bsn, antwoord_op=rij.id),
                          antwoord, prefix="A", nu=nu, set_identificatie=set_identificatie_retour)


def _tr332(bekend: Toewijzing | None, bsn: str, product: Product | None) -> str | None:
    """TR332: one ToewijzingNummer names one ToegewezenProduct at a gemeente: not another client's, not
    another product."""
    if bekend is None:
        return None
    if bekend.bsn != bsn:
        return "het ToewijzingNummer hoort bij een andere client"
    categorie, code = (product.categorie, product.code) if product is not None else (None, None)
    if (bekend.categorie, bekend.code) != (categorie, code):
        return f"het ToewijzingNummer hoort bij product {bekend.categorie} {bekend.code or ''}".rstrip()
    return None


def _toegewezen_pad(index: int) -> str:
    return f"/Bericht/Client/ToegewezenProducten/ToegewezenProduct[{index}]"


def _verwerk_301(session: Session, model: Wmo301, row: Bericht) -> list[Fout]:
    """Check every ToegewezenProduct (TR332, TR379); without faults take over the client and each product
    as this WMO301 states it, unless a newer state of it is known (IV013). A fault changes nothing."""
    c = model.client
    aanbieder, gemeente = row.aanbieder, row.afzender
    bekend = {t.nummer: t for t in session.scalars(select(Toewijzing).where(
        Toewijzing.aanbieder == aanbieder, Toewijzing.gemeente == gemeente,
        Toewijzing.nummer.in_([p.toewijzing_nummer for p in c.toegewezen_producten])))}
    eigen = set(session.scalars(select(Verzoek.referentie).where(Verzoek.aanbieder == aanbieder,
                                                                 Verzoek.gemeente == gemeente)))
    fouten: list[Fout] = []
    for index, p in enumerate(c.toegewezen_producten, start=1):
        reden = _tr332(bekend.get(p.toewijzing_nummer), c.bsn, p.product)
        if reden is not None:
            fouten.append(Fout("TR332", [_toegewezen_pad(index)], "9332",
                               f"ToegewezenProduct {index} ({p.toewijzing_nummer}): {reden}"))
        if p.referentie_aanbieder and p.referentie_aanbieder not in eigen:
            fouten.append(Fout("TR379", [_toegewezen_pad(index)], "9379",
                               f"ToegewezenProduct {index}: ReferentieAanbieder {p.referentie_aanbieder} hoort bij "
                               "geen verzoek van deze aanbieder"))
    if fouten:
        return fouten
    client = session.scalar(select(Client).where(Client.aanbieder == aanbieder, Client.bsn == c.bsn))
    if client is None:
        client = Client(aanbieder=aanbieder, bsn=c.bsn)
        session.add(client)
    client.geboortedatum, client.geslacht = c.geboortedatum.datum, c.geslacht
    naam = c.naam.geslachtsnaam
    client.achternaam, client.voorvoegsel, client.voorletters = naam.achternaam, naam.voorvoegsel, c.naam.voorletters
    for p in c.toegewezen_producten:
        t = bekend.get(p.toewijzing_nummer)
        if t is None:
            t = Toewijzing(aanbieder=aanbieder, gemeente=gemeente, nummer=p.toewijzing_nummer)
            session.add(t)
        elif t.toewijzingsdatum is not None and _moment(t.toewijzingsdatum, t.toewijzingstijd) > _moment(
                p.toewijzingsdatum, p.toewijzingstijd):
            continue  # an older state arriving late: the newer one stands (IV013)
        t.bsn, t.ingangsdatum, t.einddatum = c.bsn, p.ingangsdatum, p.einddatum
        t.categorie, t.code = (p.product.categorie, p.product.code) if p.product else (None, None)
        t.volume, t.eenheid, t.frequentie = ((p.omvang.volume, p.omvang.eenheid, p.omvang.frequentie) if p.omvang
                                             else (None, None, None))
        t.budget, t.reden_wijziging, t.bericht_id = p.budget, p.reden_wijziging, row.id
        t.toewijzingsdatum, t.toewijzingstijd = p.toewijzingsdatum, p.toewijzingstijd
        if p.referentie_aanbieder:
            t.referentie_aanbieder = p.referentie_aanbieder
            _verzoek_status(session, aanbieder, gemeente, p.referentie_aanbieder, "toegekend",
                            f"toegekend met toewijzing {p.toewijzing_nummer}")
    return fouten


def _moment(datum: dt.date, tijd: dt.time | None) -> tuple[dt.date, dt.time]:
    return datum, tijd or dt.time.min


ANTWOORD = "/Bericht/Antwoord"


def _verwerk_319(session: Session, model: Wmo319, row: Bericht) -> list[Fout]:
    """An answer to a request: checked against the request and earlier answers (TR355, TR359, TR360,
    TR365); without faults the request's state follows it."""
    a = model.antwoord
    ref = a.referentie_aanbieder
    verzoek = session.scalar(select(Verzoek).where(Verzoek.aanbieder == row.aanbieder, Verzoek.gemeente == row.afzender,
                                                   Verzoek.referentie == ref))
    if verzoek is None:
        return [Fout("TR355", [ANTWOORD], "9355", f"ReferentieAanbieder {ref} hoort bij geen verzoek van deze aanbieder")]
    if verzoek.status == "toegekend":
        return [Fout("TR359", [ANTWOORD], "9359", f"verzoek {ref} is al met een toewijzing gehonoreerd")]
    if verzoek.status == "afgewezen":
        return [Fout("TR365", [ANTWOORD], "9365", f"verzoek {ref} is al afgewezen; alleen na een antwoord 2 "
                                                  "(in onderzoek) kan nog een antwoord volgen")]
    if a.verzoek_antwoord == "2" and verzoek.status == "in-onderzoek":
        return [Fout("TR360", [ANTWOORD], "9360", f"verzoek {ref} is al eerder beantwoord; 'in onderzoek' kan "
                                                  "alleen het eerste antwoord zijn")]
    if a.verzoek_antwoord == "1":
        verzoek.status, verzoek.toelichting = "afgewezen", f"afgewezen, reden {a.reden_afwijzing_verzoek}"
    else:
        verzoek.status, verzoek.toelichting = "in-onderzoek", "de gemeente onderzoekt het verzoek"
    return []


def _verzoek_status(session: Session, aanbieder: str, gemeente: str, referentie: str, status: str,
                    tekst: str) -> bool:
    verzoek = session.scalar(select(Verzoek).where(Verzoek.aanbieder == aanbieder, Verzoek.gemeente == gemeente,
                                                   Verzoek.referentie == referentie))
    if verzoek is None:
        return False
    verzoek.status, verzoek.toelichting = status, tekst
    return True


def _verwerk_retour(session: Session, model: BerichtModel, row: Bericht) -> None:
    """Keep the gemeente's verdict on the message it answers; a rejected request is marked afgekeurd."""
    heen = record_retour(session, Bericht, model, row)
    if heen is None or heen.bericht not in ("WMO315", "WMO317"):
        return
    afkeur = set(retourcodes(model)) - {"0200", "0233"}
    if not afkeur:
        return
    # any code rejects the whole request message (IV032): every request in it is afgekeurd; its own codes
    # (its product's, or the Client's and Header's) say why, else those found elsewhere in the message
    for verzoek in session.scalars(select(Verzoek).where(Verzoek.bericht_id == heen.id)):
        eigen = set(model.header.retourcodes)
        if isinstance(model, Wmo316) and model.client is not None:
            eigen |= set(model.client.retourcodes)
            eigen |= {c for p in model.client.aangevraagde_producten if p.referentie_aanbieder == verzoek.referentie
                      for c in p.retourcodes}
        eigen -= {"0200", "0233"}
        if verzoek.status == "verzonden":
            verzoek.status = "afgekeurd"
            verzoek.toelichting = ("retourcodes " + ",".join(sorted(eigen)) if eigen else
                                   "het verzoek is met de rest van het bericht afgekeurd (retourcodes "
                                   + ",".join(sorted(afkeur)) + ")")
