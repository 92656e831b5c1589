"""Logical datatypes (LDT_*) of the iWmo 3.2 basisschema.

One table describes every simple type once: its XML Schema base type, its facets and, for coded
values, the code list that supplies the enumeration. The basisschema XSD is generated from this
table (see :mod:`iwmo.schemagen`), the typed models use it to convert values, and the property
tests use it to generate valid values.
"""

from __future__ import annotations

from dataclasses import dataclass

from iwmo import codelijsten

# Patterns are XML Schema regular expressions (implicitly anchored at both ends).
_TEXT_ONE_LINE = r"[^\r\n]*[^\s][^\r\n]*"  # at least one visible character, no line breaks
_TEXT_ANY = r"[\s\S]*\S[\s\S]*"  # at least one visible character, line breaks allowed
_DIGITS = "[0-9]"


@dataclass(frozen=True)
class Datatype:
    name: str
    base: str  # "string" | "integer" | "date" | "time"
    min_length: int | None = None
    max_length: int | None = None
    pattern: str | None = None
    min_inclusive: int | None = None
    max_inclusive: int | None = None
    codelijst: str | None = None

    @property
    def enumeration(self) -> tuple[str, ...]:
        return codelijsten.codes(self.codelijst) if self.codelijst else ()


def _text(name: str, max_length: int, pattern: str = _TEXT_ONE_LINE) -> Datatype:
    return Datatype(name, "string", min_length=1, max_length=max_length, pattern=pattern)


def _code(name: str, max_length: int, codelijst: str) -> Datatype:
    return Datatype(name, "string", max_length=max_length, codelijst=codelijst)


def _number(name: str, maximum: int) -> Datatype:
    return Datatype(name, "integer", min_inclusive=0, max_inclusive=maximum)


DATATYPES: dict[str, Datatype] = {
    t.name: t
    for t in [
        _code("LDT_AanduidingWoonadres", 2, "NUM061"),
        _code("LDT_AdresSoort", 2, "COD757"),
        Datatype("LDT_AgbCode", "string", min_length=1, max_length=8, pattern=_DIGITS + "{8}"),
        _number("LDT_Bedrag", 99_999_999),
        Datatype("LDT_BerichtCode", "string", min_length=1, max_length=3),
        _number("LDT_BerichtSubversie", 99),
        _number("LDT_BerichtVersie", 99),
        _number("LDT_Budget", 99_999_999),
        Datatype("LDT_BurgerServicenummer", "string", min_length=1, max_length=9, pattern=_DIGITS + "{9}"),
        Datatype("LDT_Commentaar", "string", min_length=1, pattern=_TEXT_ANY),
        _code("LDT_Communicatievorm", 1, "COD747"),
        Datatype("LDT_Datum", "date", pattern=r"-?[0-9]{4,}-[0-9]{2}-[0-9]{2}"),
        _code("LDT_DatumGebruik", 1, "COD170"),
        _code("LDT_DebetCredit", 1, "COD043"),
        _code("LDT_Eenheid", 2, "WJ756"),
        _text("LDT_Emailadres", 80),
        _code("LDT_Frequentie", 1, "WMO757"),
        Datatype("LDT_Gemeente", "string", min_length=1, pattern=_DIGITS + "{4}"),
        _code("LDT_Geslacht", 1, "COD046"),
        _text("LDT_Huisletter", 1),
        _number("LDT_Huisnummer", 99_999),
        _text("LDT_HuisnummerToevoeging", 4),
        _text("LDT_IdentificatieBericht", 12),
        Datatype("LDT_IdentificatieDeclaratie", "string", min_length=1, max_length=12),
        _code("LDT_JaNee", 1, "COD260"),
        _code("LDT_JuridischeStatus", 2, "WJ232"),
        _code("LDT_LandCode", 2, "COD032"),
        _text("LDT_Landnummer", 4),
        _text("LDT_Naam", 200),
        _code("LDT_NaamGebruik", 1, "COD700"),
        _text("LDT_NaamVerwijzer", 64),
        _number("LDT_Nummer", 999_999_999),
        _text("LDT_Organisatienaam", 35),
        _text("LDT_Persoonsid", 20),
        _text("LDT_Plaatsnaam", 80),
        _text("LDT_Postcode", 8),
        _code("LDT_ProductCategorie", 2, "WMO020"),
        _text("LDT_ProductCode", 5),
        _code("LDT_RedenAfwijzingVerzoek", 2, "WJ759"),
        _code("LDT_RedenBeeindiging", 2, "WMO588"),
        _code("LDT_RedenVerzoek", 1, "WJ758"),
        _code("LDT_RedenWijziging", 2, "WMO002"),
        _text("LDT_Referentie", 36),
        Datatype("LDT_ReferentieNummer", "string", min_length=1, max_length=20),
        _number("LDT_RelatieVolgorde", 99),
        _code("LDT_RetourCode", 4, "WJ001"),
        _code("LDT_SoortRelatie", 2, "COD472"),
        _code("LDT_StatusAanlevering", 1, "COD467"),
        _text("LDT_Straatnaam", 24),
        _text("LDT_Taal", 25),
        Datatype("LDT_Telefoonnummer", "string", min_length=1, max_length=15, pattern=_DIGITS + "*"),
        Datatype("LDT_Tijd", "time", pattern=r"[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?"),
        _number("LDT_TotaalBedrag", 999_999_999_999),
        _code("LDT_TypeVerwijzer", 2, "COD327"),
        Datatype("LDT_Versie", "string", min_length=1, pattern=r"(0|[1-9][0-9]*)(\.(0|[1-9][0-9]*)){2}"),
        _code("LDT_VerzoekAntwoord", 1, "WJ760"),
        _number("LDT_Volume", 99_999_999),
        Datatype("LDT_Voorletters", "string", min_length=1, max_length=6, pattern="[a-zA-ZÀ-ỳ]+"),
        _text("LDT_Voorvoegsel", 10),
        _code("LDT_WettelijkeVertegenwoordiging", 2, "WJ003"),
    ]
}


def datatype(name: str) -> Datatype:
    return DATATYPES[name]
