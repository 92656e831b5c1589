"""FastAPI factory of the toewijzing service (no logic here)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import httpx
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from iwmo.hub import HubClient
from services.common.db import make_engine, session_factory
from services.toewijzing.api import router
from services.toewijzing.db import migrate
from services.toewijzing.errors import DomeinFout
from services.toewijzing.settings import ToewijzingSettings


def create_app(settings: ToewijzingSettings | None = None, *, hub_http: httpx.Client | None = None,
               clock: Callable[[], dt.datetime] | None = None) -> FastAPI:
    """``hub_http``: the HTTP client for the hub (tests pass the hub app's TestClient); ``clock``: now."""
    settings = settings or ToewijzingSettings()
    if settings.migrate_on_start:
        migrate(settings.database_url)
    engine = make_engine(settings.database_url)
    app = FastAPI(title="Toewijzing (gemeente)", version="0.1.0",
                  description="Beschikkingen in uren of als resultaat, toewijzingen (WMO301) en de berichten van "
                              "aanbieders. Zie docs/toewijzing.md.")
    app.state.settings = settings
    app.state.engine = engine
    app.state.session_factory = session_factory(engine)
    app.state.hub = HubClient(hub_http or httpx.Client(base_url=settings.hub_url, timeout=30), settings.hub_token)
    app.state.clock = clock or (lambda: dt.datetime.now().astimezone())

    @app.exception_handler(DomeinFout)
    async def _domein_fout(_request: Request, exc: DomeinFout) -> JSONResponse:
        return JSONResponse({"fout": exc.melding, "veld": exc.veld}, status_code=exc.status)

    app.include_router(router)
    return app
