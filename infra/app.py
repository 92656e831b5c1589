"""What every service's FastAPI app shares: the scaffold (database, clock, hub traffic and its poller,
error answers in one shape (infra.problem), logging, API docs that work offline)."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
import traceback
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

from fastapi import APIRouter, FastAPI, Request, Response
from sqlalchemy.exc import IntegrityError

from infra.apidocs import offline_app
from infra.db import make_engine, session_factory
from infra.logs import configure_logging
from infra.problem import install_problem_handlers, problem, problem_openapi, problem_responses
from infra.traffic import HubTraffic
from iwmo.schemas import warm


async def _poll(app: FastAPI, seconds: float, log: logging.Logger) -> None:
    """Collect and send in the background; a failing round is logged and retried the next time."""
    while True:
        try:
            await asyncio.to_thread(app.state.traffic.synchronise)
        except Exception as exc:  # noqa: BLE001 - the loop must outlive any failing round (hub down, ...)
            log.warning("synchronisatie met de hub mislukt", extra={"fout": type(exc).__name__})
        await asyncio.sleep(seconds)


def poller(seconds: float, log: logging.Logger) -> Any:
    """A lifespan that synchronises the app's hub traffic every ``seconds`` (0: never) while the app runs."""

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        task = asyncio.create_task(_poll(app, seconds, log)) if seconds > 0 else None
        yield
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    return lifespan


def log_without_content(app: FastAPI, log: logging.Logger) -> None:
    """An unexpected error answers 500 and is logged by its type and place only: its message or a
    traceback could quote a BSN or a name. A change that collides with a concurrent one (a unique
    constraint) answers 409: try again."""

    @app.middleware("http")
    async def _vang(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        try:
            return await call_next(request)
        except IntegrityError:
            return problem(409, "Gelijktijdige wijziging; probeer het opnieuw.")
        except Exception as exc:  # noqa: BLE001 - logged without its message, answered without details
            plek = traceback.extract_tb(exc.__traceback__)[-1] if exc.__traceback__ else None
            waar = f" in {plek.filename}:{plek.lineno}" if plek else ""
            log.error("onverwachte fout: %s%s", type(exc).__name__, waar)  # type and place only
            return problem(500, "Er ging iets mis in de dienst; de fout is vastgelegd (zonder inhoud).")


def service_app(*, title: str, version: str, description: str, settings: Any, migrate: Callable[[str], None],
                router: APIRouter, traffic: Callable[[FastAPI], HubTraffic] | None,
                log: logging.Logger, clock: Callable[[], dt.datetime] | None = None) -> FastAPI:
    """A service's app: logging set up, its database migrated (unless ``settings.migrate_on_start`` is
    off), an engine and sessions, the clock, its hub traffic (``traffic(app)``, made last) with
    the background poller (``settings.poll_seconds``), every error answered in the one shape (infra.problem). A service that
    exchanges no messages with the hub passes ``traffic=None``: no traffic, no poller."""
    configure_logging(settings.log_level)
    warm()  # every XSD compiled before a thread validates (iwmo.schemas says why)
    if settings.migrate_on_start:
        migrate(settings.database_url)
    seconds = settings.poll_seconds if traffic is not None else 0
    app = offline_app(title=title, version=version, description=description, lifespan=poller(seconds, log))
    app.state.settings = settings
    app.state.engine = make_engine(settings.database_url)
    app.state.session_factory = session_factory(app.state.engine)
    app.state.clock = clock or (lambda: dt.datetime.now().astimezone())
    app.state.traffic = traffic(app) if traffic is not None else None
    install_problem_handlers(app)
    log_without_content(app, log)
    app.include_router(router, responses=problem_responses(404, 422))
    problem_openapi(app)
    return app
