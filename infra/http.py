"""What the routers of the hub and every service share: the database session and settings per request, the clock, bodies read capped while they stream in, a check before the body is read."""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from collections.abc import Callable, Coroutine, Iterator
from typing import Annotated, Any

from fastapi import Depends, HTTPException, Request, Response
from fastapi.routing import APIRoute
from sqlalchemy.orm import Session
from starlette.requests import ClientDisconnect

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
    nu: dt.datetime = request.app.state.clock()
    return nu


NowDep = Annotated[dt.datetime, Depends(now)]


#: the seconds a client has to send a whole body (a client trickling it in is cut off then)
BODY_SECONDEN = 30.0


def te_traag_http(seconden: float) -> HTTPException:
    """408 for a body that did not come in within ``seconden`` (the answer closes the connection)."""
    return HTTPException(408, f"het verzoek kwam niet binnen {seconden:g} seconden binnen",
                         headers={"Connection": "close"})


async def read_capped(request: Request, max_bytes: int, te_groot: Callable[[], Exception], *,
                      seconden: float | None = BODY_SECONDEN,
                      te_traag: Callable[[], Exception] | None = None,
                      min_rate: float = 0, max_seconden: float | None = None) -> bytes:
    """The body, refused with ``te_groot()`` as soon as it (or its announced length) passes ``max_bytes``:
    never read whole first; and with ``te_traag()`` (default a 408) when it is not in within ``seconden``
    (None: no deadline), so a client that trickles it in holds no connection for longer. A client that
    goes away mid-upload is one log line and a 400, not a traceback.

    With a ``min_rate`` (bytes per second; 0: off) the deadline grows as the body comes in, as Apache's
    mod_reqtimeout ``body=seconden-max_seconden,MinRate=min_rate`` does: one second more for every
    ``min_rate`` bytes received, never beyond ``max_seconden`` from the start (None: no cap; never less
    than ``seconden``). A large body sent steadily over a slow line gets the time it needs; a client whose
    average rate falls below ``min_rate`` once the first ``seconden`` are spent is cut off."""
    length = request.headers.get("content-length")
    if length and length.isdigit() and int(length) > max_bytes:
        raise te_groot()
    body = bytearray()
    try:
        async with asyncio.timeout(seconden) as deadline:
            begin = asyncio.get_running_loop().time()
            async for chunk in request.stream():
                body += chunk
                if len(body) > max_bytes:
                    raise te_groot()
                if min_rate > 0 and seconden is not None:
                    termijn = seconden + len(body) / min_rate
                    if max_seconden is not None:
                        termijn = min(termijn, max(max_seconden, seconden))
                    deadline.reschedule(begin + termijn)
    except TimeoutError:
        route = getattr(request.scope.get("route"), "path", None)
        log.info("upload te traag: afgebroken", extra={"path": route, "aantal": len(body)})
        raise (te_traag or (lambda: te_traag_http(seconden or 0)))() from None
    except ClientDisconnect:
        route = getattr(request.scope.get("route"), "path", None)  # the template: a path itself can name a client
        log.info("upload afgebroken door de client", extra={"path": route, "aantal": len(body)})
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
