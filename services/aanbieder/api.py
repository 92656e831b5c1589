"""The stand-in's JSON API: thin routers that parse, call the domain and commit. Every path but /health,
/berichten (push) and /hub/ophalen is per aanbieder: /aanbieders/{agb}/...

Every route but /health and the hub's signed push asks for an API token (AANBIEDER_API_TOKENS, see
infra.auth); a route under /aanbieders/{agb}/ only for the token of that AGB code."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Header, Query, Response
from sqlalchemy.orm import Session

from infra.auth import protected_router
from infra.http import NowDep, SessionDep
from infra.hub_api import TrafficDep, add_hub_routes, commit_and_send
from services.aanbieder import hub, overzicht, schemas
from services.aanbieder.domain import declareren, uitgaand
from services.aanbieder.models import Bericht

router = APIRouter()  # open: /health and the signed push
protected = protected_router()
per_aanbieder = protected_router(partij_param="agb", prefix="/aanbieders/{agb}")


def gespeeld(agb: str, traffic: TrafficDep) -> str:
    """The aanbieder the path names, when this stand-in plays it (else 404)."""
    return hub.gespeeld(traffic, agb)


def _verzonden(session: Session, traffic: TrafficDep, row: Bericht, **extra: Any) -> dict[str, Any]:
    """Commit, send what is queued, and answer with the message's state."""
    commit_and_send(session, traffic)
    session.refresh(row)
    return {**overzicht.beschrijf(row), **extra}


@per_aanbieder.post("/starts", status_code=201, response_model=schemas.Bericht, tags=["levering"],
                    summary="Start van de levering melden (WMO305) voor een ontvangen toewijzing")
def post_start(agb: str, body: schemas.StartIn, session: SessionDep, traffic: TrafficDep,
               nu: NowDep) -> dict[str, Any]:
    row = uitgaand.start(session, aanbieder=agb, nu=nu, **body.model_dump())
    return _verzonden(session, traffic, row)


@per_aanbieder.post("/declaraties", status_code=201, response_model=schemas.DeclaratieVerzonden, tags=["declaratie"],
                    summary="Een maand declareren (WMO323) uit wat geleverd is; met correcties en fouten naar keuze")
def post_declaratie(agb: str, body: schemas.DeclaratieIn, session: SessionDep, traffic: TrafficDep,
                    nu: NowDep) -> dict[str, Any]:
    maand = body.datum("maand")
    assert maand is not None
    opdracht = declareren.Opdracht(aanbieder=agb, gemeente=body.gemeente, maand=maand, fouten=frozenset(body.fouten),
                                   bsn=body.bsn, meer=body.meer, corrigeer=body.datum("corrigeer"))
    d = declareren.declareer(session, opdracht, nu=nu)
    return _verzonden(session, traffic, d.rij, declaratienummer=d.declaratienummer, prestaties=d.prestaties,
                      totaal=d.totaal)


@per_aanbieder.post("/stops", status_code=201, response_model=schemas.Bericht, tags=["levering"],
                    summary="Stop van de levering melden (WMO307)")
def post_stop(agb: str, body: schemas.StopIn, session: SessionDep, traffic: TrafficDep,
              nu: NowDep) -> dict[str, Any]:
    row = uitgaand.stop(session, aanbieder=agb, nu=nu, **body.model_dump())
    return _verzonden(session, traffic, row)


@per_aanbieder.post("/verzoeken/toewijzing", status_code=201, response_model=schemas.VerzoekVerzonden,
                    tags=["verzoeken"],
                    summary="Verzoek om toewijzing (WMO315): één referentie per product")
def post_vot(agb: str, body: schemas.VerzoekToewijzingIn, session: SessionDep, traffic: TrafficDep,
             nu: NowDep) -> dict[str, Any]:
    row, refs = uitgaand.verzoek_om_toewijzing(session, aanbieder=agb, gemeente=body.gemeente, bsn=body.bsn,
                                               client=body.client, producten=[p.gevraagd() for p in body.producten],
                                               nu=nu)
    return _verzonden(session, traffic, row, referenties=refs)


@per_aanbieder.post("/verzoeken/wijziging", status_code=201, response_model=schemas.VerzoekVerzonden,
                    tags=["verzoeken"],
                    summary="Verzoek om wijziging (WMO317); de overige actuele toewijzingen gaan mee als ongewijzigd")
def post_vow(agb: str, body: schemas.VerzoekWijzigingIn, session: SessionDep, traffic: TrafficDep,
             nu: NowDep) -> dict[str, Any]:
    row, ref = uitgaand.verzoek_om_wijziging(session, aanbieder=agb, gemeente=body.gemeente, bsn=body.bsn,
                                             reden_verzoek=body.reden_verzoek, referentie=body.referentie,
                                             wijzigingen=[w.gevraagd() for w in body.wijzigingen], nu=nu)
    return _verzonden(session, traffic, row, referenties=[ref])


@per_aanbieder.get("/toewijzingen", response_model=list[schemas.Toewijzing], tags=["overzicht"],
                   summary="De toewijzingen zoals de gemeenten ze stuurden, met de gemelde starts en stops")
def get_toewijzingen(agb: str, session: SessionDep,
                     bsn: str | None = None) -> list[dict[str, Any]]:
    return overzicht.toewijzingen(session, aanbieder=agb, bsn=bsn)


@per_aanbieder.get("/verzoeken", response_model=list[schemas.Verzoek], tags=["overzicht"],
                   summary="De verzonden verzoeken en hun uitkomst")
def get_verzoeken(agb: str, session: SessionDep) -> list[dict[str, Any]]:
    return overzicht.verzoeken(session, aanbieder=agb)


@per_aanbieder.get("/verzoeken/{referentie}", response_model=schemas.Verzoek, tags=["overzicht"],
                   summary="Eén verzoek, op ReferentieAanbieder")
def get_verzoek(agb: str, referentie: str, session: SessionDep) -> dict[str, Any]:
    return overzicht.verzoek(session, aanbieder=agb, referentie=referentie)


@per_aanbieder.get("/berichten", response_model=list[schemas.Bericht], tags=["overzicht"],
                   summary="Berichten in en uit, oudste eerst")
def get_berichten(agb: str, session: SessionDep, bericht: str | None = None,
                  richting: Literal["in", "uit"] | None = None, na: int = 0,
                  limit: int = Query(200, ge=1, le=1000), nieuwste_eerst: bool = False) -> list[dict[str, Any]]:
    return overzicht.berichten(session, aanbieder=agb, bericht=bericht, richting=richting, na=na, limit=limit,
                               nieuwste_eerst=nieuwste_eerst)


@per_aanbieder.get("/berichten/{bericht_id}", tags=["overzicht"], response_model=schemas.Bericht,
                   responses={200: {"content": {"application/xml": {"schema": {"type": "string"}}},
                                    "description": "De XML, of met Accept: application/json de gegevens"}},
                   summary="Eén bericht: de XML, of met Accept: application/json de gegevens")
def get_bericht(agb: str, bericht_id: int, session: SessionDep, accept: Annotated[str, Header()] = "") -> Any:
    b = overzicht.bericht(session, aanbieder=agb, bericht_id=bericht_id)
    if "application/json" in accept:
        return overzicht.beschrijf(b)
    return Response(b.xml, media_type="application/xml")


@protected.get("/partijen", response_model=list[str], tags=["operations"],
               summary="De aanbieders (AGB-codes) die deze stand-in speelt")
def get_partijen(traffic: TrafficDep) -> list[str]:
    return sorted(traffic.parties)


@router.get("/health", response_model=schemas.Health, tags=["operations"])
def health() -> schemas.Health:
    return schemas.Health(status="ok")


add_hub_routes(router, protected)
router.include_router(protected)
router.include_router(per_aanbieder, dependencies=[Depends(gespeeld)])
