"""The stand-in's API models: what a route takes (``...In``) and what it answers (the read models of
:mod:`services.aanbieder.overzicht`, described field by field). Dates are ISO dates; ``op`` an ISO 8601
timestamp as stored."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import BaseModel, Field

from infra.schemas import RequestModel
from services.aanbieder.domain import uitgaand
from services.gegevens import BETEKENISSEN, Omvang, Persoon, code_uit

# -- requests ---------------------------------------------------------------------------------------------


MAAND = r"^[0-9]{4}-(0[1-9]|1[0-2])(-[0-3][0-9])?$"


class DeclaratieIn(RequestModel):
    gemeente: str = Field(pattern=r"^[0-9]{4}$", description="de gemeente die de declaratie krijgt")
    maand: str = Field(pattern=MAAND, description="de declaratieperiode, JJJJ-MM (of een datum in die maand)")
    bsn: str | None = Field(default=None, pattern=r"^[0-9]{9}$", description="alleen voor deze client declareren")
    meer: int = Field(default=0, ge=-10_000, le=10_000,
                      description="zoveel eenheden meer dan de omvang over de periode (negatief: minder, wat niet "
                                  "geleverd is)")
    corrigeer: str | None = Field(default=None, pattern=MAAND,
                                  description="een eerdere maand (JJJJ-MM): elke toegekende debetprestatie ervan "
                                              "crediteren en opnieuw declareren zoals ze nu is (met meer)")
    fouten: list[Literal["tarief", "volume", "periode", "toewijzing", "verwijderd", "dubbel"]] = Field(
        default_factory=list, description="fouten om in te bouwen: tarief (TR418), volume (TR321), periode (TR387), "
                                          "toewijzing (TR338), verwijderd (ook verwijderde toewijzingen: TR384), "
                                          "dubbel (ook wat al toegekend is: TR389)")

    model_config = {"json_schema_extra": {"examples": [{"gemeente": "0363", "maand": "2026-12"},
                                                       {"gemeente": "0363", "maand": "2026-12", "fouten": ["tarief"]},
                                                       {"gemeente": "0363", "maand": "2026-12", "corrigeer": "2026-11",
                                                        "meer": -2}]}}

    def datum(self, veld: str) -> dt.date | None:
        waarde = getattr(self, veld)
        return None if waarde is None else dt.date.fromisoformat(waarde[:7] + "-01")


class StartIn(RequestModel):
    toewijzingnummer: int
    begindatum: dt.date
    gemeente: str | None = Field(None, description="alleen nodig als het nummer bij meer gemeenten voorkomt")
    status_aanlevering: Literal["1", "3"] = Field("1", description="1 nieuw, 3 verwijderen (corrigeren: verwijderen "
                                                                 "en opnieuw sturen; 2 wordt niet gebruikt)")

    model_config = {"json_schema_extra": {"examples": [{"toewijzingnummer": 1, "begindatum": "2026-12-01"}]}}


class StopIn(RequestModel):
    toewijzingnummer: int
    einddatum: dt.date
    reden: Annotated[str, code_uit("WMO588")] = Field(description="WMO588 RedenBeeindiging, bijv. 19 (doelen "
                                                                    "bereikt), 20 (tijdelijk), 23 (overleden)")
    begindatum: dt.date | None = Field(None, description="de begindatum van de start; standaard die van de laatste")
    gemeente: str | None = None
    status_aanlevering: Literal["1", "3"] = "1"

    model_config = {"json_schema_extra": {"examples": [
        {"toewijzingnummer": 1, "einddatum": "2027-03-31", "reden": "19"}]}}


class ProductIn(RequestModel):
    ingangsdatum: dt.date = Field(description="gewenste ingangsdatum")
    einddatum: dt.date | None = None
    categorie: str | None = None
    code: str | None = None
    volume: int | None = None
    eenheid: str | None = Field(None, description="WJ756, bijv. 04 uur, 82 stuks (output)")
    frequentie: str | None = Field(None, description="WMO757: 1 per dag, 2 per week, 4 per maand, 6 totaal")
    budget: int | None = Field(None, description="in eurocent")
    referentie: str | None = Field(None, description="WMO315: de ReferentieAanbieder; standaard gegenereerd")
    verwijzer_type: str = Field("01", description="COD327, standaard 01 (gemeente)")
    verwijzer_naam: str | None = None
    toewijzingnummer: int | None = Field(None, description="WMO317: de te wijzigen toewijzing; leeg = nieuw product")

    def gevraagd(self) -> uitgaand.Gevraagd:
        return uitgaand.Gevraagd(**self.model_dump())


class VerzoekToewijzingIn(RequestModel):
    gemeente: str
    bsn: str = Field(pattern=r"^[0-9]{9}$")
    client: Persoon | None = Field(None, description="nodig als de client nog geen WMO301 van deze aanbieder had")
    producten: list[ProductIn]

    model_config = {"json_schema_extra": {"examples": [{
        "gemeente": "0363", "bsn": "999990019",
        "client": {"geboortedatum": "1948-03-14", "geslacht": "2", "achternaam": "Jansen", "voorletters": "G"},
        "producten": [{"ingangsdatum": "2027-01-01", "einddatum": "2027-12-31", "categorie": "02",
                       "code": "02A01", "volume": 3, "eenheid": "04", "frequentie": "2"}]}]}}


class VerzoekWijzigingIn(RequestModel):
    gemeente: str
    bsn: str = Field(pattern=r"^[0-9]{9}$")
    reden_verzoek: Literal["1", "2"] = Field("1", description="WJ758: 1 wijziging zorgbehoefte, 2 verlenging")
    referentie: str | None = None
    wijzigingen: list[ProductIn]

    model_config = {"json_schema_extra": {"examples": [{
        "gemeente": "0363", "bsn": "999990019",
        "wijzigingen": [{"toewijzingnummer": 1, "ingangsdatum": "2027-02-01", "einddatum": "2027-12-31",
                         "volume": 4, "eenheid": "04", "frequentie": "2"}]}]}}


# -- answers ----------------------------------------------------------------------------------------------

class Health(BaseModel):
    status: str


class Bericht(BaseModel):
    """A message's metadata and state (without its XML)."""

    id: int
    richting: str = Field(description="uit | in")
    bericht: str
    afzender: str
    ontvanger: str
    identificatie: str
    status: str
    retour_status: str | None = Field(description="het oordeel in de retour")
    retourcodes: list[str]
    betekenissen: dict[str, str] = BETEKENISSEN
    antwoord_op: int | None = Field(description="het bericht waarop dit een retour is")
    fout: str | None
    op: str = Field(description="ISO 8601")


class DeclaratieVerzonden(Bericht):
    """The WMO323 sent: its DeclaratieNummer, how many Prestaties and their total (eurocent, credits negative)."""

    declaratienummer: str
    prestaties: int
    totaal: int


class VerzoekVerzonden(Bericht):
    """The WMO315 or WMO317 sent, with the ReferentieAanbieder of each request in it."""

    referenties: list[str]


class Product(BaseModel):
    categorie: str | None
    code: str | None


class Levering(BaseModel):
    """A start (WMO305) or stop (WMO307) the aanbieder reported, and the gemeente's answer."""

    soort: str = Field(description="start | stop")
    begindatum: dt.date
    einddatum: dt.date | None
    reden: str | None = Field(description="WMO588 RedenBeeindiging")
    status_aanlevering: str
    bericht_id: int
    oordeel_gemeente: str | None
    retourcodes: list[str]
    betekenissen: dict[str, str] = BETEKENISSEN


class Toewijzing(BaseModel):
    """A toewijzing as the gemeente's latest WMO301 stated it, with the starts and stops reported."""

    gemeente: str
    toewijzingnummer: int
    bsn: str
    product: Product
    ingangsdatum: dt.date
    einddatum: dt.date | None
    omvang: Omvang
    reden_wijziging: str | None = Field(description="WMO002")
    referentie_aanbieder: str | None
    leveringen: list[Levering]


class Verzoek(BaseModel):
    """A request sent (WMO315 or WMO317) and its outcome."""

    referentie: str
    soort: str = Field(description="VOT (WMO315) | VOW (WMO317)")
    gemeente: str
    bsn: str
    status: str
    toelichting: str | None
    bericht_id: int
