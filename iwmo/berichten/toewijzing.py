"""WMO301 Toewijzing and its retour WMO302."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from iwmo.berichten.basis import (
    Adres,
    Communicatie,
    Geboortedatum,
    Omvang,
    OpenPeriode,
    Product,
    Telefoonnummers,
    VolledigeNaam,
)
from iwmo.berichten.bericht import Bericht
from iwmo.berichten.header import Header, RetourHeader
from iwmo.model import Berichtklasse, child, children, value


@dataclass(kw_only=True)
class Contact(Berichtklasse):
    soort: str = value("Soort", "LDT_AdresSoort")
    adres: Adres | None = child("Adres", optional=True)
    organisatie: str | None = value("Organisatie", "LDT_Organisatienaam", optional=True)
    telefoon: Telefoonnummers | None = child("Telefoon", optional=True)
    emailadres: str | None = value("Emailadres", "LDT_Emailadres", optional=True)
    periode: OpenPeriode | None = child("Periode", optional=True)


@dataclass(kw_only=True)
class Relatie(Berichtklasse):
    nummer: str = value("Nummer", "LDT_Persoonsid")
    volgorde: int | None = value("Volgorde", "LDT_RelatieVolgorde", optional=True)
    soort: str = value("Soort", "LDT_SoortRelatie")
    geboortedatum: Geboortedatum | None = child("Geboortedatum", optional=True)
    geslacht: str | None = value("Geslacht", "LDT_Geslacht", optional=True)
    naam: VolledigeNaam = child("Naam")
    contact: Contact = child("Contact")


@dataclass(kw_only=True)
class ToegewezenProduct(Berichtklasse):
    toewijzing_nummer: int = value("ToewijzingNummer", "LDT_Nummer")
    referentie_aanbieder: str | None = value("ReferentieAanbieder", "LDT_Referentie", optional=True)
    product: Product | None = child("Product", optional=True)
    toewijzingsdatum: dt.date = value("Toewijzingsdatum", "LDT_Datum")
    toewijzingstijd: dt.time = value("Toewijzingstijd", "LDT_Tijd")
    ingangsdatum: dt.date = value("Ingangsdatum", "LDT_Datum")
    einddatum: dt.date | None = value("Einddatum", "LDT_Datum", optional=True)
    reden_wijziging: str | None = value("RedenWijziging", "LDT_RedenWijziging", optional=True)
    omvang: Omvang | None = child("Omvang", optional=True)
    budget: int | None = value("Budget", "LDT_Budget", optional=True)
    commentaar: str | None = value("Commentaar", "LDT_Commentaar", optional=True)


@dataclass(kw_only=True)
class Client(Berichtklasse):
    bsn: str = value("Bsn", "LDT_BurgerServicenummer")
    geboortedatum: Geboortedatum = child("Geboortedatum")
    geslacht: str = value("Geslacht", "LDT_Geslacht")
    naam: VolledigeNaam = child("Naam")
    communicatie: Communicatie | None = child("Communicatie", optional=True)
    juridische_status: str | None = value("JuridischeStatus", "LDT_JuridischeStatus", optional=True)
    wettelijke_vertegenwoordiging: str | None = value(
        "WettelijkeVertegenwoordiging", "LDT_WettelijkeVertegenwoordiging", optional=True
    )
    commentaar: str | None = value("Commentaar", "LDT_Commentaar", optional=True)
    relaties: list[Relatie] = children("Relaties", "Relatie", optional=True)
    contactgegevens: list[Contact] = children("Contactgegevens", "Contact")
    toegewezen_producten: list[ToegewezenProduct] = children("ToegewezenProducten", "ToegewezenProduct")


@dataclass(kw_only=True)
class Wmo301(Bericht):
    BERICHT = "WMO301"
    header: Header = child("Header")
    client: Client = child("Client")


@dataclass(kw_only=True)
class Wmo302(Bericht):
    BERICHT = "WMO302"
    header: RetourHeader = child("Header")
    client: Client | None = child("Client", optional=True)
