"""WMO305 Start and WMO307 Stop, with their retours WMO306 and WMO308."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from iwmo.berichten.basis import Geboortedatum, Product, VerkorteNaam
from iwmo.berichten.bericht import Bericht
from iwmo.berichten.header import Header, RetourHeader
from iwmo.model import Berichtklasse, child, children, value


@dataclass(kw_only=True)
class StartProduct(Berichtklasse):
    toewijzing_nummer: int | None = value("ToewijzingNummer", "LDT_Nummer", optional=True)
    product: Product | None = child("Product", optional=True)
    toewijzing_ingangsdatum: dt.date | None = value("ToewijzingIngangsdatum", "LDT_Datum", optional=True)
    begindatum: dt.date = value("Begindatum", "LDT_Datum")
    status_aanlevering: str = value("StatusAanlevering", "LDT_StatusAanlevering")


@dataclass(kw_only=True)
class StopProduct(Berichtklasse):
    toewijzing_nummer: int | None = value("ToewijzingNummer", "LDT_Nummer", optional=True)
    product: Product | None = child("Product", optional=True)
    toewijzing_ingangsdatum: dt.date | None = value("ToewijzingIngangsdatum", "LDT_Datum", optional=True)
    begindatum: dt.date = value("Begindatum", "LDT_Datum")
    reden_beeindiging: str = value("RedenBeeindiging", "LDT_RedenBeeindiging")
    einddatum: dt.date = value("Einddatum", "LDT_Datum")
    status_aanlevering: str = value("StatusAanlevering", "LDT_StatusAanlevering")


@dataclass(kw_only=True)
class StartClient(Berichtklasse):
    bsn: str = value("Bsn", "LDT_BurgerServicenummer")
    geboortedatum: Geboortedatum = child("Geboortedatum")
    geslacht: str = value("Geslacht", "LDT_Geslacht")
    naam: VerkorteNaam = child("Naam")
    start_producten: list[StartProduct] = children("StartProducten", "StartProduct")


@dataclass(kw_only=True)
class StopClient(Berichtklasse):
    bsn: str = value("Bsn", "LDT_BurgerServicenummer")
    geboortedatum: Geboortedatum = child("Geboortedatum")
    geslacht: str = value("Geslacht", "LDT_Geslacht")
    naam: VerkorteNaam = child("Naam")
    stop_producten: list[StopProduct] = children("StopProducten", "StopProduct")


@dataclass(kw_only=True)
class Wmo305(Bericht):
    BERICHT = "WMO305"
    header: Header = child("Header")
    client: StartClient = child("Client")


@dataclass(kw_only=True)
class Wmo306(Bericht):
    BERICHT = "WMO306"
    header: RetourHeader = child("Header")
    client: StartClient | None = child("Client", optional=True)


@dataclass(kw_only=True)
class Wmo307(Bericht):
    BERICHT = "WMO307"
    header: Header = child("Header")
    client: StopClient = child("Client")


@dataclass(kw_only=True)
class Wmo308(Bericht):
    BERICHT = "WMO308"
    header: RetourHeader = child("Header")
    client: StopClient | None = child("Client", optional=True)
