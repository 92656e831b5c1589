"""The stand-in's JSON API: thin routers that parse, call the domain and commit. Every path but /health,
/berichten (push) and /hub/ophalen is per aanbieder: /aanbieders/{agb}/...

Every route but /health and the hub's signed push asks for an API token (AANBIEDER_API_TOKENS, see
infra.auth); a route under /aanbieders/{agb}/ only for the token of that AGB code."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from fastapi import APIRouter, Query, Request, Response
from pydantic import BaseModel, Field

from infra.auth import protected_router
from infra.http import (
    SessionDep,
)
from infra.http import now as klok
from infra.hub_api import add_hub_routes
from services.aanbieder import hub, overzicht
from services.aanbieder.domain import uitgaand
from services.aanbieder.models import Bericht

router = APIRouter()  # open: /health and the signed push
protected = protected_router()
per_aanbieder = protected_router(partij_param="agb", prefix="/aanbieders/{agb}")


class StartIn(BaseModel):
    toewijzingnummer: int
    begindatum: dt.date
    gemeente: str | None = Field(None, description="alleen nodig als het nummer bij meer gemeenten voorkomt")
    status_aanlevering: Literal["1", "3"] = Field("1", description="1 nieuw, 3 verwijderen (corrigeren: verwijderen "
                                                                 "en opnieuw sturen; 2 wordt niet gebruikt)")

    model_config = {"json_schema_extra": {"examples": [{"toewijzingnummer": 1, "begindatum": "2026-12-01"}]}}


class StopIn(BaseModel):
    toewijzingnummer: int
    einddatum: dt.date
    reden: str = Field(description="WMO588 RedenBeeindiging, bijv. 19 (doelen bereikt), 20 (tijdelijk), 23 "
                                   "(overleden)")
    begindatum: dt.date | None = Field(None, description="de begindatum van de start; standaard die van de laatste")
    gemeente: str | None = None
    status_aanlevering: Literal["1", "3"] = "1"

    model_config = {"json_schema_extra": {"examples": [
        {"toewijzingnummer": 1, "einddatum": "2027-03-31", "reden": "19"}]}}


class ClientIn(BaseModel):
    """The client's details, within the lengths of the standard's datatypes (LDT_*)."""

    geboortedatum: dt.date
    geslacht: str = Field(description="0 onbekend, 1 man, 2 vrouw, 9 niet gespecificeerd")
    achternaam: str = Field(min_length=1, max_length=200)
    voorvoegsel: str | None = Field(None, min_length=1, max_length=10)
    voorletters: str | None = Field(None, min_length=1, max_length=6)


class ProductIn(BaseModel):
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


class VerzoekToewijzingIn(BaseModel):
    gemeente: str
    bsn: str = Field(pattern=r"^[0-9]{9}$")
    client: ClientIn | None = Field(None, description="nodig als de client nog geen WMO301 van deze aanbieder had")
    producten: list[ProductIn]

    model_config = {"json_schema_extra": {"examples": [{
        "gemeente": "0363", "bsn": "999990019",
        "client": {"geboortedatum": "1948-03-14", "geslacht": "2", "achternaam": "Jansen", "voorletters": "G"},
        "producten": [{"ingangsdatum": "2027-01-01", "einddatum": "2027-12-31", "categorie": "02",
                       "code": "02A01", "volume": 3, "eenheid": "04", "frequentie": "2"}]}]}}


class VerzoekWijzigingIn(BaseModel):
    gemeente: str
    bsn: str = Field(pattern=r"^[0-9]{9}$")
    reden_verzoek: Literal["1", "2"] = Field("1", description="WJ758: 1 wijziging zorgbehoefte, 2 verlenging")
    referentie: str | None = None
    wijzigingen: list[ProductIn]

    model_config = {"json_schema_extra": {"examples": [{
        "gemeente": "0363", "bsn": "999990019",
        "wijzigingen": [{"toewijzingnummer": 1, "ingangsdatum": "2027-02-01", "einddatum": "2027-12-31",
                         "volume": 4, "eenheid": "04", "frequentie": "2"}]}]}}


def _verzonden(request: Request, session: Any, row: Bericht, **extra: Any) -> dict[str, Any]:
    """Commit, send what is queued, and answer with the message's state."""
    session.commit()
    request.app.state.traffic.send_now()
    session.refresh(row)
    return {**overzicht.beschrijf(row), **extra}


@per_aanbieder.post("/starts", status_code=201, tags=["levering"],
                    summary="Start van de levering melden (WMO305) voor een ontvangen toewijzing")
def post_start(agb: str, body: StartIn, request: Request, session: SessionDep) -> dict[str, Any]:
    hub.gespeeld(request.app.state.traffic, agb)
    row = uitgaand.start(session, aanbieder=agb, nu=klok(request), **body.model_dump())
    return _verzonden(request, session, row)


@per_aanbieder.post("/stops", status_code=201, tags=["levering"],
                    summary="Stop van de levering melden (WMO307)")
def post_stop(agb: str, body: StopIn, request: Request, session: SessionDep) -> dict[str, Any]:
    hub.gespeeld(request.app.state.traffic, agb)
    row = uitgaand.stop(session, aanbieder=agb, nu=klok(request), **body.model_dump())
    return _verzonden(request, session, row)


@per_aanbieder.post("/verzoeken/toewijzing", status_code=201, tags=["verzoeken"],
                    summary="Verzoek om toewijzing (WMO315): één referentie per product")
def post_vot(agb: str, body: VerzoekToewijzingIn, request: Request, session: SessionDep) -> dict[str, Any]:
    hub.gespeeld(request.app.state.traffic, agb)
    client = uitgaand.ClientGegevens(bsn=body.bsn, **body.client.model_dump()) if body.client else None
    row, refs = uitgaand.verzoek_om_toewijzing(session, aanbieder=agb, gemeente=body.gemeente, bsn=body.bsn,
                                               client=client, producten=[p.gevraagd() for p in body.producten],
                                               nu=klok(request))
    return _verzonden(request, session, row, referenties=refs)


@per_aanbieder.post("/verzoeken/wijziging", status_code=201, tags=["verzoeken"],
                    summary="Verzoek om wijziging (WMO317); de overige actuele toewijzingen gaan mee als ongewijzigd")
def post_vow(agb: str, body: VerzoekWijzigingIn, request: Request, session: SessionDep) -> dict[str, Any]:
    hub.gespeeld(request.app.state.traffic, agb)
    row, ref = uitgaand.verzoek_om_wijziging(session, aanbieder=agb, gemeente=body.gemeente, bsn=body.bsn,
                                             reden_verzoek=body.reden_verzoek, referentie=body.referentie,
                                             wijzigingen=[w.gevraagd() for w in body.wijzigingen], nu=klok(request))
    return _verzonden(request, session, row, referenties=[ref])


@per_aanbieder.get("/toewijzingen", tags=["overzicht"],
                   summary="De toewijzingen zoals de gemeenten ze stuurden, met de gemelde starts en stops")
def get_toewijzingen(agb: str, request: Request, session: SessionDep,
                     bsn: str | None = None) -> list[dict[str, Any]]:
    hub.gespeeld(request.app.state.traffic, agb)
    return overzicht.toewijzingen(session, aanbieder=agb, bsn=bsn)


@per_aanbieder.get("/verzoeken", tags=["overzicht"], summary="De verzonden verzoeken en hun uitkomst")
def get_verzoeken(agb: str, request: Request, session: SessionDep) -> list[dict[str, Any]]:
    hub.gespeeld(request.app.state.traffic, agb)
    return overzicht.verzoeken(session, aanbieder=agb)


@per_aanbieder.get("/verzoeken/{referentie}", tags=["overzicht"], summary="Eén verzoek, op ReferentieAanbieder")
def get_verzoek(agb: str, referentie: str, request: Request, session: SessionDep) -> dict[str, Any]:
    hub.gespeeld(request.app.state.traffic, agb)
    return overzicht.verzoek(session, aanbieder=agb, referentie=referentie)


@per_aanbieder.get("/berichten", tags=["overzicht"], summary="Berichten in en uit, oudste eerst")
def get_berichten(agb: str, request: Request, session: SessionDep, bericht: str | None = None,
                  richting: Literal["in", "uit"] | None = None, na: int = 0,
                  limit: int = Query(200, ge=1, le=1000), nieuwste_eerst: bool = False) -> list[dict[str, Any]]:
    hub.gespeeld(request.app.state.traffic, agb)
    return overzicht.berichten(session, aanbieder=agb, bericht=bericht, richting=richting, na=na, limit=limit,
                               nieuwste_eerst=nieuwste_eerst)


@per_aanbieder.get("/berichten/{bericht_id}", tags=["overzicht"],
                   summary="Eén bericht: de XML, of met Accept: application/json de gegevens")
def get_bericht(agb: str, bericht_id: int, request: Request, session: SessionDep) -> Any:
    b = overzicht.bericht(session, aanbieder=agb, bericht_id=bericht_id)
    if "application/json" in request.headers.get("accept", ""):
        return overzicht.beschrijf(b)
    return Response(b.xml, media_type="application/xml")


@protected.get("/partijen", tags=["operations"], summary="De aanbieders (AGB-codes) die deze stand-in speelt")
def get_partijen(request: Request) -> list[str]:
    return sorted(request.app.state.traffic.parties)


@router.get("/health", tags=["operations"])
def health() -> dict[str, str]:
    return {"status": "ok"}


add_hub_routes(router, protected)
router.include_router(protected)
router.include_router(per_aanbieder)
