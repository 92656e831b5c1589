"""What every service's FastAPI app shares: the background poller and the mapping of domain errors."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Callable
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from services.common.errors import DomeinFout


async def _poll(app: FastAPI, seconds: float, rondje: Callable[[FastAPI], Any], log: logging.Logger) -> None:
    """Collect and send in the background; a failing round is logged and retried the next time."""
    while True:
        try:
            await asyncio.to_thread(rondje, app)
        except Exception as exc:  # noqa: BLE001 - the loop must outlive any failing round (hub down, ...)
            log.warning("synchronisatie met de hub mislukt", extra={"fout": type(exc).__name__})
        await asyncio.sleep(seconds)


def poller(seconds: float, rondje: Callable[[FastAPI], Any], log: logging.Logger) -> Any:
    """A lifespan that runs ``rondje(app)`` every ``seconds`` (0: never) while the app runs."""

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        task = asyncio.create_task(_poll(app, seconds, rondje, log)) if seconds > 0 else None
        yield
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    return lifespan


def map_domeinfouten(app: FastAPI) -> None:
    @app.exception_handler(DomeinFout)
    async def _domein_fout(_request: Request, exc: DomeinFout) -> JSONResponse:
        return JSONResponse({"fout": exc.melding, "veld": exc.veld}, status_code=exc.status)
