"""The back office's JSON API: thin routers that parse, call the domain and commit.

Every route but /health and the hub's signed push (/berichten) asks for an API token
(TOEWIJZING_API_TOKENS, see infra.auth)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request
from pydantic import BaseModel, Field
from sqlalchemy.orm import Session

from infra.auth import protected_router
from infra.http import SessionDep
from infra.http import now as klok
from infra.hub_api import add_hub_routes
from services.toewijzing import hub, overzicht
from services.toewijzing.domain import beschikking, verzoeken
from services.toewijzing.domain.varianten import Catalogus, Omvang, catalogus
from services.toewijzing.models import Client, Toewijzing

#: a text with at least one visible character (as LDT_Commentaar asks)
ZICHTBAAR = r"\S"

router = APIRouter()  # open: /health and the signed push
protected = protected_router()


class OmvangIn(BaseModel):
    volume: int | None = Field(None, description="aantal eenheden (bij eenheid 83: eurocent)")
    eenheid: str | None = Field(None, description="WJ756: 01 minuut, 04 uur, 14 etmaal, 16 dagdeel, 84 stuks "
                                                  "(inspanning); 82 stuks (output), 83 euro's")
    frequentie: str | None = Field(None, description="WMO757: 1 per dag, 2 per week, 4 per maand, 6 totaal")
    budget: int | None = Field(None, description="budget in eurocent (resultaat zonder productcode)")

    def omvang(self) -> Omvang:
        return Omvang(self.volume, self.eenheid, self.frequentie, self.budget)


class ClientIn(BaseModel):
    """The client's details, within the lengths of the standard's datatypes (LDT_*)."""

    bsn: str = Field(pattern=r"^[0-9]{9}$")
    geboortedatum: dt.date
    geslacht: str = Field(description="0 onbekend, 1 man, 2 vrouw", pattern=r"^[0-2]$")
    achternaam: str = Field(min_length=1, max_length=200, pattern=ZICHTBAAR)
    voorvoegsel: str | None = Field(None, min_length=1, max_length=10)
    voorletters: str | None = Field(None, min_length=1, max_length=6)
    postcode: str = Field(min_length=1, max_length=8)
    huisnummer: int = Field(ge=1, le=99_999)
    straatnaam: str | None = Field(None, min_length=1, max_length=24)
    plaatsnaam: str | None = Field(None, min_length=1, max_length=80)


class VoorzieningIn(BaseModel):
    wijze: Literal["uren", "resultaat"]
    categorie: str
    code: str | None = None
    aanbieder: str = Field(description="AGB-code van de aanbieder")
    ingangsdatum: dt.date
    einddatum: dt.date | None = None
    omvang: OmvangIn = OmvangIn()
    resultaat: str | None = Field(None, description="het te bereiken resultaat, in woorden (bij wijze resultaat)",
                                  pattern=ZICHTBAAR)
    commentaar: str | None = Field(None, pattern=ZICHTBAAR)


class BeschikkingIn(BaseModel):
    client: ClientIn
    besluitdatum: dt.date
    kenmerk: str | None = None
    voorzieningen: list[VoorzieningIn]

    model_config = {"json_schema_extra": {"examples": [{
        "client": {"bsn": "999990019", "geboortedatum": "1948-03-14", "geslacht": "2", "achternaam": "Jansen",
                   "postcode": "1011AB", "huisnummer": 12},
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


class EinddatumIn(BaseModel):
    einddatum: dt.date
    reden: str | None = Field(None, description="WMO002; standaard 04 (verlenging) of 05 (verkorting). Bij een "
                                                "latere einddatum 04 of 14, bij een eerdere 02, 03, 05-11 of 14")
    in_overleg_met_aanbieder: bool = OVERLEG

    model_config = {"json_schema_extra": {"examples": [
        {"einddatum": "2027-12-31", "in_overleg_met_aanbieder": True},
        {"einddatum": "2027-03-31", "reden": "02", "in_overleg_met_aanbieder": True}]}}


class OmvangWijzigingIn(BaseModel):
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


def _producten(request: Request) -> Catalogus:
    return catalogus(request.app.state.settings.producten)


@protected.post("/beschikkingen", status_code=201, tags=["beschikkingen"],
             summary="Een beschikking vastleggen en de voorzieningen toewijzen (WMO301)")
def post_beschikking(body: BeschikkingIn, request: Request, session: SessionDep) -> dict[str, Any]:
    nu = klok(request)
    besluit = beschikking.beschik(
        session, gemeente=request.app.state.settings.gemeente, client=beschikking.ClientGegevens(**body.client.model_dump()),
        besluitdatum=body.besluitdatum, kenmerk=body.kenmerk, nu=nu, producten=_producten(request),
        voorzieningen=[beschikking.VoorzieningInvoer(**{**v.model_dump(exclude={"omvang"}), "omvang": v.omvang.omvang()})
                       for v in body.voorzieningen])
    session.commit()
    request.app.state.traffic.send_now()
    return {"beschikking": besluit.id,
            **overzicht.overzicht(session, bsn=body.client.bsn, vandaag=nu.date(), producten=_producten(request))}


@protected.get("/clienten/{bsn}", tags=["clienten"], summary="Wat de client is toegewezen, door wie, en de berichten")
def get_client(bsn: str, request: Request, session: SessionDep) -> dict[str, Any]:
    return overzicht.overzicht(session, bsn=bsn, vandaag=klok(request).date(), producten=_producten(request))


def _na_wijziging(request: Request, session: Session, t: Toewijzing) -> dict[str, Any]:
    """Commit, send the queued WMO301 and answer with the client's overview."""
    session.commit()
    request.app.state.traffic.send_now()
    client = session.get_one(Client, t.client_id)
    return overzicht.overzicht(session, bsn=client.bsn, vandaag=klok(request).date(), producten=_producten(request))


@protected.post("/toewijzingen/{nummer}/einddatum", tags=["toewijzingen"],
             summary="Einddatum verlengen (oprekken) of vervroegen (inkorten); zelfde toewijzingnummer")
def post_einddatum(nummer: int, body: EinddatumIn, request: Request, session: SessionDep) -> dict[str, Any]:
    t = beschikking.wijzig_einddatum(session, gemeente=request.app.state.settings.gemeente, nummer=nummer,
                                einddatum=body.einddatum, reden=body.reden, nu=klok(request),
                                in_overleg=body.in_overleg_met_aanbieder)
    return _na_wijziging(request, session, t)


@protected.post("/toewijzingen/{nummer}/omvang", tags=["toewijzingen"],
             summary="Omvang wijzigen: de toewijzing eindigt en een nieuwe gaat in; een budget of totaal wijzigt "
                     "op hetzelfde nummer")
def post_omvang(nummer: int, body: OmvangWijzigingIn, request: Request, session: SessionDep) -> dict[str, Any]:
    t = beschikking.wijzig_omvang(session, gemeente=request.app.state.settings.gemeente, nummer=nummer, per=body.per,
                             omvang=body.omvang.omvang(), nu=klok(request), reden=body.reden,
                             in_overleg=body.in_overleg_met_aanbieder)
    return _na_wijziging(request, session, t)


@protected.post("/toewijzingen/{nummer}/verwijderen", tags=["toewijzingen"],
             summary="Een ten onrechte verzonden toewijzing verwijderen (reden 13)")
def post_verwijderen(nummer: int, request: Request, session: SessionDep) -> dict[str, Any]:
    t = beschikking.verwijder(session, gemeente=request.app.state.settings.gemeente, nummer=nummer, nu=klok(request))
    return _na_wijziging(request, session, t)


class ToekennenIn(BaseModel):
    client: ClientIn | None = Field(None, description="alleen nodig als de gemeente de client nog niet kent "
                                                      "(een WMO315 draagt geen adres)")
    resultaat: str | None = Field(None, description="het te bereiken resultaat (resultaatproduct); standaard het "
                                                    "commentaar van het verzoek of de productnaam")

    model_config = {"json_schema_extra": {"examples": [{}, {"client": {
        "bsn": "999990019", "geboortedatum": "1948-03-14", "geslacht": "2", "achternaam": "Jansen",
        "postcode": "1011AB", "huisnummer": 12}}]}}


class AfwijzenIn(BaseModel):
    reden: str = Field(description="RedenAfwijzingVerzoek (WJ759): 1 geen wijziging maar nieuwe aanvraag, 2 past niet "
                                   "binnen budget, 3 geen contract, 4 past niet binnen contract, 5 andere gemeente, "
                                   "6 stapeling, 7 zorginhoudelijke afkeur, 8 woonplaatsbeginsel, 9 leeftijdsgrens",
                       examples=["7"])


@protected.get("/verzoeken", tags=["verzoeken"], summary="De werkvoorraad: verzoeken van aanbieders (WMO315/317)")
def get_verzoeken(session: SessionDep, status: Annotated[
        Literal["open", "alle"], Query(description="open: wacht op een besluit (ook 'in onderzoek'); alle")] = "open",
) -> list[dict[str, Any]]:
    keuze = verzoeken.OPEN if status == "open" else ("open", "in-onderzoek", "toegekend", "afgewezen")
    return verzoeken.werkvoorraad(session, status=keuze)


@protected.get("/verzoeken/{verzoek_id}", tags=["verzoeken"], summary="Eén verzoek met het advies van het beleid")
def get_verzoek(verzoek_id: int, session: SessionDep) -> dict[str, Any]:
    return verzoeken.beschrijving(session, verzoeken.verzoek(session, verzoek_id=verzoek_id))


def _na_besluit(request: Request, session: Session, v: Any) -> dict[str, Any]:
    session.commit()
    request.app.state.traffic.send_now()
    return verzoeken.beschrijving(session, v)


@protected.post("/verzoeken/{verzoek_id}/toekennen", tags=["verzoeken"],
             summary="Toekennen zoals gevraagd: WMO301 met de ReferentieAanbieder van het verzoek")
def post_toekennen(verzoek_id: int, body: ToekennenIn, request: Request, session: SessionDep) -> dict[str, Any]:
    client = beschikking.ClientGegevens(**body.client.model_dump()) if body.client else None
    v = verzoeken.ken_toe(session, verzoek_id=verzoek_id, omg=hub.omgeving(request.app.state.settings, klok(request)), client=client,
                          resultaat=body.resultaat)
    return _na_besluit(request, session, v)


@protected.post("/verzoeken/{verzoek_id}/afwijzen", tags=["verzoeken"],
             summary="Afwijzen: WMO319 met VerzoekAntwoord 1 en de reden")
def post_afwijzen(verzoek_id: int, body: AfwijzenIn, request: Request, session: SessionDep) -> dict[str, Any]:
    v = verzoeken.wijs_af(session, verzoek_id=verzoek_id, reden=body.reden, omg=hub.omgeving(request.app.state.settings, klok(request)))
    return _na_besluit(request, session, v)


@protected.post("/verzoeken/{verzoek_id}/in-onderzoek", tags=["verzoeken"],
             summary="Laten weten dat het verzoek wordt onderzocht: WMO319 met VerzoekAntwoord 2 (één keer)")
def post_in_onderzoek(verzoek_id: int, request: Request, session: SessionDep) -> dict[str, Any]:
    v = verzoeken.in_onderzoek(session, verzoek_id=verzoek_id, omg=hub.omgeving(request.app.state.settings, klok(request)))
    return _na_besluit(request, session, v)


@router.get("/health", tags=["operations"])
def health() -> dict[str, str]:
    return {"status": "ok"}


add_hub_routes(router, protected)
router.include_router(protected)
