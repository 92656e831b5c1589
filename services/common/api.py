"""What every service's routers share: the database session per request, the clock, reading a pushed message."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Coroutine, Iterator, Mapping
from typing import Annotated, Any

from fastapi import Depends, HTTPException, Request, Response
from fastapi.routing import APIRoute
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from iwmo.hub import HANDTEKENING, handtekening_klopt

#: the largest message a service takes from the hub (the hub's own limit)
MAX_BERICHT = 25 * 1024 * 1024


def get_session(request: Request) -> Iterator[Session]:
    with request.app.state.session_factory() as session:
        yield session


SessionDep = Annotated[Session, Depends(get_session)]


def nu(request: Request) -> dt.datetime:
    """Now, by the app's clock (tests set it)."""
    return request.app.state.clock()  # type: ignore[no-any-return]


def weiger_zonder_geheim(geheimen: Mapping[str, str]) -> None:
    """403 at once (before the body is read) when this service takes no pushes at all."""
    if not any(geheimen.values()):
        raise HTTPException(403, "deze dienst neemt geen push aan: er is geen push-geheim ingesteld "
                                 "(de berichten worden opgehaald)")


def controleer_push(request: Request, body: bytes, geheimen: Mapping[str, str]) -> str:
    """A push must carry the hub's signature made with one of this receiver's push secrets (see iwmo.hub);
    returns the name of the party whose secret it matched. Without any configured secret the service takes
    no pushes at all: anyone who can reach it could otherwise inject messages. Checked before the body is
    read as XML, with one answer for every mismatch."""
    weiger_zonder_geheim(geheimen)
    bericht_id, gegeven = request.headers.get("X-Iwmo-Bericht-Id"), request.headers.get(HANDTEKENING)
    for partij, geheim in geheimen.items():
        if handtekening_klopt(geheim, bericht_id, body, gegeven):
            return partij
    raise HTTPException(401, "handtekening van de hub ontbreekt of klopt niet")


async def lees_begrensd(request: Request, max_bytes: int, te_groot: Callable[[], Exception]) -> bytes:
    """The body, refused with ``te_groot()`` as soon as it (or its announced length) passes ``max_bytes``:
    never read whole first."""
    length = request.headers.get("content-length")
    if length and length.isdigit() and int(length) > max_bytes:
        raise te_groot()
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > max_bytes:
            raise te_groot()
    return bytes(body)


def eerst(controle: Callable[[Request], Any], max_bytes: int) -> type[APIRoute]:
    """A route class whose routes run ``controle(request)`` (e.g. who may call) before anything else, then
    read the body capped at ``max_bytes`` while it streams in (413 beyond it, Content-Length or not), and
    only then let FastAPI parse it. FastAPI itself would read and parse a body before any dependency."""

    class EerstGecontroleerd(APIRoute):
        def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
            handler = super().get_route_handler()

            async def gecontroleerd(request: Request) -> Response:
                controle(request)
                te_groot = lambda: HTTPException(413, f"verzoek groter dan {max_bytes // 1024} kB")  # noqa: E731
                request._body = await lees_begrensd(request, max_bytes, te_groot)  # what request.body() returns
                return await handler(request)

            return gecontroleerd

    return EerstGecontroleerd


async def lees_bericht(request: Request) -> tuple[bytes, int | None]:
    """The body of a push from the hub (refused above 25 MB while it streams in) and the hub's id for it."""
    body = await lees_begrensd(request, MAX_BERICHT, lambda: HTTPException(413, "bericht groter dan 25 MB"))
    hub_id = request.headers.get("X-Iwmo-Bericht-Id")
    return body, int(hub_id) if hub_id and hub_id.isdigit() else None


async def beantwoord_push(app: Any, ontvang: Callable[[], Any], verzend_nu: Callable[[Any], int]) -> dict[str, Any]:
    """Process a pushed message (``ontvang``: stores, judges and answers it, committed; ValueError for what
    is no message at all), send what that queued, and tell the hub what became of it."""
    try:
        verwerking = await run_in_threadpool(ontvang)
    except ValueError as exc:
        raise HTTPException(400, str(exc)) from None
    await run_in_threadpool(verzend_nu, app)
    return {"bericht": verwerking.bericht.bericht, "status": verwerking.bericht.status, "nieuw": verwerking.nieuw}
