"""Crash safety of the hub: SIGKILL the gateway at random moments while messages flow.

    python benchmarks/crash_safety.py [--messages 200] [--kills 8] [--database-url URL]

Starts ``iwmo gateway serve`` as a real process on a throw-away PostgreSQL database (or the URL given),
registers a gemeente and an aanbieder whose endpoint is a receiver in this script, submits WMO301
messages while another thread kills (SIGKILL) and restarts the gateway, then waits for delivery.
A sender that gets no answer retries with the same Identificatie until it gets 202 (accepted) or 409
(accepted before). Prints the figures and exits 1 unless every accepted message was delivered at least
once and nothing else was delivered.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
from sqlalchemy import create_engine, text

from iwmo.samples import sample
from iwmo.xml import to_xml

PG_ADMIN = os.environ.get("IWMO_TEST_POSTGRES", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
IWMO = str(Path(sys.executable).parent / "iwmo")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Receiver:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.received: list[str] = []  # Identificatie of every delivery (duplicates kept)
        outer = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"  # keep-alive, as a real receiver would offer

            def do_POST(self) -> None:  # noqa: N802
                body = self.rfile.read(int(self.headers["Content-Length"]))
                ident = body.split(b"<iwmo:Identificatie>")[1].split(b"<")[0].decode()
                with outer.lock:
                    outer.received.append(ident)
                self.send_response(200)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_port}/in"


def wait_healthy(url: str, what: str, proc: subprocess.Popen[bytes] | None = None, seconds: float = 60) -> None:
    """Wait until ``{url}/health`` answers 200 (or the process ``proc`` exits, or time runs out)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"{what} exited with {proc.returncode}")
        try:
            if httpx.get(f"{url}/health", timeout=0.5).status_code == 200:
                return
        except httpx.HTTPError:
            time.sleep(0.05)
    raise RuntimeError(f"{what} did not start")


def add_party(env: dict[str, str], flag: str, code: str, *extra: str) -> str:
    """``iwmo gateway add-party``; returns the party's token."""
    out = subprocess.run([IWMO, "gateway", "add-party", flag, code, *extra], env=env, capture_output=True,
                         text=True, check=True).stdout
    return out.strip().splitlines()[-1]


class Gateway:
    def __init__(self, env: dict[str, str], port: int, workers: int = 1) -> None:
        self.env, self.port, self.workers = env, port, workers
        self.proc: subprocess.Popen[bytes] | None = None
        self.lock = threading.Lock()
        # the gateway's own log (JSON lines, no personal data) to a file when GATEWAY_BENCH_LOG names one
        self.log = open(os.environ.get("GATEWAY_BENCH_LOG", os.devnull), "ab")  # noqa: SIM115

    def start(self) -> None:
        with self.lock:
            self.proc = subprocess.Popen(
                [IWMO, "gateway", "serve", "--port", str(self.port), "--workers", str(self.workers)],
                env=self.env, stdout=subprocess.DEVNULL, stderr=self.log, start_new_session=True)
        wait_healthy(f"http://127.0.0.1:{self.port}", "gateway")

    def kill(self) -> None:
        with self.lock:
            if self.proc is not None:  # the whole process group: API workers and push process too
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()

    def stop(self) -> None:
        with self.lock:
            if self.proc is not None and self.proc.poll() is None:
                self.proc.terminate()
                self.proc.wait(timeout=10)


def make_database() -> tuple[str, callable]:  # type: ignore[valid-type]
    name = f"iwmo_crash_{uuid.uuid4().hex[:8]}"
    admin = create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))

    def drop() -> None:
        with admin.connect() as conn:
            conn.execute(text(f"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{name}'"))
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        admin.dispose()

    return PG_ADMIN.rsplit("/", 1)[0] + "/" + name, drop


def run(messages: int, kills: int, database_url: str | None, seed: int, workers: int = 1) -> bool:
    rng = random.Random(seed)
    drop = None
    if database_url is None:
        database_url, drop = make_database()
    receiver = Receiver()
    env = {**os.environ, "GATEWAY_DATABASE_URL": database_url, "GATEWAY_PUSH_BACKOFF_SECONDS": "0.1",
           "GATEWAY_PUSH_BACKOFF_MAX_SECONDS": "1", "GATEWAY_PUSH_POLL_SECONDS": "0.05",
           "GATEWAY_PUSH_LEASE_SECONDS": "3",
           "GATEWAY_PUSH_TIMEOUT_SECONDS": "1", "GATEWAY_PUSH_MAX_ATTEMPTS": "1000", "GATEWAY_LOG_LEVEL": "WARNING"}
    tokens = {code: add_party(env, flag, code, *extra)
              for flag, code, extra in (("--gemeente", "0363", []),
                                        ("--aanbieder", "12345678", ["--endpoint", receiver.url]))}
    gateway = Gateway(env, free_port(), workers=workers)
    gateway.start()
    done = threading.Event()
    kills_done = 0

    def killer() -> None:
        nonlocal kills_done
        while not done.is_set() and kills_done < kills:
            time.sleep(rng.uniform(0.2, 0.8))
            gateway.kill()
            kills_done += 1
            gateway.start()

    killer_thread = threading.Thread(target=killer)
    killer_thread.start()
    accepted: set[str] = set()
    submitted: set[str] = set()
    headers = {"Authorization": f"Bearer {tokens['0363']}", "Content-Type": "application/xml"}
    base = sample("WMO301", today=dt.date.today())
    start = time.monotonic()
    with httpx.Client(timeout=2.0) as client:
        i = 0
        while i < messages or kills_done < kills:  # keep sending until every kill has happened
            ident = f"C{i:06d}"
            i += 1
            base.header.bericht_identificatie.identificatie = ident
            body = to_xml(base)
            submitted.add(ident)
            while True:
                try:
                    r = client.post(f"http://127.0.0.1:{gateway.port}/berichten", content=body, headers=headers)
                except httpx.HTTPError:
                    time.sleep(0.05)
                    continue
                if r.status_code in (202, 409):  # 409: accepted by an earlier attempt
                    accepted.add(ident)
                    break
                raise RuntimeError(f"unexpected answer {r.status_code}: {r.text}")
    done.set()
    killer_thread.join()
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        with receiver.lock:
            if accepted <= set(receiver.received):
                break
        time.sleep(0.1)
    elapsed = time.monotonic() - start
    gateway.stop()
    with receiver.lock:
        delivered = list(receiver.received)
    missing = accepted - set(delivered)
    phantom = set(delivered) - submitted
    duplicates = len(delivered) - len(set(delivered))
    print(f"messages {len(submitted)}, kills {kills_done}, accepted {len(accepted)}, delivered {len(set(delivered))} "
          f"(+{duplicates} duplicate deliveries), missing {len(missing)}, phantom {len(phantom)}, "
          f"first delivery order kept: {_first_order_kept(delivered)}, {elapsed:.1f} s")
    if drop is not None:
        drop()
    return not missing and not phantom and _first_order_kept(delivered)


def _first_order_kept(delivered: list[str]) -> bool:
    firsts = list(dict.fromkeys(delivered))
    return firsts == sorted(firsts)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--messages", type=int, default=200)
    ap.add_argument("--kills", type=int, default=8)
    ap.add_argument("--database-url", help="use this PostgreSQL database instead of a throw-away one")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--workers", type=int, default=1, help="API processes (more than 1: with a push process)")
    args = ap.parse_args()
    sys.exit(0 if run(args.messages, args.kills, args.database_url, args.seed, args.workers) else 1)


if __name__ == "__main__":
    main()
