"""Compose the WMO301 for one client and one aanbieder from the gemeente's toewijzingen."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from iwmo.berichten.basis import (
    Achternaam,
    Adres,
    BerichtIdentificatie,
    Geboortedatum,
    Huis,
    Product,
    VolledigeNaam,
)
from iwmo.berichten.basis import Omvang as OmvangXml
from iwmo.berichten.header import Header
from iwmo.berichten.toewijzing import Client as ClientXml
from iwmo.berichten.toewijzing import Contact, ToegewezenProduct, Wmo301
from services.toewijzing.models import Client, Toewijzing


def is_actueel(t: Toewijzing, op: dt.date) -> bool:
    """Valid on or after ``op`` and not deleted (Einddatum = Ingangsdatum with RedenWijziging 13)."""
    verwijderd = t.einddatum == t.ingangsdatum and t.reden_wijziging == "13"
    return not verwijderd and (t.einddatum is None or t.einddatum >= op)


def in_bericht(toewijzingen: Sequence[Toewijzing], op: dt.date) -> list[Toewijzing]:
    """What a WMO301 carries: every toewijzing valid on or after its date plus those changed since the
    previous WMO301 to this aanbieder (so that a withdrawal or deletion reaches the aanbieder)."""
    return sorted((t for t in toewijzingen if is_actueel(t, op) or t.gewijzigd), key=lambda t: t.nummer)


def toegewezen_product(t: Toewijzing) -> ToegewezenProduct:
    omvang = None
    if t.volume is not None and t.eenheid and t.frequentie:
        omvang = OmvangXml(volume=t.volume, eenheid=t.eenheid, frequentie=t.frequentie)
    return ToegewezenProduct(
        # TR379: the request's reference only the first time the toewijzing goes out after honouring it
        toewijzing_nummer=t.nummer, referentie_aanbieder=t.referentie_aanbieder if t.gewijzigd else None,
        product=Product(categorie=t.categorie, code=t.code), toewijzingsdatum=t.toewijzingsdatum,
        toewijzingstijd=t.toewijzingstijd, ingangsdatum=t.ingangsdatum, einddatum=t.einddatum,
        # IV099: a RedenWijziging only when the product changed since it last went out
        reden_wijziging=t.reden_wijziging if t.gewijzigd else None, omvang=omvang, budget=t.budget,
        commentaar=t.commentaar)


def client_xml(client: Client, producten: list[ToegewezenProduct]) -> ClientXml:
    adres = Adres(huis=Huis(huisnummer=client.huisnummer), postcode=client.postcode, straatnaam=client.straatnaam,
                  plaatsnaam=client.plaatsnaam, land_code="NL")
    return ClientXml(
        bsn=client.bsn, geboortedatum=Geboortedatum(datum=client.geboortedatum), geslacht=client.geslacht,
        naam=VolledigeNaam(geslachtsnaam=Achternaam(achternaam=client.achternaam, voorvoegsel=client.voorvoegsel),
                           voorletters=client.voorletters, naam_gebruik="1"),
        contactgegevens=[Contact(soort="01", adres=adres)], toegewezen_producten=producten)


def wmo301(*, gemeente: str, aanbieder: str, identificatie: str, dagtekening: dt.date, client: Client,
           toewijzingen: Sequence[Toewijzing]) -> Wmo301:
    header = Header(afzender=gemeente, ontvanger=aanbieder,
                    bericht_identificatie=BerichtIdentificatie(identificatie=identificatie, dagtekening=dagtekening))
    return Wmo301(header=header, client=client_xml(client, [toegewezen_product(t) for t in toewijzingen]))
