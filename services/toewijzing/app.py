"""FastAPI factory of the toewijzing service (no logic here)."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable

import httpx
from fastapi import FastAPI

from infra.app import service_app
from infra.auth import bearer_client
from services.toewijzing import hub
from services.toewijzing.api import router
from services.toewijzing.db import migrate
from services.toewijzing.domain.plancheck import PlanCheck, http_plan_check
from services.toewijzing.settings import ToewijzingSettings

log = logging.getLogger("toewijzing")


def create_app(settings: ToewijzingSettings | None = None, *, hub_http: httpx.Client | None = None,
               clock: Callable[[], dt.datetime] | None = None, plan_check: PlanCheck | None = None) -> FastAPI:
    """``hub_http``: the HTTP client for the hub (tests pass the hub app's TestClient); ``clock``: now;
    ``plan_check``: the support-plan checker (default: over HTTP when TOEWIJZING_PLAN_CHECK_URL is set)."""
    settings = settings or ToewijzingSettings()
    app = service_app(title="Toewijzing (gemeente)", version="0.2.0", settings=settings, migrate=migrate, router=router,
                      traffic=lambda app: hub.traffic(app, hub_http=hub_http), log=log, clock=clock,
                      description="Beschikkingen in uren of als resultaat, toewijzingen (WMO301), verzoeken van "
                                  "aanbieders (WMO315/317) met werkvoorraad, en start/stop (WMO305/307). "
                                  "Zie docs/toewijzing.md.")
    if plan_check is None and settings.plan_check_url:
        http = bearer_client(settings.plan_check_url, settings.plan_check_token)  # this service's token there
        assert http is not None  # the URL is set
        plan_check = http_plan_check(http, settings.plan_check_url, settings.gemeente)
    app.state.plan_check = plan_check
    return app
