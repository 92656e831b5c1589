"""``iwmo suite``: the whole chain on this machine, each part its own process (what ``make run`` starts).

Starts the hub (8000), the gemeente's toewijzing service (8001), plan service (8002) and declaratie service
(8003, which the hub routes the gemeente's WMO323 to) and the provider stand-in (8010) on the embedded SQLite databases under ``./var/``, each migrating its database before it
serves; registers the demo parties at the hub (gemeente 0363, aanbieders 12345678 and 87654321) and hands
each service its token; waits until every ``/health`` answers; prints what to open. Ctrl-C (or SIGTERM)
stops them all. The plan service publishes the demonstration normenkader when it starts, and the
toewijzing service asks it before a resultaat WMO301 goes out (the plan check is on).
The admin token, the parties' hub tokens and the API tokens of the services (``api-tokens.json``, read by
``iwmo scenario``, ``iwmo aanbieder`` and ``iwmo plan``; ``toewijzing.header`` and ``plan.header`` for
``curl -H @...``) are kept in ``var/suite/`` (readable by this user only), so a second run reuses them.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

import httpx

from infra.tokenfile import TOKENS_PATH, read_tokens
from services.plan.domain.normenkader import DEMO

GEMEENTE = "0363"
AANBIEDERS = ("12345678", "87654321")
#: what runs where, as offsets from the base port 8000
PORTS = {"gateway": 0, "toewijzing": 1, "plan": 2, "declaratie": 3, "aanbieder": 10}
#: the API tokens the suite makes per service, by caller name, people first (the commands take the first):
#: the toewijzing service lets in the medewerker, the plan service (which reads the client's toewijzingen
#: there) and the declaratie service (which reads the toewijzingen a WMO323 names); the plan service lets in
#: the medewerker and the toewijzing service (its plan check); the declaratie service the medewerker
API_CALLERS = {"toewijzing": ("medewerker", "plan", "declaratie"), "plan": ("medewerker", "toewijzing"),
               "declaratie": ("medewerker",)}


@dataclass
class Process:
    naam: str
    poort: int
    argv: list[str]
    env: dict[str, str] = field(default_factory=dict)
    popen: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.poort}"


def _uvicorn(app: str, poort: int) -> list[str]:
    return [sys.executable, "-m", "uvicorn", "--factory", app, "--host", "127.0.0.1", "--port", str(poort),
            "--log-level", "warning", "--no-access-log"]  # paths may name a BSN


def port_free(poort: int) -> bool:
    """Whether a server could listen on ``poort`` (as uvicorn binds: with SO_REUSEADDR)."""
    with socket.socket() as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind(("127.0.0.1", poort))
        except OSError:
            return False
    return True


def start(proces: Process, log_dir: Path) -> None:
    if not port_free(proces.poort):
        raise RuntimeError(f"poort {proces.poort} ({proces.naam}) is bezet; draait de keten al?")
    log = (log_dir / f"{proces.naam}.log").open("ab")
    # a crash in a native library (a segfault, glibc's "double free") leaves the Python stack of every thread
    # in the process's log, not one line
    proces.popen = subprocess.Popen(proces.argv, env={"PYTHONFAULTHANDLER": "1", **os.environ, **proces.env},
                                    stdout=log, stderr=subprocess.STDOUT, start_new_session=True)


def wait_for_health(proces: Process, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proces.popen is not None and proces.popen.poll() is not None:
            raise RuntimeError(f"{proces.naam} stopte bij het starten (zie var/suite/{proces.naam}.log)")
        try:
            if httpx.get(f"{proces.url}/health", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"{proces.naam} antwoordde niet binnen {timeout:.0f} s op {proces.url}/health")


def stop_all(processes: list[Process], timeout: float = 15.0) -> None:
    """SIGTERM to every process group, then SIGKILL what is still there after ``timeout``."""
    for p in processes:
        if p.popen is not None and p.popen.poll() is None:
            os.killpg(p.popen.pid, signal.SIGTERM)
    deadline = time.monotonic() + timeout
    for p in processes:
        if p.popen is None:
            continue
        try:
            p.popen.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            os.killpg(p.popen.pid, signal.SIGKILL)
            p.popen.wait()


def _write_secret(pad: Path, tekst: str) -> None:
    """Write a file only this user can read, from its first byte on, and whole: a reader sees the old
    content or the new, never a half-written file. An unchanged file (0600 already) is left alone."""
    if not pad.is_symlink() and pad.is_file() and pad.stat().st_mode & 0o077 == 0 and pad.read_text() == tekst:
        return
    tijdelijk = pad.with_name(f".{pad.name}.{os.getpid()}.tmp")
    tijdelijk.unlink(missing_ok=True)
    fd = os.open(tijdelijk, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
    with os.fdopen(fd, "w") as f:
        f.write(tekst)
    os.replace(tijdelijk, pad)


def _secret(pad: Path, maak: Callable[[], str]) -> str:
    if pad.exists():
        return pad.read_text().strip()
    waarde = maak()
    _write_secret(pad, waarde + "\n")
    return waarde


def register_parties(hub_url: str, admin_token: str, tokens_pad: Path) -> dict[str, str]:
    """A working token for every demo party: the remembered one when the hub still takes it, else a new one."""
    bekend: dict[str, str] = json.loads(tokens_pad.read_text()) if tokens_pad.exists() else {}
    admin = {"Authorization": f"Bearer {admin_token}"}
    tokens: dict[str, str] = {}
    with httpx.Client(base_url=hub_url, timeout=10) as hub:
        for rol, code in [("gemeente", GEMEENTE), *(("aanbieder", a) for a in AANBIEDERS)]:
            oud = bekend.get(code)
            if oud and hub.get("/mailbox", headers={"Authorization": f"Bearer {oud}"}).status_code == 200:
                tokens[code] = oud
                continue
            r = hub.post("/admin/parties", json={"rol": rol, "code": code, "naam": f"demo-{rol}"}, headers=admin)
            if r.status_code == 422 and r.json().get("foutcode") == "ADM01":  # registered in an earlier run
                r = hub.post(f"/admin/parties/{code}/tokens", headers=admin)
            r.raise_for_status()
            tokens[code] = r.json()["token"]
    _write_secret(tokens_pad, json.dumps(tokens, indent=2) + "\n")
    return tokens


def owned_types() -> dict[str, list[str]]:
    """The message types each service owns (its inbound handlers); the rest of a party's types wait to be
    collected: a WMO323 for the gemeente waits for a declaratie service."""
    from services.aanbieder.hub import PIPELINE as AANBIEDER
    from services.declaratie.hub import PIPELINE as DECLARATIE
    from services.toewijzing.hub import PIPELINE as TOEWIJZING

    return {"toewijzing": sorted(TOEWIJZING.owned), "declaratie": sorted(DECLARATIE.owned),
            "aanbieder": sorted(AANBIEDER.owned)}


def route_types(hub_url: str, admin_token: str, basis: int) -> dict[str, str]:
    """Route each party's message types to the service that owns them (push), and return each party's push
    secret, which that service needs to check the hub's signature."""
    admin = {"Authorization": f"Bearer {admin_token}"}
    eigen = owned_types()
    geheimen: dict[str, str] = {}
    with httpx.Client(base_url=hub_url, timeout=10) as hub:
        for code, dienst in [(GEMEENTE, "toewijzing"), (GEMEENTE, "declaratie"), *((a, "aanbieder") for a in AANBIEDERS)]:
            endpoint = f"http://127.0.0.1:{basis + PORTS[dienst]}/berichten"
            r = hub.put(f"/admin/parties/{code}/routes", json={"berichten": eigen[dienst], "endpoint": endpoint},
                        headers=admin)
            r.raise_for_status()
            geheimen[code] = r.json()["push_geheim"]
    return geheimen


def _completed(bekend: dict[str, str], namen: tuple[str, ...] | list[str]) -> dict[str, str]:
    """The known tokens kept as they are, a new one for each of ``namen`` that has none."""
    tokens = {n: t for n, t in bekend.items() if t}
    return tokens | {n: secrets.token_urlsafe(32) for n in namen if n not in tokens}


def api_tokens(suite_dir: Path) -> dict[str, dict[str, str]]:
    """The API tokens of the gemeente's services (:data:`API_CALLERS`) and of the stand-in (one per
    aanbieder), made once and then reused: a file from an earlier run keeps its tokens and gets the missing
    ones. Each gemeente service's people token is also written as a header file for curl."""
    try:
        bekend = read_tokens(suite_dir / "api-tokens.json")
    except ValueError:
        bekend = {}  # unreadable: made anew
    tokens = {dienst: _completed(bekend.get(dienst, {}), namen) for dienst, namen in API_CALLERS.items()}
    tokens["aanbieder"] = _completed({a: t for a, t in bekend.get("aanbieder", {}).items() if a in AANBIEDERS},
                                     AANBIEDERS)
    _write_secret(suite_dir / "api-tokens.json", json.dumps(tokens, indent=2) + "\n")
    for dienst in API_CALLERS:
        _write_secret(suite_dir / f"{dienst}.header", f"Authorization: Bearer {tokens[dienst]['medewerker']}\n")
    return tokens


def processes(tokens: dict[str, str] | None, admin_token: str, var: Path, basis: int = 8000,
              api: dict[str, dict[str, str]] | None = None, geheimen: dict[str, str] | None = None) -> list[Process]:
    poort = {naam: basis + offset for naam, offset in PORTS.items()}
    hub = Process("gateway", poort["gateway"], [sys.executable, "-m", "iwmo", "gateway", "serve", "--port",
                                               str(poort["gateway"])],
                 {"GATEWAY_ADMIN_TOKEN": admin_token, "GATEWAY_DATABASE_URL": f"sqlite:///{var}/gateway.db",
                  "GATEWAY_DASHBOARD_OPEN": "true"})
    if tokens is None or api is None:
        return [hub]
    toewijzing = Process("toewijzing", poort["toewijzing"], _uvicorn("services.toewijzing.app:create_app",
                                                                    poort["toewijzing"]))
    plan = Process("plan", poort["plan"], _uvicorn("services.plan.app:create_app", poort["plan"]),
                   {"PLAN_DATABASE_URL": f"sqlite:///{var}/plan.db", "PLAN_GEMEENTE": GEMEENTE,
                    "PLAN_TOEWIJZING_URL": toewijzing.url, "PLAN_TOEWIJZING_TOKEN": api["toewijzing"]["plan"],
                    "PLAN_API_TOKENS": json.dumps(api["plan"]), "PLAN_NORMENKADERS": json.dumps([str(DEMO)])})
    toewijzing.env = {"TOEWIJZING_DATABASE_URL": f"sqlite:///{var}/toewijzing.db", "TOEWIJZING_GEMEENTE": GEMEENTE,
                      "TOEWIJZING_HUB_URL": hub.url, "TOEWIJZING_HUB_TOKEN": tokens[GEMEENTE],
                      "TOEWIJZING_API_TOKENS": json.dumps(api["toewijzing"]), "TOEWIJZING_POLL_SECONDS": "1",
                      "TOEWIJZING_PUSH_GEHEIM": (geheimen or {}).get(GEMEENTE, ""),
                      "TOEWIJZING_PLAN_CHECK_URL": f"{plan.url}/plancheck",  # the gate is on
                      "TOEWIJZING_PLAN_CHECK_TOKEN": api["plan"]["toewijzing"]}
    declaratie = Process("declaratie", poort["declaratie"], _uvicorn("services.declaratie.app:create_app",
                                                                    poort["declaratie"]),
                         {"DECLARATIE_DATABASE_URL": f"sqlite:///{var}/declaratie.db", "DECLARATIE_GEMEENTE": GEMEENTE,
                          "DECLARATIE_HUB_URL": hub.url, "DECLARATIE_HUB_TOKEN": tokens[GEMEENTE],
                          "DECLARATIE_PUSH_GEHEIM": (geheimen or {}).get(GEMEENTE, ""),
                          "DECLARATIE_TOEWIJZING_URL": toewijzing.url,
                          "DECLARATIE_TOEWIJZING_TOKEN": api["toewijzing"]["declaratie"],
                          "DECLARATIE_API_TOKENS": json.dumps(api["declaratie"]), "DECLARATIE_POLL_SECONDS": "1"})
    return [hub, toewijzing, plan, declaratie,
            Process("aanbieder", poort["aanbieder"], _uvicorn("services.aanbieder.app:create_app",
                                                             poort["aanbieder"]),
                   {"AANBIEDER_DATABASE_URL": f"sqlite:///{var}/aanbieder.db", "AANBIEDER_HUB_URL": hub.url,
                    "AANBIEDER_PARTIJEN": json.dumps({a: tokens[a] for a in AANBIEDERS}),
                    "AANBIEDER_API_TOKENS": json.dumps(api["aanbieder"]), "AANBIEDER_POLL_SECONDS": "1",
                    "AANBIEDER_PUSH_GEHEIMEN": json.dumps({a: (geheimen or {}).get(a, "") for a in AANBIEDERS})})]


def explanation(var: Path, basis: int) -> str:
    tokens = var / "suite" / "api-tokens.json"
    elders = "" if tokens.resolve() == TOKENS_PATH.resolve() else f"\n  (niet de standaardplek: export IWMO_API_TOKENS={tokens})"
    return f"""
De keten draait:
  hub (gateway)          http://127.0.0.1:{basis}    dashboard: http://127.0.0.1:{basis}/dashboard
  toewijzing (gemeente)  http://127.0.0.1:{basis + 1}/docs
  plan (gemeente)        http://127.0.0.1:{basis + 2}/docs   normenkader {DEMO.stem.removeprefix('normenkader-')};
                         een resultaat-WMO301 gaat pas weg als het plan is vastgesteld
  declaratie (gemeente)  http://127.0.0.1:{basis + 3}/docs   WMO323 in, WMO325 uit
  aanbieder (stand-in)   http://127.0.0.1:{basis + 10}/docs   speelt {', '.join(AANBIEDERS)}

Laat berichten stromen (in een tweede terminal):
  make demo                                   # draait scenarios/*.yaml tegen deze keten
  curl -s -X POST localhost:{basis + 1}/beschikkingen -H @{var}/suite/toewijzing.header \\
       -H 'Content-Type: application/json' -d @docs/voorbeelden/beschikking.json
  curl -s localhost:{basis + 2}/normenkaders -H @{var}/suite/plan.header
  .venv/bin/iwmo aanbieder toewijzingen 12345678

Tokens bij de hub (om als partij in te loggen op het dashboard): {var}/suite/tokens.json; admin: {var}/suite/admin-token
API-tokens van de diensten (Authorize in /docs; iwmo scenario, iwmo aanbieder en iwmo plan lezen ze zelf): {var}/suite/api-tokens.json{elders}
Logs: {var}/suite/*.log.  Stoppen: Ctrl-C.
"""


def run(var: Path, out: TextIO, err: TextIO, basis: int = 8000) -> int:
    suite_dir = var / "suite"
    gestart: list[Process] = []

    def _stop(_signum: int, _frame: object) -> None:
        # the first signal stops; later ones (make forwards SIGTERM to its group, which got it too) are ignored
        # from here on, so that none can land in the clean stop below and cut it short
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        raise KeyboardInterrupt  # Ctrl-C and SIGTERM alike (also when started with SIGINT ignored)

    signal.signal(signal.SIGINT, _stop)
    signal.signal(signal.SIGTERM, _stop)
    bezet = [f"{naam} ({basis + offset})" for naam, offset in PORTS.items() if not port_free(basis + offset)]
    if bezet:
        print(f"iwmo suite: poort bezet voor {', '.join(bezet)}; draait de keten al? (of kies --basispoort)",
              file=err)
        return 1
    suite_dir.mkdir(parents=True, exist_ok=True)
    admin_token = _secret(suite_dir / "admin-token", lambda: secrets.token_urlsafe(32))
    api = api_tokens(suite_dir)
    try:
        for stap in (None, "diensten"):
            tokens = register_parties(gestart[0].url, admin_token, suite_dir / "tokens.json") if stap else None
            geheimen = route_types(gestart[0].url, admin_token, basis) if stap else None
            for p in processes(tokens, admin_token, var, basis, api, geheimen)[len(gestart):]:
                print(f"start {p.naam} op poort {p.poort} ...", file=out, flush=True)
                start(p, suite_dir)
                gestart.append(p)
            for p in gestart:
                wait_for_health(p)
        print(explanation(var, basis), file=out, flush=True)
        while True:
            for p in gestart:
                if p.popen is not None and p.popen.poll() is not None:
                    print(f"{p.naam} is gestopt (zie {suite_dir}/{p.naam}.log); de rest stopt ook.", file=err)
                    return 1
            time.sleep(0.5)
    except KeyboardInterrupt:
        return 0
    except (RuntimeError, httpx.HTTPError) as exc:
        print(f"iwmo suite: {exc}", file=err)
        return 1
    finally:
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # a second Ctrl-C must not cut the clean stop short
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        print("stoppen ...", file=out, flush=True)
        stop_all(gestart)
        print("alles gestopt.", file=out, flush=True)


def main(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    return run(args.var.resolve(), out, err, args.basispoort)
