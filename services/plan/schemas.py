"""The plan service's API models: what a route takes (``...In``) and what it answers.

Exact figures are texts (``"1620/13"``: minutes per week as a fraction) beside whole minutes rounded up.
The plan's content (``inhoud``) is :class:`services.plan.domain.rekenen.PlanInhoud`, the same model as the
plan file of ``iwmo plan bereken``."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import BaseModel, Field

from infra.schemas import RequestModel
from services.plan.domain.rekenen import PlanInhoud

# -- requests ---------------------------------------------------------------------------------------------

VOORBEELD_INHOUD: dict[str, Any] = {
    "normenkader": {"naam": "hh-demo", "versie": "2026.1"},
    "voorziening": {"categorie": "01", "code": "01A02"},
    "activiteiten": [{"activiteit": a} for a in ("stofzuigen-dweilen", "sanitair", "keuken", "opruimen-afval",
                                                  "afstoffen", "bed-verschonen", "ramen-binnen")]
    + [{"activiteit": "grote-schoonmaak", "frequentie": "1 keer per kwartaal",
        "reden": "huisstofmijtallergie: vaker grondig schoonmaken"}],
    "omstandigheden": [{"omstandigheid": "extra-kamer-in-gebruik"}],
    "deelnemers": [{"rol": "client"}, {"rol": "consulent"}, {"rol": "aanbieder", "naam": "wijkhulp"}],
    "woorden_client": "Ik wil dat mijn huis schoon is, zodat mijn longen rust krijgen.",
}


class PlanIn(PlanInhoud):
    """A new plan for a client's voorziening, or a new version of it."""

    bsn: str = Field(pattern=r"^[0-9]{9}$")
    toewijzingnummer: int | None = Field(None, ge=1, description="de toewijzing waar het plan bij hoort (uit de "
                                                                  "toewijzing-service); leeg: nog niet bekend")
    reden: str = Field("eerste versie", min_length=1, max_length=2000, description="waarom deze versie")

    model_config = {"json_schema_extra": {"examples": [{"bsn": "999990019", "toewijzingnummer": 2,
                                                        **VOORBEELD_INHOUD}]}}


class VersieIn(PlanInhoud):
    toewijzingnummer: int | None = Field(None, ge=1, description="leeg: die van de vorige versie")
    reden: str = Field(min_length=1, max_length=2000, description="waarom deze versie")


class PlanVersieSleutel(RequestModel):
    plan: int
    versie: int


class BesluitIn(RequestModel):
    """A besluit about some of the client's toewijzingen, establishing the plan versions with them."""

    bsn: str = Field(pattern=r"^[0-9]{9}$")
    toewijzingnummers: list[int] = Field(min_length=1, description="de toewijzingen waarover het besluit gaat")
    plannen: list[PlanVersieSleutel] = Field(default_factory=list, description="de planversies die het besluit "
                                                                               "vaststelt")
    besluitdatum: dt.date
    bekendmaking: dt.date = Field(description="de dag waarop het besluit aan de client is bekendgemaakt (verzonden)")
    instemming: Literal["client", "college"] = Field(description="client: de client stemt in met het plan; "
                                                                 "college: vastgesteld zonder instemming")
    motivering: str | None = Field(None, max_length=4000, description="verplicht zonder instemming: waarom toch")

    model_config = {"json_schema_extra": {"examples": [{
        "bsn": "999990019", "toewijzingnummers": [1, 2], "plannen": [{"plan": 1, "versie": 1}],
        "besluitdatum": "2026-11-20", "bekendmaking": "2026-11-23", "instemming": "client"}]}}


class BezwaarIn(RequestModel):
    ontvangen: dt.date = Field(description="de dag waarop het bezwaarschrift binnenkwam")
    ter_post_bezorgd: dt.date | None = Field(None, description="bij een bezwaar per post: de dag van verzending "
                                                                 "(Awb 6:9 lid 2)")
    toelichting: str | None = Field(None, max_length=4000)


class PlanCheckIn(RequestModel):
    """The toewijzing service's question before a resultaat WMO301 goes out."""

    gemeente: str = Field(pattern=r"^[0-9]{4}$")
    bsn: str = Field(pattern=r"^[0-9]{9}$")
    toewijzingnummers: list[int]


# -- answers ----------------------------------------------------------------------------------------------

class Health(BaseModel):
    status: str


class NormenkaderVoorziening(BaseModel):
    categorie: str
    code: str | None
    resultaat: str
    norm: str = Field(description="de normtijd zonder omstandigheden, in woorden")


class NormenkaderUit(BaseModel):
    naam: str
    versie: str
    titel: str
    gemeente: str
    geldig_van: dt.date
    geldig_tot: dt.date | None
    demonstratie: bool
    bruikbaar: bool = Field(description="met onderbouwing door een onafhankelijke onderzoeker: plannen kunnen erop "
                                        "worden vastgesteld")
    waarom_niet_bruikbaar: str | None
    voorzieningen: list[NormenkaderVoorziening]
    door: str
    op: dt.datetime


class NormenkaderDetail(NormenkaderUit):
    document: dict[str, Any] = Field(description="het normenkader zoals gepubliceerd")


class ActiviteitUit(BaseModel):
    code: str
    omschrijving: str
    frequentie: str
    norm_minuten_per_keer: str
    minuten_per_keer: str
    minuten_per_week: str = Field(description="exact (een breuk)")
    minuten_per_jaar: str = Field(description="exact")
    afwijking: Literal["hoger", "lager"] | None
    reden: str | None
    grond: str | None


class OmstandigheidUit(BaseModel):
    code: str
    omschrijving: str
    aantal: int
    minuten_per_week: str
    minuten_per_jaar: str
    toelichting: str | None


class VervallenUit(BaseModel):
    code: str
    omschrijving: str
    norm_minuten_per_week: str
    reden: str
    grond: str


class Totaal(BaseModel):
    minuten_per_week: int = Field(description="naar boven afgerond op een hele minuut")
    minuten_per_jaar: int = Field(description="naar boven afgerond op een hele minuut")
    minuten_per_week_exact: str
    minuten_per_jaar_exact: str
    in_woorden: str


class Norm(BaseModel):
    minuten_per_week: int
    minuten_per_jaar: int
    minuten_per_week_exact: str


class BerekeningUit(BaseModel):
    resultaat: str
    activiteiten: list[ActiviteitUit]
    omstandigheden: list[OmstandigheidUit]
    vervallen: list[VervallenUit]
    totaal: Totaal
    norm: Norm = Field(description="wat het normenkader geeft: elke activiteit in haar standaardfrequentie, met "
                                   "dezelfde omstandigheden")
    verlaagd: bool = Field(description="het plan geeft ergens minder tijd dan de norm (gemarkeerd)")


class NormenkaderVerwijzing(BaseModel):
    naam: str
    versie: str


class PlanVersieUit(BaseModel):
    nummer: int
    status: Literal["concept", "vastgesteld", "vervangen", "vervallen"]
    in_bezwaar: bool
    toewijzingnummer: int | None
    normenkader: NormenkaderVerwijzing
    besluit: int | None
    reden: str
    door: str
    op: dt.datetime
    inhoud: PlanInhoud
    berekening: BerekeningUit


class Voorziening(BaseModel):
    categorie: str
    code: str | None


class PlanUit(BaseModel):
    id: int
    bsn: str
    voorziening: Voorziening
    geldende_versie: int | None = Field(description="de laatst vastgestelde versie")
    versies: list[PlanVersieUit]


class WijzigingUit(BaseModel):
    soort: Literal["activiteit", "omstandigheid"]
    code: str
    omschrijving: str
    voor: str | None
    na: str | None
    minuten_per_week_voor: str
    minuten_per_week_na: str
    reden: str | None


class Vergelijking(BaseModel):
    plan: int
    van: int
    naar: int
    wijzigingen: list[WijzigingUit]
    voor: Totaal
    na: Totaal
    verschil_minuten_per_week: int = Field(description="na min voor, van de afgeronde totalen")
    verschil_minuten_per_jaar: int


class BezwaarUit(BaseModel):
    ontvangen: dt.date
    tijdig: bool
    toelichting: str | None
    door: str
    op: dt.datetime


class Product(BaseModel):
    categorie: str
    code: str | None
    omschrijving: str | None


class Omvang(BaseModel):
    volume: int | None
    eenheid: str | None
    frequentie: str | None
    budget: int | None


class ToewijzingInBesluit(BaseModel):
    """A toewijzing as the toewijzing service showed it when the besluit was taken."""

    toewijzingnummer: int
    aanbieder: str
    wijze: str
    product: Product
    toegewezen: str
    omvang: Omvang
    ingangsdatum: dt.date
    einddatum: dt.date | None


class BesluitUit(BaseModel):
    id: int
    bsn: str
    besluitdatum: dt.date
    bekendmaking: dt.date
    einde_bezwaartermijn: dt.date = Field(description="de laatste dag om bezwaar te maken (Awb 6:7, 6:8, "
                                                      "Algemene termijnenwet)")
    instemming: str
    motivering: str | None
    toewijzingen: list[ToewijzingInBesluit] = Field(description="de toewijzingen zoals de toewijzing-service ze "
                                                                "toonde toen het besluit werd genomen")
    plannen: list[PlanVersieSleutel]
    bezwaar: BezwaarUit | None
    door: str
    op: dt.datetime


class PlanCheckUit(BaseModel):
    vastgesteld: bool
    toelichting: str | None = None


class Termijn(BaseModel):
    bekendmaking: dt.date
    einde_bezwaartermijn: dt.date
