"""FastAPI factory of the plan service (no logic here)."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from typing import Any

import httpx
from fastapi import FastAPI

from infra.app import service_app
from infra.auth import bearer_client
from services.plan.api import router
from services.plan.db import migrate
from services.plan.domain.normenkader import NormenkaderVersie
from services.plan.domain.plannen import publiceer_bij_start
from services.plan.settings import PlanSettings

log = logging.getLogger("plan")


def _met_normenkaderschema(app: FastAPI) -> None:
    """Describe the normenkader document (the body of POST /normenkaders, read as YAML or JSON) in the OpenAPI
    document, its parts prefixed ``Normenkader`` so that they never collide with the API's own models."""
    eigen = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema:
            return app.openapi_schema
        schema = eigen()
        document = NormenkaderVersie.model_json_schema(ref_template="#/components/schemas/Normenkader{model}")
        onderdelen = schema.setdefault("components", {}).setdefault("schemas", {})
        for naam, deel in document.pop("$defs", {}).items():
            onderdelen[f"Normenkader{naam}"] = deel
        onderdelen["NormenkaderNormenkaderVersie"] = document
        return schema

    app.openapi = openapi  # type: ignore[method-assign]


def create_app(settings: PlanSettings | None = None, *, toewijzing_http: httpx.Client | None = None,
               clock: Callable[[], dt.datetime] | None = None) -> FastAPI:
    """``toewijzing_http``: the HTTP client for the toewijzing service (tests pass its app's TestClient;
    default: PLAN_TOEWIJZING_URL with PLAN_TOEWIJZING_TOKEN); ``clock``: now."""
    settings = settings or PlanSettings()
    app = service_app(title="Plan (gemeente)", version="0.1.0", settings=settings, migrate=migrate, router=router,
                      traffic=None, log=log, clock=clock,
                      description="Normenkaders (normtijden per activiteit, met onderbouwing), ondersteuningsplannen "
                                  "(activiteit x frequentie -> tijd per week en per jaar), besluiten die ze "
                                  "vaststellen, bezwaar, en de poort voor resultaat-toewijzingen. Zie docs/plan.md.")
    with app.state.session_factory() as session:  # after the migration: PLAN_NORMENKADERS
        publiceer_bij_start(session, gemeente=settings.gemeente, paden=settings.normenkaders)
        session.commit()
    app.state.toewijzing_http = toewijzing_http or bearer_client(settings.toewijzing_url, settings.toewijzing_token)
    _met_normenkaderschema(app)
    return app
