"""WMO315 Verzoek om toewijzing, WMO317 Verzoek om wijziging, WMO319 Antwoord, and their retours."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from iwmo.berichten.basis import Geboortedatum, Omvang, Product, VerkorteNaam, Verwijzer
from iwmo.berichten.bericht import Bericht
from iwmo.berichten.header import Header, RetourHeader
from iwmo.model import Berichtklasse, child, children, value


@dataclass(kw_only=True)
class AangevraagdProduct(Berichtklasse):
    referentie_aanbieder: str = value("ReferentieAanbieder", "LDT_Referentie")
    beschikking_nummer: int | None = value("BeschikkingNummer", "LDT_Nummer", optional=True)
    product: Product | None = child("Product", optional=True)
    beschikking_ingangsdatum: dt.date | None = value("BeschikkingIngangsdatum", "LDT_Datum", optional=True)
    toewijzing_ingangsdatum: dt.date = value("ToewijzingIngangsdatum", "LDT_Datum")
    toewijzing_einddatum: dt.date | None = value("ToewijzingEinddatum", "LDT_Datum", optional=True)
    omvang: Omvang | None = child("Omvang", optional=True)
    budget: int | None = value("Budget", "LDT_Budget", optional=True)
    verwijzer: Verwijzer = child("Verwijzer")
    raamcontract: str | None = value("Raamcontract", "LDT_JaNee", optional=True)
    commentaar: str | None = value("Commentaar", "LDT_Commentaar", optional=True)


@dataclass(kw_only=True)
class VerzoekClient(Berichtklasse):
    """The Client of a WMO315."""

    bsn: str = value("Bsn", "LDT_BurgerServicenummer")
    geboortedatum: Geboortedatum = child("Geboortedatum")
    geslacht: str = value("Geslacht", "LDT_Geslacht")
    naam: VerkorteNaam = child("Naam")
    commentaar: str | None = value("Commentaar", "LDT_Commentaar", optional=True)
    aangevraagde_producten: list[AangevraagdProduct] = children("AangevraagdeProducten", "AangevraagdProduct")


@dataclass(kw_only=True)
class OngewijzigdProduct(Berichtklasse):
    toewijzing_nummer: int = value("ToewijzingNummer", "LDT_Nummer")


@dataclass(kw_only=True)
class TeWijzigenProduct(Berichtklasse):
    toewijzing_nummer: int = value("ToewijzingNummer", "LDT_Nummer")
    gewenste_ingangsdatum: dt.date = value("GewensteIngangsdatum", "LDT_Datum")
    einddatum: dt.date | None = value("Einddatum", "LDT_Datum", optional=True)
    omvang: Omvang | None = child("Omvang", optional=True)
    budget: int | None = value("Budget", "LDT_Budget", optional=True)


@dataclass(kw_only=True)
class NieuwProduct(Berichtklasse):
    product: Product | None = child("Product", optional=True)
    gewenste_ingangsdatum: dt.date = value("GewensteIngangsdatum", "LDT_Datum")
    einddatum: dt.date | None = value("Einddatum", "LDT_Datum", optional=True)
    omvang: Omvang | None = child("Omvang", optional=True)
    budget: int | None = value("Budget", "LDT_Budget", optional=True)


@dataclass(kw_only=True)
class Verzoek(Berichtklasse):
    referentie_aanbieder: str = value("ReferentieAanbieder", "LDT_Referentie")
    reden_verzoek: str = value("RedenVerzoek", "LDT_RedenVerzoek")
    ongewijzigde_producten: list[OngewijzigdProduct] = children(
        "OngewijzigdeProducten", "OngewijzigdProduct", optional=True
    )
    te_wijzigen_producten: list[TeWijzigenProduct] = children(
        "TeWijzigenProducten", "TeWijzigenProduct", optional=True
    )
    nieuwe_producten: list[NieuwProduct] = children("NieuweProducten", "NieuwProduct", optional=True)


@dataclass(kw_only=True)
class WijzigingClient(Berichtklasse):
    """The Client of a WMO317."""

    bsn: str = value("Bsn", "LDT_BurgerServicenummer")
    verzoek: Verzoek = child("Verzoek")


@dataclass(kw_only=True)
class Antwoord(Berichtklasse):
    referentie_aanbieder: str = value("ReferentieAanbieder", "LDT_Referentie")
    verzoek_antwoord: str = value("VerzoekAntwoord", "LDT_VerzoekAntwoord")
    reden_afwijzing_verzoek: str | None = value(
        "RedenAfwijzingVerzoek", "LDT_RedenAfwijzingVerzoek", optional=True
    )


@dataclass(kw_only=True)
class Wmo315(Bericht):
    BERICHT = "WMO315"
    header: Header = child("Header")
    client: VerzoekClient = child("Client")


@dataclass(kw_only=True)
class Wmo316(Bericht):
    BERICHT = "WMO316"
    header: RetourHeader = child("Header")
    client: VerzoekClient | None = child("Client", optional=True)


@dataclass(kw_only=True)
class Wmo317(Bericht):
    BERICHT = "WMO317"
    header: Header = child("Header")
    client: WijzigingClient = child("Client")


@dataclass(kw_only=True)
class Wmo318(Bericht):
    BERICHT = "WMO318"
    header: RetourHeader = child("Header")
    client: WijzigingClient | None = child("Client", optional=True)


@dataclass(kw_only=True)
class Wmo319(Bericht):
    BERICHT = "WMO319"
    header: Header = child("Header")
    antwoord: Antwoord = child("Antwoord")


@dataclass(kw_only=True)
class Wmo320(Bericht):
    BERICHT = "WMO320"
    header: RetourHeader = child("Header")
    antwoord: Antwoord | None = child("Antwoord", optional=True)
