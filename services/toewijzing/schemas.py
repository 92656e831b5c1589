"""The back office's API models: what a route takes (``...In``) and what it answers.

The answers are the read models of :mod:`services.toewijzing.overzicht` and
:func:`services.toewijzing.domain.verzoeken.beschrijving`, described field by field so that /docs shows them.
Dates are ISO dates; moments (``op``, ``ontvangen_op``, ``besloten_op``) ISO 8601 timestamps as stored."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import BaseModel, Field

from infra.schemas import RequestModel
from services.gegevens import BETEKENISSEN, ZICHTBAAR, Bsn, ClientGegevens, Omvang
from services.toewijzing.domain import varianten
from services.toewijzing.domain.beschikking import VoorzieningInvoer

# -- requests ---------------------------------------------------------------------------------------------

VOORBEELD_CLIENT: dict[str, Any] = {"bsn": "999990019", "geboortedatum": "1948-03-14", "geslacht": "2",
                                     "achternaam": "Jansen", "postcode": "1011AB", "huisnummer": 12}


class OmvangIn(RequestModel):
    volume: int | None = Field(None, description="aantal eenheden (bij eenheid 83: eurocent)")
    eenheid: str | None = Field(None, description="WJ756: 01 minuut, 04 uur, 14 etmaal, 16 dagdeel, 84 stuks "
                                                  "(inspanning); 82 stuks (output), 83 euro's")
    frequentie: str | None = Field(None, description="WMO757: 1 per dag, 2 per week, 4 per maand, 6 totaal")
    budget: int | None = Field(None, description="budget in eurocent (resultaat zonder productcode)")

    def omvang(self) -> varianten.Omvang:
        return varianten.Omvang(self.volume, self.eenheid, self.frequentie, self.budget)


class VoorzieningIn(RequestModel):
    wijze: Literal["uren", "resultaat"]
    categorie: str
    code: str | None = None
    aanbieder: str = Field(description="AGB-code van de aanbieder")
    ingangsdatum: dt.date
    einddatum: dt.date | None = None
    omvang: OmvangIn = OmvangIn.model_validate({})
    resultaat: str | None = Field(None, description="het te bereiken resultaat, in woorden (bij wijze resultaat)",
                                  pattern=ZICHTBAAR)
    commentaar: str | None = Field(None, pattern=ZICHTBAAR)

    def invoer(self) -> VoorzieningInvoer:
        return VoorzieningInvoer(**self.model_dump(exclude={"omvang"}), omvang=self.omvang.omvang())


class BeschikkingIn(RequestModel):
    client: ClientGegevens
    besluitdatum: dt.date
    kenmerk: str | None = None
    voorzieningen: list[VoorzieningIn]

    model_config = {"json_schema_extra": {"examples": [{
        "client": VOORBEELD_CLIENT,
        "besluitdatum": "2026-11-20",
        "voorzieningen": [
            {"wijze": "uren", "categorie": "01", "code": "01A01", "aanbieder": "12345678",
             "ingangsdatum": "2026-12-01", "einddatum": "2027-11-30",
             "omvang": {"volume": 3, "eenheid": "04", "frequentie": "2"}},
            {"wijze": "resultaat", "categorie": "01", "code": "01A02", "aanbieder": "12345678",
             "ingangsdatum": "2026-12-01", "einddatum": "2027-11-30", "resultaat": "Een schoon en leefbaar huis",
             "omvang": {"volume": 1, "eenheid": "82", "frequentie": "2"}}]}]}}


OVERLEG = Field(False, description="OP033x1: de gemeente wijzigt een afgegeven toewijzing alleen in overleg met "
                                     "de aanbieder; bevestig dat met true")


class EinddatumIn(RequestModel):
    einddatum: dt.date
    reden: str | None = Field(None, description="WMO002; standaard 04 (verlenging) of 05 (verkorting). Bij een "
                                                "latere einddatum 04 of 14, bij een eerdere 02, 03, 05-11 of 14")
    in_overleg_met_aanbieder: bool = OVERLEG

    model_config = {"json_schema_extra": {"examples": [
        {"einddatum": "2027-12-31", "in_overleg_met_aanbieder": True},
        {"einddatum": "2027-03-31", "reden": "02", "in_overleg_met_aanbieder": True}]}}


class OmvangWijzigingIn(RequestModel):
    per: dt.date | None = Field(None, description="de dag waarop de nieuwe omvang ingaat (een nieuwe toewijzing); "
                                                  "weglaten bij een gewijzigd budget of totaal (frequentie 6), dat "
                                                  "op hetzelfde nummer wijzigt vanaf de ingangsdatum")
    omvang: OmvangIn
    reden: str | None = Field(None, description="WMO002; verplicht bij een gewijzigd budget of totaal (bijv. 14)")
    in_overleg_met_aanbieder: bool = OVERLEG

    model_config = {"json_schema_extra": {"examples": [
        {"per": "2027-03-01", "omvang": {"volume": 5, "eenheid": "04", "frequentie": "2"},
         "in_overleg_met_aanbieder": True},
        {"omvang": {"budget": 200000}, "reden": "14", "in_overleg_met_aanbieder": True}]}}


class ToekennenIn(RequestModel):
    client: ClientGegevens | None = Field(None, description="alleen nodig als de gemeente de client nog niet kent "
                                                            "(een WMO315 draagt geen adres)")
    resultaat: str | None = Field(None, description="het te bereiken resultaat (resultaatproduct); standaard het "
                                                    "commentaar van het verzoek of de productnaam")

    model_config = {"json_schema_extra": {"examples": [{}, {"client": VOORBEELD_CLIENT}]}}


class AfwijzenIn(RequestModel):
    reden: str = Field(description="RedenAfwijzingVerzoek (WJ759): 1 geen wijziging maar nieuwe aanvraag, 2 past niet "
                                   "binnen budget, 3 geen contract, 4 past niet binnen contract, 5 andere gemeente, "
                                   "6 stapeling, 7 zorginhoudelijke afkeur, 8 woonplaatsbeginsel, 9 leeftijdsgrens",
                       examples=["7"])


# -- answers ----------------------------------------------------------------------------------------------

class Health(BaseModel):
    status: str


class Product(BaseModel):
    categorie: str
    code: str | None


class ToegewezenProduct(Product):
    omschrijving: str | None = Field(description="de naam in de productcatalogus van de gemeente")


class Toewijzing(BaseModel):
    toewijzingnummer: int
    aanbieder: str
    wijze: str = Field(description="uren | resultaat")
    product: ToegewezenProduct
    toegewezen: str = Field(description="wat is toegewezen, in woorden")
    omvang: Omvang
    ingangsdatum: dt.date
    einddatum: dt.date | None
    reden_wijziging: str | None = Field(description="WMO002")
    actueel: bool
    oordeel_aanbieder: str | None = Field(description="het antwoord van de aanbieder op de laatste WMO301")
    retourcodes: list[str]
    betekenissen: dict[str, str] = BETEKENISSEN
    levering: str = Field(description="niet gestart, gestart op ..., (tijdelijk) gestopt op ...")


class VerzoekVanClient(BaseModel):
    id: int
    soort: str = Field(description="VOT (WMO315) | VOW (WMO317)")
    aanbieder: str
    referentie_aanbieder: str
    status: str
    advies: str | None


class BerichtVanClient(BaseModel):
    id: int
    richting: str = Field(description="uit | in")
    bericht: str
    identificatie: str
    status: str
    wacht_op: str | None = Field(description="waarom een bericht nog niet verzonden is (bijv. het "
                                             "ondersteuningsplan is nog niet vastgesteld)")
    retour: str | None = Field(description="het oordeel in de retour")
    retourcodes: list[str]
    betekenissen: dict[str, str] = BETEKENISSEN
    op: str = Field(description="ISO 8601")


class ClientOverzicht(BaseModel):
    """What the client is assigned, by whom, and the messages about it."""

    bsn: str
    naam: str
    toewijzingen: list[Toewijzing]
    verzoeken: list[VerzoekVanClient]
    berichten: list[BerichtVanClient]


class BeschikkingVastgelegd(ClientOverzicht):
    beschikking: int = Field(description="het id van de vastgelegde beschikking")
    waarschuwingen: list[str] = Field(default_factory=list, description="bijv. een aanbieder die niet is "
                                                                         "aangesloten bij de hub: het WMO301 wacht")


class GevraagdeToewijzing(BaseModel):
    """WMO315: the product asked for."""

    product: Product | None
    ingangsdatum: dt.date
    einddatum: dt.date | None
    omvang: Omvang
    commentaar: str | None


class TeWijzigen(BaseModel):
    toewijzingnummer: int
    gewenste_ingangsdatum: dt.date
    einddatum: dt.date | None
    omvang: Omvang


class NieuwProduct(BaseModel):
    product: Product | None
    gewenste_ingangsdatum: dt.date
    einddatum: dt.date | None
    omvang: Omvang


class GevraagdeWijziging(BaseModel):
    """WMO317: the toewijzingen to keep, to change and the new products."""

    reden_verzoek: str = Field(description="WJ758: 1 wijziging zorgbehoefte, 2 verlenging")
    ongewijzigd: list[int]
    te_wijzigen: list[TeWijzigen]
    nieuw: list[NieuwProduct]


class Verzoek(BaseModel):
    """A request for the work queue: who asks what, what the policy said, and its state."""

    id: int
    soort: str = Field(description="VOT (WMO315) | VOW (WMO317)")
    aanbieder: str
    bsn: str
    referentie_aanbieder: str
    status: str = Field(description="open | in-onderzoek | toegekend | afgewezen")
    advies: str | None
    reden_afwijzing: str | None = Field(description="WJ759")
    besloten_door: str | None = Field(description="beleid | medewerker")
    ontvangen_op: str = Field(description="ISO 8601")
    besloten_op: str | None = Field(description="ISO 8601")
    verzoek: GevraagdeToewijzing | GevraagdeWijziging


class OpvragenIn(RequestModel):
    """Which toewijzingen the declaratie service needs: for one WMO323 the aanbieder's, by number; for one
    client's delivery all of the client's (of every aanbieder, or of one). The filters given all apply;
    without ``nummers`` and ``client`` the answer holds no toewijzing (never the whole table)."""

    aanbieder: str | None = Field(None, pattern=r"^[0-9]{8}$",
                                  description="AGB-code; weglaten: de toewijzingen van elke aanbieder")
    nummers: list[int] = Field(default_factory=list, max_length=100_000, description="ToewijzingNummers")
    client: Bsn | None = Field(None, description="BSN: alle toewijzingen van deze cliënt")
    bsns: list[str] = Field(default_factory=list, max_length=100_000,
                            description="BSN's waarvan de dienst wil weten of het clienten van deze aanbieder "
                                        "(zonder aanbieder: van een aanbieder) zijn")


class LeveringVoorDeclaratie(BaseModel):
    soort: str = Field(description="start | stop")
    begindatum: dt.date
    einddatum: dt.date | None
    reden_beeindiging: str | None


class ToewijzingVoorDeclaratie(BaseModel):
    """A toewijzing as granted, with the client and its accepted starts and stops."""

    toewijzingnummer: int
    bsn: str
    aanbieder: str
    wijze: str = Field(description="uren | resultaat")
    categorie: str
    code: str | None
    ingangsdatum: dt.date
    einddatum: dt.date | None
    omvang: Omvang
    reden_wijziging: str | None = Field(description="WMO002; 13: verwijderd")
    leveringen: list[LeveringVoorDeclaratie]


class Opgevraagd(BaseModel):
    toewijzingen: list[ToewijzingVoorDeclaratie]
    clienten: list[str] = Field(description="de gevraagde BSN's die een toewijzing bij deze aanbieder hebben")


# -- lists (paged by id: pass ``volgende`` as ``na`` for the next page) ------------------------------------

class Pagina(BaseModel):
    volgende: int | None = Field(description="geef dit mee als `na` voor de volgende pagina; null: dit was de "
                                             "laatste")


class ClientInLijst(BaseModel):
    id: int = Field(description="volgorde en cursor (`na`)")
    bsn: str
    naam: str
    toewijzingen: int = Field(description="hoeveel toewijzingen de client heeft (ook beëindigde)")
    actueel: int = Field(description="hoeveel daarvan vandaag of later gelden (niet verwijderd)")
    aanbieders: list[str] = Field(description="AGB-codes van de aanbieders van zijn toewijzingen")


class Clienten(Pagina):
    items: list[ClientInLijst]

    model_config = {"json_schema_extra": {"examples": [{
        "items": [{"id": 7, "bsn": "999990019", "naam": "J. Jansen", "toewijzingen": 2, "actueel": 1,
                   "aanbieders": ["12345678"]}], "volgende": None}]}}


class ToewijzingInLijst(Toewijzing):
    id: int = Field(description="volgorde en cursor (`na`)")
    bsn: str


class Toewijzingen(Pagina):
    items: list[ToewijzingInLijst]


class BerichtInLijst(BaseModel):
    id: int = Field(description="volgorde en cursor (`na`)")
    richting: str = Field(description="uit | in")
    bericht: str = Field(description="het berichttype, bijv. WMO301")
    identificatie: str
    afzender: str
    ontvanger: str
    bsn: str | None = Field(description="de client waar het bericht over gaat (null: niet aan een client gekoppeld)")
    status: str = Field(description="uit: te-verzenden | verzonden | geweigerd (door de hub); in: verwerkt | "
                                    "afgekeurd | onbekend")
    wacht_op: str | None = Field(description="alleen bij te-verzenden: waarom het nog niet weg is")
    fout: str | None = Field(description="waarom de hub het weigerde, of wat de gemeente in een ontvangen "
                                         "bericht afkeurde")
    retour: str | None = Field(description="het oordeel van de ontvanger in de retour: goedgekeurd | afgekeurd")
    retourcodes: list[str]
    betekenissen: dict[str, str] = BETEKENISSEN
    sinds: str = Field(description="wanneer het bericht gemaakt of ontvangen is (ISO 8601)")


class Berichten(Pagina):
    items: list[BerichtInLijst]

    model_config = {"json_schema_extra": {"examples": [{
        "items": [{"id": 12, "richting": "uit", "bericht": "WMO301", "identificatie": "T0000012",
                   "afzender": "0363", "ontvanger": "12345678", "bsn": "999990019", "status": "te-verzenden",
                   "wacht_op": "ondersteuningsplan nog niet vastgesteld", "fout": None, "retour": None,
                   "retourcodes": [], "sinds": "2026-11-23T10:00:00+00:00"}], "volgende": None}]}}
