"""The normenkader: norm times per activity, per voorziening, resting on independent research.

A normenkader version is a document (YAML or JSON, see docs/plan.md) that this module reads and checks:
its validity period, its onderbouwing (who researched it, that the researcher is independent, the method,
the date, the report), and per voorziening (productcategorie and -code) the result it serves, the
activities with their norm minutes per occurrence and their default and allowed frequencies, and the
circumstances (omstandigheden) that add or subtract time per week or per year.

A version without an onderbouwing, or with a researcher that is not independent, may be published as a
draft but cannot be used to establish a plan (:attr:`NormenkaderVersie.bruikbaar`). The norm is the
starting point for each client, never the ceiling: the plan may deviate upward or, with a stated ground,
downward (:mod:`services.plan.domain.rekenen`).
"""

from __future__ import annotations

import datetime as dt
import json
import re
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction
from functools import cached_property
from pathlib import Path
from typing import Annotated, Any

import yaml
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError, model_validator

DEMO = Path(__file__).resolve().parent.parent / "data" / "normenkader-hh-demo.yaml"

#: a code of an activity or circumstance: lower case, digits and hyphens ("stofzuigen", "extra-kamer")
CODE = r"^[a-z0-9][a-z0-9-]{0,39}$"
#: a text with at least one visible character
TEKST = r"\S"


class Periode(StrEnum):
    """The period a frequency counts in."""

    DAG = "dag"
    WEEK = "week"
    TWEE_WEKEN = "2 weken"
    VIER_WEKEN = "4 weken"
    MAAND = "maand"
    KWARTAAL = "kwartaal"
    JAAR = "jaar"


WEKEN_PER_JAAR = 52
#: how many times a year "once per period" is: a year has 52 weeks, so per dag 7 x 52, per maand 12
PER_JAAR: dict[Periode, int] = {
    Periode.DAG: 7 * WEKEN_PER_JAAR, Periode.WEEK: WEKEN_PER_JAAR, Periode.TWEE_WEKEN: WEKEN_PER_JAAR // 2,
    Periode.VIER_WEKEN: WEKEN_PER_JAAR // 4, Periode.MAAND: 12, Periode.KWARTAAL: 4, Periode.JAAR: 1,
}
#: how many times per week "once per period" is: per dag 7, per week 1, per 2 weken 1/2, per 4 weken 1/4,
#: per maand 12/52, per kwartaal 4/52, per jaar 1/52
PER_WEEK: dict[Periode, Fraction] = {p: Fraction(n, WEKEN_PER_JAAR) for p, n in PER_JAAR.items()}
#: minutes are kept in hundredths: a figure in the file has at most two decimals, so every time per year
#: is a whole number of hundredths (exact integer arithmetic; per week is that divided by 52, a fraction)
HONDERDSTEN = 100

_FREQUENTIE = re.compile(r"^\s*(\d+)\s*(?:x|keer)?\s*per\s+(.+?)\s*$")


def _frequentie(waarde: Any) -> Any:
    """``"2 keer per week"``, ``"1x per 2 weken"`` or ``"1 per maand"`` as {aantal, per}."""
    if isinstance(waarde, str):
        gevonden = _FREQUENTIE.match(waarde)
        if not gevonden:
            raise ValueError(f"{waarde!r} is geen frequentie; schrijf bijvoorbeeld '1 keer per week' of "
                             f"'2 keer per maand' (per: {', '.join(p.value for p in Periode)})")
        return {"aantal": int(gevonden.group(1)), "per": gevonden.group(2)}
    return waarde


class _Frequentie(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    aantal: int = Field(ge=1, le=100, description="hoe vaak per periode")
    per: Periode

    def per_jaar(self) -> int:
        return self.aantal * PER_JAAR[self.per]

    def __str__(self) -> str:
        return f"{self.aantal} keer per {self.per.value}"


#: a frequency: ``{"aantal": 1, "per": "week"}`` or the text ``"1 keer per week"``
Frequentie = Annotated[_Frequentie, BeforeValidator(_frequentie)]


def honderdsten(waarde: Decimal) -> int:
    """Minutes in hundredths, exactly (the models allow at most two decimals)."""
    return int(waarde * HONDERDSTEN)


class Onderbouwing(BaseModel):
    """On what research the norm times rest."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    onderzoeker: str = Field(pattern=TEKST, description="wie het onderzoek deed")
    onafhankelijk: bool = Field(description="of de onderzoeker onafhankelijk is van gemeente en aanbieders")
    methode: str = Field(pattern=TEKST, description="hoe de normtijden zijn bepaald")
    datum: dt.date = Field(description="datum van het onderzoek of het rapport")
    rapport: str = Field(pattern=TEKST, description="verwijzing naar het rapport")
    toelichting: str | None = None


class Activiteit(BaseModel):
    """An activity with its norm time per occurrence and its frequencies."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    code: str = Field(pattern=CODE)
    omschrijving: str = Field(pattern=TEKST)
    minuten: Decimal = Field(gt=0, le=1440, decimal_places=2, description="normtijd per keer, in minuten")
    standaard: Frequentie = Field(description="de frequentie als niets anders is afgesproken")
    toegestaan: list[Periode] = Field(default_factory=list, description="perioden waarin de frequentie mag "
                                                                        "worden afgesproken; leeg: alleen die van "
                                                                        "de standaard")

    @model_validator(mode="after")
    def _standaard_toegestaan(self) -> Activiteit:
        if self.toegestaan and self.standaard.per not in self.toegestaan:
            raise ValueError(f"de standaardfrequentie ({self.standaard}) valt niet binnen 'toegestaan'")
        return self

    def perioden(self) -> list[Periode]:
        return self.toegestaan or [self.standaard.per]

    @cached_property
    def toegestane_perioden(self) -> frozenset[Periode]:
        return frozenset(self.perioden())

    @cached_property
    def norm_per_keer(self) -> int:
        """The norm time per occurrence in hundredths of a minute."""
        return honderdsten(self.minuten)

    @cached_property
    def norm_per_jaar(self) -> int:
        """At the default frequency, in hundredths of a minute per year."""
        return self.norm_per_keer * self.standaard.per_jaar()


class TijdPer(StrEnum):
    WEEK = "week"
    JAAR = "jaar"


class Omstandigheid(BaseModel):
    """A circumstance that adds (or, negative, subtracts) time: minutes per week or per year."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    code: str = Field(pattern=CODE)
    omschrijving: str = Field(pattern=TEKST)
    minuten: Decimal = Field(ge=-100_000, le=100_000, decimal_places=2, description="minuten erbij (negatief: eraf)")
    per: TijdPer
    max_aantal: int = Field(1, ge=1, le=20, description="hoe vaak zij mag gelden (bijvoorbeeld per extra kamer)")

    @model_validator(mode="after")
    def _niet_nul(self) -> Omstandigheid:
        if self.minuten == 0:
            raise ValueError("een omstandigheid van 0 minuten verandert niets")
        return self

    def per_jaar(self) -> int:
        """In hundredths of a minute per year."""
        return honderdsten(self.minuten) * (1 if self.per is TijdPer.JAAR else WEKEN_PER_JAAR)


class Voorziening(BaseModel):
    """The norm for one voorziening (product): the result it serves, its activities and circumstances."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    categorie: str = Field(pattern=r"^[0-9]{2}$", description="productcategorie (WMO020)")
    code: str | None = Field(None, pattern=r"^[0-9A-Z]{5}$", description="productcode")
    resultaat: str = Field(pattern=TEKST, description="het resultaat dat deze voorziening dient, in woorden")
    activiteiten: list[Activiteit] = Field(min_length=1)
    omstandigheden: list[Omstandigheid] = Field(default_factory=list)

    @model_validator(mode="after")
    def _uniek(self) -> Voorziening:
        for soort, codes in (("activiteit", [a.code for a in self.activiteiten]),
                             ("omstandigheid", [o.code for o in self.omstandigheden])):
            dubbel = sorted({c for c in codes if codes.count(c) > 1})
            if dubbel:
                raise ValueError(f"{soort} {', '.join(dubbel)} staat er meer dan eens in")
        return self

    @cached_property
    def activiteit(self) -> dict[str, Activiteit]:
        return {a.code: a for a in self.activiteiten}

    @cached_property
    def omstandigheid(self) -> dict[str, Omstandigheid]:
        return {o.code: o for o in self.omstandigheden}

    def norm_per_jaar(self) -> int:
        """The norm time of the voorziening, in hundredths of a minute per year: every activity at its
        default frequency, no circumstances."""
        return sum(a.norm_per_jaar for a in self.activiteiten)


class NormenkaderVersie(BaseModel):
    """One version of a gemeente's normenkader: immutable once published."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    naam: str = Field(pattern=CODE, description="de naam van het normenkader, zonder versie")
    versie: str = Field(pattern=r"^[0-9A-Za-z][0-9A-Za-z.-]{0,19}$")
    titel: str = Field(pattern=TEKST)
    gemeente: str = Field(pattern=r"^[0-9]{4}$", description="CBS-code van de gemeente")
    geldig_van: dt.date
    geldig_tot: dt.date | None = None
    demonstratie: bool = Field(False, description="een voorbeeld, geen beleid van een gemeente")
    toelichting: str | None = None
    onderbouwing: Onderbouwing | None = Field(None, description="zonder onderbouwing alleen een concept")
    voorzieningen: list[Voorziening] = Field(min_length=1)

    @model_validator(mode="after")
    def _samenhang(self) -> NormenkaderVersie:
        if self.geldig_tot is not None and self.geldig_tot < self.geldig_van:
            raise ValueError("geldig_tot ligt voor geldig_van")
        sleutels = [(v.categorie, v.code) for v in self.voorzieningen]
        dubbel = sorted({f"{c}/{p or '-'}" for c, p in sleutels if sleutels.count((c, p)) > 1})
        if dubbel:
            raise ValueError(f"voorziening {', '.join(dubbel)} staat er meer dan eens in")
        return self

    @property
    def bruikbaar(self) -> bool:
        """Whether a plan may be established on it: an onderbouwing by an independent researcher."""
        return self.onderbouwing is not None and self.onderbouwing.onafhankelijk

    def waarom_niet_bruikbaar(self) -> str | None:
        if self.onderbouwing is None:
            return (f"normenkader {self.naam} versie {self.versie} heeft geen onderbouwing (een concept): "
                    f"een plan kan er niet op worden vastgesteld")
        if not self.onderbouwing.onafhankelijk:
            return (f"het onderzoek onder normenkader {self.naam} versie {self.versie} is niet onafhankelijk: "
                    f"een plan kan er niet op worden vastgesteld")
        return None

    def geldig_op(self, dag: dt.date) -> bool:
        return self.geldig_van <= dag and (self.geldig_tot is None or dag <= self.geldig_tot)

    def voorziening(self, categorie: str, code: str | None) -> Voorziening | None:
        for v in self.voorzieningen:
            if v.categorie == categorie and v.code == code:
                return v
        return None


class OngeldigNormenkader(ValueError):
    """A normenkader document that does not validate; ``fouten`` are (place, reason) pairs."""

    def __init__(self, fouten: list[tuple[str, str]]) -> None:
        self.fouten = fouten
        super().__init__("; ".join(f"{plek}: {reden}" if plek else reden for plek, reden in fouten))


def plek(loc: tuple[int | str, ...]) -> str:
    """A pydantic location as a path: ``voorzieningen[0].activiteiten[2].minuten``."""
    out = ""
    for deel in loc:
        if isinstance(deel, int):
            out += f"[{deel}]"
        elif deel.startswith(("function-", "_")):  # validator names in a location say nothing to a reader
            continue
        else:
            out += f".{deel}" if out else deel
    return out


def fouten(exc: ValidationError) -> list[tuple[str, str]]:
    """Pydantic's errors as (place, reason), without the input values (a document can hold anything)."""
    return [(plek(e["loc"]), e["msg"].removeprefix("Value error, ")) for e in exc.errors(include_input=False)]


def uit_document(data: Any) -> NormenkaderVersie:
    """A normenkader version from parsed YAML or JSON; :class:`OngeldigNormenkader` says where it fails."""
    try:
        return NormenkaderVersie.model_validate(data)
    except ValidationError as exc:
        raise OngeldigNormenkader(fouten(exc)) from None


def lees_tekst(tekst: str | bytes) -> Any:
    """YAML (of which JSON is a subset) read safely: plain data only, no tags that build objects."""
    try:
        return yaml.safe_load(tekst)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        waar = f"regel {mark.line + 1}, kolom {mark.column + 1}" if mark is not None else ""
        raise OngeldigNormenkader([(waar, f"geen geldige YAML of JSON: {getattr(exc, 'problem', None) or exc}")]) \
            from None


def laad(pad: Path) -> NormenkaderVersie:
    """Read and check a normenkader file (YAML or JSON)."""
    return uit_document(lees_tekst(pad.read_bytes()))


def als_document(versie: NormenkaderVersie) -> dict[str, Any]:
    """The version as plain JSON data (decimals as texts, so they stay exact), as stored and shown."""
    data: dict[str, Any] = json.loads(versie.model_dump_json(exclude_none=False))
    return data
