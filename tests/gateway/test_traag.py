"""Slow clients at a live hub (uvicorn on a free port, the hub's own protocol): a body trickled in is cut
off with 408 (IB408) after GATEWAY_BODY_TIMEOUT_SECONDS, headers trickled in after
GATEWAY_HEADER_TIMEOUT_SECONDS, and many trickling connections do not keep the hub from answering."""

from __future__ import annotations

import json
import socket
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from gateway.app import create_app
from gateway.serving import KopDeadlineProtocol
from gateway.settings import GatewaySettings
from tests.live import free_port, live_server

ADMIN = "traag-admin"
BODY_SECONDEN = 1.5
KOP_SECONDEN = 1.5


class SnelleKopDeadline(KopDeadlineProtocol):
    seconden = KOP_SECONDEN


@pytest.fixture
def live(tmp_path: Path) -> Iterator[tuple[int, str]]:
    """(port, token of gemeente 0363) of a hub served as ``iwmo gateway serve`` serves it, short deadlines."""
    port = free_port()
    app = create_app(GatewaySettings(database_url=f"sqlite:///{tmp_path}/hub.db", admin_token=ADMIN,
                                     push_enabled=False, body_timeout_seconds=BODY_SECONDEN))
    with live_server(app, port=port, http=SnelleKopDeadline, backlog=512) as url:
        r = httpx.post(f"{url}/admin/parties", json={"rol": "gemeente", "code": "0363"},
                       headers={"Authorization": f"Bearer {ADMIN}"})
        yield port, r.json()["token"]


def _verbind(port: int) -> socket.socket:
    return socket.create_connection(("127.0.0.1", port), timeout=10)


def _kop(token: str, lengte: int = 5000) -> bytes:
    return (f"POST /berichten HTTP/1.1\r\nHost: hub\r\nAuthorization: Bearer {token}\r\n"
            f"Content-Type: application/xml\r\nContent-Length: {lengte}\r\n\r\n").encode()


def _druppel_tot_antwoord(s: socket.socket, tot: float) -> bytes:
    """Send one byte every 0.1 s until the server answers or closes; what it answered."""
    s.settimeout(0.1)
    ontvangen = b""
    while time.monotonic() < tot:
        try:
            s.sendall(b"<")
        except OSError:  # closed by the hub
            break
        try:
            deel = s.recv(65536)
        except TimeoutError:
            continue
        except OSError:
            break
        if not deel:
            break
        ontvangen += deel
    return ontvangen


def _lees_rest(s: socket.socket, ontvangen: bytes) -> bytes:
    s.settimeout(2)
    try:
        while deel := s.recv(65536):
            ontvangen += deel
    except OSError:
        pass
    return ontvangen


def test_a_body_trickled_in_is_cut_off_with_408(live: tuple[int, str]) -> None:
    port, token = live
    with _verbind(port) as s:
        begin = time.monotonic()
        s.sendall(_kop(token))
        antwoord = _druppel_tot_antwoord(s, begin + BODY_SECONDEN + 5)
        duur = time.monotonic() - begin
        antwoord = _lees_rest(s, antwoord)
    assert antwoord.startswith(b"HTTP/1.1 408"), antwoord[:200]
    assert BODY_SECONDEN - 0.2 < duur < BODY_SECONDEN + 2
    kop, _, body = antwoord.partition(b"\r\n\r\n")
    assert b"connection: close" in kop.lower()
    probleem = json.loads(body)
    assert probleem["foutcode"] == "IB408" and probleem["status"] == 408
    assert probleem["type"] == "urn:iwmo-suite:fout:hub"


def test_headers_trickled_in_are_cut_off(live: tuple[int, str]) -> None:
    port, _token = live
    with _verbind(port) as s:
        begin = time.monotonic()
        s.sendall(b"POST /berichten HTTP/1.1\r\nX-Traag: ")
        antwoord = _lees_rest(s, _druppel_tot_antwoord(s, begin + KOP_SECONDEN + 5))
        duur = time.monotonic() - begin
    assert antwoord.startswith(b"HTTP/1.1 408"), antwoord[:200]
    assert json.loads(antwoord.partition(b"\r\n\r\n")[2])["foutcode"] == "IB408"
    assert duur < KOP_SECONDEN + 2


def test_a_connection_that_sends_nothing_is_closed(live: tuple[int, str]) -> None:
    port, _token = live
    with _verbind(port) as s:
        begin = time.monotonic()
        s.settimeout(KOP_SECONDEN + 3)
        antwoord = s.recv(65536)
        duur = time.monotonic() - begin
    assert antwoord.startswith(b"HTTP/1.1 408") and duur < KOP_SECONDEN + 2


def test_a_kept_alive_connection_serves_requests_beyond_the_header_deadline(live: tuple[int, str]) -> None:
    port, _token = live
    with httpx.Client(base_url=f"http://127.0.0.1:{port}") as c:
        for _ in range(4):  # each request well within the deadline, together beyond it
            assert c.get("/health").status_code == 200
            time.sleep(KOP_SECONDEN / 2)


def test_the_hub_answers_while_many_connections_trickle(live: tuple[int, str]) -> None:
    port, token = live
    traag = [_verbind(port) for _ in range(50)]
    try:
        for s in traag:
            s.sendall(_kop(token))
        for _ in range(5):
            for s in traag:
                s.sendall(b"<")
            begin = time.monotonic()
            assert httpx.get(f"http://127.0.0.1:{port}/health", timeout=5).status_code == 200
            assert time.monotonic() - begin < 1
            time.sleep(0.2)
        time.sleep(BODY_SECONDEN + 1)  # every one of them cut off by now
        for s in traag:
            assert _lees_rest(s, b"").startswith(b"HTTP/1.1 408")
    finally:
        for s in traag:
            s.close()
