"""The message catalogue: bericht <-> berichtcode <-> namespace <-> direction <-> retour partner."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Literal

from iwmo.exceptions import UnknownBericht

Rol = Literal["gemeente", "aanbieder"]

BASIS_NS = "http://www.istandaarden.nl/iwmo/3_2/basisschema/schema"
_NS_TEMPLATE = "http://www.istandaarden.nl/iwmo/3_2/{}/schema"
RELEASE = "3.2"
BERICHT_VERSIE = 3
BERICHT_SUBVERSIE = 2


@dataclass(frozen=True)
class BerichtType:
    naam: str  # "WMO301"
    code: str  # berichtcode (COD002): "414"
    omschrijving: str
    soort: Literal["heen", "retour"]
    verzender: Rol  # the party that sends this message
    partner: str  # the retour of a heenbericht, or the heenbericht a retour answers

    @cached_property
    def namespace(self) -> str:
        return _NS_TEMPLATE.format(self.naam.lower())

    @property
    def ontvanger(self) -> Rol:
        return "aanbieder" if self.verzender == "gemeente" else "gemeente"

    @property
    def header_afzender(self) -> Rol:
        """Role of the header's Afzender.

        A retourbericht copies the header of its heenbericht (IV028), so the Afzender of a
        WMO302 is the gemeente that sent the WMO301. The WMO325 has a header of its own.
        """
        if self.soort == "retour" and self.naam != "WMO325":
            return self.ontvanger
        return self.verzender

    @property
    def is_heen(self) -> bool:
        return self.soort == "heen"


def _pair(heen: str, heen_code: str, retour: str, retour_code: str, omschrijving: str, verzender: Rol,
          retour_omschrijving: str) -> list[BerichtType]:
    other: Rol = "aanbieder" if verzender == "gemeente" else "gemeente"
    return [
        BerichtType(heen, heen_code, omschrijving, "heen", verzender, retour),
        BerichtType(retour, retour_code, retour_omschrijving, "retour", other, heen),
    ]


BERICHTEN: dict[str, BerichtType] = {
    b.naam: b
    for b in [
        *_pair("WMO301", "414", "WMO302", "415", "Toewijzing Wmo-ondersteuning", "gemeente",
               "Retourbericht op de toewijzing"),
        *_pair("WMO305", "418", "WMO306", "419", "Start Wmo-ondersteuning", "aanbieder",
               "Retourbericht op de start"),
        *_pair("WMO307", "420", "WMO308", "421", "Stop Wmo-ondersteuning", "aanbieder",
               "Retourbericht op de stop"),
        *_pair("WMO315", "444", "WMO316", "445", "Verzoek om toewijzing", "aanbieder",
               "Retourbericht op het verzoek om toewijzing"),
        *_pair("WMO317", "480", "WMO318", "481", "Verzoek om wijziging", "aanbieder",
               "Retourbericht op het verzoek om wijziging"),
        *_pair("WMO319", "482", "WMO320", "483", "Antwoord op een verzoek", "gemeente",
               "Retourbericht op het antwoord"),
        *_pair("WMO323", "484", "WMO325", "485", "Declaratie Wmo-ondersteuning", "aanbieder",
               "Declaratie-antwoord"),
    ]
}

_BY_CODE = {b.code: b for b in BERICHTEN.values()}
_BY_NS = {b.namespace: b for b in BERICHTEN.values()}


def bericht(naam: str) -> BerichtType:
    """Look up by name; accepts ``WMO301``, ``wmo301`` and ``301``."""
    key = naam.upper()
    if key.isdigit():
        key = "WMO" + key
    try:
        return BERICHTEN[key]
    except KeyError:
        raise UnknownBericht(naam) from None


def by_code(code: str) -> BerichtType | None:
    return _BY_CODE.get(code)


def by_namespace(namespace: str) -> BerichtType | None:
    return _BY_NS.get(namespace)


def heenberichten() -> list[BerichtType]:
    return [b for b in BERICHTEN.values() if b.is_heen]
