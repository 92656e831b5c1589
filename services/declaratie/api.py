"""The declaratie service's JSON API: thin routers. Every route but /health and the hub's signed push
(/berichten) asks for an API token (DECLARATIE_API_TOKENS)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Path, Query, Request, Response

from infra.auth import protected_router
from infra.http import NowDep, SessionDep, get_settings
from infra.hub_api import add_hub_routes
from services.declaratie import overzicht, schemas, toewijzingen
from services.declaratie.domain import contracten
from services.declaratie.settings import DeclaratieSettings
from services.gegevens import Bsn

router = APIRouter()  # open: /health and the signed push
protected = protected_router()
SettingsDep = Annotated[DeclaratieSettings, Depends(get_settings)]
add_hub_routes(router, protected)


@router.get("/health", response_model=schemas.Health, tags=["beheer"])
def health() -> dict[str, str]:
    return {"status": "ok"}


@protected.get("/declaraties", response_model=list[schemas.DeclaratieUit], tags=["declaraties"],
               summary="De ontvangen declaraties, nieuwste eerst, met hun oordeel")
def get_declaraties(session: SessionDep, aanbieder: Annotated[str | None, Query(pattern=r"^[0-9]{8}$")] = None,
                    declaratienummer: Annotated[str | None, Query(min_length=1, max_length=12)] = None,
                    limit: Annotated[int, Query(ge=1, le=1000)] = 200) -> list[dict[str, Any]]:
    return overzicht.declaraties(session, aanbieder=aanbieder, declaratienummer=declaratienummer, limit=limit)


@protected.get("/declaraties/{declaratie_id}", response_model=schemas.DeclaratieDetail, tags=["declaraties"],
               summary="Een declaratie met elke prestatie en haar oordeel")
def get_declaratie(declaratie_id: int, session: SessionDep) -> dict[str, Any]:
    return overzicht.declaratie(session, declaratie_id)


@protected.get("/contracten", response_model=contracten.Contracten, tags=["contracten"],
               summary="De contracten met tarieven per aanbieder, product, eenheid en periode (DECLARATIE_CONTRACTEN)")
def get_contracten(settings: SettingsDep, aanbieder: Annotated[str | None, Query(pattern=r"^[0-9]{8}$")] = None
                   ) -> contracten.Contracten:
    alle = contracten.laad(settings.contracten)
    if aanbieder is None:
        return alle
    return alle.model_copy(update={"contracten": [c for c in alle.contracten if c.aanbieder == aanbieder]})


@protected.get("/te-betalen", response_model=list[schemas.TeBetalen], tags=["declaraties"],
               summary="Wat toegekend is, per aanbieder en maand")
def get_te_betalen(session: SessionDep) -> list[dict[str, Any]]:
    return overzicht.te_betalen(session)


@protected.get("/prestaties/historie", response_model=list[schemas.PrestatieUit], tags=["declaraties"],
               summary="De debet- en creditgeschiedenis van een prestatie (via VorigReferentieNummer)")
def get_historie(session: SessionDep, aanbieder: Annotated[str, Query(pattern=r"^[0-9]{8}$")],
                 referentienummer: Annotated[str, Query(min_length=1, max_length=20)]) -> list[dict[str, Any]]:
    return overzicht.historie(session, aanbieder=aanbieder, referentienummer=referentienummer)


@protected.get("/export.csv", response_class=Response, tags=["declaraties"],
               summary="De toegekende prestaties voor de financiële administratie (CSV, zonder BSN)",
               responses={200: {"content": {"text/csv": {"schema": {"type": "string"}}}}})
def get_export(session: SessionDep, maand: Annotated[str | None, Query(pattern=r"^[0-9]{4}-[0-9]{2}$")] = None
               ) -> Response:
    return Response(overzicht.export_csv(session, maand=maand), media_type="text/csv",
                    headers={"Content-Disposition": 'attachment; filename="declaraties.csv"'})


@protected.get("/clienten/{bsn}/levering", response_model=schemas.ClientLevering, tags=["levering"],
               summary="Per toewijzing en maand: toegewezen, gedeclareerd en toegekend, en onderlevering")
def get_levering(bsn: Annotated[Bsn, Path(description="BSN van de cliënt (11-proef)")], request: Request,
                 session: SessionDep, settings: SettingsDep, nu: NowDep,
                 aanbieder: Annotated[str | None, Query(pattern=r"^[0-9]{8}$")] = None) -> dict[str, Any]:
    """Reads the client's toewijzingen from the toewijzing service (one call) and sets the Prestaties this
    service granted beside them; docs/declaratie.md, *Onderlevering*."""
    try:
        lijst = toewijzingen.van_client(request.app.state.toewijzing_http, bsn=bsn, aanbieder=aanbieder)
    except toewijzingen.ToewijzingNietBereikbaar as exc:
        raise HTTPException(503, str(exc)) from None
    return overzicht.levering(session, bsn=bsn, toewijzingen=lijst, vandaag=nu.date(),
                              drempel=settings.onderlevering_drempel)


router.include_router(protected)
