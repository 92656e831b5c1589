"""The toewijzing service on PostgreSQL, run as a real process: start messages end to end, and the
client overview with many toewijzingen. Prints figures (no pass/fail on time).

    python benchmarks/toewijzing.py [--starts 1000] [--toewijzingen 100000] [--requests 500]
                                    [--only starts|overview] [--database-url-prefix URL]

Drops and recreates two throw-away databases, bench_toewijzing_hub (the hub) and bench_toewijzing_svc
(the service), and drops them again at the end unless --keep-databases. Starts ``iwmo gateway serve
--workers 2`` (as docs/deployment.md runs it: two API processes and a push process; --gateway-workers)
(gemeente 0363 collecting its mailbox by pull; aanbieder 12345678 with an endpoint in this script, so
the hub pushes to it) and ``uvicorn --factory services.toewijzing.app:create_app`` (one process, its
background poller off: TOEWIJZING_POLL_SECONDS=0), both as real processes that are stopped on exit,
Ctrl-C or error.

1. Start messages (--starts N): first, N clients (test BSNs that pass the 11-proef) each get a
   beschikking with one voorziening through POST /beschikkingen; the N WMO301s the aanbieder receives
   are set aside (not timed). Timed: the aanbieder sends N WMO305 (one StartProduct each, on the
   ToewijzingNummer of its WMO301) to the hub over --concurrency connections, while this script calls
   the service's POST /hub/ophalen in a loop (the service collects its mailbox, judges each start and
   sends the WMO306 retours). The clock runs from the first WMO305 sent until the aanbieder has been
   pushed all N WMO306. Printed: seconds, messages per second, how many WMO306 carried no RetourCode
   (accepted) and how many did (rejected; all are expected to be accepted), and the CPU the service,
   the hub and PostgreSQL spent per message.
2. Client overview (--toewijzingen N, --requests M): N toewijzingen (with client, beschikking and
   voorziening rows, over N/--per-client clients, several aanbieders) are bulk-inserted straight into
   the service's database with SQLAlchemy Core, with for every client a WMO301 out and its WMO302 in
   and, for every other client, a WMO305/WMO306 pair and a start (levering) per toewijzing; the XML
   stored is a sample message of each type. Then M GET /clienten/{bsn} for random clients, one at a
   time over one kept-alive httpx connection, each timed from request to complete answer. Printed:
   p50, p95, p99 and max in ms against the target p95 < 50 ms; then the same overview computed
   in-process (overzicht.overzicht on a session, no HTTP) for up to 100 of those clients, with the mean time of
   each SQL statement it runs, to show where the time goes.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import importlib.util
import json
import os
import random
import re
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
from lxml import etree
from sqlalchemy import create_engine, event, func, select, text
from sqlalchemy.orm import Session

sys.path.append(str(Path(__file__).resolve().parent))
from bench_db import drop_database, recreate_database, test_bsns  # noqa: E402
from crash_safety import Gateway, add_party, free_port, wait_healthy  # noqa: E402
from loadgen import Connection, Receiver  # noqa: E402

from iwmo.berichten.basis import Achternaam, BerichtIdentificatie, Geboortedatum, VerkorteNaam  # noqa: E402
from iwmo.berichten.header import Header  # noqa: E402
from iwmo.berichten.start_stop import StartClient, StartProduct, Wmo305  # noqa: E402
from iwmo.berichten.toewijzing import Wmo301  # noqa: E402
from iwmo.samples import sample  # noqa: E402
from iwmo.validation import validate  # noqa: E402
from iwmo.xml import from_xml, to_xml  # noqa: E402
from services.toewijzing import overzicht  # noqa: E402
from services.toewijzing.db import migrate  # noqa: E402
from services.toewijzing.domain.varianten import catalogus  # noqa: E402
from services.toewijzing.models import Bericht, Beschikking, Client, Levering, Toewijzing, Voorziening  # noqa: E402

# benchmarks/gateway.py cannot be imported by name (the package ``gateway`` has it); load it by path
_spec = importlib.util.spec_from_file_location("bench_gateway", Path(__file__).resolve().parent / "gateway.py")
assert _spec is not None and _spec.loader is not None
bench_gateway = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(bench_gateway)
pct, cpu_seconds, postgres_cpu = bench_gateway.pct, bench_gateway.cpu_seconds, bench_gateway.postgres_cpu

ROOT = Path(__file__).resolve().parent.parent
PREFIX = "postgresql+psycopg://postgres@127.0.0.1:5432"
#: the service's API asks for a token (TOEWIJZING_API_TOKENS)
API_TOKEN = "benchmark-api-token-0123456789"
API = {"Authorization": f"Bearer {API_TOKEN}"}
HUB_DB, SVC_DB = "bench_toewijzing_hub", "bench_toewijzing_svc"
GEMEENTE, AANBIEDER = "0363", "12345678"
AANBIEDERS = (AANBIEDER, "23456789", "34567890", "45678901", "56789012")  # for the bulk-filled data
TARGET_P95_MS = 50.0


# --- set-up helpers ---------------------------------------------------------------------------

class Service:
    """``uvicorn --factory services.toewijzing.app:create_app`` as a process group of its own."""

    def __init__(self, env: dict[str, str], port: int) -> None:
        self.env, self.port = env, port
        self.proc: subprocess.Popen[bytes] | None = None
        self.url = f"http://127.0.0.1:{port}"

    def start(self) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "uvicorn", "--factory", "services.toewijzing.app:create_app", "--host",
             "127.0.0.1", "--port", str(self.port), "--log-level", "warning", "--no-access-log"],
            env=self.env, cwd=ROOT, stdout=subprocess.DEVNULL, start_new_session=True)
        wait_healthy(self.url, "toewijzing service", self.proc)

    def stop(self) -> None:
        if self.proc is None or self.proc.poll() is not None:
            return
        os.killpg(self.proc.pid, signal.SIGTERM)
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait()


class Inbox:
    """What the hub pushed to the aanbieder, by message type (called on the receiver's thread)."""

    def __init__(self) -> None:
        self.wmo301: list[bytes] = []
        self.wmo306: list[bytes] = []
        self.wmo306_at: list[float] = []  # when each WMO306 arrived (time.monotonic)
        self.other = 0

    def __call__(self, body: bytes) -> None:
        head = body[:300]
        if b"wmo306:" in head:
            self.wmo306.append(body)
            self.wmo306_at.append(time.monotonic())
        elif b"wmo301:" in head:
            self.wmo301.append(body)
        else:
            self.other += 1

    @staticmethod
    def wait_for(box: list[bytes], count: int, timeout: float) -> float:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if len(box) >= count:
                return time.monotonic()
            time.sleep(0.002)
        raise RuntimeError(f"only {len(box)} of {count} messages arrived at the aanbieder")


# --- 1. start messages end to end -------------------------------------------------------------

def beschikking(bsn: str, i: int, today: dt.date) -> dict[str, object]:
    return {
        "client": {"bsn": bsn, "geboortedatum": str(dt.date(1940, 1, 1) + dt.timedelta(days=i % 15000)),
                   "geslacht": "12"[i % 2], "achternaam": f"Bench{i}", "voorletters": "A",
                   "postcode": "1011AB", "huisnummer": 1 + i % 200},
        "besluitdatum": str(today),
        "voorzieningen": [{"wijze": "uren", "categorie": "01", "code": "01A01", "aanbieder": AANBIEDER,
                           "ingangsdatum": str(today.replace(day=1)),
                           "einddatum": str(dt.date(today.year + 1, 12, 31)),
                           "omvang": {"volume": 3, "eenheid": "04", "frequentie": "2"}}],
    }


def start_bericht(wmo301: Wmo301, ident: str, today: dt.date) -> Wmo305:
    """The aanbieder's WMO305 starting every ToegewezenProduct of the WMO301 on its Ingangsdatum."""
    c = wmo301.client
    naam = VerkorteNaam(geslachtsnaam=Achternaam(achternaam=c.naam.geslachtsnaam.achternaam,
                                                 voorvoegsel=c.naam.geslachtsnaam.voorvoegsel),
                        voorletters=c.naam.voorletters)
    header = Header(afzender=wmo301.header.ontvanger, ontvanger=wmo301.header.afzender,
                    bericht_identificatie=BerichtIdentificatie(identificatie=ident, dagtekening=today))
    return Wmo305(header=header, client=StartClient(
        bsn=c.bsn, geboortedatum=Geboortedatum(datum=c.geboortedatum.datum), geslacht=c.geslacht, naam=naam,
        start_producten=[StartProduct(toewijzing_nummer=p.toewijzing_nummer, product=p.product,
                                      toewijzing_ingangsdatum=p.ingangsdatum, begindatum=p.ingangsdatum,
                                      status_aanlevering="1") for p in c.toegewezen_producten]))


def retourcodes(xml: bytes) -> list[str]:
    return [e.text or "" for e in etree.fromstring(xml).iter("{*}RetourCode")]


async def send_all(port: int, token: str, bodies: list[bytes], concurrency: int) -> None:
    todo = iter(bodies)

    async def sender() -> None:
        conn = Connection("127.0.0.1", port, "/berichten",
                          {"Authorization": f"Bearer {token}", "Content-Type": "application/xml"})
        for body in todo:
            status, answer, _ = await conn.post(body)
            if status != 202:
                raise RuntimeError(f"hub refused a WMO305 ({status}): {answer.decode()[:300]}")
        await conn.close()

    await asyncio.gather(*(sender() for _ in range(concurrency)))


class Collector(threading.Thread):
    """Calls POST /hub/ophalen in a loop, as the service's poller would, until stopped."""

    def __init__(self, url: str) -> None:
        super().__init__(daemon=True)
        self.url = url
        self.halt = threading.Event()
        self.calls = self.idle_calls = self.received = self.sent = 0
        self.error: BaseException | None = None
        self.rounds: list[tuple[float, int, int]] = []  # (returned at, received, sent) per call that did something

    def run(self) -> None:
        try:
            with httpx.Client(base_url=self.url, timeout=300, headers=API) as client:
                while not self.halt.is_set():
                    r = client.post("/hub/ophalen")
                    r.raise_for_status()
                    answer = r.json()
                    self.calls += 1
                    self.received += answer["ontvangen"]
                    self.sent += answer["verzonden"]
                    if answer["ontvangen"] or answer["verzonden"]:
                        self.rounds.append((time.monotonic(), answer["ontvangen"], answer["verzonden"]))
                    if not answer["ontvangen"] and not answer["verzonden"]:
                        self.idle_calls += 1
                        self.halt.wait(0.02)
        except BaseException as exc:  # reported by the main thread
            self.error = exc


def create_beschikkingen(url: str, bsns: list[str], today: dt.date, concurrency: int) -> None:
    todo = iter(enumerate(bsns))
    errors: list[str] = []

    def worker() -> None:
        with httpx.Client(base_url=url, timeout=60, headers=API) as client:
            for i, bsn in todo:
                r = client.post("/beschikkingen", json=beschikking(bsn, i, today))
                if r.status_code != 201:
                    errors.append(f"{r.status_code} {r.text[:300]}")
                    return

    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if errors:
        raise RuntimeError(f"POST /beschikkingen failed ({len(errors)}x), first: {errors[0]}")


def run_starts(args: argparse.Namespace, hub_url: str, svc_url: str, svc_env: dict[str, str]) -> Service:
    n, today = args.starts, dt.date.today()
    inbox = Inbox()
    receiver = Receiver(inbox)
    env = {**os.environ, "GATEWAY_DATABASE_URL": hub_url, "GATEWAY_PUSH_POLL_SECONDS": os.environ.get("BENCH_PUSH_POLL", "0.05"),
           "GATEWAY_LOG_LEVEL": "WARNING"}
    gemeente_token = add_party(env, "--gemeente", GEMEENTE)
    aanbieder_token = add_party(env, "--aanbieder", AANBIEDER, "--endpoint", receiver.url)
    gateway = Gateway(env, free_port(), workers=args.gateway_workers)
    RUNNING.append(gateway)
    gateway.start()
    service = Service({**svc_env, "TOEWIJZING_HUB_URL": f"http://127.0.0.1:{gateway.port}",
                       "TOEWIJZING_HUB_TOKEN": gemeente_token}, free_port())
    RUNNING.append(service)
    service.start()

    t = time.monotonic()
    create_beschikkingen(service.url, test_bsns(10_000_000, n), today, args.setup_concurrency)
    inbox.wait_for(inbox.wmo301, n, timeout=120)
    print(f"1. start messages: {n} beschikkingen created and their WMO301s delivered in "
          f"{time.monotonic() - t:.1f} s (set-up, not timed)")
    berichten = [start_bericht(from_xml(xml), f"S{i:011d}", today)  # type: ignore[arg-type]
                 for i, xml in enumerate(inbox.wmo301)]
    bodies = [to_xml(m) for m in berichten]
    rapport = validate(bodies[0], today=today)
    if not rapport.valid:
        raise RuntimeError(f"the WMO305 built is not valid: {[f.as_dict() for f in rapport.fouten]}")

    assert gateway.proc is not None and service.proc is not None
    cpu = (cpu_seconds(service.proc.pid), cpu_seconds(gateway.proc.pid), postgres_cpu())
    collector = Collector(service.url)
    start = time.monotonic()
    collector.start()
    asyncio.run(send_all(gateway.port, aanbieder_token, bodies, args.concurrency))
    sent_at = time.monotonic()
    try:
        end = inbox.wait_for(inbox.wmo306, n, timeout=args.timeout)
    finally:
        collector.halt.set()
        collector.join()
    if collector.error is not None:
        raise RuntimeError(f"POST /hub/ophalen failed: {collector.error}")
    svc_cpu = cpu_seconds(service.proc.pid) - cpu[0]
    hub_cpu = cpu_seconds(gateway.proc.pid) - cpu[1]
    pg_cpu = postgres_cpu() - cpu[2]
    codes = [retourcodes(xml) for xml in inbox.wmo306]
    rejected = [c for c in codes if c]
    seconds = end - start
    print(f"   {n} WMO305 -> hub -> service (POST /hub/ophalen loop) -> {n} WMO306 -> hub -> aanbieder: "
          f"{seconds:.2f} s, {n / seconds:.1f} messages/s")
    print(f"   all WMO305 accepted by the hub after {sent_at - start:.2f} s ({args.concurrency} connections); "
          f"{collector.calls} calls of /hub/ophalen ({collector.idle_calls} found nothing)")
    rondes = ", ".join(f"{at - start:.2f} s ({ontvangen} in, {verzonden} out)" for at, ontvangen, verzonden
                       in collector.rounds)
    kwart = ", ".join(f"{q}% {inbox.wmo306_at[max(0, n * q // 100 - 1)] - start:.2f} s" for q in (25, 50, 75, 100))
    print(f"   timeline: /hub/ophalen returned at {rondes}; WMO306 at the aanbieder: {kwart}")
    print(f"   WMO306 without RetourCode (accepted): {len(codes) - len(rejected)}, with (rejected): {len(rejected)}"
          + (f", e.g. {rejected[0]}" if rejected else ""))
    hub = "hub (one process)" if args.gateway_workers == 1 else f"hub ({args.gateway_workers} API processes and push)"
    print(f"   CPU per message: service {svc_cpu / n * 1000:.1f} ms, {hub} {hub_cpu / n * 1000:.1f} ms, "
          f"PostgreSQL {pg_cpu / n * 1000:.1f} ms")
    return service


# --- 2. client overview -----------------------------------------------------------------------

PRODUCTEN = (  # (wijze, categorie, code, omvang, resultaat)
    ("uren", "01", "01A01", (3, "04", "2", None), None),
    ("resultaat", "01", "01A02", (1, "82", "2", None), "Een schoon en leefbaar huis"),
    ("uren", "02", "02A01", (2, "04", "2", None), None),
    ("uren", "07", "07A12", (4, "16", "2", None), None),
    ("resultaat", "10", None, (None, None, None, 150_000), "Zelfstandig wonen"),
)


def chunks(rows: list[dict[str, object]], size: int = 5000) -> Iterator[list[dict[str, object]]]:
    for i in range(0, len(rows), size):
        yield rows[i:i + size]


def fill(url: str, toewijzingen: int, per_client: int, today: dt.date) -> list[str]:
    """Bulk-insert ``toewijzingen`` toewijzingen over toewijzingen/per_client new clients; returns their BSNs."""
    engine = create_engine(url)
    nu = dt.datetime.now(dt.UTC)
    ingang, eind = today.replace(day=1), dt.date(today.year + 1, 12, 31)
    xml = {b: to_xml(sample(b, today=today)) for b in ("WMO301", "WMO302", "WMO305", "WMO306")}
    with engine.begin() as conn:
        def next_id(model: type) -> int:
            return int(conn.scalar(select(func.coalesce(func.max(model.id), 0)))) + 1  # type: ignore[attr-defined]

        ids = {m: next_id(m) for m in (Client, Beschikking, Voorziening, Toewijzing, Bericht, Levering)}
        nummer = int(conn.scalar(select(func.coalesce(func.max(Toewijzing.nummer), 0)))) + 1
        clients = -(-toewijzingen // per_client)
        bsns = test_bsns(20_000_000, clients)
        rows: dict[type, list[dict[str, object]]] = {m: [] for m in ids}

        def add(model: type, **values: object) -> int:
            row_id = ids[model]
            ids[model] += 1
            rows[model].append({"id": row_id, **values})
            return row_id

        left = toewijzingen
        for i, bsn in enumerate(bsns):
            aanbieder = AANBIEDERS[i % len(AANBIEDERS)]
            cid = add(Client, bsn=bsn, geboortedatum=dt.date(1940, 1, 1) + dt.timedelta(days=i % 15000),
                      geslacht="12"[i % 2], achternaam=f"Bulk{i}", voorvoegsel=None, voorletters="B",
                      postcode="1011AB", huisnummer=1 + i % 200, straatnaam=None, plaatsnaam=None)
            bid = add(Beschikking, client_id=cid, besluitdatum=today, kenmerk=None, created_at=nu)

            def bericht(soort: str, richting: str, antwoord_op: int | None = None, cid: int = cid,
                        aanbieder: str = aanbieder) -> int:
                van, naar = (GEMEENTE, aanbieder) if soort in ("WMO301", "WMO306") else (aanbieder, GEMEENTE)
                return add(Bericht, richting=richting, bericht=soort, afzender=van, ontvanger=naar,
                           identificatie=f"B{ids[Bericht]:011d}", client_id=cid, xml=xml[soort],
                           status="verzonden" if richting == "uit" else "verwerkt", hub_id=None,
                           retour_status="goedgekeurd" if soort in ("WMO301", "WMO305") else None,
                           retourcodes=None, antwoord_op=antwoord_op, created_at=nu, fout=None)

            heen = bericht("WMO301", "uit")
            bericht("WMO302", "in", heen)
            gestart = i % 2 == 0
            start_id = bericht("WMO305", "in") if gestart else None
            if start_id is not None:
                bericht("WMO306", "uit", start_id)
            for k in range(min(per_client, left)):
                wijze, categorie, code, (volume, eenheid, frequentie, budget), resultaat = PRODUCTEN[k % len(PRODUCTEN)]
                vid = add(Voorziening, beschikking_id=bid, wijze=wijze, categorie=categorie, code=code,
                          aanbieder=aanbieder, resultaat=resultaat)
                add(Toewijzing, nummer=nummer, voorziening_id=vid, client_id=cid, aanbieder=aanbieder,
                    categorie=categorie, code=code, ingangsdatum=ingang, einddatum=eind, volume=volume,
                    eenheid=eenheid, frequentie=frequentie, budget=budget, reden_wijziging=None,
                    referentie_aanbieder=None, commentaar=None, toewijzingsdatum=today,
                    toewijzingstijd=dt.time(9, 30), gewijzigd=False, oordeel_aanbieder="geaccepteerd",
                    retourcodes=None)
                if start_id is not None:
                    add(Levering, soort="start", bsn=bsn, aanbieder=aanbieder, toewijzing_nummer=nummer,
                        categorie=categorie, code=code, begindatum=ingang, reden_beeindiging=None, einddatum=None,
                        verwijderd=False, bericht_id=start_id)
                nummer += 1
            left -= min(per_client, left)

        for model, table_rows in rows.items():  # parents first: the dict keeps the order above
            for part in chunks(table_rows):
                conn.execute(model.__table__.insert(), part)  # type: ignore[attr-defined]
            table = model.__tablename__  # type: ignore[attr-defined]
            conn.execute(text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                              f"(SELECT max(id) FROM {table}))"))
        counts = {m.__tablename__: len(r) for m, r in rows.items()}  # type: ignore[attr-defined]
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text("VACUUM ANALYZE"))
    engine.dispose()
    print("   inserted " + ", ".join(f"{v} {k}" for k, v in counts.items()))
    return bsns


def run_overview(args: argparse.Namespace, svc_db_url: str, service: Service) -> None:
    today = dt.date.today()
    migrate(svc_db_url)  # the running service migrated already; harmless, and needed with --only overview
    print(f"2. client overview: {args.toewijzingen} toewijzingen, {args.per_client} per client")
    t = time.monotonic()
    bsns = fill(svc_db_url, args.toewijzingen, args.per_client, today)
    print(f"   filled in {time.monotonic() - t:.1f} s (not timed)")
    rng = random.Random(args.seed)
    chosen = [rng.choice(bsns) for _ in range(args.requests)]
    latencies: list[float] = []
    size = 0
    with httpx.Client(base_url=service.url, timeout=30, headers=API) as client:
        for bsn in rng.sample(bsns, min(20, len(bsns))):  # warm-up: connection, pool, imports
            client.get(f"/clienten/{bsn}").raise_for_status()
        for bsn in chosen:
            t = time.perf_counter()
            r = client.get(f"/clienten/{bsn}")
            latencies.append(time.perf_counter() - t)
            r.raise_for_status()
            size += len(r.content)
    p95 = pct(latencies, 95)
    print(f"   {args.requests} GET /clienten/{{bsn}}, random clients, one at a time: p50 {pct(latencies, 50):.1f} ms, "
          f"p95 {p95:.1f} ms, p99 {pct(latencies, 99):.1f} ms, max {max(latencies) * 1000:.1f} ms "
          f"(answer {size / len(latencies) / 1024:.1f} KiB on average)")
    print(f"   target p95 < {TARGET_P95_MS:.0f} ms: {'met' if p95 < TARGET_P95_MS else 'NOT met'}")

    inproc, per_query = in_process(svc_db_url, chosen[:100], today)
    print(f"   the same overview in-process (overzicht.overzicht, no HTTP), {len(inproc)} clients: "
          f"p50 {pct(inproc, 50):.1f} ms, p95 {pct(inproc, 95):.1f} ms; per SQL statement (mean ms, by its "
          "first FROM): " + ", ".join(f"{k} {v:.2f}" for k, v in per_query.items()))


def in_process(url: str, bsns: list[str], today: dt.date) -> tuple[list[float], dict[str, float]]:
    """overzicht.overzicht on a session of its own (the database plus the Python, without HTTP), and the
    mean database time of each SQL statement it runs."""
    engine = create_engine(url)
    spent: dict[str, list[float]] = {}

    @event.listens_for(engine, "before_cursor_execute")
    def _before(conn, cursor, statement, parameters, context, executemany):  # type: ignore[no-untyped-def]
        conn.info["t"] = time.perf_counter()

    @event.listens_for(engine, "after_cursor_execute")
    def _after(conn, cursor, statement, parameters, context, executemany):  # type: ignore[no-untyped-def]
        m = re.search(r"\bFROM\s+(\w+)", statement)
        spent.setdefault(m.group(1) if m else statement[:20], []).append(time.perf_counter() - conn.info["t"])

    times: list[float] = []
    with Session(engine) as session:
        overzicht.overzicht(session, bsn=bsns[0], vandaag=today, producten=catalogus())  # warm-up
        spent.clear()
        for bsn in bsns:
            t = time.perf_counter()
            overzicht.overzicht(session, bsn=bsn, vandaag=today, producten=catalogus())
            times.append(time.perf_counter() - t)
            session.expunge_all()
    engine.dispose()
    return times, {k: sum(v) / len(v) * 1000 for k, v in spent.items()}


# --- main -------------------------------------------------------------------------------------

RUNNING: list[Gateway | Service] = []


def _terminate(_signum: int, _frame: object) -> None:
    raise SystemExit(143)  # so that the finally below stops the processes


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--starts", type=int, default=1000, help="WMO305 messages end to end (default 1000)")
    ap.add_argument("--toewijzingen", type=int, default=100_000,
                    help="toewijzingen bulk-inserted for the overview (default 100000)")
    ap.add_argument("--requests", type=int, default=500, help="timed GET /clienten/{bsn} (default 500)")
    ap.add_argument("--per-client", type=int, default=4, help="toewijzingen per bulk-inserted client (default 4)")
    ap.add_argument("--only", choices=("starts", "overview"), help="run one of the two measurements")
    ap.add_argument("--database-url-prefix", default=PREFIX,
                    help=f"PostgreSQL server URL without database (default {PREFIX}); its database 'postgres' "
                         "is used to drop and create the throw-away ones")
    ap.add_argument("--concurrency", type=int, default=8, help="aanbieder connections sending WMO305 (default 8)")
    ap.add_argument("--setup-concurrency", type=int, default=1,
                    help="parallel POST /beschikkingen during set-up (default 1; more currently fails: two "
                         "requests can take the same ToewijzingNummer, max + 1)")
    ap.add_argument("--gateway-workers", type=int, default=2,
                    help="iwmo gateway serve --workers: API processes, with a push process beside them when more than "
                         "one (default 2, as docs/deployment.md runs the hub)")
    ap.add_argument("--timeout", type=float, default=600, help="seconds to wait for all WMO306 (default 600)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--keep-databases", action="store_true", help="do not drop the databases at the end")
    args = ap.parse_args()
    prefix = args.database_url_prefix.rstrip("/")

    signal.signal(signal.SIGTERM, _terminate)
    threading.excepthook = lambda a: None  # the receiver thread ends with the process
    hub_url = recreate_database(prefix, HUB_DB)
    svc_url = recreate_database(prefix, SVC_DB)
    # no background poller: this script drives the collecting itself (POST /hub/ophalen)
    svc_env = {**os.environ, "TOEWIJZING_DATABASE_URL": svc_url, "TOEWIJZING_GEMEENTE": GEMEENTE,
               "TOEWIJZING_POLL_SECONDS": "0", "TOEWIJZING_API_TOKENS": json.dumps({"benchmark": API_TOKEN})}
    try:
        service: Service | None = None
        if args.only != "overview":
            service = run_starts(args, hub_url, svc_url, svc_env)
        if args.only != "starts":
            if service is None:  # no hub needed: GET /clienten/{bsn} does not call it
                service = Service({**svc_env, "TOEWIJZING_HUB_URL": "http://127.0.0.1:9", "TOEWIJZING_HUB_TOKEN": "-"},
                                  free_port())
                RUNNING.append(service)
                service.start()
            run_overview(args, svc_url, service)
    finally:
        for proc in reversed(RUNNING):
            try:
                proc.stop()
            except Exception as exc:  # keep stopping the others
                print(f"could not stop {type(proc).__name__}: {exc}", file=sys.stderr)
        if not args.keep_databases:
            drop_database(prefix, HUB_DB)
            drop_database(prefix, SVC_DB)


if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt:  # the processes were stopped and the databases dropped in main's finally
        sys.exit(130)
