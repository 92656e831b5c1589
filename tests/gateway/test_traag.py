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


# --- a minimum body rate (GATEWAY_BODY_MIN_RATE_BYTES_PER_SECOND): the deadline grows with what came in ---

RATE_BASIS, RATE, RATE_MAX = 0.5, 1000.0, 2.5  # 0.5 s, one second more per 1000 bytes, at most 2.5 s


@pytest.fixture
def live_rate(tmp_path: Path) -> Iterator[tuple[int, str]]:
    """(port, token of gemeente 0363) of a hub with a short body deadline that a steady client extends."""
    port = free_port()
    app = create_app(GatewaySettings(database_url=f"sqlite:///{tmp_path}/hub.db", admin_token=ADMIN,
                                     push_enabled=False, body_timeout_seconds=RATE_BASIS,
                                     body_min_rate_bytes_per_second=RATE, body_max_timeout_seconds=RATE_MAX))
    with live_server(app, port=port, http=SnelleKopDeadline) as url:
        tokens = [httpx.post(f"{url}/admin/parties", json={"rol": rol, "code": code},
                             headers={"Authorization": f"Bearer {ADMIN}"}).json()["token"]
                  for rol, code in (("gemeente", "0363"), ("aanbieder", "12345678"))]
        yield port, tokens[0]


def _stuur_gestaag(s: socket.socket, data: bytes, per_tiende: int) -> float:
    """Send ``data`` in pieces of ``per_tiende`` bytes every 0.1 s (until the hub closes); the seconds it took."""
    begin = time.monotonic()
    for i in range(0, len(data), per_tiende):
        try:
            s.sendall(data[i:i + per_tiende])
        except OSError:  # cut off
            break
        time.sleep(0.1)
    return time.monotonic() - begin


def test_a_body_sent_steadily_above_the_rate_is_served_beyond_the_base_deadline(live_rate: tuple[int, str]) -> None:
    from iwmo.samples import sample
    from iwmo.xml import to_xml

    port, token = live_rate
    xml = to_xml(sample("WMO301"))  # about 3 kB at 2 kB/s: 1.5 s, three times the base deadline
    with _verbind(port) as s:
        s.sendall(_kop(token, len(xml)))
        duur = _stuur_gestaag(s, xml, 200)
        antwoord = _lees_rest(s, b"")
    assert duur > RATE_BASIS * 2
    assert antwoord.startswith(b"HTTP/1.1 202"), antwoord[:300]


def test_a_body_trickled_below_the_rate_is_cut_off_with_408(live_rate: tuple[int, str]) -> None:
    port, token = live_rate
    with _verbind(port) as s:
        begin = time.monotonic()
        s.sendall(_kop(token))
        antwoord = _lees_rest(s, _druppel_tot_antwoord(s, begin + RATE_MAX + 5))  # 10 bytes a second
        duur = time.monotonic() - begin
    assert antwoord.startswith(b"HTTP/1.1 408"), antwoord[:200]
    assert duur < RATE_BASIS + 2
    kop, _, body = antwoord.partition(b"\r\n\r\n")
    assert b"connection: close" in kop.lower()
    probleem = json.loads(body)
    assert probleem["foutcode"] == "IB408"
    assert f"1 seconde per {RATE:g} ontvangen bytes" in probleem["detail"]


def test_a_steady_body_is_cut_off_at_the_maximum(live_rate: tuple[int, str]) -> None:
    port, token = live_rate
    with _verbind(port) as s:
        s.sendall(_kop(token, 20_000))  # 20 kB at 2 kB/s would take 10 s: cut off at 2.5
        duur = _stuur_gestaag(s, b"<" * 20_000, 200)
        antwoord = _lees_rest(s, b"")
    assert antwoord.startswith(b"HTTP/1.1 408"), antwoord[:200]
    assert RATE_MAX - 0.3 < duur < RATE_MAX + 2
