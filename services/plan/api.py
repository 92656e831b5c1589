"""The plan service's JSON API: thin routers that parse, call the domain and commit.

Every route but /health asks for an API token (PLAN_API_TOKENS, see infra.auth); the name the token is
registered under is recorded as who made a version, a besluit or a bezwaar."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

import httpx
from fastapi import APIRouter, Depends, Query, Request, Response
from fastapi.responses import HTMLResponse

from infra.auth import CallerDep, protected_router
from infra.errors import DomainError, NotFound
from infra.http import NowDep, SessionDep, get_settings
from iwmo import kalender
from services.plan import brief, overzicht, schemas
from services.plan.domain import besluit as besluiten
from services.plan.domain import normenkader as nk
from services.plan.domain import plannen
from services.plan.domain.brief import instellingen
from services.plan.domain.rekenen import PlanInhoud
from services.plan.domain.vergelijk import vergelijk
from services.plan.settings import PlanSettings
from services.plan.toewijzingen import client_overzicht

router = APIRouter()  # open: /health
protected = protected_router()

SettingsDep = Annotated[PlanSettings, Depends(get_settings)]


def _gemeente(settings: SettingsDep) -> str:
    return settings.gemeente


def _toewijzing_http(request: Request) -> httpx.Client | None:
    http: httpx.Client | None = request.app.state.toewijzing_http
    return http


#: the gemeente this service works for (its CBS code)
GemeenteDep = Annotated[str, Depends(_gemeente)]
#: the toewijzing service's API (None when PLAN_TOEWIJZING_URL is empty)
ToewijzingDep = Annotated[httpx.Client | None, Depends(_toewijzing_http)]


async def _document(request: Request) -> Any:
    """The request body as YAML or JSON (read capped by the protected router)."""
    try:
        return nk.lees_tekst(await request.body())
    except nk.OngeldigNormenkader as exc:
        raise DomainError(str(exc), exc.fouten[0][0] or None, exc.fouten) from None


_NORMENKADER_BODY = {"requestBody": {"required": True, "content": {
    "application/json": {"schema": {"$ref": "#/components/schemas/NormenkaderNormenkaderVersie"}},
    "application/yaml": {"schema": {"$ref": "#/components/schemas/NormenkaderNormenkaderVersie"}}}}}


@router.get("/health", response_model=schemas.Health, tags=["beheer"])
def health() -> dict[str, str]:
    return {"status": "ok"}


# -- normenkaders -----------------------------------------------------------------------------------------

@protected.post("/normenkaders", status_code=201, response_model=schemas.NormenkaderDetail, tags=["normenkaders"],
                summary="Een versie van een normenkader publiceren (YAML of JSON; zie docs/plan.md)",
                openapi_extra=_NORMENKADER_BODY)
def post_normenkader(document: Annotated[Any, Depends(_document)], session: SessionDep, gemeente: GemeenteDep,
                     door: CallerDep) -> dict[str, Any]:
    row = plannen.publiceer(session, gemeente=gemeente, document=document, door=door)
    session.commit()
    return overzicht.normenkader(row, met_document=True)


@protected.get("/normenkaders", response_model=list[schemas.NormenkaderUit], tags=["normenkaders"],
               summary="De gepubliceerde normenkaders, elke versie")
def get_normenkaders(session: SessionDep, gemeente: GemeenteDep) -> list[dict[str, Any]]:
    return [overzicht.normenkader(row) for row in plannen.normenkaders(session, gemeente=gemeente)]


@protected.get("/normenkaders/{naam}/{versie}", response_model=schemas.NormenkaderDetail, tags=["normenkaders"],
               summary="Eén versie van een normenkader, met het document")
def get_normenkader(naam: str, versie: str, session: SessionDep, gemeente: GemeenteDep) -> dict[str, Any]:
    row = plannen.zoek_normenkader(session, gemeente=gemeente, naam=naam, versie=versie)
    if row is None:
        raise NotFound(f"normenkader {naam} versie {versie} is niet gepubliceerd")
    return overzicht.normenkader(row, met_document=True)


# -- plannen ----------------------------------------------------------------------------------------------

def _inhoud(body: PlanInhoud) -> PlanInhoud:
    return PlanInhoud.model_validate(body.model_dump(include=set(PlanInhoud.model_fields)))


@protected.post("/plannen", status_code=201, response_model=schemas.PlanUit, tags=["plannen"],
                summary="Een ondersteuningsplan maken (versie 1, een concept)")
def post_plan(body: schemas.PlanIn, session: SessionDep, gemeente: GemeenteDep, door: CallerDep,
              nu: NowDep) -> dict[str, Any]:
    versie = plannen.maak(session, gemeente=gemeente, bsn=body.bsn, inhoud=_inhoud(body),
                          toewijzingnummer=body.toewijzingnummer, reden=body.reden, door=door, nu=nu)
    session.commit()
    return overzicht.plan(session, plannen.zoek_plan(session, gemeente=gemeente, plan_id=versie.plan_id))


@protected.get("/plannen", response_model=list[schemas.PlanUit], tags=["plannen"],
               summary="De plannen van een client")
def get_plannen(session: SessionDep, gemeente: GemeenteDep,
                bsn: Annotated[str, Query(pattern=r"^[0-9]{9}$")]) -> list[dict[str, Any]]:
    return [overzicht.plan(session, p) for p in plannen.plannen_van(session, gemeente=gemeente, bsn=bsn)]


@protected.get("/plannen/{plan_id}", response_model=schemas.PlanUit, tags=["plannen"],
               summary="Een plan met al zijn versies en hun tijd")
def get_plan(plan_id: int, session: SessionDep, gemeente: GemeenteDep) -> dict[str, Any]:
    return overzicht.plan(session, plannen.zoek_plan(session, gemeente=gemeente, plan_id=plan_id))


@protected.post("/plannen/{plan_id}/versies", status_code=201, response_model=schemas.PlanUit, tags=["plannen"],
                summary="Een nieuwe versie van een plan (een concept; vastgesteld door een nieuw besluit)")
def post_versie(plan_id: int, body: schemas.VersieIn, session: SessionDep, gemeente: GemeenteDep, door: CallerDep,
                nu: NowDep) -> dict[str, Any]:
    plan = plannen.zoek_plan(session, gemeente=gemeente, plan_id=plan_id)
    plannen.nieuwe_versie(session, plan=plan, inhoud=_inhoud(body), toewijzingnummer=body.toewijzingnummer,
                          reden=body.reden, door=door, nu=nu)
    session.commit()
    return overzicht.plan(session, plan)


@protected.get("/plannen/{plan_id}/vergelijk", response_model=schemas.Vergelijking, tags=["plannen"],
               summary="Twee versies van een plan naast elkaar: wat veranderde, en de tijd voor en na")
def get_vergelijking(plan_id: int, session: SessionDep, gemeente: GemeenteDep, van: int, naar: int) -> dict[str, Any]:
    plan = plannen.zoek_plan(session, gemeente=gemeente, plan_id=plan_id)
    voor = plannen.berekening_van(session, plannen.zoek_versie(session, plan, van))
    na = plannen.berekening_van(session, plannen.zoek_versie(session, plan, naar))
    return {"plan": plan.id, "van": van, "naar": naar,
            "wijzigingen": [w.__dict__ for w in vergelijk(voor, na)],
            "voor": overzicht.berekening(voor)["totaal"], "na": overzicht.berekening(na)["totaal"],
            "verschil_minuten_per_week": na.per_week - voor.per_week,
            "verschil_minuten_per_jaar": na.per_jaar - voor.per_jaar}


# -- besluiten en bezwaar ---------------------------------------------------------------------------------

@protected.post("/besluiten", status_code=201, response_model=schemas.BesluitUit, tags=["besluiten"],
                summary="Een besluit nemen: de planversies vaststellen bij de toewijzingen van de client")
def post_besluit(body: schemas.BesluitIn, session: SessionDep, gemeente: GemeenteDep, door: CallerDep, nu: NowDep,
                 toewijzing: ToewijzingDep) -> dict[str, Any]:
    client = client_overzicht(toewijzing, body.bsn)
    te_besluiten = besluiten.TeBesluiten(
        bsn=body.bsn, toewijzingnummers=body.toewijzingnummers, plannen=[(p.plan, p.versie) for p in body.plannen],
        besluitdatum=body.besluitdatum, bekendmaking=body.bekendmaking, instemming=body.instemming,
        motivering=body.motivering)
    row = besluiten.neem(session, gemeente=gemeente, besluit=te_besluiten, toewijzingen=client["toewijzingen"],
                         client_naam=client["naam"], door=door, nu=nu)
    session.commit()
    return overzicht.besluit(session, row)


@protected.get("/besluiten/{besluit_id}", response_model=schemas.BesluitUit, tags=["besluiten"],
               summary="Een besluit, met de laatste dag voor bezwaar en het bezwaar als dat er is")
def get_besluit(besluit_id: int, session: SessionDep, gemeente: GemeenteDep) -> dict[str, Any]:
    return overzicht.besluit(session, besluiten.zoek(session, gemeente=gemeente, besluit_id=besluit_id))


@protected.post("/besluiten/{besluit_id}/bezwaar", status_code=201, response_model=schemas.BesluitUit,
                tags=["besluiten"], summary="Een bezwaar registreren (tijdig of niet, Awb 6:9)")
def post_bezwaar(besluit_id: int, body: schemas.BezwaarIn, session: SessionDep, gemeente: GemeenteDep,
                 door: CallerDep, nu: NowDep) -> dict[str, Any]:
    row = besluiten.zoek(session, gemeente=gemeente, besluit_id=besluit_id)
    besluiten.bezwaar(session, besluit=row, ontvangen=body.ontvangen, ter_post_bezorgd=body.ter_post_bezorgd,
                      toelichting=body.toelichting, door=door, nu=nu)
    session.commit()
    return overzicht.besluit(session, row)


def _brief_html(besluit_id: int, session: SessionDep, gemeente: GemeenteDep, settings: SettingsDep) -> str:
    row = besluiten.zoek(session, gemeente=gemeente, besluit_id=besluit_id)
    return brief.html(overzicht.brief(session, row, instellingen(settings.brief)))


@protected.get("/besluiten/{besluit_id}/brief", response_class=HTMLResponse, tags=["besluiten"],
               summary="De brief aan de client over dit besluit (HTML, om te printen)")
def get_brief(pagina: Annotated[str, Depends(_brief_html)]) -> HTMLResponse:
    return HTMLResponse(pagina)


@protected.get("/besluiten/{besluit_id}/brief.pdf", response_class=Response, tags=["besluiten"],
               summary="De brief aan de client over dit besluit (PDF)",
               responses={200: {"content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}}}})
def get_brief_pdf(besluit_id: int, pagina: Annotated[str, Depends(_brief_html)]) -> Response:
    return Response(brief.pdf(pagina), media_type="application/pdf",
                    headers={"Content-Disposition": f'inline; filename="besluit-{besluit_id}.pdf"'})


@protected.get("/termijn", response_model=schemas.Termijn, tags=["besluiten"],
               summary="De laatste dag van de bezwaartermijn bij een dag van bekendmaking")
def get_termijn(bekendmaking: dt.date) -> dict[str, Any]:
    return {"bekendmaking": bekendmaking, "einde_bezwaartermijn": kalender.einde_bezwaartermijn(bekendmaking)}


# -- de poort voor de toewijzing-service ------------------------------------------------------------------

@protected.post("/plancheck", response_model=schemas.PlanCheckUit, tags=["poort"],
                summary="Is het plan van elk van deze toewijzingen vastgesteld? (de vraag van de toewijzing-service "
                        "voor een resultaat-WMO301 vertrekt)")
def post_plancheck(body: schemas.PlanCheckIn, session: SessionDep, gemeente: GemeenteDep) -> dict[str, Any]:
    if body.gemeente != gemeente:
        return {"vastgesteld": False, "toelichting": f"deze plan-service werkt voor gemeente {gemeente}"}
    reden = besluiten.poort(session, gemeente=gemeente, bsn=body.bsn, nummers=body.toewijzingnummers)
    return {"vastgesteld": reden is None, "toelichting": reden}


router.include_router(protected)
