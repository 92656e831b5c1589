"""The ondersteuningsplan's content and its arithmetic: activities x frequency -> time per week and year.

The rules (docs/plan.md, "De rekenregels"):

- every figure is exact (a :class:`~fractions.Fraction`) until the end: the time of an activity per week
  is its minutes per occurrence (norm time plus the plan's deviation) times how often a week it happens
  (per dag 7, per week 1, per 2 weken 1/2, per 4 weken 1/4, per maand 12/52, per kwartaal 4/52,
  per jaar 1/52, times the number of times per period); a circumstance counts its minutes per week, or
  its minutes per year divided by 52;
- a year has 52 weeks: the time per year is the time per week times 52, exactly;
- the only rounding is upwards, to a whole minute, of the total per week and of the total per year, each
  from its exact value. Nothing is ever rounded down.

The plan follows the normenkader: each of its activities is listed, with a frequency in an allowed period,
or is dropped with a reason and a ground (:class:`Vervallen`). A frequency other than the default, or
minutes added or taken off, is a deviation that needs a reason; one that lowers the time also needs a
ground and is flagged (``verlaagd``), as is every circumstance that subtracts time, which needs an
explanation. That way no time is cut without a word on the record.

:func:`bereken` checks the content against a normenkader voorziening and computes; it raises
:class:`OngeldigPlan` with every fault at once, each with its place in the plan.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction

from pydantic import BaseModel, ConfigDict, Field

from services.plan.domain.normenkader import (
    CODE,
    HONDERDSTEN,
    TEKST,
    WEKEN_PER_JAAR,
    Frequentie,
    Voorziening,
    honderdsten,
)


class Rol(StrEnum):
    CLIENT = "client"
    AANBIEDER = "aanbieder"
    CONSULENT = "consulent"
    CLIENTONDERSTEUNER = "clientondersteuner"
    MANTELZORGER = "mantelzorger"
    VERTEGENWOORDIGER = "vertegenwoordiger"


class Deelnemer(BaseModel):
    """Who took part in making the plan (the professional of the aanbieder, an onafhankelijke
    cliëntondersteuner, ...)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    rol: Rol
    naam: str | None = Field(None, max_length=200, description="naam of functie; mag leeg blijven")


class PlanActiviteit(BaseModel):
    """An activity of the normenkader as the plan agrees it."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    activiteit: str = Field(pattern=CODE, description="de code van de activiteit in het normenkader")
    frequentie: Frequentie | None = Field(None, description="leeg: de standaardfrequentie van het normenkader")
    extra_minuten: Decimal = Field(Decimal(0), ge=-1440, le=1440, decimal_places=2,
                                   description="minuten per keer erbij (negatief: eraf) ten opzichte van de normtijd")
    reden: str | None = Field(None, pattern=TEKST, description="verplicht bij een afwijking van de norm")
    grond: str | None = Field(None, pattern=TEKST, description="verplicht bij een afwijking naar beneden: waarop "
                                                               "die rust (bijvoorbeeld wat de client zelf doet)")


class Vervallen(BaseModel):
    """An activity of the normenkader the plan leaves out: that lowers the time, so reason and ground."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    activiteit: str = Field(pattern=CODE)
    reden: str = Field(pattern=TEKST)
    grond: str = Field(pattern=TEKST)


class PlanOmstandigheid(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    omstandigheid: str = Field(pattern=CODE, description="de code van de omstandigheid in het normenkader")
    aantal: int = Field(1, ge=1, le=20)
    toelichting: str | None = Field(None, pattern=TEKST, description="verplicht als zij tijd aftrekt")


class Voorzieningsleutel(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    categorie: str = Field(pattern=r"^[0-9]{2}$")
    code: str | None = Field(None, pattern=r"^[0-9A-Z]{5}$")


class NormenkaderSleutel(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    naam: str = Field(pattern=CODE)
    versie: str


class PlanInhoud(BaseModel):
    """What a version of an ondersteuningsplan says (the plan file of ``iwmo plan bereken``)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    normenkader: NormenkaderSleutel
    voorziening: Voorzieningsleutel
    activiteiten: list[PlanActiviteit] = Field(default_factory=list)
    vervallen: list[Vervallen] = Field(default_factory=list)
    omstandigheden: list[PlanOmstandigheid] = Field(default_factory=list)
    deelnemers: list[Deelnemer] = Field(default_factory=list)
    woorden_client: str | None = Field(None, max_length=4000, description="wat de client zelf zegt, in zijn woorden")


class OngeldigPlan(ValueError):
    """A plan that does not fit its normenkader; ``fouten`` are (place, reason) pairs."""

    def __init__(self, fouten: list[tuple[str, str]]) -> None:
        self.fouten = fouten
        super().__init__("; ".join(f"{plek}: {reden}" for plek, reden in fouten))


class Richting(StrEnum):
    HOGER = "hoger"
    LAGER = "lager"


#: hundredths of a minute per year in a minute per week: 52 weeks of 100 hundredths
_WEEK = WEKEN_PER_JAAR * HONDERDSTEN


def minuten(h: int) -> Fraction:
    """Hundredths of a minute as minutes, exactly."""
    return Fraction(h, HONDERDSTEN)


def minuten_per_week(per_jaar_h: int) -> Fraction:
    """Hundredths of a minute per year as minutes per week (a year has 52 weeks), exactly."""
    return Fraction(per_jaar_h, _WEEK)


def afgerond(per_jaar_h: int) -> tuple[int, int]:
    """Whole minutes per week and per year, each rounded up from the exact value (hundredths per year)."""
    return -(-per_jaar_h // _WEEK), -(-per_jaar_h // HONDERDSTEN)


@dataclass(slots=True)  # made per activity of every plan: slots, not frozen (a frozen init costs 4 times more)
class ActiviteitTijd:
    """An activity's time. Figures are kept exactly, in hundredths of a minute (``*_h``)."""

    code: str
    omschrijving: str
    frequentie: Frequentie  # str() says it in words: "1 keer per week"
    norm_per_keer_h: int
    per_keer_h: int
    per_jaar_h: int
    norm_per_jaar_h: int  # at the norm time and the default frequency
    afwijking: Richting | None
    reden: str | None
    grond: str | None

    @property
    def minuten_per_keer(self) -> Fraction:
        return minuten(self.per_keer_h)

    @property
    def norm_minuten_per_keer(self) -> Fraction:
        return minuten(self.norm_per_keer_h)

    @property
    def per_week(self) -> Fraction:
        return minuten_per_week(self.per_jaar_h)

    @property
    def per_jaar(self) -> Fraction:
        return minuten(self.per_jaar_h)

    @property
    def norm_per_week(self) -> Fraction:
        return minuten_per_week(self.norm_per_jaar_h)


@dataclass(slots=True)
class OmstandigheidTijd:
    code: str
    omschrijving: str
    aantal: int
    per_jaar_h: int
    toelichting: str | None

    @property
    def per_week(self) -> Fraction:
        return minuten_per_week(self.per_jaar_h)

    @property
    def per_jaar(self) -> Fraction:
        return minuten(self.per_jaar_h)


@dataclass(frozen=True)
class VervallenTijd:
    code: str
    omschrijving: str
    norm_per_jaar_h: int
    reden: str
    grond: str

    @property
    def norm_per_week(self) -> Fraction:
        return minuten_per_week(self.norm_per_jaar_h)


@dataclass(frozen=True)
class Berekening:
    """The time a plan stands for. ``*_exact`` are exact; ``per_week`` and ``per_jaar`` are those rounded up
    to a whole minute, each from its own exact value."""

    resultaat: str
    activiteiten: tuple[ActiviteitTijd, ...]
    omstandigheden: tuple[OmstandigheidTijd, ...]
    vervallen: tuple[VervallenTijd, ...]
    per_jaar_h: int
    norm_per_jaar_h: int  # the normenkader's time for this voorziening, with the plan's circumstances

    @property
    def per_week_exact(self) -> Fraction:
        return minuten_per_week(self.per_jaar_h)

    @property
    def per_jaar_exact(self) -> Fraction:
        return minuten(self.per_jaar_h)

    @property
    def norm_per_week_exact(self) -> Fraction:
        return minuten_per_week(self.norm_per_jaar_h)

    @property
    def per_week(self) -> int:
        return afgerond(self.per_jaar_h)[0]

    @property
    def per_jaar(self) -> int:
        return afgerond(self.per_jaar_h)[1]

    @property
    def verlaagd(self) -> bool:
        """Whether the plan takes time off the norm somewhere (an activity lower or dropped, or a
        circumstance that subtracts)."""
        return (any(a.afwijking is Richting.LAGER for a in self.activiteiten) or bool(self.vervallen)
                or any(o.per_jaar_h < 0 for o in self.omstandigheden))


def _richting(nu: int, norm: int) -> Richting | None:
    if nu > norm:
        return Richting.HOGER
    if nu < norm:
        return Richting.LAGER
    return None


def _activiteiten(inhoud: PlanInhoud, norm: Voorziening, fouten: list[tuple[str, str]],
                  gezien: set[str]) -> list[ActiviteitTijd]:
    uit: list[ActiviteitTijd] = []
    for i, pa in enumerate(inhoud.activiteiten):
        plek = f"activiteiten[{i}]"
        na = norm.activiteit.get(pa.activiteit)
        if na is None:
            fouten.append((f"{plek}.activiteit", f"activiteit {pa.activiteit!r} staat niet in het normenkader "
                                                  f"(wel: {', '.join(norm.activiteit)})"))
            continue
        if pa.activiteit in gezien:
            fouten.append((f"{plek}.activiteit", f"activiteit {pa.activiteit!r} staat er al eerder in"))
            continue
        gezien.add(pa.activiteit)
        frequentie = pa.frequentie or na.standaard
        if frequentie.per not in na.toegestane_perioden:
            fouten.append((f"{plek}.frequentie", f"{frequentie} mag niet voor {pa.activiteit}; het normenkader staat "
                                                 f"per {', per '.join(p.value for p in na.perioden())} toe"))
            continue
        per_keer = na.norm_per_keer + (honderdsten(pa.extra_minuten) if pa.extra_minuten else 0)
        if per_keer <= 0:
            fouten.append((f"{plek}.extra_minuten", f"er blijft geen tijd over voor {pa.activiteit} "
                                                    f"(normtijd {na.minuten} minuten per keer)"))
            continue
        per_jaar = per_keer * frequentie.per_jaar()
        richting = _richting(per_jaar, na.norm_per_jaar)
        afwijkend = pa.extra_minuten != 0 or (frequentie.aantal, frequentie.per) != (na.standaard.aantal,
                                                                                   na.standaard.per)
        if afwijkend and pa.reden is None:
            fouten.append((f"{plek}.reden", f"een afwijking van de norm voor {pa.activiteit} vraagt een reden"))
        if richting is Richting.LAGER and pa.grond is None:
            fouten.append((f"{plek}.grond", f"minder tijd dan de norm voor {pa.activiteit} vraagt een grond"))
        if not afwijkend and (pa.reden or pa.grond):
            fouten.append((f"{plek}.reden", f"{pa.activiteit} volgt de norm; een reden of grond hoort bij een afwijking"))
        uit.append(ActiviteitTijd(
            code=na.code, omschrijving=na.omschrijving, frequentie=frequentie, norm_per_keer_h=na.norm_per_keer,
            per_keer_h=per_keer, per_jaar_h=per_jaar, norm_per_jaar_h=na.norm_per_jaar, afwijking=richting,
            reden=pa.reden, grond=pa.grond))
    return uit


def _vervallen(inhoud: PlanInhoud, norm: Voorziening, fouten: list[tuple[str, str]],
               gezien: set[str]) -> list[VervallenTijd]:
    uit: list[VervallenTijd] = []
    for i, v in enumerate(inhoud.vervallen):
        na = norm.activiteit.get(v.activiteit)
        if na is None:
            fouten.append((f"vervallen[{i}].activiteit", f"activiteit {v.activiteit!r} staat niet in het normenkader"))
        elif v.activiteit in gezien:
            fouten.append((f"vervallen[{i}].activiteit", f"activiteit {v.activiteit!r} staat er al eerder in"))
        else:
            gezien.add(v.activiteit)
            uit.append(VervallenTijd(na.code, na.omschrijving, na.norm_per_jaar, v.reden, v.grond))
    ontbreekt = [code for code in norm.activiteit if code not in gezien]
    if not inhoud.activiteiten:
        fouten.append(("activiteiten", "een plan zonder activiteit met een frequentie is een resultaat zonder tijd: "
                                       "neem ten minste één activiteit op"))
    elif ontbreekt:
        fouten.append(("activiteiten", f"het plan zegt niets over {', '.join(ontbreekt)}: neem elke activiteit van het "
                                       f"normenkader op, of zet haar onder 'vervallen' met reden en grond"))
    return uit


def _omstandigheden(inhoud: PlanInhoud, norm: Voorziening, fouten: list[tuple[str, str]]) -> list[OmstandigheidTijd]:
    uit: list[OmstandigheidTijd] = []
    for i, po in enumerate(inhoud.omstandigheden):
        plek = f"omstandigheden[{i}]"
        no = norm.omstandigheid.get(po.omstandigheid)
        if no is None:
            fouten.append((f"{plek}.omstandigheid", f"omstandigheid {po.omstandigheid!r} staat niet in het normenkader "
                                                    f"(wel: {', '.join(norm.omstandigheid) or 'geen'})"))
            continue
        if any(o.code == no.code for o in uit):
            fouten.append((f"{plek}.omstandigheid", f"omstandigheid {po.omstandigheid!r} staat er al eerder in"))
            continue
        if po.aantal > no.max_aantal:
            fouten.append((f"{plek}.aantal", f"{po.omstandigheid} mag ten hoogste {no.max_aantal} keer gelden"))
            continue
        per_jaar = no.per_jaar() * po.aantal
        if per_jaar < 0 and po.toelichting is None:
            fouten.append((f"{plek}.toelichting", f"{po.omstandigheid} trekt tijd af en vraagt een toelichting"))
        uit.append(OmstandigheidTijd(no.code, no.omschrijving, po.aantal, per_jaar, po.toelichting))
    return uit


def bereken(inhoud: PlanInhoud, norm: Voorziening) -> Berekening:
    """Check ``inhoud`` against the normenkader's voorziening ``norm`` and compute its time; every fault is
    reported at once (:class:`OngeldigPlan`)."""
    fouten: list[tuple[str, str]] = []
    gezien: set[str] = set()
    activiteiten = _activiteiten(inhoud, norm, fouten, gezien)
    vervallen = _vervallen(inhoud, norm, fouten, gezien)
    omstandigheden = _omstandigheden(inhoud, norm, fouten)
    erbij = sum(o.per_jaar_h for o in omstandigheden)
    per_jaar = sum(a.per_jaar_h for a in activiteiten) + erbij
    if not fouten and per_jaar <= 0:
        fouten.append(("omstandigheden", "na aftrek blijft er geen tijd over; een plan zonder tijd kan niet"))
    if fouten:
        raise OngeldigPlan(fouten)
    return Berekening(resultaat=norm.resultaat, activiteiten=tuple(activiteiten), omstandigheden=tuple(omstandigheden),
                      vervallen=tuple(vervallen), per_jaar_h=per_jaar, norm_per_jaar_h=norm.norm_per_jaar() + erbij)


def uren_en_minuten(minuten_totaal: int) -> str:
    """``125`` -> ``"2 uur en 5 minuten"``; ``60`` -> ``"1 uur"``; ``45`` -> ``"45 minuten"``."""
    uren, rest = divmod(minuten_totaal, 60)
    delen = ([f"{uren} uur"] if uren else []) + ([f"{rest} {'minuut' if rest == 1 else 'minuten'}"] if rest else [])
    return " en ".join(delen) or "0 minuten"


def als_tekst(x: Fraction) -> str:
    """An exact figure as text: ``"125"`` or ``"1620/13"``."""
    return str(x.numerator) if x.denominator == 1 else f"{x.numerator}/{x.denominator}"
