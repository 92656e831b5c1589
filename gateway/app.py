"""FastAPI factory of the hub (no logic here)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from gateway.api import admin, router
from gateway.dashboard_api import router as dashboard_router
from gateway.db import lookup_factory, make_engine, migrate, session_factory
from gateway.errors import INVALID_INPUT
from gateway.observability import Metrics
from gateway.parties import TokenCache
from gateway.push import PushWorker
from gateway.settings import GatewaySettings
from infra.apidocs import offline_app
from infra.logs import configure_logging
from infra.problem import install_problem_handlers, problem_openapi
from iwmo.schemas import warm


def create_app(settings: GatewaySettings | None = None) -> FastAPI:
    settings = settings or GatewaySettings()
    configure_logging(settings.log_level)
    warm()  # every XSD compiled before a thread validates (iwmo.schemas says why)
    if settings.migrate_on_start:
        migrate(settings.database_url)
    engine = make_engine(settings.database_url)
    factory = session_factory(engine)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        worker = PushWorker(factory, settings) if settings.push_enabled else None
        app.state.push_worker = worker
        if worker:
            worker.start()
        yield
        if worker:
            worker.stop()

    app = offline_app(
        lifespan=lifespan,
        title="iWmo hub (GGK/VECOZO-simulatie)",
        version="0.1.0",
        description="Neemt iWmo 3.2-berichten aan van gemeenten en aanbieders, controleert ze zoals de echte hub "
                    "en bewaart ze tot de ontvanger ze ophaalt. Zie docs/gateway.md.",
    )
    app.state.settings = settings
    app.state.engine = engine
    app.state.session_factory = factory
    app.state.lookup_factory = lookup_factory(engine)
    app.state.tokens = TokenCache(settings.auth_cache_seconds)
    app.state.metrics = Metrics()
    app.state.push_worker = None  # set by the lifespan when this process pushes

    # the hub's refusals and everything else in the suite's one shape; input that does not fit is IB018
    install_problem_handlers(app, invoer={"foutcode": INVALID_INPUT})
    app.include_router(router)
    app.include_router(admin)
    app.include_router(dashboard_router)
    problem_openapi(app)
    return app
