"""WMO323 Declaratie and WMO325 Declaratie-antwoord."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from iwmo.berichten.basis import BedragMetDC, GeslotenPeriode, Referentie, TotaalBedragMetDC
from iwmo.berichten.bericht import Bericht
from iwmo.berichten.header import DeclaratieAntwoordHeader, Header
from iwmo.model import Berichtklasse, child, children, value


@dataclass(kw_only=True)
class Prestatie(Berichtklasse):
    product_referentie: Referentie = child("ProductReferentie")
    toewijzing_nummer: int = value("ToewijzingNummer", "LDT_Nummer")
    product_categorie: str = value("ProductCategorie", "LDT_ProductCategorie")
    product_code: str = value("ProductCode", "LDT_ProductCode")
    product_periode: GeslotenPeriode = child("ProductPeriode")
    geleverd_volume: int = value("GeleverdVolume", "LDT_Volume")
    eenheid: str = value("Eenheid", "LDT_Eenheid")
    product_tarief: int | None = value("ProductTarief", "LDT_Bedrag", optional=True)
    ingediend_bedrag: BedragMetDC = child("IngediendBedrag")


@dataclass(kw_only=True)
class DeclaratieClient(Berichtklasse):
    bsn: str = value("Bsn", "LDT_BurgerServicenummer")
    prestaties: list[Prestatie] = children("Prestaties", "Prestatie")


@dataclass(kw_only=True)
class Declaratie(Berichtklasse):
    declaratie_nummer: str = value(
        "DeclaratieNummer", "LDT_IdentificatieDeclaratie", pattern="[a-zA-Z0-9]+"
    )
    declaratie_periode: GeslotenPeriode = child("DeclaratiePeriode")
    declaratie_dagtekening: dt.date = value("DeclaratieDagtekening", "LDT_Datum")
    totaal_ingediend_bedrag: TotaalBedragMetDC = child("TotaalIngediendBedrag")
    clienten: list[DeclaratieClient] = children("Clienten", "Client")


@dataclass(kw_only=True)
class DeclaratieAntwoord(Berichtklasse):
    declaratie_nummer: str = value("DeclaratieNummer", "LDT_IdentificatieDeclaratie")
    totaal_ingediend_bedrag: TotaalBedragMetDC = child("TotaalIngediendBedrag")
    totaal_toegekend_bedrag: TotaalBedragMetDC = child("TotaalToegekendBedrag")
    clienten: list[DeclaratieClient] = children("Clienten", "Client", optional=True)


@dataclass(kw_only=True)
class Wmo323(Bericht):
    BERICHT = "WMO323"
    header: Header = child("Header")
    declaratie: Declaratie = child("Declaratie")


@dataclass(kw_only=True)
class Wmo325(Bericht):
    BERICHT = "WMO325"
    header: DeclaratieAntwoordHeader = child("Header")
    declaratie_antwoord: DeclaratieAntwoord | None = child("DeclaratieAntwoord", optional=True)
