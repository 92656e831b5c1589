"""Message headers: the heenbericht header, the retour header (IV028) and the WMO325 header."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from iwmo.berichten.basis import BerichtIdentificatie, XsdVersie
from iwmo.catalogue import BERICHT_SUBVERSIE, BERICHT_VERSIE
from iwmo.model import Berichtklasse, child, value


@dataclass(kw_only=True)
class Header(Berichtklasse):
    """Header of a heenbericht. ``bericht_code`` is filled in from the message type when empty."""

    bericht_code: str = value("BerichtCode", "LDT_BerichtCode", default="")
    bericht_versie: int = value("BerichtVersie", "LDT_BerichtVersie", default=BERICHT_VERSIE)
    bericht_subversie: int = value("BerichtSubversie", "LDT_BerichtSubversie", default=BERICHT_SUBVERSIE)
    afzender: str = value("Afzender", "LDT_Gemeente")  # LDT_AgbCode when an aanbieder sends
    ontvanger: str = value("Ontvanger", "LDT_AgbCode")
    bericht_identificatie: BerichtIdentificatie = child("BerichtIdentificatie")
    xsd_versie: XsdVersie = child("XsdVersie", default_factory=XsdVersie)


@dataclass(kw_only=True)
class RetourHeader(Header):
    """Header of a retourbericht: the heenbericht's header plus the retour's own identification."""

    identificatie_retour: str = value("IdentificatieRetour", "LDT_IdentificatieBericht")
    dagtekening_retour: dt.date = value("DagtekeningRetour", "LDT_Datum")
    xslt_versie: str | None = value("XsltVersie", "LDT_Versie", optional=True)
    xsd_versie_retour: XsdVersie = child("XsdVersieRetour", default_factory=XsdVersie)


@dataclass(kw_only=True)
class DeclaratieAntwoordHeader(Header):
    """Header of the WMO325: its own identification plus that of the declaratie it answers."""

    declaratie_identificatie: BerichtIdentificatie = child("DeclaratieIdentificatie")
    xslt_versie: str | None = value("XsltVersie", "LDT_Versie", optional=True)
    xsd_versie_declaratie: XsdVersie = child("XsdVersieDeclaratie", default_factory=XsdVersie)
