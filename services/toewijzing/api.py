"""The back office's JSON API: thin routers that parse, call the domain and commit.

Every route but /health and the hub's signed push (/berichten) asks for an API token
(TOEWIJZING_API_TOKENS, see infra.auth)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request
from sqlalchemy.orm import Session

from infra.auth import protected_router
from infra.http import SessionDep
from infra.http import now as klok
from infra.hub_api import add_hub_routes
from services.toewijzing import hub, overzicht, schemas
from services.toewijzing.domain import beschikking, verzoeken
from services.toewijzing.domain.omgeving import Omgeving
from services.toewijzing.domain.varianten import Catalogus, catalogus
from services.toewijzing.models import Client, Toewijzing, Verzoek

router = APIRouter()  # open: /health and the signed push
protected = protected_router()


def _producten(request: Request) -> Catalogus:
    return catalogus(request.app.state.settings.producten)


def _omgeving(request: Request) -> Omgeving:
    return hub.omgeving(request.app.state.settings, klok(request))


@protected.post("/beschikkingen", status_code=201, response_model=schemas.BeschikkingVastgelegd,
                tags=["beschikkingen"], summary="Een beschikking vastleggen en de voorzieningen toewijzen (WMO301)")
def post_beschikking(body: schemas.BeschikkingIn, request: Request, session: SessionDep) -> dict[str, Any]:
    nu = klok(request)
    besluit = beschikking.beschik(
        session, gemeente=request.app.state.settings.gemeente, client=body.client, besluitdatum=body.besluitdatum,
        kenmerk=body.kenmerk, nu=nu, producten=_producten(request),
        voorzieningen=[v.invoer() for v in body.voorzieningen])
    session.commit()
    request.app.state.traffic.send_now()
    return {"beschikking": besluit.id,
            **overzicht.overzicht(session, bsn=body.client.bsn, vandaag=nu.date(), producten=_producten(request))}


@protected.get("/clienten/{bsn}", response_model=schemas.ClientOverzicht, tags=["clienten"],
               summary="Wat de client is toegewezen, door wie, en de berichten")
def get_client(bsn: str, request: Request, session: SessionDep) -> dict[str, Any]:
    return overzicht.overzicht(session, bsn=bsn, vandaag=klok(request).date(), producten=_producten(request))


def _na_wijziging(request: Request, session: Session, t: Toewijzing) -> dict[str, Any]:
    """Commit, send the queued WMO301 and answer with the client's overview."""
    session.commit()
    request.app.state.traffic.send_now()
    client = session.get_one(Client, t.client_id)
    return overzicht.overzicht(session, bsn=client.bsn, vandaag=klok(request).date(), producten=_producten(request))


@protected.post("/toewijzingen/{nummer}/einddatum", response_model=schemas.ClientOverzicht, tags=["toewijzingen"],
                summary="Einddatum verlengen (oprekken) of vervroegen (inkorten); zelfde toewijzingnummer")
def post_einddatum(nummer: int, body: schemas.EinddatumIn, request: Request, session: SessionDep) -> dict[str, Any]:
    t = beschikking.wijzig_einddatum(session, gemeente=request.app.state.settings.gemeente, nummer=nummer,
                                     einddatum=body.einddatum, reden=body.reden, nu=klok(request),
                                     in_overleg=body.in_overleg_met_aanbieder)
    return _na_wijziging(request, session, t)


@protected.post("/toewijzingen/{nummer}/omvang", response_model=schemas.ClientOverzicht, tags=["toewijzingen"],
                summary="Omvang wijzigen: de toewijzing eindigt en een nieuwe gaat in; een budget of totaal wijzigt "
                        "op hetzelfde nummer")
def post_omvang(nummer: int, body: schemas.OmvangWijzigingIn, request: Request,
                session: SessionDep) -> dict[str, Any]:
    t = beschikking.wijzig_omvang(session, gemeente=request.app.state.settings.gemeente, nummer=nummer, per=body.per,
                                  omvang=body.omvang.omvang(), nu=klok(request), reden=body.reden,
                                  in_overleg=body.in_overleg_met_aanbieder)
    return _na_wijziging(request, session, t)


@protected.post("/toewijzingen/{nummer}/verwijderen", response_model=schemas.ClientOverzicht, tags=["toewijzingen"],
                summary="Een ten onrechte verzonden toewijzing verwijderen (reden 13)")
def post_verwijderen(nummer: int, request: Request, session: SessionDep) -> dict[str, Any]:
    t = beschikking.verwijder(session, gemeente=request.app.state.settings.gemeente, nummer=nummer, nu=klok(request))
    return _na_wijziging(request, session, t)


@protected.get("/verzoeken", response_model=list[schemas.Verzoek], tags=["verzoeken"],
               summary="De werkvoorraad: verzoeken van aanbieders (WMO315/317)")
def get_verzoeken(session: SessionDep, status: Annotated[
        Literal["open", "alle"], Query(description="open: wacht op een besluit (ook 'in onderzoek'); alle")] = "open",
) -> list[dict[str, Any]]:
    keuze = verzoeken.OPEN if status == "open" else ("open", "in-onderzoek", "toegekend", "afgewezen")
    return verzoeken.werkvoorraad(session, status=keuze)


@protected.get("/verzoeken/{verzoek_id}", response_model=schemas.Verzoek, tags=["verzoeken"],
               summary="Eén verzoek met het advies van het beleid")
def get_verzoek(verzoek_id: int, session: SessionDep) -> dict[str, Any]:
    return verzoeken.beschrijving(session, verzoeken.verzoek(session, verzoek_id=verzoek_id))


def _na_besluit(request: Request, session: Session, v: Verzoek) -> dict[str, Any]:
    """Commit, send the queued WMO301 or WMO319 and answer with the request's state."""
    session.commit()
    request.app.state.traffic.send_now()
    return verzoeken.beschrijving(session, v)


@protected.post("/verzoeken/{verzoek_id}/toekennen", response_model=schemas.Verzoek, tags=["verzoeken"],
                summary="Toekennen zoals gevraagd: WMO301 met de ReferentieAanbieder van het verzoek")
def post_toekennen(verzoek_id: int, body: schemas.ToekennenIn, request: Request,
                   session: SessionDep) -> dict[str, Any]:
    v = verzoeken.ken_toe(session, verzoek_id=verzoek_id, omg=_omgeving(request), client=body.client,
                          resultaat=body.resultaat)
    return _na_besluit(request, session, v)


@protected.post("/verzoeken/{verzoek_id}/afwijzen", response_model=schemas.Verzoek, tags=["verzoeken"],
                summary="Afwijzen: WMO319 met VerzoekAntwoord 1 en de reden")
def post_afwijzen(verzoek_id: int, body: schemas.AfwijzenIn, request: Request, session: SessionDep) -> dict[str, Any]:
    v = verzoeken.wijs_af(session, verzoek_id=verzoek_id, reden=body.reden, omg=_omgeving(request))
    return _na_besluit(request, session, v)


@protected.post("/verzoeken/{verzoek_id}/in-onderzoek", response_model=schemas.Verzoek, tags=["verzoeken"],
                summary="Laten weten dat het verzoek wordt onderzocht: WMO319 met VerzoekAntwoord 2 (één keer)")
def post_in_onderzoek(verzoek_id: int, request: Request, session: SessionDep) -> dict[str, Any]:
    v = verzoeken.in_onderzoek(session, verzoek_id=verzoek_id, omg=_omgeving(request))
    return _na_besluit(request, session, v)


@router.get("/health", response_model=schemas.Health, tags=["operations"])
def health() -> schemas.Health:
    return schemas.Health(status="ok")


add_hub_routes(router, protected)
router.include_router(protected)
