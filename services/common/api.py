"""What every service's routers share: the database session per request, the clock, reading a pushed message."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from typing import Annotated

from fastapi import Depends, HTTPException, Request
from sqlalchemy.orm import Session

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


def controleer_push(request: Request, body: bytes, geheimen: Mapping[str, str]) -> str:
    """A push must carry the hub's signature made with one of this receiver's push secrets (see iwmo.hub);
    returns the name of the party whose secret it matched. Without any configured secret the service takes
    no pushes at all: anyone who can reach it could otherwise inject messages. Checked before the body is
    read as XML, with one answer for every mismatch."""
    if not any(geheimen.values()):
        raise HTTPException(403, "deze dienst neemt geen push aan: er is geen push-geheim ingesteld "
                                 "(de berichten worden opgehaald)")
    bericht_id, gegeven = request.headers.get("X-Iwmo-Bericht-Id"), request.headers.get(HANDTEKENING)
    for partij, geheim in geheimen.items():
        if handtekening_klopt(geheim, bericht_id, body, gegeven):
            return partij
    raise HTTPException(401, "handtekening van de hub ontbreekt of klopt niet")


async def lees_bericht(request: Request) -> tuple[bytes, int | None]:
    """The body of a push from the hub (refused above 25 MB while it streams in) and the hub's id for it."""
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_BERICHT:
            raise HTTPException(413, "bericht groter dan 25 MB")
    hub_id = request.headers.get("X-Iwmo-Bericht-Id")
    return bytes(body), int(hub_id) if hub_id and hub_id.isdigit() else None
