"""What the aanbieder sends on command: start and stop of delivery (WMO305/307), requests (WMO315/317).

Each command composes the message from what the stand-in knows (the toewijzing and the client as the
gemeente's WMO301 stated them), validates it with every in-message rule and queues it in the same
transaction as its own record (Levering, Verzoek). A message the standard rejects is not queued: the
command fails with the rule codes (HTTP 422), so a vendor sees what the gemeente would say.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from infra.errors import DomainError, NotFound
from infra.outbox import InvalidBericht, queue, set_identificatie
from iwmo.berichten import Bericht as BerichtModel
from iwmo.berichten.basis import (
    Achternaam,
    BerichtIdentificatie,
    Geboortedatum,
    Omvang,
    Product,
    VerkorteNaam,
    Verwijzer,
)
from iwmo.berichten.header import Header
from iwmo.berichten.start_stop import StartClient, StartProduct, StopClient, StopProduct, Wmo305, Wmo307
from iwmo.berichten.verzoek import (
    AangevraagdProduct,
    NieuwProduct,
    OngewijzigdProduct,
    TeWijzigenProduct,
    VerzoekClient,
    WijzigingClient,
    Wmo315,
    Wmo317,
)
from iwmo.berichten.verzoek import (
    Verzoek as VerzoekXml,
)
from iwmo.regels.producten import is_verwijderd
from services.aanbieder.models import Bericht, Client, Levering, Toewijzing, Verzoek
from services.gegevens import Persoon


@dataclass(frozen=True)
class Gevraagd:
    """One product asked for (WMO315) or changed / added (WMO317): an omvang or a budget."""

    ingangsdatum: dt.date
    einddatum: dt.date | None = None
    categorie: str | None = None
    code: str | None = None
    volume: int | None = None
    eenheid: str | None = None
    frequentie: str | None = None
    budget: int | None = None
    toewijzingnummer: int | None = None  # WMO317: the toewijzing to change; None = a new product
    referentie: str | None = None  # WMO315: the ReferentieAanbieder (default: generated)
    verwijzer_type: str = "01"
    verwijzer_naam: str | None = None

    def omvang(self) -> Omvang | None:
        if self.volume is None:
            return None
        return Omvang(volume=self.volume, eenheid=self.eenheid or "", frequentie=self.frequentie or "")

    def product(self) -> Product | None:
        return Product(categorie=self.categorie, code=self.code) if self.categorie else None


def _header(aanbieder: str, gemeente: str, nu: dt.datetime) -> Header:
    return Header(afzender=aanbieder, ontvanger=gemeente,
                  bericht_identificatie=BerichtIdentificatie(identificatie="?", dagtekening=nu.date()))


def _verstuur(session: Session, model: BerichtModel, *, aanbieder: str, gemeente: str, bsn: str,
              nu: dt.datetime) -> Bericht:
    try:
        return queue(session, Bericht(afzender=aanbieder, ontvanger=gemeente, aanbieder=aanbieder,
                                                      bsn=bsn), model, prefix="A", nu=nu,
                                     set_identificatie=set_identificatie)
    except InvalidBericht as exc:
        raise DomainError(str(exc)) from exc


def _naam(client: Client) -> VerkorteNaam:
    return VerkorteNaam(geslachtsnaam=Achternaam(achternaam=client.achternaam, voorvoegsel=client.voorvoegsel),
                        voorletters=client.voorletters)


def _toewijzing(session: Session, aanbieder: str, nummer: int, gemeente: str | None) -> Toewijzing:
    q = select(Toewijzing).where(Toewijzing.aanbieder == aanbieder, Toewijzing.nummer == nummer)
    if gemeente:
        q = q.where(Toewijzing.gemeente == gemeente)
    gevonden = session.scalars(q).all()
    if not gevonden:
        raise NotFound(f"aanbieder {aanbieder} heeft geen toewijzing {nummer}", "toewijzingnummer")
    if len(gevonden) > 1:
        raise DomainError(f"toewijzing {nummer} bestaat bij meer gemeenten; geef de gemeente op", "gemeente")
    return gevonden[0]


def _client(session: Session, aanbieder: str, bsn: str) -> Client | None:
    return session.scalar(select(Client).where(Client.aanbieder == aanbieder, Client.bsn == bsn))


def start(session: Session, *, aanbieder: str, toewijzingnummer: int, begindatum: dt.date, nu: dt.datetime,
          gemeente: str | None = None, status_aanlevering: str = "1") -> Bericht:
    """WMO305 for one toewijzing (status 1 new, 3 delete an earlier start; 2 is not used, OP033x2)."""
    t = _toewijzing(session, aanbieder, toewijzingnummer, gemeente)
    client = session.scalars(select(Client).where(Client.aanbieder == aanbieder, Client.bsn == t.bsn)).one()
    model = Wmo305(header=_header(aanbieder, t.gemeente, nu), client=StartClient(
        bsn=t.bsn, geboortedatum=Geboortedatum(datum=client.geboortedatum), geslacht=client.geslacht,
        naam=_naam(client), start_producten=[StartProduct(
            toewijzing_nummer=t.nummer, product=Product(categorie=t.categorie, code=t.code) if t.categorie else None,
            toewijzing_ingangsdatum=t.ingangsdatum, begindatum=begindatum, status_aanlevering=status_aanlevering)]))
    row = _verstuur(session, model, aanbieder=aanbieder, gemeente=t.gemeente, bsn=t.bsn, nu=nu)
    session.add(Levering(aanbieder=aanbieder, gemeente=t.gemeente, nummer=t.nummer, soort="start",
                         begindatum=begindatum, status_aanlevering=status_aanlevering, bericht_id=row.id))
    return row


def stop(session: Session, *, aanbieder: str, toewijzingnummer: int, einddatum: dt.date, reden: str,
         nu: dt.datetime, begindatum: dt.date | None = None, gemeente: str | None = None,
         status_aanlevering: str = "1") -> Bericht:
    """WMO307 for one toewijzing; ``begindatum`` defaults to that of the latest start this aanbieder sent."""
    t = _toewijzing(session, aanbieder, toewijzingnummer, gemeente)
    if begindatum is None:
        laatste = _laatste_start(session, t)
        if laatste is None:
            raise DomainError(f"toewijzing {t.nummer} is niet gestart; geef de begindatum op", "begindatum")
        begindatum = laatste.begindatum
    client = session.scalars(select(Client).where(Client.aanbieder == aanbieder, Client.bsn == t.bsn)).one()
    model = Wmo307(header=_header(aanbieder, t.gemeente, nu), client=StopClient(
        bsn=t.bsn, geboortedatum=Geboortedatum(datum=client.geboortedatum), geslacht=client.geslacht,
        naam=_naam(client), stop_producten=[StopProduct(
            toewijzing_nummer=t.nummer, product=Product(categorie=t.categorie, code=t.code) if t.categorie else None,
            toewijzing_ingangsdatum=t.ingangsdatum, begindatum=begindatum, reden_beeindiging=reden,
            einddatum=einddatum, status_aanlevering=status_aanlevering)]))
    row = _verstuur(session, model, aanbieder=aanbieder, gemeente=t.gemeente, bsn=t.bsn, nu=nu)
    session.add(Levering(aanbieder=aanbieder, gemeente=t.gemeente, nummer=t.nummer, soort="stop",
                         begindatum=begindatum, einddatum=einddatum, reden_beeindiging=reden,
                         status_aanlevering=status_aanlevering, bericht_id=row.id))
    return row


def _laatste_start(session: Session, t: Toewijzing) -> Levering | None:
    """The latest start of this toewijzing that still stands: not refused by the hub or the gemeente, not
    deleted by a later status-3 start for the same begindatum."""
    staand: dict[dt.date, Levering] = {}
    for lev, retour_status in session.execute(
            select(Levering, Bericht.retour_status).join(Bericht, Levering.bericht_id == Bericht.id).where(
                Bericht.status != "geweigerd",
                Levering.aanbieder == t.aanbieder, Levering.gemeente == t.gemeente, Levering.nummer == t.nummer,
                Levering.soort == "start").order_by(Levering.id)):
        if retour_status == "afgekeurd":
            continue
        if lev.status_aanlevering == "3":
            staand.pop(lev.begindatum, None)
        else:
            staand[lev.begindatum] = lev
    return max(staand.values(), key=lambda lev: lev.id, default=None)


def _referentie(soort: str) -> str:
    return f"{soort}{uuid.uuid4().hex[:12].upper()}"  # 15 characters, unique per aanbieder


def verzoek_om_toewijzing(session: Session, *, aanbieder: str, gemeente: str, bsn: str,
                          producten: Sequence[Gevraagd], nu: dt.datetime,
                          client: Persoon | None = None) -> tuple[Bericht, list[str]]:
    """WMO315 asking for ``producten``; returns the message and the ReferentieAanbieder of each product.
    The client's details come from ``client``, or from an earlier WMO301 when omitted."""
    if not producten:
        raise DomainError("een verzoek om toewijzing vraagt ten minste een product", "producten")
    bekend = _client(session, aanbieder, bsn)
    if client is not None:
        if bekend is None:
            bekend = Client(aanbieder=aanbieder, bsn=bsn)
            session.add(bekend)
        for name, waarde in client.model_dump(include=set(Persoon.model_fields)).items():
            setattr(bekend, name, waarde)
    elif bekend is None:
        raise DomainError("client onbekend bij deze aanbieder: geef de clientgegevens op", "client")
    _geen_open_verzoek(session, aanbieder=aanbieder, gemeente=gemeente, bsn=bsn)
    referenties = [p.referentie or _referentie("VOT") for p in producten]
    model = Wmo315(header=_header(aanbieder, gemeente, nu), client=VerzoekClient(
        bsn=bsn, geboortedatum=Geboortedatum(datum=bekend.geboortedatum), geslacht=bekend.geslacht,
        naam=_naam(bekend), aangevraagde_producten=[AangevraagdProduct(
            referentie_aanbieder=ref, product=p.product(), toewijzing_ingangsdatum=p.ingangsdatum,
            toewijzing_einddatum=p.einddatum, omvang=p.omvang(), budget=p.budget,
            verwijzer=Verwijzer(type=p.verwijzer_type, naam=p.verwijzer_naam)) for ref, p in zip(referenties,
                                                                                               producten, strict=True)]))
    row = _verstuur(session, model, aanbieder=aanbieder, gemeente=gemeente, bsn=bsn, nu=nu)
    for ref in referenties:
        _nieuw_verzoek(session, aanbieder=aanbieder, gemeente=gemeente, soort="VOT", referentie=ref, bsn=bsn,
                       bericht_id=row.id)
    return row, referenties


def is_actueel(t: Toewijzing, op: dt.date) -> bool:
    """Current for a request (OP087): not ended before ``op`` and not deleted (RedenWijziging 13 or 01 with
    Einddatum = Ingangsdatum)."""
    return not is_verwijderd(t.reden_wijziging, t.ingangsdatum, t.einddatum) and (
        t.einddatum is None or t.einddatum >= op)


def _met_omvang(w: Gevraagd, t: Toewijzing) -> Gevraagd:
    """A change that does not restate the omvang or budget keeps the toewijzing's own (a product with a
    code needs an omvang, TR411; a budget toewijzing stays one)."""
    if w.volume is not None or w.budget is not None:
        return w
    if t.budget is not None:
        return replace(w, budget=t.budget)
    if t.volume is None:
        return w
    return replace(w, volume=t.volume, eenheid=t.eenheid, frequentie=t.frequentie)


def _geen_open_verzoek(session: Session, *, aanbieder: str, gemeente: str, bsn: str) -> None:
    """TR374: one request per client at a time; the gemeente refuses a second one while one is open."""
    open_ = session.scalar(select(Verzoek.referentie).join(Bericht, Verzoek.bericht_id == Bericht.id).where(
        Verzoek.aanbieder == aanbieder, Verzoek.gemeente == gemeente, Verzoek.bsn == bsn,
        Verzoek.status.in_(("verzonden", "in-onderzoek")), Bericht.status != "geweigerd"))  # the hub refused it
    if open_ is not None:
        raise DomainError(f"verzoek {open_} voor deze client is nog niet beantwoord; de gemeente neemt er maar een "
                         "tegelijk in behandeling (TR374, 9374)", "bsn")


def _nieuw_verzoek(session: Session, **velden: Any) -> None:
    if session.scalar(select(Verzoek.id).where(Verzoek.aanbieder == velden["aanbieder"],
                                               Verzoek.referentie == velden["referentie"])) is not None:
        raise DomainError(f"referentie {velden['referentie']} is al gebruikt", "referentie")
    session.add(Verzoek(**velden))


def verzoek_om_wijziging(session: Session, *, aanbieder: str, gemeente: str, bsn: str, wijzigingen: Sequence[Gevraagd],
                         nu: dt.datetime, reden_verzoek: str = "1", referentie: str | None = None) -> tuple[Bericht, str]:
    """WMO317: change the toewijzingen named in ``wijzigingen`` (or add products, without toewijzingnummer).
    Every other current toewijzing of the client at this gemeente is listed as unchanged, as the
    gemeente expects the whole picture."""
    if not wijzigingen:
        raise DomainError("een verzoek om wijziging vraagt ten minste een wijziging", "wijzigingen")
    if _client(session, aanbieder, bsn) is None:
        raise DomainError("deze aanbieder heeft geen toewijzing voor deze client", "bsn")
    _geen_open_verzoek(session, aanbieder=aanbieder, gemeente=gemeente, bsn=bsn)
    actueel = [t for t in session.scalars(select(Toewijzing).where(
        Toewijzing.aanbieder == aanbieder, Toewijzing.gemeente == gemeente, Toewijzing.bsn == bsn).order_by(
        Toewijzing.nummer)) if is_actueel(t, nu.date())]
    per_nummer = {t.nummer: t for t in actueel}
    te_wijzigen = {w.toewijzingnummer for w in wijzigingen if w.toewijzingnummer is not None}
    for nummer in te_wijzigen:
        if nummer not in per_nummer:
            _toewijzing(session, aanbieder, nummer, gemeente)  # 404 when unknown altogether
            raise DomainError(f"toewijzing {nummer} is geen actuele toewijzing van deze client bij gemeente {gemeente} "
                             "(TR351)", "toewijzingnummer")
    wijzigingen = [_met_omvang(w, per_nummer[w.toewijzingnummer]) if w.toewijzingnummer is not None else w
                   for w in wijzigingen]
    referentie = referentie or _referentie("VOW")
    model = Wmo317(header=_header(aanbieder, gemeente, nu), client=WijzigingClient(bsn=bsn, verzoek=VerzoekXml(
        referentie_aanbieder=referentie, reden_verzoek=reden_verzoek,
        ongewijzigde_producten=[OngewijzigdProduct(toewijzing_nummer=t.nummer) for t in actueel
                                if t.nummer not in te_wijzigen],
        te_wijzigen_producten=[TeWijzigenProduct(
            toewijzing_nummer=w.toewijzingnummer, gewenste_ingangsdatum=w.ingangsdatum, einddatum=w.einddatum,
            omvang=w.omvang(), budget=w.budget) for w in wijzigingen if w.toewijzingnummer is not None],
        nieuwe_producten=[NieuwProduct(product=w.product(), gewenste_ingangsdatum=w.ingangsdatum,
                                       einddatum=w.einddatum, omvang=w.omvang(), budget=w.budget)
                          for w in wijzigingen if w.toewijzingnummer is None])))
    row = _verstuur(session, model, aanbieder=aanbieder, gemeente=gemeente, bsn=bsn, nu=nu)
    _nieuw_verzoek(session, aanbieder=aanbieder, gemeente=gemeente, soort="VOW", referentie=referentie, bsn=bsn,
                   bericht_id=row.id)
    return row, referentie
