"""What the client's letter says: per voorziening what he gets, from whom, from when until when, and the
time it stands for; the bezwaar term; free cliëntondersteuning; whom to call.

The figures come from the same computation as the plan (:mod:`services.plan.domain.rekenen`): the letter
never computes a time of its own. Texts are plain Dutch (B1): short sentences, common words, "u". The
gemeente's own details (name, addresses, phone numbers, the eigen bijdrage, the kostprijs per product)
come from a letter settings file (:class:`BriefInstellingen`; the bundled one is a demonstration).
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from functools import cache
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from services.plan.domain import normenkader as nk
from services.plan.domain.rekenen import Berekening, Richting, uren_en_minuten

DEMO_BRIEF = Path(__file__).resolve().parent.parent / "data" / "brief-demo.yaml"

MAANDEN = ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober",
           "november", "december")


class Contact(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    naam: str
    telefoon: str
    email: str | None = None
    website: str | None = None
    adres: list[str] = Field(default_factory=list)


class Tarief(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    categorie: str
    code: str | None = None
    per_uur: int = Field(ge=0, description="de kostprijs in eurocent per uur")
    eigen_bijdrage: bool = True


class BriefInstellingen(BaseModel):
    """The gemeente's details for the letter (PLAN_BRIEF, a YAML or JSON file)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    demonstratie: bool = False
    gemeente: Contact
    bezwaar: Contact
    clientondersteuning: Contact
    eigen_bijdrage_per_maand: int = Field(ge=0, description="het abonnementstarief in eurocent per maand")
    aanbieders: dict[str, str] = Field(default_factory=dict, description="AGB-code -> naam")
    tarieven: list[Tarief] = Field(default_factory=list)

    def tarief(self, categorie: str, code: str | None) -> Tarief | None:
        return next((t for t in self.tarieven if t.categorie == categorie and t.code == code), None)


@cache
def instellingen(pad: Path = DEMO_BRIEF) -> BriefInstellingen:
    return BriefInstellingen.model_validate(nk.lees_tekst(pad.read_bytes()))


def datum(d: dt.date) -> str:
    """``4 januari 2027``."""
    return f"{d.day} {MAANDEN[d.month - 1]} {d.year}"


def euro(eurocent: int) -> str:
    """``€ 1.234,50``."""
    euros, cent = divmod(eurocent, 100)
    return f"€ {euros:,}".replace(",", ".") + f",{cent:02d}"


def _eurocent(x: Fraction) -> int:
    return int((Decimal(x.numerator) / Decimal(x.denominator)).quantize(Decimal(1), rounding=ROUND_HALF_UP))


@dataclass(frozen=True)
class Activiteit:
    omschrijving: str
    hoe_vaak: str
    minuten_per_keer: str


@dataclass(frozen=True)
class VoorzieningInBrief:
    wat: str
    aanbieder: str
    van: str
    tot: str | None
    wijze: str
    #: uren: the grant in words and, converted, per week
    toegewezen: str | None = None
    per_week_tekst: str | None = None
    #: resultaat: the result, the activities and the time they stand for
    resultaat: str | None = None
    activiteiten: list[Activiteit] = field(default_factory=list)
    minuten_per_week: int | None = None
    minuten_per_jaar: int | None = None
    samen: str | None = None
    normenkader: str | None = None
    afwijkingen: list[str] = field(default_factory=list)
    omstandigheden: list[str] = field(default_factory=list)
    eigen_bijdrage: bool = False
    kostprijs: str | None = None


@dataclass(frozen=True)
class Brief:
    instellingen: BriefInstellingen
    kenmerk: str
    client_naam: str
    besluitdatum: str
    bekendmaking: str
    einde_bezwaartermijn: str
    voorzieningen: list[VoorzieningInBrief]
    zonder_instemming: str | None  # the college's reasons when the client did not agree

    @property
    def eigen_bijdrage(self) -> str | None:
        """One sentence, once: the abonnementstarief is paid per month, whatever the number of voorzieningen."""
        if any(v.eigen_bijdrage for v in self.voorzieningen):
            return (f"U betaalt een eigen bijdrage van {euro(self.instellingen.eigen_bijdrage_per_maand)} per maand. "
                    f"Dat is het abonnementstarief. U krijgt de rekening van het CAK.")
        return None


def _per_keer(minuten: Fraction) -> str:
    tekst = str(minuten.numerator) if minuten.denominator == 1 else f"{float(minuten):.1f}".replace(".", ",")
    return f"{tekst} minuten"


def _minder_of_meer(a: Any) -> str:
    hoe = f"{a.frequentie}, {_per_keer(a.minuten_per_keer)} per keer"
    if a.afwijking is Richting.LAGER:
        return (f"{a.omschrijving}: {hoe}. Dat is minder dan de norm. Waarom: {a.reden}. "
                f"Waarop dit rust: {a.grond}.")
    return f"{a.omschrijving}: {hoe}. Dat is meer dan de norm. Waarom: {a.reden}."


def _onderzoek(kader: nk.NormenkaderVersie) -> str:
    o = kader.onderbouwing
    assert o is not None  # a plan is established only on a normenkader with an onderbouwing
    return (f"De tijd komt uit het normenkader '{kader.titel}' (versie {kader.versie}). Dat rust op onafhankelijk "
            f"onderzoek van {o.onderzoeker} uit {o.datum.year}.")


def _kosten(inst: BriefInstellingen, categorie: str, code: str | None,
            minuten_per_jaar: Fraction | None) -> tuple[bool, str | None]:
    """Whether the eigen bijdrage applies, and the kostprijs in a sentence."""
    tarief = inst.tarief(categorie, code)
    if tarief is None:
        return False, None
    bijdrage = tarief.eigen_bijdrage
    if minuten_per_jaar is None:
        return bijdrage, f"Een uur van deze hulp kost de gemeente {euro(tarief.per_uur)}."
    kosten = _eurocent(minuten_per_jaar * tarief.per_uur / 60)
    return bijdrage, (f"Deze hulp kost de gemeente ongeveer {euro(kosten)} per jaar. Dat is {euro(tarief.per_uur)} "
                      f"per uur. Zo kunt u zien wat u krijgt.")


def resultaat_voorziening(t: dict[str, Any], b: Berekening, kader: nk.NormenkaderVersie,
                          inst: BriefInstellingen) -> VoorzieningInBrief:
    bijdrage, kosten = _kosten(inst, t["product"]["categorie"], t["product"]["code"], Fraction(b.per_jaar))
    omstandigheden = []
    for o in b.omstandigheden:
        uren = uren_en_minuten(math.ceil(abs(o.per_jaar)))
        omstandigheden.append(f"Er komt tijd bij: {o.omschrijving.lower()} ({uren} per jaar)." if o.per_jaar > 0 else
                              f"Er gaat tijd af: {o.omschrijving.lower()} ({uren} per jaar). Waarom: {o.toelichting}.")
    afwijkingen = [_minder_of_meer(a) for a in b.activiteiten if a.afwijking is not None]
    afwijkingen += [f"{v.omschrijving}: dit doen wij niet. Dat is minder dan de norm. Waarom: {v.reden}. "
                    f"Waarop dit rust: {v.grond}." for v in b.vervallen]
    return VoorzieningInBrief(
        wat=t["product"].get("omschrijving") or b.resultaat, aanbieder=_aanbieder(inst, t["aanbieder"]),
        van=datum(dt.date.fromisoformat(t["ingangsdatum"])),
        tot=datum(dt.date.fromisoformat(t["einddatum"])) if t.get("einddatum") else None, wijze=t["wijze"],
        toegewezen=t["toegewezen"] if t["wijze"] == "uren" else None, resultaat=b.resultaat,
        activiteiten=[Activiteit(a.omschrijving, str(a.frequentie), _per_keer(a.minuten_per_keer)) for a in b.activiteiten],
        minuten_per_week=b.per_week, minuten_per_jaar=b.per_jaar,
        samen=f"Dit is samen {uren_en_minuten(b.per_week)} per week, {uren_en_minuten(b.per_jaar)} per jaar.",
        normenkader=_onderzoek(kader), afwijkingen=afwijkingen, omstandigheden=omstandigheden,
        eigen_bijdrage=bijdrage, kostprijs=kosten)


#: minutes per unit of time (WJ756) and occurrences per week per frequency (WMO757)
_MINUTEN = {"01": 1, "04": 60}
_PER_WEEK = {"1": Fraction(7), "2": Fraction(1), "4": Fraction(12, 52)}


def uren_voorziening(t: dict[str, Any], inst: BriefInstellingen) -> VoorzieningInBrief:
    omvang = t["omvang"]
    per_week: int | None = None
    if omvang.get("eenheid") in _MINUTEN and omvang.get("frequentie") in _PER_WEEK and omvang.get("volume"):
        exact = omvang["volume"] * _MINUTEN[omvang["eenheid"]] * _PER_WEEK[omvang["frequentie"]]
        per_week = -(-exact.numerator // exact.denominator)  # rounded up, never down
    bijdrage, kosten = _kosten(inst, t["product"]["categorie"], t["product"]["code"],
                               Fraction(per_week * 52) if per_week is not None else None)
    return VoorzieningInBrief(
        wat=t["product"].get("omschrijving") or "ondersteuning", aanbieder=_aanbieder(inst, t["aanbieder"]),
        van=datum(dt.date.fromisoformat(t["ingangsdatum"])),
        tot=datum(dt.date.fromisoformat(t["einddatum"])) if t.get("einddatum") else None, wijze="uren",
        toegewezen=t["toegewezen"], per_week_tekst=uren_en_minuten(per_week) if per_week is not None else None,
        minuten_per_week=per_week, eigen_bijdrage=bijdrage, kostprijs=kosten)


def _aanbieder(inst: BriefInstellingen, agb: str) -> str:
    return inst.aanbieders.get(agb) or f"de aanbieder met AGB-code {agb}"
