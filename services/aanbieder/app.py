"""FastAPI factory of the provider stand-in (no logic here)."""

from __future__ import annotations

import datetime as dt
import logging
import threading
from collections.abc import Callable

import httpx
from fastapi import FastAPI

from iwmo.hub import HubClient
from services.aanbieder import hubsync
from services.aanbieder.api import router
from services.aanbieder.db import migrate
from services.aanbieder.settings import AanbiederSettings
from services.common.app import map_domeinfouten, poller
from services.common.db import make_engine, session_factory

log = logging.getLogger("aanbieder")


def create_app(settings: AanbiederSettings | None = None, *, hub_http: httpx.Client | None = None,
               clock: Callable[[], dt.datetime] | None = None) -> FastAPI:
    """``hub_http``: the HTTP client for the hub (tests pass the hub app's TestClient); ``clock``: now."""
    settings = settings or AanbiederSettings()
    if settings.migrate_on_start:
        migrate(settings.database_url)
    app = FastAPI(title="Aanbieder (stand-in)", version="0.1.0",
                  lifespan=poller(settings.poll_seconds, hubsync.synchroniseer, log),
                  description="Een zorgaanbieder zoals zijn software met iWmo 3.2 omgaat: ontvangt WMO301/319 en de "
                              "retourberichten, beantwoordt met WMO302/320, stuurt WMO305/307/315/317 op verzoek. "
                              "Zie docs/aanbieder.md.")
    app.state.settings = settings
    app.state.engine = make_engine(settings.database_url)
    app.state.session_factory = session_factory(app.state.engine)
    http = hub_http or httpx.Client(base_url=settings.hub_url, timeout=30)
    app.state.hubs = {code: HubClient(http, token) for code, token in settings.partijen.items()}
    app.state.clock = clock or (lambda: dt.datetime.now().astimezone())
    app.state.verzend_lock, app.state.ophaal_lock = threading.Lock(), threading.Lock()
    map_domeinfouten(app)
    app.include_router(router)
    return app
