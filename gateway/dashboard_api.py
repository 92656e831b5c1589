"""The dashboard: server-rendered pages (Jinja2) over :mod:`gateway.dashboard`. Read-only, except logging
in and out; the viewer's session key (not the token, see :mod:`gateway.sessions`) lives in an HttpOnly,
SameSite=Strict cookie."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import parse_qs

from fastapi import APIRouter, Cookie, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.concurrency import run_in_threadpool

from gateway import dashboard, dashboard_declaratie, routing, sessions
from gateway.api import SettingsDep
from gateway.errors import HubError
from gateway.models import Bericht
from gateway.push import dead_letters
from infra.db import utcnow
from infra.http import SessionDep, read_capped
from iwmo.uitleg import betekenis

router = APIRouter(prefix="/dashboard", tags=["dashboard"], include_in_schema=False)
COOKIE = "iwmo_dashboard"
MAX_FORMULIER = 4096
templates = Environment(loader=FileSystemLoader(Path(__file__).parent / "templates"),
                        autoescape=select_autoescape(["html"]))
templates.filters["euro"] = dashboard_declaratie.euro
templates.filters["betekenis"] = lambda code: betekenis(code) or "onbekende code"
templates.globals["zonder_opmerking"] = dashboard.ZONDER_OPMERKING


def _kijker(session: Any, settings: Any, sleutel: str | None) -> dashboard.Kijker:
    return sessions.kijker(session, sleutel=sleutel, admin_token=settings.admin_token, nu=utcnow())


def _toegang(kijker: dashboard.Kijker, settings: Any) -> Response | None:
    """Without GATEWAY_DASHBOARD_OPEN only logged-in viewers (a party or the operator) get in."""
    if kijker.code or kijker.beheer or settings.dashboard_open:
        return None
    return RedirectResponse("/dashboard/inloggen", status_code=303)


def _pagina(naam: str, **context: Any) -> HTMLResponse:
    return HTMLResponse(templates.get_template(naam).render(**context))


CookieDep = Annotated[str | None, Cookie(alias=COOKIE)]


@router.get("")
def overzicht(session: SessionDep, settings: SettingsDep, sleutel: CookieDep = None, paar: str | None = None,
              voor: int | None = None, ververs: int = 5) -> Response:
    kijker = _kijker(session, settings, sleutel)
    weiger = _toegang(kijker, settings)
    if weiger:
        return weiger
    paren, volgende = dashboard.stromen(session, paar=paar, voor=voor)
    return _pagina("overzicht.html", kijker=kijker, paren=paren, paar=paar, voor=voor, volgende=volgende,
                   dood=dead_letters(session, newest_first=True), wachtend=_wachtend(session, kijker),
                   onbekend=routing.onbekende_ontvangers(session, partij=kijker.code),
                   ververs=0 if voor else max(0, min(ververs, 3600)))


def _wachtend(session: Any, kijker: dashboard.Kijker) -> list[routing.Wachtend]:
    """What waits: the operator sees all, with endpoints and errors; a party its own; anyone else the counts
    only (an endpoint or an error text is nobody else's business)."""
    wachtend = routing.wachtend(session, ontvanger=kijker.code)
    if kijker.beheer or kijker.code:
        return wachtend
    return [dataclasses.replace(w, aflevering="–", laatste_fout=None) for w in wachtend]


@router.get("/berichten/{bericht_id}")
def bericht(bericht_id: int, session: SessionDep, settings: SettingsDep, sleutel: CookieDep = None) -> Response:
    kijker = _kijker(session, settings, sleutel)
    weiger = _toegang(kijker, settings)
    if weiger:
        return weiger
    b = session.get(Bericht, bericht_id)
    if b is None:
        raise HubError(404, "IB404", f"geen bericht {bericht_id}")
    w = dashboard.weergave(session, bericht=b, kijker=kijker)
    return _pagina("bericht.html", kijker=kijker, w=w,
                   declaratie=dashboard_declaratie.voor_weergave(w, kijker=kijker))


@router.get("/inloggen")
def inloggen_form(fout: str | None = None) -> Response:
    return _pagina("inloggen.html", kijker=dashboard.Kijker(), fout=fout)


@router.post("/inloggen")
async def inloggen(request: Request, session: SessionDep, settings: SettingsDep, vorige: CookieDep = None) -> Response:
    # a login form is small: refuse anything else while it streams in
    body = await read_capped(request, MAX_FORMULIER, lambda: HTTPException(413, "Formulier te groot."))
    velden = parse_qs(body.decode("utf-8", "replace"))
    token = (velden.get("token") or [""])[0].strip()

    def open_sessie() -> str | None:  # database work off the event loop
        sleutel = sessions.open_sessie(session, token=token, admin_token=settings.admin_token, nu=utcnow(),
                                      vorige=vorige)
        if sleutel is not None:
            session.commit()
        return sleutel

    sleutel = await run_in_threadpool(open_sessie)
    if sleutel is None:
        return _pagina("inloggen.html", kijker=dashboard.Kijker(), fout="Onbekend of ingetrokken token.")
    r = RedirectResponse("/dashboard", status_code=303)
    r.set_cookie(COOKIE, sleutel, httponly=True, samesite="strict", max_age=int(sessions.DUUR.total_seconds()))
    return r


@router.post("/uitloggen")
def uitloggen(session: SessionDep, sleutel: CookieDep = None) -> Response:
    sessions.sluit_sessie(session, sleutel=sleutel)
    session.commit()
    r = RedirectResponse("/dashboard", status_code=303)
    r.delete_cookie(COOKIE)
    return r
