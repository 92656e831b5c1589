"""FastAPI factory of the declaratie service (no logic here)."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable

import httpx
from fastapi import FastAPI

from infra.app import service_app
from infra.auth import bearer_client
from infra.traffic import HubTraffic
from services.declaratie import hub
from services.declaratie.api import router
from services.declaratie.db import migrate
from services.declaratie.settings import DeclaratieSettings

log = logging.getLogger("declaratie")


def create_app(settings: DeclaratieSettings | None = None, *, hub_http: httpx.Client | None = None,
               toewijzing_http: httpx.Client | None = None,
               clock: Callable[[], dt.datetime] | None = None) -> FastAPI:
    """``hub_http``: the HTTP client for the hub; ``toewijzing_http``: for the toewijzing service (tests pass
    TestClients; default: DECLARATIE_TOEWIJZING_URL with DECLARATIE_TOEWIJZING_TOKEN); ``clock``: now."""
    settings = settings or DeclaratieSettings()
    toewijzing = toewijzing_http or bearer_client(settings.toewijzing_url, settings.toewijzing_token, timeout=30)

    def traffic(app: FastAPI) -> HubTraffic:
        app.state.toewijzing_http = toewijzing
        return hub.traffic(app, hub_http=hub_http)

    return service_app(title="Declaratie (gemeente)", version="0.1.0", settings=settings, migrate=migrate,
                       router=router, traffic=traffic, log=log, clock=clock,
                       description="Declaraties (WMO323) getoetst aan toewijzingen, leveringen, contracten en eerdere "
                                   "declaraties, beantwoord met een WMO325; wat te betalen is per aanbieder en maand. "
                                   "Zie docs/declaratie.md.")
