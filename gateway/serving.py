"""How the hub is served: uvicorn's HTTP protocol with a deadline for a request's headers.

uvicorn bounds only the idle time between two requests (``timeout_keep_alive``); a client that sends its
headers at one byte a second keeps a connection for as long as it likes. :class:`KopDeadlineProtocol`
gives every request this many seconds (``GATEWAY_HEADER_TIMEOUT_SECONDS``, from the connection's start or
the end of the previous answer) to get its headers in; then it answers 408 and closes. The body has its
own deadline in the app (``GATEWAY_BODY_TIMEOUT_SECONDS``, gateway.api).
"""

from __future__ import annotations

import asyncio
import json
import os
from typing import Any

from uvicorn.protocols.http.auto import AutoHTTPProtocol

#: the protocol for ``uvicorn.run(http=...)``, importable by name for worker processes
PROTOCOL = "gateway.serving:KopDeadlineProtocol"
ENV = "GATEWAY_HEADER_TIMEOUT_SECONDS"
STANDAARD_SECONDEN = 10.0

_BODY = json.dumps({"type": "urn:iwmo-suite:fout:hub", "title": "Geweigerd door de hub", "status": 408,
                    "detail": "De headers van het verzoek kwamen niet op tijd binnen.", "fouten": [],
                    "foutcode": "IB408", "omschrijving": "De headers van het verzoek kwamen niet op tijd binnen.",
                    "details": []}).encode()
ANTWOORD_408 = (b"HTTP/1.1 408 Request Timeout\r\ncontent-type: application/problem+json\r\nconnection: close\r\n"
                b"content-length: " + str(len(_BODY)).encode() + b"\r\n\r\n" + _BODY)


def kop_seconden() -> float:
    """The headers' deadline in seconds (the environment, as the worker processes see it)."""
    return float(os.environ.get(ENV, STANDAARD_SECONDEN))


class KopDeadlineProtocol(AutoHTTPProtocol):  # type: ignore[misc,valid-type]  # httptools or h11, whichever is there
    """uvicorn's protocol plus a deadline for the headers of each request on the connection."""

    #: seconds; None: :func:`kop_seconden`
    seconden: float | None = None

    def connection_made(self, transport: Any) -> None:
        super().connection_made(transport)
        self._kop_timer: asyncio.TimerHandle | None = None
        self._start_kop_timer()

    def on_response_complete(self) -> None:
        super().on_response_complete()
        self._start_kop_timer()

    def connection_lost(self, exc: Exception | None) -> None:
        if self._kop_timer is not None:
            self._kop_timer.cancel()
        super().connection_lost(exc)

    def _start_kop_timer(self) -> None:
        if self._kop_timer is not None:
            self._kop_timer.cancel()
        seconden = self.seconden if self.seconden is not None else kop_seconden()
        self._kop_timer = asyncio.get_running_loop().call_later(seconden, self._kop_te_laat)

    def _kop_te_laat(self) -> None:
        self._kop_timer = None
        if self.transport.is_closing() or (self.cycle is not None and not self.cycle.response_complete):
            return  # a request whose headers came in is running: its body has the app's deadline
        self.transport.write(ANTWOORD_408)
        self.transport.close()
