"""HTTP API of the hub: thin routers that parse, call the domain and map errors (see docs/gateway.md)."""

from __future__ import annotations

import datetime as dt
import logging
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Header, Path, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, PlainTextResponse, RedirectResponse, Response
from pydantic import StringConstraints, ValidationError
from sqlalchemy.orm import Session, sessionmaker

from gateway import examples as vb
from gateway import intake, mailbox, routing
from gateway.errors import HubError, OntvangerOnbekend, te_traag, too_large, unauthorized
from gateway.models import Bericht, OnbekendeOntvanger, Party
from gateway.parties import (
    Ingelogd,
    PartyError,
    TokenCache,
    add_party,
    authenticate,
    issue_token,
    nieuw_push_geheim,
    party_by_code,
    revoke_token,
)
from gateway.push import dead_letters
from gateway.schemas import (
    BERICHT,
    Aansluiting,
    Afgeleverd,
    BerichtMeta,
    Bevestigd,
    Bundel,
    Bundelantwoord,
    BundelUitkomst,
    DeadLetter,
    Health,
    Ingetrokken,
    Intrekken,
    NieuwePartij,
    Ontvangen,
    Ontvangstbevestiging,
    PartijAangemaakt,
    PushGeheim,
    RouteOut,
    Routes,
    RoutesIn,
    TokenUitgegeven,
    WachtBijAfzender,
    Wachtend,
)
from gateway.settings import GatewaySettings
from infra.db import utcnow
from infra.http import SessionDep, checked_first, get_settings, read_capped

log = logging.getLogger("gateway.api")
router = APIRouter()
#: admin bodies are small JSON: checked for the admin token before they are read, and capped
MAX_ADMIN = 64 * 1024
#: the messages one page of GET /mailbox?inhoud=true carries at most, together (a single larger one still goes)
MAX_PAGINA = 10 * 1024 * 1024


def _admin_eerst(request: Request) -> None:
    require_admin(request.app.state.settings, request.headers.get("authorization"))


admin = APIRouter(prefix="/admin", tags=["admin"], route_class=checked_first(_admin_eerst, MAX_ADMIN))



SettingsDep = Annotated[GatewaySettings, Depends(get_settings)]


def _bearer(authorization: str | None) -> str | None:
    if authorization and authorization[:7].lower() == "bearer ":
        return authorization[7:].strip()
    return None


def current_party(session: SessionDep,
                  authorization: Annotated[str | None, Header()] = None) -> Ingelogd:
    party = authenticate(session, token=_bearer(authorization))
    if party is None:
        raise unauthorized()
    return party


PartyDep = Annotated[Ingelogd, Depends(current_party)]
#: a message's id at the hub (a number the database can hold)
BerichtId = Annotated[int, Path(ge=1, le=2**63 - 1)]


async def _read_limited(request: Request, settings: GatewaySettings, rol: str) -> bytes:
    """The body, refused as soon as it grows past the limit (never read whole first), or when it is not in
    within ``body_timeout_seconds``, one second more per ``body_min_rate_bytes_per_second`` bytes received,
    at most ``body_max_timeout_seconds`` (408, the connection closed)."""
    max_bytes, seconden = settings.max_bytes, settings.body_timeout_seconds
    rate, max_seconden = settings.body_min_rate_bytes_per_second, settings.body_max_timeout_seconds
    encoding = request.headers.get("content-encoding", "identity").lower()
    if encoding not in ("", "identity"):
        raise HubError(415, "BRS14", "Payload bevat geen well-formed XML: gecomprimeerde berichten worden niet "
                                    "aangenomen; stuur platte XML.", [f"Content-Encoding: {encoding}"])
    return await read_capped(request, max_bytes, lambda: too_large(max_bytes, rol), seconden=seconden,
                             te_traag=lambda: te_traag(seconden, rate, max_seconden), min_rate=rate,
                             max_seconden=max_seconden)


@router.post(
    "/berichten", status_code=202, response_model=Ontvangen, tags=["berichten"],
    summary="Een bericht aanbieden",
    responses={202: vb.json(vb.ONTVANGEN), **vb.fouten(400, 401, 403, 408, 409, 413, 415, 422)},
    openapi_extra={"requestBody": {"required": True, "content": {"application/xml": {
        "schema": {"type": "string"}, "example": vb.XML}}}},
)
async def post_bericht(request: Request, settings: SettingsDep,
                       authorization: Annotated[str | None, Header()] = None) -> Ontvangen:
    """Checks the message in the hub's order (authentication, size, XML, type, role, XSD, afzender,
    ontvanger, uniqueness, optionally the rules) and answers 202 only after it is stored."""
    state = request.app.state
    # blocking work (database, parsing, XSD) runs in the threadpool, off the event loop
    party = await _ingelogd(state, authorization)
    try:
        body = await _read_limited(request, settings, party.rol)
        stored = await run_in_threadpool(_accept, state.session_factory, party, body, settings)
    except HubError as fout:
        await run_in_threadpool(_geweigerd, state, party, fout)
        raise
    _aangenomen(state, stored)
    kop = stored.kop
    return Ontvangen(id=stored.id, status=stored.status, bericht=kop.btype.naam, identificatie=kop.identificatie)


@router.post(
    "/berichten/bundel", response_model=Bundelantwoord, tags=["berichten"],
    summary="Meerdere berichten tegelijk aanbieden (op volgorde; per bericht opgeslagen of geweigerd)",
    responses={200: vb.json(vb.BUNDELANTWOORD), **vb.fouten(400, 401, 408, 413, 415), **vb.ONGELDIG},
    openapi_extra={"requestBody": {"required": True, "content": {"application/json": {
        "schema": Bundel.model_json_schema(), "example": {"berichten": ["PD94bWwgdmVyc2lvbj0iMS4wIj8+..."]}}}}},
)
async def post_bundel(request: Request, settings: SettingsDep,
                      authorization: Annotated[str | None, Header()] = None) -> Bundelantwoord:
    """Each message is checked exactly as by POST /berichten, in the bundle's order, and gets its own outcome
    (stored, with its id, or the refusal's status, code and text); the answer comes after every stored
    message is committed. One request and, usually, one transaction for up to 100 messages: a service's
    outbox sends this way. The whole bundle is at most the size limit of one message."""
    state = request.app.state
    party = await _ingelogd(state, authorization)
    body = await _read_limited(request, settings, party.rol)
    try:
        berichten = Bundel.model_validate_json(body).berichten
    except ValidationError as exc:
        raise RequestValidationError(exc.errors(include_input=False)) from None
    uitkomsten = await run_in_threadpool(_accept_many, state.session_factory, party, berichten, settings)
    antwoord: list[BundelUitkomst] = []
    for uitkomst in uitkomsten:
        if isinstance(uitkomst, HubError):
            await run_in_threadpool(_geweigerd, state, party, uitkomst)
            antwoord.append(BundelUitkomst(status=uitkomst.status, foutcode=uitkomst.foutcode,
                                           omschrijving=uitkomst.omschrijving, details=uitkomst.details))
        else:
            _aangenomen(state, uitkomst)
            antwoord.append(BundelUitkomst(status=202, id=uitkomst.id, bericht=uitkomst.kop.btype.naam,
                                           identificatie=uitkomst.kop.identificatie))
    return Bundelantwoord(uitkomsten=antwoord)


def _accept_many(factory: sessionmaker[Session], party: Ingelogd, bodies: list[bytes],
                 settings: GatewaySettings) -> list[intake.Aangenomen | HubError]:
    with factory() as session:
        return intake.accept_many(session, sender=party, bodies=bodies, max_bytes=settings.max_bytes,
                                  rules_for=frozenset(b.upper() for b in settings.rules_for),
                                  budget_seconden=settings.validation_budget_seconds)


def _aangenomen(state: Any, stored: intake.Aangenomen) -> None:
    """After a message is stored: wake the pusher, count it, log it (no content)."""
    kop = stored.kop
    if state.push_worker is not None:
        state.push_worker.wake()
    state.metrics.accept(kop.btype.naam)
    log.info("bericht ontvangen", extra={"bericht_id": stored.id, "bericht": kop.btype.naam,
                                         "afzender": kop.verzender, "ontvanger": kop.ontvanger})


def _geweigerd(state: Any, party: Ingelogd, fout: HubError) -> None:
    """After a message is refused: count it, log it, and remember one for a receiver that is not connected
    (it waits at its sender: the dashboard says for whom)."""
    state.metrics.refuse(fout.foutcode)
    log.info("bericht geweigerd", extra={"foutcode": fout.foutcode, "afzender": party.code})
    if isinstance(fout, OntvangerOnbekend):
        _onbekend(state.session_factory, party.code, fout)


def _onbekend(factory: sessionmaker[Session], afzender: str, fout: OntvangerOnbekend) -> None:
    with factory() as session:
        routing.onbekende_ontvanger(session, afzender=afzender, ontvanger=fout.ontvanger, bericht=fout.bericht,
                                    foutcode=fout.foutcode, nu=utcnow())


async def _ingelogd(state: Any, authorization: str | None) -> Ingelogd:
    """The party of the bearer token, checked before the body is read: from the token cache, else from the
    database (off the event loop); 401 otherwise."""
    token = _bearer(authorization)
    party: Ingelogd | None = state.tokens.get(token)
    if party is None:
        party = await run_in_threadpool(_authenticate, state.lookup_factory, state.tokens, token)
    return party


def _authenticate(lookup_factory: sessionmaker[Session], cache: TokenCache, token: str | None) -> Ingelogd:
    with lookup_factory() as session:
        party = authenticate(session, token=token, cache=cache)
    if party is None:
        raise unauthorized()
    return party


def _accept(factory: sessionmaker[Session], party: Ingelogd, body: bytes, settings: GatewaySettings) -> intake.Aangenomen:
    with factory() as session:
        return intake.accept(session, sender=party, body=body, max_bytes=settings.max_bytes,
                             rules_for=frozenset(b.upper() for b in settings.rules_for),
                             budget_seconden=settings.validation_budget_seconds)


@router.get("/mailbox", tags=["berichten"], summary="Uw nog niet afgeleverde berichten, oudste eerst",
            response_model=list[BerichtMeta], response_model_exclude_unset=True,
            responses={200: vb.json([vb.WACHTEND]), **vb.fouten(401), **vb.ONGELDIG})
def get_mailbox(session: SessionDep, party: PartyDep, limit: int = 100,
                bericht: Annotated[list[Annotated[str, StringConstraints(pattern=BERICHT)]] | None, Query(description=(
                    "alleen berichten van deze typen (herhaal de parameter): een dienst haalt op wat hij bezit"))] = None,
                na: Annotated[int | None, Query(ge=0, le=2**63 - 1,
                                                description="alleen berichten met een id hierna (de volgende partij)")] = None,
                inhoud: Annotated[bool, Query(description="met het bericht zelf (base64, veld xml): ophalen in "
                                                          "een verzoek")] = False) -> list[dict[str, Any]]:
    berichten = mailbox.mailbox(session, party=party, limit=min(max(limit, 1), 1000), berichten=bericht or (), na=na)
    if inhoud:  # a page with content stops at about MAX_PAGINA (at least one message): ask again with na=
        berichten = mailbox.tot_omvang(berichten, MAX_PAGINA)
    return mailbox.metadata_many(session, berichten=berichten, inhoud=inhoud)


@router.post("/mailbox/ontvangen", tags=["berichten"], summary="De ontvangst van meerdere berichten tegelijk bevestigen",
             response_model=Bevestigd, responses={200: vb.json(vb.BEVESTIGD), **vb.fouten(401, 413), **vb.ONGELDIG},
             openapi_extra={"requestBody": {"required": True, "content": {"application/json": {
                 "schema": Ontvangstbevestiging.model_json_schema(), "example": {"ids": [1, 2, 3]}}}}})
async def post_ontvangen_many(request: Request, authorization: Annotated[str | None, Header()] = None) -> Bevestigd:
    """The caller is checked before the body is read, and the body is capped."""
    state = request.app.state
    party = await _ingelogd(state, authorization)
    body = await read_capped(request, MAX_ADMIN, lambda: too_large(MAX_ADMIN, party.rol))
    try:
        ids = Ontvangstbevestiging.model_validate_json(body).ids
    except ValidationError as exc:
        raise RequestValidationError(exc.errors()) from None
    return Bevestigd(afgeleverd=await run_in_threadpool(_acknowledge_many, state.session_factory, party, ids))


def _acknowledge_many(factory: sessionmaker[Session], party: Ingelogd, ids: list[int]) -> list[int]:
    with factory() as session:
        return mailbox.acknowledge_many(session, party=party, ids=ids)


@router.get("/mailbox/wachtend", tags=["berichten"], response_model=list[Wachtend],
            summary="Wat voor u wacht, per berichttype: hoeveel, sinds wanneer, en of het gepusht of opgehaald wordt",
            responses={200: vb.json([vb.PER_TYPE]), **vb.fouten(401), **vb.ONGELDIG})
def get_wachtend(session: SessionDep, party: PartyDep) -> list[Wachtend]:
    return [_wachtend(w) for w in routing.wachtend(session, ontvanger=party.code)]


@router.get("/partijen/{code}", tags=["partijen"], response_model=Aansluiting,
            summary="Is deze partij aangesloten bij de hub? (een bericht aan een niet-aangesloten partij weigert de "
                    "hub met IB005/IB010)",
            responses={200: vb.json(vb.AANSLUITING), **vb.fouten(401), **vb.ONGELDIG})
def get_partij(code: Annotated[str, Path(pattern=r"^([0-9]{4}|[0-9]{8})$", description="CBS- of AGB-code")],
               session: SessionDep, _party: PartyDep) -> Aansluiting:
    partij = party_by_code(session, code=code)
    return Aansluiting(code=code, aangesloten=partij is not None, rol=partij.rol if partij is not None else None)


@router.get("/mailbox/wacht-bij-afzender", tags=["berichten"], response_model=list[WachtBijAfzender],
            summary="Wat u verzond of zou ontvangen en dat de hub weigerde omdat de ontvanger niet is aangesloten "
                    "(IB005/IB010): het wacht bij de afzender",
            responses={200: vb.json([vb.BIJ_AFZENDER]), **vb.fouten(401), **vb.ONGELDIG})
def get_wacht_bij_afzender(session: SessionDep, party: PartyDep) -> list[WachtBijAfzender]:
    return [_bij_afzender(o) for o in routing.onbekende_ontvangers(session, partij=party.code)]


def _bij_afzender(o: OnbekendeOntvanger) -> WachtBijAfzender:
    return WachtBijAfzender(afzender=o.afzender, ontvanger=o.ontvanger, bericht=o.bericht, foutcode=o.foutcode,
                            sinds=o.eerste.isoformat(), laatste_poging=o.laatste.isoformat(), pogingen=o.pogingen)


def _wachtend(w: routing.Wachtend) -> Wachtend:
    return Wachtend(ontvanger=w.ontvanger, bericht=w.bericht, aantal=w.aantal, oudste=w.oudste.isoformat(),
                    aflevering=w.aflevering, laatste_fout=w.laatste_fout)


def _zonder_retour(session: Session, settings: GatewaySettings, ouder_dan_seconden: float | None,
                   afzender: str | None = None) -> list[Bericht]:
    """Overdue heenberichten: after their term in working days, or older than ``ouder_dan_seconden``."""
    nu = utcnow()
    return mailbox.zonder_retour(
        session, nu=nu, werkdagen={"WMO323": settings.declaratie_antwoord_werkdagen},
        standaard=settings.retour_werkdagen, afzender=afzender,
        ouder_dan=None if ouder_dan_seconden is None else nu - dt.timedelta(seconds=ouder_dan_seconden))


@router.get("/berichten/zonder-retour", tags=["berichten"],
            summary="Uw heenberichten waarop na de termijn nog geen retourbericht kwam",
            response_model=list[BerichtMeta], response_model_exclude_unset=True,
            responses={200: vb.json([vb.WACHTEND]), **vb.fouten(401), **vb.ONGELDIG})
def get_zonder_retour(session: SessionDep, settings: SettingsDep, party: PartyDep,
                      ouder_dan_seconden: float | None = None) -> list[dict[str, Any]]:
    return mailbox.metadata_many(session, berichten=_zonder_retour(session, settings, ouder_dan_seconden,
                                                                    afzender=party.code))


@router.get("/metrics", tags=["operations"], summary="Prometheus-metrieken (geen persoonsgegevens)",
            response_class=PlainTextResponse,
            responses={200: {"content": {"text/plain": {"schema": {"type": "string"}, "example": vb.METRICS}}}})
def get_metrics(request: Request, session: SessionDep) -> str:
    text: str = request.app.state.metrics.render(session)
    return text


@router.get("/berichten/{bericht_id}", tags=["berichten"], summary="Een bericht ophalen",
            response_class=Response,
            responses={200: {"model": BerichtMeta,
                             "content": {"application/xml": {"schema": {"type": "string"}, "example": vb.XML},
                                         "application/json": {"example": vb.METADATA}}},
                       **vb.fouten(401, 404), **vb.ONGELDIG})
def get_bericht(bericht_id: BerichtId, request: Request, session: SessionDep, party: PartyDep) -> Response:
    """The XML of the message (for its sender and receiver). With ``Accept: application/json`` the
    metadata instead, including whether a retourbericht arrived and whether it approved."""
    bericht = mailbox.fetch(session, party=party, bericht_id=bericht_id)
    if "application/json" in request.headers.get("accept", ""):
        return JSONResponse(mailbox.metadata(session, bericht=bericht))
    return Response(bericht.xml, media_type="application/xml")


@router.post("/berichten/{bericht_id}/ontvangen", tags=["berichten"], summary="Ontvangst bevestigen",
             response_model=Afgeleverd,
             responses={200: vb.json({"id": 1, "status": "afgeleverd"}), **vb.fouten(401, 404), **vb.ONGELDIG})
def post_ontvangen(bericht_id: BerichtId, session: SessionDep, party: PartyDep) -> Afgeleverd:
    bericht = mailbox.acknowledge(session, party=party, bericht_id=bericht_id)
    return Afgeleverd(id=bericht.id, status=bericht.status)


@router.get("/health", tags=["operations"], summary="Draait de hub?", response_model=Health,
            responses={200: vb.json({"status": "ok"})})
def health() -> Health:
    return Health(status="ok")


@router.get("/", include_in_schema=False)
def root() -> RedirectResponse:
    """A browser that opens the hub lands on its dashboard."""
    return RedirectResponse("/dashboard", status_code=307)


# --- admin ---------------------------------------------------------------------------------

def require_admin(settings: SettingsDep, authorization: Annotated[str | None, Header()] = None) -> None:
    import hmac

    token = _bearer(authorization)
    if not settings.admin_token or token is None or not hmac.compare_digest(token, settings.admin_token):
        raise unauthorized()


@admin.post("/parties", status_code=201, dependencies=[Depends(require_admin)], response_model=PartijAangemaakt,
            summary="Een partij registreren; het antwoord bevat haar eerste token",
            responses={201: vb.json({"rol": "aanbieder", "code": "87654321",
                                     "endpoint": "https://aanbieder.example/iwmo/berichten", "token": "k3P...Qs",
                                     "push_geheim": "Zr8...2w"}), **vb.fouten(401),
                       422: vb.adm_fout(422, "ADM01", "partij 87654321 bestaat al")})
def post_party(body: NieuwePartij, session: SessionDep) -> PartijAangemaakt:
    try:
        party, token = add_party(session, rol=body.rol, code=body.code, endpoint=body.endpoint, naam=body.naam)
    except PartyError as exc:
        raise HubError(422, "ADM01", str(exc)) from None
    session.commit()
    return PartijAangemaakt(rol=party.rol, code=party.code, endpoint=party.endpoint, token=token,
                            push_geheim=party.push_geheim)


@admin.post("/parties/{code}/push-geheim", status_code=201, dependencies=[Depends(require_admin)],
            response_model=PushGeheim,
            summary="Een nieuw push-geheim voor een partij met endpoint; pushes worden er voortaan mee ondertekend",
            responses={201: vb.json({"code": "87654321", "push_geheim": "Zr8...2w"}), **vb.fouten(401),
                       404: vb.adm_fout(404, "ADM02", "geen partij met endpoint 87654321"), **vb.ONGELDIG})
def post_push_geheim(code: str, session: SessionDep) -> PushGeheim:
    party = party_by_code(session, code=code)
    if party is None or not (party.endpoint or any(r.endpoint for r in routing.routes_of(session, party=party))):
        raise HubError(404, "ADM02", f"geen partij met endpoint {code}")
    geheim = nieuw_push_geheim(session, party=party)
    session.commit()
    return PushGeheim(code=party.code, push_geheim=geheim)


@admin.post("/parties/{code}/tokens", status_code=201, dependencies=[Depends(require_admin)],
            response_model=TokenUitgegeven,
            summary="Een extra token uitgeven aan een bestaande partij (bijv. om te roteren; trek het oude daarna in)",
            responses={201: vb.json({"code": "87654321", "token": "q9X...Lm"}), **vb.fouten(401),
                       404: vb.adm_fout(404, "ADM02", "geen partij 87654321"),
                       **vb.ONGELDIG})
def post_party_token(code: str, session: SessionDep) -> TokenUitgegeven:
    token = issue_token(session, party=_party(session, code))
    session.commit()
    return TokenUitgegeven(code=code, token=token)


def _party(session: Session, code: str) -> Party:
    party = party_by_code(session, code=code)
    if party is None:
        raise HubError(404, "ADM02", f"geen partij {code}")
    return party


def _routes(session: Session, party: Party) -> Routes:
    return Routes(code=party.code, endpoint=party.endpoint, push_geheim=party.push_geheim,
                  routes=[RouteOut(bericht=r.bericht, endpoint=r.endpoint) for r in routing.routes_of(session, party=party)])


@admin.get("/parties/{code}/routes", dependencies=[Depends(require_admin)], response_model=Routes,
           summary="Waar de berichten van een partij per berichttype heen gaan",
           responses={200: vb.json(vb.ROUTES), **vb.fouten(401), **vb.ONGELDIG})
def get_routes(code: str, session: SessionDep) -> Routes:
    return _routes(session, _party(session, code))


@admin.put("/parties/{code}/routes", dependencies=[Depends(require_admin)], response_model=Routes,
           summary="Berichttypen van een partij naar een endpoint pushen, of (zonder endpoint) laten ophalen",
           description="Een gemeente draait meerdere diensten; elk bezit een aantal berichttypen. Een type zonder "
                       "route volgt het eigen endpoint van de partij, of wacht tot het wordt opgehaald. "
                       "Het antwoord noemt het push-geheim waarmee de hub tekent (nieuw bij het eerste endpoint).",
           responses={200: vb.json(vb.ROUTES), **vb.fouten(401), **vb.ONGELDIG})
def put_routes(code: str, body: RoutesIn, session: SessionDep) -> Routes:
    party = _party(session, code)
    try:
        routing.set_routes(session, party=party, berichten=body.berichten, endpoint=body.endpoint)
    except PartyError as exc:
        raise HubError(422, "ADM01", str(exc)) from None
    session.commit()
    return _routes(session, party)


@admin.delete("/parties/{code}/routes/{bericht}", dependencies=[Depends(require_admin)], response_model=Routes,
              summary="Een route weghalen: het type volgt weer het eigen endpoint van de partij (of wordt opgehaald)",
              responses={200: vb.json(vb.ROUTES), **vb.fouten(401), **vb.ONGELDIG})
def delete_route(code: str, bericht: str, session: SessionDep) -> Routes:
    party = _party(session, code)
    routing.remove_route(session, party=party, bericht=bericht)
    session.commit()
    return _routes(session, party)


@admin.get("/wachtend", dependencies=[Depends(require_admin)], response_model=list[Wachtend],
           summary="Alles wat wacht op aflevering, per ontvanger en berichttype",
           responses={200: vb.json([vb.PER_TYPE]), **vb.fouten(401), **vb.ONGELDIG})
def get_admin_wachtend(session: SessionDep) -> list[Wachtend]:
    return [_wachtend(w) for w in routing.wachtend(session)]


@admin.get("/wacht-bij-afzender", dependencies=[Depends(require_admin)], response_model=list[WachtBijAfzender],
           summary="Wat de hub weigerde omdat de ontvanger niet is aangesloten, per afzender, ontvanger en type",
           responses={200: vb.json([vb.BIJ_AFZENDER]), **vb.fouten(401), **vb.ONGELDIG})
def get_admin_wacht_bij_afzender(session: SessionDep) -> list[WachtBijAfzender]:
    return [_bij_afzender(o) for o in routing.onbekende_ontvangers(session)]


@admin.get("/zonder-retour", dependencies=[Depends(require_admin)],
           summary="Alle heenberichten waarop na de termijn nog geen retourbericht kwam",
           response_model=list[BerichtMeta], response_model_exclude_unset=True,
           responses={200: vb.json([vb.WACHTEND]), **vb.fouten(401), **vb.ONGELDIG})
def get_admin_zonder_retour(session: SessionDep, settings: SettingsDep,
                            ouder_dan_seconden: float | None = None) -> list[dict[str, Any]]:
    return mailbox.metadata_many(session, berichten=_zonder_retour(session, settings, ouder_dan_seconden))


@admin.get("/dead-letters", dependencies=[Depends(require_admin)],
           summary="Berichten die na het maximale aantal pogingen niet konden worden afgeleverd",
           response_model=list[DeadLetter], response_model_exclude_unset=True,
           responses={200: vb.json([vb.DEAD]), **vb.fouten(401), **vb.ONGELDIG})
def get_dead_letters(session: SessionDep, limit: int = 100) -> list[dict[str, Any]]:
    dead = dead_letters(session, limit=min(max(limit, 1), 1000))
    return [{**meta, "pogingen": b.attempts, "laatste_fout": b.last_error}
            for b, meta in zip(dead, mailbox.metadata_many(session, berichten=dead), strict=True)]


@admin.post("/tokens/intrekken", dependencies=[Depends(require_admin)], summary="Een token intrekken",
            response_model=Ingetrokken,
            responses={200: vb.json({"ingetrokken": True}), **vb.fouten(401), **vb.ONGELDIG})
def post_revoke(body: Intrekken, request: Request, session: SessionDep) -> Ingetrokken:
    revoked = revoke_token(session, token=body.token)
    session.commit()
    request.app.state.tokens.clear()  # at once in this process; other processes within auth_cache_seconds
    return Ingetrokken(ingetrokken=revoked)
