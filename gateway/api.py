"""HTTP API of the hub: thin routers that parse, call the domain and map errors (see docs/gateway.md)."""

from __future__ import annotations

import datetime as dt
import logging
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Header, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse, PlainTextResponse, Response
from pydantic import BaseModel
from sqlalchemy.orm import Session, sessionmaker

from gateway import intake, mailbox
from gateway import voorbeelden as vb
from gateway.errors import HubFout, niet_geautoriseerd, te_groot
from gateway.models import Bericht, utcnow
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
from gateway.settings import GatewaySettings
from infra.http import SessionDep, checked_first, get_settings, read_capped

log = logging.getLogger("gateway.api")
router = APIRouter()
#: admin bodies are small JSON: checked for the admin token before they are read, and capped
MAX_ADMIN = 64 * 1024


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
        raise niet_geautoriseerd()
    return party


PartyDep = Annotated[Ingelogd, Depends(current_party)]


class Ontvangen(BaseModel):
    id: int
    status: str
    bericht: str
    identificatie: str


async def _read_limited(request: Request, max_bytes: int, rol: str) -> bytes:
    """The body, refused as soon as it grows past ``max_bytes`` (never read whole first)."""
    encoding = request.headers.get("content-encoding", "identity").lower()
    if encoding not in ("", "identity"):
        raise HubFout(415, "BRS14", "Payload bevat geen well-formed XML: gecomprimeerde berichten worden niet "
                                    "aangenomen; stuur platte XML.", [f"Content-Encoding: {encoding}"])
    return await read_capped(request, max_bytes, lambda: te_groot(max_bytes, rol))


@router.post(
    "/berichten", status_code=202, response_model=Ontvangen, tags=["berichten"],
    summary="Een bericht aanbieden",
    responses={202: vb.json(vb.ONTVANGEN), **vb.fouten(400, 401, 403, 409, 413, 415, 422)},
    openapi_extra={"requestBody": {"required": True, "content": {"application/xml": {
        "schema": {"type": "string"}, "example": vb.XML}}}},
)
async def post_bericht(request: Request, settings: SettingsDep,
                       authorization: Annotated[str | None, Header()] = None) -> Ontvangen:
    """Checks the message in the hub's order (authentication, size, XML, type, role, XSD, afzender,
    ontvanger, uniqueness, optionally the rules) and answers 202 only after it is stored."""
    state = request.app.state
    # blocking work (database, parsing, XSD) runs in the threadpool, off the event loop
    token = _bearer(authorization)
    party = state.tokens.get(token) or await run_in_threadpool(_authenticate, state.lookup_factory, state.tokens, token)
    metrics = state.metrics
    try:
        body = await _read_limited(request, settings.max_bytes, party.rol)
        stored = await run_in_threadpool(_accept, state.session_factory, party, body, settings)
    except HubFout as fout:
        metrics.refuse(fout.foutcode)
        log.info("bericht geweigerd", extra={"foutcode": fout.foutcode, "afzender": party.code})
        raise
    kop = stored.kop
    metrics.accept(kop.btype.naam)
    log.info("bericht ontvangen", extra={"bericht_id": stored.id, "bericht": kop.btype.naam,
                                         "afzender": kop.verzender, "ontvanger": kop.ontvanger})
    return Ontvangen(id=stored.id, status=stored.status, bericht=kop.btype.naam, identificatie=kop.identificatie)


def _authenticate(lookup_factory: sessionmaker[Session], cache: TokenCache, token: str | None) -> Ingelogd:
    with lookup_factory() as session:
        party = authenticate(session, token=token, cache=cache)
    if party is None:
        raise niet_geautoriseerd()
    return party


def _accept(factory: sessionmaker[Session], party: Ingelogd, body: bytes, settings: GatewaySettings) -> intake.Aangenomen:
    with factory() as session:
        return intake.accept(session, sender=party, body=body, max_bytes=settings.max_bytes,
                             rules_for=frozenset(b.upper() for b in settings.rules_for))


@router.get("/mailbox", tags=["berichten"], summary="Uw nog niet afgeleverde berichten, oudste eerst",
            responses={200: vb.json([vb.WACHTEND]), **vb.fouten(401), **vb.ONGELDIG})
def get_mailbox(session: SessionDep, party: PartyDep, limit: int = 100) -> list[dict[str, Any]]:
    return [mailbox.metadata(session, bericht=b) for b in mailbox.mailbox(session, party=party,
                                                                           limit=min(max(limit, 1), 1000))]


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
            responses={200: vb.json([vb.WACHTEND]), **vb.fouten(401), **vb.ONGELDIG})
def get_zonder_retour(session: SessionDep, settings: SettingsDep, party: PartyDep,
                      ouder_dan_seconden: float | None = None) -> list[dict[str, Any]]:
    return [mailbox.metadata(session, bericht=b)
            for b in _zonder_retour(session, settings, ouder_dan_seconden, afzender=party.code)]


@router.get("/metrics", tags=["operations"], summary="Prometheus-metrieken (geen persoonsgegevens)",
            response_class=PlainTextResponse,
            responses={200: {"content": {"text/plain": {"example": vb.METRICS}}}})
def get_metrics(request: Request, session: SessionDep) -> str:
    return request.app.state.metrics.render(session)  # type: ignore[no-any-return]


@router.get("/berichten/{bericht_id}", tags=["berichten"], summary="Een bericht ophalen",
            responses={200: {"content": {"application/xml": {"example": vb.XML},
                                         "application/json": {"example": vb.METADATA}}},
                       **vb.fouten(401, 404), **vb.ONGELDIG})
def get_bericht(bericht_id: int, request: Request, session: SessionDep, party: PartyDep) -> Response:
    """The XML of the message (for its sender and receiver). With ``Accept: application/json`` the
    metadata instead, including whether a retourbericht arrived and whether it approved."""
    bericht = mailbox.fetch(session, party=party, bericht_id=bericht_id)
    if "application/json" in request.headers.get("accept", ""):
        return JSONResponse(mailbox.metadata(session, bericht=bericht))
    return Response(bericht.xml, media_type="application/xml")


@router.post("/berichten/{bericht_id}/ontvangen", tags=["berichten"], summary="Ontvangst bevestigen",
             responses={200: vb.json({"id": 1, "status": "afgeleverd"}), **vb.fouten(401, 404), **vb.ONGELDIG})
def post_ontvangen(bericht_id: int, session: SessionDep, party: PartyDep) -> dict[str, Any]:
    bericht = mailbox.acknowledge(session, party=party, bericht_id=bericht_id)
    return {"id": bericht.id, "status": bericht.status}


@router.get("/health", tags=["operations"], summary="Draait de hub?", responses={200: vb.json({"status": "ok"})})
def health() -> dict[str, str]:
    return {"status": "ok"}


# --- admin ---------------------------------------------------------------------------------

def require_admin(settings: SettingsDep, authorization: Annotated[str | None, Header()] = None) -> None:
    import hmac

    token = _bearer(authorization)
    if not settings.admin_token or token is None or not hmac.compare_digest(token, settings.admin_token):
        raise niet_geautoriseerd()


class NieuwePartij(BaseModel):
    rol: str
    code: str
    endpoint: str | None = None
    naam: str | None = None


@admin.post("/parties", status_code=201, dependencies=[Depends(require_admin)],
            summary="Een partij registreren; het antwoord bevat haar eerste token",
            responses={201: vb.json({"rol": "aanbieder", "code": "87654321",
                                     "endpoint": "https://aanbieder.example/iwmo/berichten", "token": "k3P...Qs",
                                     "push_geheim": "Zr8...2w"}), **vb.fouten(401),
                       422: vb.json({"foutcode": "ADM01", "omschrijving": "partij 87654321 bestaat al",
                                     "details": []})})
def post_party(body: NieuwePartij, session: SessionDep) -> dict[str, Any]:
    try:
        party, token = add_party(session, rol=body.rol, code=body.code, endpoint=body.endpoint, naam=body.naam)
    except PartyError as exc:
        raise HubFout(422, "ADM01", str(exc)) from None
    session.commit()
    return {"rol": party.rol, "code": party.code, "endpoint": party.endpoint, "token": token,
            "push_geheim": party.push_geheim}


@admin.post("/parties/{code}/push-geheim", status_code=201, dependencies=[Depends(require_admin)],
            summary="Een nieuw push-geheim voor een partij met endpoint; pushes worden er voortaan mee ondertekend",
            responses={201: vb.json({"code": "87654321", "push_geheim": "Zr8...2w"}), **vb.fouten(401),
                       404: vb.json({"foutcode": "ADM02", "omschrijving": "geen partij met endpoint 87654321",
                                     "details": []}), **vb.ONGELDIG})
def post_push_geheim(code: str, session: SessionDep) -> dict[str, Any]:
    party = party_by_code(session, code=code)
    if party is None or not party.endpoint:
        raise HubFout(404, "ADM02", f"geen partij met endpoint {code}")
    geheim = nieuw_push_geheim(session, party=party)
    session.commit()
    return {"code": party.code, "push_geheim": geheim}


@admin.post("/parties/{code}/tokens", status_code=201, dependencies=[Depends(require_admin)],
            summary="Een extra token uitgeven aan een bestaande partij (bijv. om te roteren; trek het oude daarna in)",
            responses={201: vb.json({"code": "87654321", "token": "q9X...Lm"}), **vb.fouten(401),
                       404: vb.json({"foutcode": "ADM02", "omschrijving": "geen partij 87654321", "details": []}),
                       **vb.ONGELDIG})
def post_party_token(code: str, session: SessionDep) -> dict[str, Any]:
    party = party_by_code(session, code=code)
    if party is None:
        raise HubFout(404, "ADM02", f"geen partij {code}")
    token = issue_token(session, party=party)
    session.commit()
    return {"code": party.code, "token": token}


@admin.get("/zonder-retour", dependencies=[Depends(require_admin)],
           summary="Alle heenberichten waarop na de termijn nog geen retourbericht kwam",
           responses={200: vb.json([vb.WACHTEND]), **vb.fouten(401), **vb.ONGELDIG})
def get_admin_zonder_retour(session: SessionDep, settings: SettingsDep,
                            ouder_dan_seconden: float | None = None) -> list[dict[str, Any]]:
    return [mailbox.metadata(session, bericht=b) for b in _zonder_retour(session, settings, ouder_dan_seconden)]


@admin.get("/dead-letters", dependencies=[Depends(require_admin)],
           summary="Berichten die na het maximale aantal pogingen niet konden worden afgeleverd",
           responses={200: vb.json([vb.DEAD]), **vb.fouten(401), **vb.ONGELDIG})
def get_dead_letters(session: SessionDep, limit: int = 100) -> list[dict[str, Any]]:
    return [{**mailbox.metadata(session, bericht=b), "pogingen": b.attempts, "laatste_fout": b.last_error}
            for b in dead_letters(session, limit=min(max(limit, 1), 1000))]


class Intrekken(BaseModel):
    token: str


@admin.post("/tokens/intrekken", dependencies=[Depends(require_admin)], summary="Een token intrekken",
            responses={200: vb.json({"ingetrokken": True}), **vb.fouten(401), **vb.ONGELDIG})
def post_revoke(body: Intrekken, request: Request, session: SessionDep) -> dict[str, bool]:
    revoked = revoke_token(session, token=body.token)
    session.commit()
    request.app.state.tokens.clear()  # at once in this process; other processes within auth_cache_seconds
    return {"ingetrokken": revoked}
