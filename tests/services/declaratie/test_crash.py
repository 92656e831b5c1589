"""Crash safety of the declaratie service: SIGKILLed while it answers a large WMO323, restarted, and still
exactly one WMO325, agreeing with the verdict it stored.

The hub (``iwmo gateway serve``), the toewijzing service and the declaratie service run as real processes
(PostgreSQL when reachable, as tests/conftest.py decides; SQLite files otherwise, unless
IWMO_REQUIRE_POSTGRES=1). The declaratie service polls the hub itself. It reaches the toewijzing service
and the hub through small forwarding proxies in this test, so the kill lands at a known moment without a
hook in the service: the proxy holds the one request that marks the moment, the test kills the process
group with SIGKILL, then restarts the service on the same database, and it collects again by itself.

The moments (one test each, on a fresh declaratie database):

- ``midden``: the service asks the toewijzing service for the message's toewijzingen (POST
  /toewijzingen/opvragen): the WMO323 is fetched, read and validated, nothing is committed yet;
- ``voor-bevestiging``: it acknowledges the collected WMO323 at the hub (POST /mailbox/ontvangen), which the
  proxy never passes on: verdict and WMO325 are committed, the hub still offers the message;
- ``na-verzenden``: the hub has taken the WMO325 (POST /berichten) but the service never hears so: it offers
  it again after the restart (the hub answers BRS20, already there).

Then, once all is quiet (the WMO323 acknowledged, the service's outbox empty, the aanbieder's mailbox at
the hub empty): exactly one WMO325 for the WMO323 reached the aanbieder, the service stored exactly one
declaratie for it, and the WMO325's rejected prestaties, retourcodes and amount granted are those of
GET /declaraties/{id}. The WMO323 has 2,000 prestaties, some with mistakes built in.

    .venv/bin/python -m pytest tests/services/declaratie/test_crash.py -q
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import json
import os
import sys
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
import pytest
from sqlalchemy import create_engine, func, select

from iwmo.berichten.declaratie import Wmo323
from iwmo.xml import to_xml
from services.declaratie.db import migrate as migrate_declaratie
from services.declaratie.models import Bericht
from services.toewijzing.db import migrate as migrate_toewijzing
from tests.conftest import REPO, _pg_available


def _benchmark_module(naam: str) -> ModuleType:
    """benchmarks/<naam>.py as a module (``benchmarks`` is no package; the chain helpers live there)."""
    spec = importlib.util.spec_from_file_location(f"bench_{naam}", REPO / "benchmarks" / f"{naam}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


kp = _benchmark_module("declaratie_keten")  # puts benchmarks/ on sys.path (at the end) for the two below
crash_safety, loadgen = _benchmark_module("crash_safety"), _benchmark_module("loadgen")
bench_db = _benchmark_module("bench_db")
AANBIEDER, GEMEENTE = kp.AANBIEDER, kp.GEMEENTE
API_TOKEN, TW_TOKEN = "crash-api-token-0123456789", "crash-declaratie-token-0123456789"
PRESTATIES_PER_CLIENT = len(kp.PRODUCTEN)
CLIENTEN = 400  # 2,000 prestaties: about a second of work for the service
WACHT = 30.0  # seconds any one condition may take before the test fails


# --- the proxy that marks the moment ---------------------------------------------------------------

@dataclass
class Val:
    """One request to hold: ``methode`` on ``pad``; ``doorgeven``: pass it on first (its answer is then
    never returned), else it is never passed on."""

    methode: str
    pad: str
    doorgeven: bool
    gevangen: threading.Event
    los: threading.Event


class Proxy:
    """Forwards every request to ``doel``; one armed :class:`Val` holds its request until released."""

    def __init__(self, doel: str) -> None:
        self.doel = doel
        self.val: Val | None = None
        self.lock = threading.Lock()
        self.http = httpx.Client(base_url=doel, timeout=120)
        outer = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def _any(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                val = outer._neem(self.command, self.path)
                if val is not None and not val.doorgeven:
                    val.gevangen.set()
                    val.los.wait(WACHT)
                    self.close_connection = True
                    return
                headers = {k: v for k, v in self.headers.items() if k.lower() not in ("host", "content-length",
                                                                                    "connection", "accept-encoding")}
                antwoord = outer.http.request(self.command, self.path, content=body, headers=headers)
                if val is not None:
                    val.gevangen.set()
                    val.los.wait(WACHT)
                    self.close_connection = True
                    return
                self.send_response(antwoord.status_code)
                for k, v in antwoord.headers.items():
                    if k.lower() not in ("content-length", "transfer-encoding", "connection", "content-encoding"):
                        self.send_header(k, v)
                self.send_header("Content-Length", str(len(antwoord.content)))
                self.end_headers()
                try:
                    self.wfile.write(antwoord.content)
                except (BrokenPipeError, ConnectionResetError):  # the service was killed meanwhile
                    self.close_connection = True

            do_GET = do_POST = do_PUT = do_DELETE = _any  # noqa: N815

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_port}"

    def zet(self, methode: str, pad: str, *, doorgeven: bool) -> Val:
        with self.lock:
            self.val = Val(methode, pad, doorgeven, threading.Event(), threading.Event())
            return self.val

    def _neem(self, methode: str, pad: str) -> Val | None:
        """The armed trap when this request springs it (once)."""
        with self.lock:
            val = self.val
            if val is not None and val.methode == methode and pad.split("?")[0] == val.pad:
                self.val = None
                return val
            return None

    def close(self) -> None:
        self.server.shutdown()
        self.http.close()


# --- the chain ---------------------------------------------------------------------------------

def _urls(request: pytest.FixtureRequest, tmp_path: Path) -> Callable[[str], str]:
    """A fresh database URL per name: PostgreSQL when reachable, else a SQLite file."""
    if _pg_available():
        pg = request.getfixturevalue("pg_databases")
        return lambda naam: str(pg(f"{naam}_{uuid.uuid4().hex[:6]}"))
    if os.environ.get("IWMO_REQUIRE_POSTGRES") == "1":
        pytest.fail("PostgreSQL is required (IWMO_REQUIRE_POSTGRES=1) but not reachable")
    return lambda naam: f"sqlite:///{tmp_path}/{naam}_{uuid.uuid4().hex[:6]}.db"


@dataclass
class Toewijzingen:
    """The toewijzing service (for the whole module) and a fresh database URL per name."""

    proxy: Proxy
    nummers: dict[str, list[int]]
    database: Callable[[str], str]


@dataclass
class Keten:
    """A hub of its own per test (a fresh declaratie database numbers its WMO325s from 1 again, and the hub
    keeps every Identificatie it took), the aanbieder's inbox, and the declaratie services started."""

    gateway: Any
    hub_proxy: Proxy
    inbox: Any
    tokens: dict[str, str]
    toewijzingen: Toewijzingen
    diensten: list[Any]

    def declaratie(self, database: str) -> Any:
        """A declaratie service on ``database`` (started), polling the hub through the proxy."""
        dienst = kp.Service("services.declaratie.app:create_app", {
            **os.environ, "DECLARATIE_DATABASE_URL": database, "DECLARATIE_GEMEENTE": GEMEENTE,
            "DECLARATIE_POLL_SECONDS": "0.2", "DECLARATIE_HUB_URL": self.hub_proxy.url,
            "DECLARATIE_HUB_TOKEN": self.tokens[GEMEENTE], "DECLARATIE_LOG_LEVEL": "WARNING",
            "DECLARATIE_TOEWIJZING_URL": self.toewijzingen.proxy.url, "DECLARATIE_TOEWIJZING_TOKEN": TW_TOKEN,
            "DECLARATIE_API_TOKENS": json.dumps({"test": API_TOKEN})})
        self.diensten.append(dienst)
        dienst.start()
        return dienst

    def mailbox(self, partij: str, **params: Any) -> list[dict[str, Any]]:
        r = httpx.get(f"http://127.0.0.1:{self.gateway.port}/mailbox", params=params,
                      headers={"Authorization": f"Bearer {self.tokens[partij]}"}, timeout=30)
        r.raise_for_status()
        return list(r.json())


@pytest.fixture(scope="module")
def toewijzingen(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Toewijzingen]:
    """The toewijzing service with CLIENTEN clients of five toewijzingen each, bulk-inserted."""
    database = _urls(request, tmp_path_factory.mktemp("crash"))
    vandaag = dt.date.today()
    url = database("toewijzing")
    migrate_toewijzing(url)
    nummers = kp.vul_toewijzingen(url, bench_db.test_bsns(40_000_000, CLIENTEN), ingang=kp.maand_terug(vandaag, 6),
                                  eind=dt.date(vandaag.year + 1, 12, 31), vandaag=vandaag)
    # its hub is never used here (no poller, nothing sent): the declaratie service only reads from it
    dienst = kp.Service("services.toewijzing.app:create_app", {
        **os.environ, "TOEWIJZING_DATABASE_URL": url, "TOEWIJZING_GEMEENTE": GEMEENTE, "TOEWIJZING_POLL_SECONDS": "0",
        "TOEWIJZING_HUB_URL": "http://127.0.0.1:9", "TOEWIJZING_HUB_TOKEN": "-", "TOEWIJZING_LOG_LEVEL": "WARNING",
        "TOEWIJZING_API_TOKENS": json.dumps({"declaratie": TW_TOKEN})})
    try:
        dienst.start()
        proxy = Proxy(dienst.url)
        yield Toewijzingen(proxy, nummers, database)
        proxy.close()
    finally:
        dienst.stop()


@pytest.fixture
def keten(toewijzingen: Toewijzingen) -> Iterator[Keten]:
    inbox = kp.Inbox()
    receiver = loadgen.Receiver(inbox)
    env = {**os.environ, "GATEWAY_DATABASE_URL": toewijzingen.database("hub"), "GATEWAY_PUSH_POLL_SECONDS": "0.05",
           "GATEWAY_PUSH_BACKOFF_SECONDS": "0.1", "GATEWAY_LOG_LEVEL": "WARNING"}
    tokens = {GEMEENTE: crash_safety.add_party(env, "--gemeente", GEMEENTE),
              AANBIEDER: crash_safety.add_party(env, "--aanbieder", AANBIEDER, "--endpoint", receiver.url)}
    gateway = crash_safety.Gateway(env, crash_safety.free_port())
    gateway.start()
    hub_proxy = Proxy(f"http://127.0.0.1:{gateway.port}")
    keten = Keten(gateway, hub_proxy, inbox, tokens, toewijzingen, [])
    try:
        yield keten
    finally:
        for dienst in keten.diensten:
            dienst.stop()
        gateway.stop()
        hub_proxy.close()


# --- the test ----------------------------------------------------------------------------------

def wacht_op(conditie: Callable[[], bool], wat: str, seconden: float = WACHT) -> None:
    deadline = time.monotonic() + seconden
    while time.monotonic() < deadline:
        if conditie():
            return
        time.sleep(0.05)
    raise AssertionError(f"niet binnen {seconden:.0f} s: {wat}")


def met_fouten(bericht: Wmo323) -> tuple[Wmo323, dict[str, list[str]]]:
    """Build mistakes into every 50th prestatie (a wrong tariff, a toewijzing that is not there, too much
    volume); returns the message with its total set right, and the codes the mistakes must get."""
    verwacht: dict[str, list[str]] = {}
    prestaties = [p for c in bericht.declaratie.clienten for p in c.prestaties]
    for i, p in enumerate(prestaties[::50]):
        ref = p.product_referentie.referentie_nummer
        soort = i % 3
        if soort == 0:
            p.product_tarief = (p.product_tarief or 0) + 1
            verwacht[ref] = ["0611"]
        elif soort == 1:
            p.toewijzing_nummer = 999_999
            verwacht[ref] = ["9338"]
        elif p.product_categorie == "01" and p.eenheid == "04":
            p.geleverd_volume = 100  # 3 hours a week allows 18 a month
            verwacht[ref] = ["9321"]
        if p.product_tarief is not None:
            p.ingediend_bedrag.bedrag = p.geleverd_volume * p.product_tarief
    bericht.declaratie.totaal_ingediend_bedrag.totaal_bedrag = sum(p.ingediend_bedrag.bedrag for p in prestaties)
    return bericht, verwacht


def _stuur(keten: Keten) -> tuple[str, int, dict[str, list[str]]]:
    """The aanbieder sends a WMO323 of every prestatie through the hub; its Identificatie, the number of
    prestaties and the codes the built-in mistakes must get."""
    vandaag = dt.date.today()
    ident = f"C{uuid.uuid4().hex[:11].upper()}"
    bericht, verwacht = met_fouten(kp.wmo323(keten.toewijzingen.nummers, maand=kp.maand_terug(vandaag, 1),
                                             declaratienummer=ident, ident=ident, dagtekening=vandaag,
                                             referentie_prefix=ident[1:9]))
    r = httpx.post(f"http://127.0.0.1:{keten.gateway.port}/berichten", content=to_xml(bericht), timeout=60,
                   headers={"Authorization": f"Bearer {keten.tokens[AANBIEDER]}", "Content-Type": "application/xml"})
    assert r.status_code == 202, r.text
    return ident, CLIENTEN * PRESTATIES_PER_CLIENT, verwacht


def _in_wachtrij(database: str) -> int:
    engine = create_engine(database)
    try:
        with engine.connect() as conn:
            return int(conn.scalar(select(func.count()).select_from(Bericht).where(
                Bericht.richting == "uit", Bericht.status == "te-verzenden")) or 0)
    finally:
        engine.dispose()


MOMENTEN = {  # name -> (which proxy, method, path, pass it on before the kill)
    "midden": ("toewijzing", "POST", "/toewijzingen/opvragen", False),
    "voor-bevestiging": ("hub", "POST", "/mailbox/ontvangen", False),
    "na-verzenden": ("hub", "POST", "/berichten", True),
}


@pytest.mark.parametrize("moment", list(MOMENTEN))
def test_one_wmo325_agreeing_with_the_stored_verdict_despite_sigkill(keten: Keten, moment: str) -> None:
    database = keten.toewijzingen.database("declaratie")
    migrate_declaratie(database)
    welke, methode, pad, doorgeven = MOMENTEN[moment]
    proxy = keten.toewijzingen.proxy if welke == "toewijzing" else keten.hub_proxy
    val = proxy.zet(methode, pad, doorgeven=doorgeven)
    dienst = keten.declaratie(database)
    ident, aantal, verwacht = _stuur(keten)

    assert val.gevangen.wait(WACHT), f"the declaratie service never reached {methode} {pad}"
    dienst.kill()
    val.los.set()
    dienst.start()

    wacht_op(lambda: not keten.mailbox(GEMEENTE, bericht="WMO323"), "the WMO323 acknowledged at the hub")
    wacht_op(lambda: _in_wachtrij(database) == 0, "the WMO325 sent (the service's outbox empty)")
    wacht_op(lambda: not keten.mailbox(AANBIEDER), "everything pushed to the aanbieder")
    antwoorden = [xml for xml in keten.inbox.wmo325 if f"<iwmo:Identificatie>{ident}<".encode() in xml]
    identificaties = {xml.split(b"<iwmo:Identificatie>", 1)[1].split(b"<", 1)[0] for xml in antwoorden}
    assert len(identificaties) == 1, f"{len(identificaties)} WMO325s for the WMO323 ({len(antwoorden)} pushes)"
    antwoord = kp.lees_wmo325(antwoorden[0])

    api = httpx.Client(base_url=dienst.url, headers={"Authorization": f"Bearer {API_TOKEN}"}, timeout=30)
    declaraties = [d for d in api.get("/declaraties").json() if d["declaratienummer"] == ident]
    assert len(declaraties) == 1, declaraties
    detail = api.get(f"/declaraties/{declaraties[0]['id']}").json()
    api.close()
    opgeslagen = {p["referentienummer"]: p["retourcodes"] for p in detail["prestatieregels"] if not p["toegekend"]}
    assert len(detail["prestatieregels"]) == aantal
    assert antwoord.afgewezen == opgeslagen == verwacht
    assert antwoord.toegekend == detail["toegekend"] == declaraties[0]["toegekend"]
    assert antwoord.codes == detail["retourcodes"] and detail["status"] == "deels"
