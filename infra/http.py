"""What every service's routers share: the database session per request, the clock, reading a pushed message."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Coroutine, Iterator, Mapping
from typing import Annotated, Any

from fastapi import Depends, HTTPException, Request, Response
from fastapi.routing import APIRoute
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool
from starlette.requests import ClientDisconnect

from iwmo.hub import HANDTEKENING, handtekening_klopt

log = logging.getLogger("infra.http")

#: the largest message a service takes from the hub (the hub's own limit)
MAX_BERICHT = 25 * 1024 * 1024


def get_session(request: Request) -> Iterator[Session]:
    with request.app.state.session_factory() as session:
        yield session


SessionDep = Annotated[Session, Depends(get_session)]


async def get_settings(request: Request) -> Any:  # async: no thread hop for a lookup
    """The app's settings; each app types it: ``Annotated[MySettings, Depends(get_settings)]``."""
    return request.app.state.settings


def now(request: Request) -> dt.datetime:
    """Now, by the app's clock (tests set it)."""
    return request.app.state.clock()  # type: ignore[no-any-return]


NowDep = Annotated[dt.datetime, Depends(now)]


def refuse_without_secret(geheimen: Mapping[str, str]) -> None:
    """403 at once (before the body is read) when this service takes no pushes at all."""
    if not any(geheimen.values()):
        raise HTTPException(403, "deze dienst neemt geen push aan: er is geen push-geheim ingesteld "
                                 "(de berichten worden opgehaald)")


def verify_push(request: Request, body: bytes, geheimen: Mapping[str, str]) -> str:
    """A push must carry the hub's signature made with one of this receiver's push secrets (see iwmo.hub);
    returns the name of the party whose secret it matched. Without any configured secret the service takes
    no pushes at all: anyone who can reach it could otherwise inject messages. Checked before the body is
    read as XML, with one answer for every mismatch."""
    refuse_without_secret(geheimen)
    bericht_id, gegeven = request.headers.get("X-Iwmo-Bericht-Id"), request.headers.get(HANDTEKENING)
    for partij, geheim in geheimen.items():
        if handtekening_klopt(geheim, bericht_id, body, gegeven):
            return partij
    raise HTTPException(401, "handtekening van de hub ontbreekt of klopt niet")


async def read_capped(request: Request, max_bytes: int, te_groot: Callable[[], Exception]) -> bytes:
    """The body, refused with ``te_groot()`` as soon as it (or its announced length) passes ``max_bytes``:
    never read whole first. A client that goes away mid-upload is one log line and a 400, not a
    traceback."""
    length = request.headers.get("content-length")
    if length and length.isdigit() and int(length) > max_bytes:
        raise te_groot()
    body = bytearray()
    try:
        async for chunk in request.stream():
            body += chunk
            if len(body) > max_bytes:
                raise te_groot()
    except ClientDisconnect:
        log.info("upload afgebroken door de client", extra={"path": request.url.path, "aantal": len(body)})
        raise HTTPException(400, "verbinding verbroken tijdens het versturen") from None
    return bytes(body)


def checked_first(controle: Callable[[Request], Any], max_bytes: int) -> type[APIRoute]:
    """A route class whose routes run ``controle(request)`` (e.g. who may call) before anything else, then
    read the body capped at ``max_bytes`` while it streams in (413 beyond it, Content-Length or not), and
    only then let FastAPI parse it. FastAPI itself would read and parse a body before any dependency."""

    class CheckedFirst(APIRoute):
        def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
            handler = super().get_route_handler()

            async def gecontroleerd(request: Request) -> Response:
                controle(request)
                te_groot = lambda: HTTPException(413, f"verzoek groter dan {max_bytes // 1024} kB")  # noqa: E731
                request._body = await read_capped(request, max_bytes, te_groot)  # what request.body() returns
                return await handler(request)

            return gecontroleerd

    return CheckedFirst


async def read_push(request: Request) -> tuple[bytes, int | None]:
    """The body of a push from the hub (refused above 25 MB while it streams in) and the hub's id for it."""
    body = await read_capped(request, MAX_BERICHT, lambda: HTTPException(413, "bericht groter dan 25 MB"))
    hub_id = request.headers.get("X-Iwmo-Bericht-Id")
    return body, int(hub_id) if hub_id and hub_id.isdigit() else None


async def answer_push(app: Any, ontvang: Callable[[], Any], verzend_nu: Callable[[Any], int]) -> dict[str, Any]:
    """Process a pushed message (``ontvang``: stores, judges and answers it, committed; ValueError for what
    is no message at all), send what that queued, and tell the hub what became of it."""
    try:
        verwerking = await run_in_threadpool(ontvang)
    except ValueError as exc:
        raise HTTPException(400, str(exc)) from None
    await run_in_threadpool(verzend_nu, app)
    return {"bericht": verwerking.bericht.bericht, "status": verwerking.bericht.status, "nieuw": verwerking.nieuw}
