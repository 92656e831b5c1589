"""Composite datatypes (CDT_*) shared by all messages; their children are in the basisschema namespace."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from iwmo.model import Samengesteld, child, value


@dataclass(kw_only=True)
class Achternaam(Samengesteld):
    CDT = "CDT_Achternaam"
    achternaam: str = value("Achternaam", "LDT_Naam")
    voorvoegsel: str | None = value("Voorvoegsel", "LDT_Voorvoegsel", optional=True)


@dataclass(kw_only=True)
class Huis(Samengesteld):
    CDT = "CDT_Huis"
    huisnummer: int = value("Huisnummer", "LDT_Huisnummer")
    huisletter: str | None = value("Huisletter", "LDT_Huisletter", optional=True)
    huisnummer_toevoeging: str | None = value("HuisnummerToevoeging", "LDT_HuisnummerToevoeging", optional=True)
    aanduiding_woonadres: str | None = value("AanduidingWoonadres", "LDT_AanduidingWoonadres", optional=True)


@dataclass(kw_only=True)
class Adres(Samengesteld):
    CDT = "CDT_Adres"
    huis: Huis | None = child("Huis", optional=True)
    postcode: str | None = value("Postcode", "LDT_Postcode", optional=True)
    straatnaam: str | None = value("Straatnaam", "LDT_Straatnaam", optional=True)
    plaatsnaam: str | None = value("Plaatsnaam", "LDT_Plaatsnaam", optional=True)
    land_code: str | None = value("LandCode", "LDT_LandCode", optional=True)


@dataclass(kw_only=True)
class BedragMetDC(Samengesteld):
    CDT = "CDT_BedragMetDC"
    bedrag: int = value("Bedrag", "LDT_Bedrag")
    debet_credit: str = value("DebetCredit", "LDT_DebetCredit")


@dataclass(kw_only=True)
class BerichtIdentificatie(Samengesteld):
    CDT = "CDT_BerichtIdentificatie"
    identificatie: str = value("Identificatie", "LDT_IdentificatieBericht")
    dagtekening: dt.date = value("Dagtekening", "LDT_Datum")


@dataclass(kw_only=True)
class Communicatie(Samengesteld):
    CDT = "CDT_Communicatie"
    vorm: str = value("Vorm", "LDT_Communicatievorm")
    taal: str | None = value("Taal", "LDT_Taal", optional=True)


@dataclass(kw_only=True)
class Geboortedatum(Samengesteld):
    CDT = "CDT_Geboortedatum"
    datum: dt.date = value("Datum", "LDT_Datum")
    datum_gebruik: str | None = value("DatumGebruik", "LDT_DatumGebruik", optional=True)


@dataclass(kw_only=True)
class GeslotenPeriode(Samengesteld):
    CDT = "CDT_GeslotenPeriode"
    begindatum: dt.date = value("Begindatum", "LDT_Datum")
    einddatum: dt.date = value("Einddatum", "LDT_Datum")


@dataclass(kw_only=True)
class OpenPeriode(Samengesteld):
    CDT = "CDT_OpenPeriode"
    begindatum: dt.date | None = value("Begindatum", "LDT_Datum", optional=True)
    einddatum: dt.date | None = value("Einddatum", "LDT_Datum", optional=True)


@dataclass(kw_only=True)
class Omvang(Samengesteld):
    CDT = "CDT_Omvang"
    volume: int = value("Volume", "LDT_Volume")
    eenheid: str = value("Eenheid", "LDT_Eenheid")
    frequentie: str = value("Frequentie", "LDT_Frequentie")


@dataclass(kw_only=True)
class Product(Samengesteld):
    CDT = "CDT_Product"
    categorie: str = value("Categorie", "LDT_ProductCategorie")
    code: str | None = value("Code", "LDT_ProductCode", optional=True)


@dataclass(kw_only=True)
class Referentie(Samengesteld):
    CDT = "CDT_Referentie"
    referentie_nummer: str = value("ReferentieNummer", "LDT_ReferentieNummer")
    vorig_referentie_nummer: str | None = value("VorigReferentieNummer", "LDT_ReferentieNummer", optional=True)


@dataclass(kw_only=True)
class Telefoon(Samengesteld):
    CDT = "CDT_Telefoon"
    telefoonnummer: str = value("Telefoonnummer", "LDT_Telefoonnummer")
    landnummer: str = value("Landnummer", "LDT_Landnummer")


@dataclass(kw_only=True)
class Telefoonnummers(Samengesteld):
    CDT = "CDT_Telefoonnummers"
    telefoon01: Telefoon = child("Telefoon01")
    telefoon02: Telefoon | None = child("Telefoon02", optional=True)


@dataclass(kw_only=True)
class TotaalBedragMetDC(Samengesteld):
    CDT = "CDT_TotaalBedragMetDC"
    totaal_bedrag: int = value("TotaalBedrag", "LDT_TotaalBedrag")
    debet_credit: str = value("DebetCredit", "LDT_DebetCredit")


@dataclass(kw_only=True)
class VerkorteNaam(Samengesteld):
    CDT = "CDT_VerkorteNaam"
    geslachtsnaam: Achternaam = child("Geslachtsnaam")
    voornamen: str | None = value("Voornamen", "LDT_Naam", optional=True)
    voorletters: str | None = value("Voorletters", "LDT_Voorletters", optional=True)


@dataclass(kw_only=True)
class Verwijzer(Samengesteld):
    CDT = "CDT_Verwijzer"
    type: str = value("Type", "LDT_TypeVerwijzer")
    naam: str | None = value("Naam", "LDT_NaamVerwijzer", optional=True)
    zorgverlener_code: str | None = value("ZorgverlenerCode", "LDT_AgbCode", optional=True)


@dataclass(kw_only=True)
class VolledigeNaam(Samengesteld):
    CDT = "CDT_VolledigeNaam"
    geslachtsnaam: Achternaam = child("Geslachtsnaam")
    partnernaam: Achternaam | None = child("Partnernaam", optional=True)
    voornamen: str | None = value("Voornamen", "LDT_Naam", optional=True)
    voorletters: str | None = value("Voorletters", "LDT_Voorletters", optional=True)
    naam_gebruik: str = value("NaamGebruik", "LDT_NaamGebruik")


@dataclass(kw_only=True)
class XsdVersie(Samengesteld):
    CDT = "CDT_XsdVersie"
    basisschema_xsd_versie: str = value("BasisschemaXsdVersie", "LDT_Versie", default="1.0.0")
    bericht_xsd_versie: str = value("BerichtXsdVersie", "LDT_Versie", default="1.0.0")


CDTS: tuple[type[Samengesteld], ...] = (
    Achternaam, Adres, BedragMetDC, BerichtIdentificatie, Communicatie, Geboortedatum,
    GeslotenPeriode, Huis, Omvang, OpenPeriode, Product, Referentie, Telefoon, Telefoonnummers,
    TotaalBedragMetDC, VerkorteNaam, Verwijzer, VolledigeNaam, XsdVersie,
)
