"""FastAPI factory of the provider stand-in (no logic here)."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable

import httpx
from fastapi import FastAPI

from infra.app import service_app
from services.aanbieder import hub
from services.aanbieder.api import router
from services.aanbieder.db import migrate
from services.aanbieder.settings import AanbiederSettings

log = logging.getLogger("aanbieder")


def create_app(settings: AanbiederSettings | None = None, *, hub_http: httpx.Client | None = None,
               clock: Callable[[], dt.datetime] | None = None) -> FastAPI:
    """``hub_http``: the HTTP client for the hub (tests pass the hub app's TestClient); ``clock``: now."""
    settings = settings or AanbiederSettings()
    app = service_app(title="Aanbieder (stand-in)", version="0.1.0", settings=settings, migrate=migrate, router=router,
                 traffic=lambda app: hub.traffic(app, hub_http=hub_http), log=log, clock=clock,
                 description="Een zorgaanbieder zoals zijn software met iWmo 3.2 omgaat: ontvangt WMO301/319 en de "
                             "retourberichten, beantwoordt met WMO302/320, stuurt WMO305/307/315/317 op verzoek. "
                             "Zie docs/aanbieder.md.")
    return app
