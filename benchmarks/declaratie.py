"""The declaratie service on PostgreSQL, run as a real process: a WMO323 of 10,000 prestaties, and one as
large as the hub takes, checked and answered end to end. Prints figures (no pass/fail on time).

    python benchmarks/declaratie.py [--prestaties 10000] [--clienten 2000] [--only normaal|groot]
                                    [--database-url-prefix URL] [--keep-databases] [--profile FILE]

Drops and recreates three throw-away databases (bench_declaratie_hub, bench_declaratie_tw for the
toewijzing service, bench_declaratie_svc for the declaratie service) and drops them at the end unless
--keep-databases. Starts ``iwmo gateway serve`` (gemeente 0363 collecting by pull; aanbieder 12345678 with
an endpoint in this script, so the hub pushes the WMO325 to it) and the toewijzing and declaratie services
(``uvicorn --factory``, one process each, their pollers off), as real processes stopped on exit, Ctrl-C or
error.

The toewijzingen the prestaties name are bulk-inserted straight into the toewijzing service's database
with SQLAlchemy Core (clients, beschikkingen, voorzieningen, toewijzingen, a WMO301 and a WMO305 per
client and a start per toewijzing): five per client, one of each product of the demonstration contract
of aanbieder 12345678 (``services/declaratie/data/contracten.yaml``), from 1 January of this year to the
end of next year (benchmarks/declaratie_keten.py, shared with tests/services/declaratie/test_crash.py). Each prestatie declares a month within what its toewijzing allows, at the contract's tariff,
so every prestatie is expected to be granted; the WMO325 says how many were not, and with which codes.

1. normaal: a WMO323 of --prestaties prestaties over --clienten clients (five per client), for the month
   before last. Timed: from the aanbieder's POST to the hub until the WMO325 is pushed to it, with the
   declaratie service collecting on ``POST /hub/ophalen`` (it reads the toewijzingen from the toewijzing
   service in one call, judges, stores the verdict and queues the WMO325 in one transaction, sends it).
   Target: under 5 s. The declaratie service's peak RSS (VmHWM of its process): target under 300 MB.
2. groot: a WMO323 of last month as close under the hub's limit (25 MiB, gateway.settings max_bytes) as whole
   prestaties allow, answered end to end the same way, on a freshly started declaratie service (so its
   peak RSS is this message's): target under 30 s; its size, prestaties, time and RSS.

Both print the time split (hub intake; collect, judge, answer; push to the aanbieder) and check that the
verdict the service stored (GET /declaraties) agrees with the WMO325. ``--profile FILE`` samples both
services with py-spy (``pip install py-spy``) during the timed part and prints where the time went. The machine has 2 cores and the
hub, both services, PostgreSQL and this script share them: expect noise of tens of percent.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

sys.path.append(str(Path(__file__).resolve().parent))
from bench_db import drop_database, recreate_database, test_bsns  # noqa: E402
from crash_safety import Gateway, add_party, free_port  # noqa: E402
from declaratie_keten import (  # noqa: E402
    AANBIEDER,
    GEMEENTE,
    PRODUCTEN,
    ROOT,
    Inbox,
    Service,
    code_telling,
    lees_wmo325,
    maand_terug,
    vul_toewijzingen,
    wmo323,
)
from loadgen import Receiver  # noqa: E402

from infra.http import MAX_BERICHT  # noqa: E402
from iwmo.validation import validate  # noqa: E402
from iwmo.xml import to_xml  # noqa: E402
from services.toewijzing.db import migrate as migrate_toewijzing  # noqa: E402

PREFIX = "postgresql+psycopg://postgres@127.0.0.1:5432"
HUB_DB, TW_DB, SVC_DB = "bench_declaratie_hub", "bench_declaratie_tw", "bench_declaratie_svc"
#: the API token of this script at the declaratie service, and of the declaratie service at the toewijzing service
API_TOKEN, TW_TOKEN = "benchmark-api-token-0123456789", "declaratie-api-token-0123456789"
TARGET_NORMAAL_S, TARGET_GROOT_S, TARGET_RSS_MB = 5.0, 30.0, 300.0


# --- the largest WMO323 the hub takes ------------------------------------------------------------

def grootste_onder(limiet: int, clienten: dict[str, list[int]], **kwargs: Any) -> tuple[bytes, int]:
    """The largest WMO323 of whole prestaties (five per client, the last client fewer) that is at most
    ``limiet`` bytes: every client's part has the same size (fixed-width numbers), so it is computed from
    two small messages and then built once (and trimmed should a total's extra digit tip it over)."""
    items = list(clienten.items())

    def grootte(n: int, laatste: int | None = None) -> int:
        return len(to_xml(wmo323(dict(items[:n]), laatste=laatste, **kwargs)))

    kop, per_client = grootte(1), grootte(2) - grootte(1)
    base = kop - per_client
    n = min(len(items), (limiet - base) // per_client)
    rest = limiet - base - n * per_client
    laatste = None
    if n < len(items):  # room for some prestaties of one client more?
        per = [grootte(2, k) - kop for k in range(1, len(PRODUCTEN))]
        passend = [k for k, size in enumerate(per, 1) if size <= rest]
        if passend:
            n, laatste = n + 1, max(passend)
    while True:
        xml = to_xml(wmo323(dict(items[:n]), laatste=laatste, **kwargs))
        if len(xml) <= limiet:
            aantal = (n - 1) * len(PRODUCTEN) + (laatste or len(PRODUCTEN))
            return xml, aantal
        n, laatste = (n, laatste - 1) if laatste and laatste > 1 else (n - 1, None)


# --- end to end ----------------------------------------------------------------------------------

@dataclass
class Keten:
    """The running chain: hub, toewijzing service, declaratie service and the aanbieder's inbox."""

    gateway: Gateway
    toewijzing: Service
    declaratie: Service
    inbox: Inbox
    aanbieder_token: str


def _functie(frame: str) -> str:
    """``name (path:line)`` of py-spy as ``name (path)``, the path from the package on."""
    m = re.match(r"(.*) \((.*):\d+\)$", frame)
    if m is None:
        return frame
    return f"{m.group(1)} ({m.group(2).split('site-packages/')[-1].replace(str(ROOT) + '/', '')})"


class Profiler:
    """py-spy sampling a process (``--profile``): collapsed stacks to a file, and where the time went."""

    def __init__(self, pid: int, path: str | None, route: str) -> None:
        self.path, self.route = path, route  # route: the function of the route whose stacks count
        self.proc = None if path is None else subprocess.Popen(
            [str(Path(sys.executable).parent / "py-spy"), "record", "--pid", str(pid), "--format", "raw", "--rate", "200",
             "--output", path, "--nonblocking", "--idle"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(0.5 if path else 0)  # py-spy attaches

    def stop(self) -> None:
        if self.proc is None or self.path is None:
            return
        self.proc.send_signal(signal.SIGINT)
        self.proc.wait(timeout=30)
        inclusief: dict[str, int] = {}
        eigen: dict[str, int] = {}
        totaal = 0
        for line in Path(self.path).read_text().splitlines():
            stack, _, n = line.rpartition(" ")
            frames = [_functie(f) for f in stack.split(";")]
            if not any(self.route in f for f in frames):
                continue  # idle threads
            totaal += int(n)
            eigen[frames[-1]] = eigen.get(frames[-1], 0) + int(n)
            for f in set(frames):
                inclusief[f] = inclusief.get(f, 0) + int(n)
        if not totaal:
            print(f"   py-spy: no samples in {self.route}")
            return
        print(f"   py-spy: {totaal} samples at 200/s in {self.route} ({totaal / 200:.2f} s of wall time, waiting included); inclusive:")
        for functie, aantal in sorted(inclusief.items(), key=lambda kv: -kv[1])[:40]:
            print(f"     {aantal / totaal:6.1%}  {functie}")
        print("   self:")
        for functie, aantal in sorted(eigen.items(), key=lambda kv: -kv[1])[:15]:
            print(f"     {aantal / totaal:6.1%}  {functie}")


def eind_tot_eind(keten: Keten, xml: bytes, *, timeout: float, profile: str | None = None) -> dict[str, float]:
    """POST the WMO323 to the hub as the aanbieder, have the declaratie service collect, judge and answer
    (POST /hub/ophalen), wait for the WMO325 pushed to the aanbieder; the seconds of each step."""
    voor = len(keten.inbox.wmo325)
    assert keten.declaratie.proc is not None
    assert keten.toewijzing.proc is not None
    profilers = [Profiler(keten.declaratie.proc.pid, profile, "post_ophalen"),
                 Profiler(keten.toewijzing.proc.pid, profile and profile + ".toewijzing", "post_opvragen")]
    start = time.monotonic()
    with httpx.Client(timeout=timeout) as client:
        r = client.post(f"http://127.0.0.1:{keten.gateway.port}/berichten", content=xml,
                        headers={"Authorization": f"Bearer {keten.aanbieder_token}", "Content-Type": "application/xml"})
        if r.status_code != 202:
            raise RuntimeError(f"the hub refused the WMO323 ({r.status_code}): {r.text[:300]}")
        intake = time.monotonic()
        r = client.post(f"{keten.declaratie.url}/hub/ophalen", headers={"Authorization": f"Bearer {API_TOKEN}"})
        r.raise_for_status()
        if r.json() != {"ontvangen": 1, "verzonden": 1}:
            raise RuntimeError(f"POST /hub/ophalen answered {r.json()}")
        verwerkt = time.monotonic()
    einde = keten.inbox.wait_for(voor + 1, timeout)
    for profiler in profilers:
        profiler.stop()
    return {"hub intake": intake - start, "collect, judge, answer": verwerkt - intake, "push": einde - verwerkt,
            "total": einde - start}


def opgeslagen(keten: Keten) -> dict[str, Any]:
    """The newest declaratie as the service stored it (GET /declaraties)."""
    r = httpx.get(f"{keten.declaratie.url}/declaraties", params={"limit": 1},
                  headers={"Authorization": f"Bearer {API_TOKEN}"}, timeout=60)
    r.raise_for_status()
    return dict(r.json()[0])


def rapporteer(naam: str, keten: Keten, xml: bytes, aantal: int, clienten: int, tijden: dict[str, float],
               target: float, rss_voor: float, rss_target: float | None) -> bool:
    antwoord = lees_wmo325(keten.inbox.wmo325[-1])
    d = opgeslagen(keten)
    rss = keten.declaratie.memory_mb()
    eens = (d["afgewezen"] == len(antwoord.afgewezen) and d["toegekend"] == antwoord.toegekend
            and d["prestaties"] == aantal)
    print(f"{naam}: WMO323 of {len(xml):,} bytes ({len(xml) / 2**20:.2f} MiB), {aantal:,} prestaties, {clienten:,} clients")
    print(f"   end to end {tijden['total']:.2f} s (target < {target:.0f} s: {'met' if tijden['total'] < target else 'NOT met'}): "
          + ", ".join(f"{k} {v:.2f} s" for k, v in tijden.items() if k != "total"))
    doel = "" if rss_target is None else f"target < {rss_target:.0f} MB: {'met' if rss < rss_target else 'NOT met'}; "
    print(f"   declaratie service peak RSS (VmHWM) {rss:.0f} MB ({doel}{rss_voor:.0f} MB after start)")
    print(f"   WMO325: {len(antwoord.afgewezen)} prestaties rejected ({code_telling(antwoord)}), codes {antwoord.codes}, "
          f"toegekend {antwoord.toegekend / 100:,.2f} euro; stored verdict: {d['status']}, {d['afgewezen']} rejected, "
          f"toegekend {d['toegekend'] / 100:,.2f} euro: {'agrees' if eens else 'DISAGREES'}")
    return bool(eens)


# --- main -------------------------------------------------------------------------------------

RUNNING: list[Gateway | Service] = []


def start_keten(hub_url: str, tw_url: str, svc_url: str) -> Keten:
    inbox = Inbox()
    receiver = Receiver(inbox)
    env = {**os.environ, "GATEWAY_DATABASE_URL": hub_url, "GATEWAY_PUSH_POLL_SECONDS": "0.05",
           "GATEWAY_LOG_LEVEL": "WARNING"}
    gemeente_token = add_party(env, "--gemeente", GEMEENTE)
    aanbieder_token = add_party(env, "--aanbieder", AANBIEDER, "--endpoint", receiver.url)
    gateway = Gateway(env, free_port())
    RUNNING.append(gateway)
    gateway.start()
    hub = f"http://127.0.0.1:{gateway.port}"
    toewijzing = Service("services.toewijzing.app:create_app", {
        **os.environ, "TOEWIJZING_DATABASE_URL": tw_url, "TOEWIJZING_GEMEENTE": GEMEENTE, "TOEWIJZING_POLL_SECONDS": "0",
        "TOEWIJZING_HUB_URL": hub, "TOEWIJZING_HUB_TOKEN": gemeente_token, "TOEWIJZING_LOG_LEVEL": "WARNING",
        "TOEWIJZING_API_TOKENS": json.dumps({"declaratie": TW_TOKEN})})
    RUNNING.append(toewijzing)
    toewijzing.start()
    declaratie = Service("services.declaratie.app:create_app", {
        **os.environ, "DECLARATIE_DATABASE_URL": svc_url, "DECLARATIE_GEMEENTE": GEMEENTE, "DECLARATIE_POLL_SECONDS": "0",
        "DECLARATIE_HUB_URL": hub, "DECLARATIE_HUB_TOKEN": gemeente_token, "DECLARATIE_LOG_LEVEL": "WARNING",
        "DECLARATIE_TOEWIJZING_URL": toewijzing.url, "DECLARATIE_TOEWIJZING_TOKEN": TW_TOKEN,
        "DECLARATIE_API_TOKENS": json.dumps({"benchmark": API_TOKEN})})
    RUNNING.append(declaratie)
    declaratie.start()
    return Keten(gateway, toewijzing, declaratie, inbox, aanbieder_token)


def _terminate(_signum: int, _frame: object) -> None:
    raise SystemExit(143)  # so that the finally below stops the processes


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--prestaties", type=int, default=10_000, help="prestaties in the normal WMO323 (default 10000)")
    ap.add_argument("--clienten", type=int, default=2000, help="its clients (default 2000; five prestaties each)")
    ap.add_argument("--only", choices=("normaal", "groot"), help="run one of the two measurements")
    ap.add_argument("--database-url-prefix", default=PREFIX,
                    help=f"PostgreSQL server URL without database (default {PREFIX})")
    ap.add_argument("--timeout", type=float, default=300, help="seconds to wait for a WMO325 (default 300)")
    ap.add_argument("--keep-databases", action="store_true", help="do not drop the databases at the end")
    ap.add_argument("--profile", metavar="FILE",
                    help="sample the declaratie service with py-spy (pip install py-spy) during each timed run and "
                         "print where its time went; the collapsed stacks stay in FILE.<run>")
    args = ap.parse_args()
    if args.prestaties != args.clienten * len(PRODUCTEN):
        ap.error(f"--prestaties must be {len(PRODUCTEN)} x --clienten (one prestatie per toewijzing)")
    prefix = args.database_url_prefix.rstrip("/")
    signal.signal(signal.SIGTERM, _terminate)
    threading.excepthook = lambda a: None  # the receiver thread ends with the process
    vandaag = dt.date.today()
    # the hub's limit (gateway.settings max_bytes, GATEWAY_MAX_BYTES; the services take the same, MAX_BERICHT):
    # the package ``gateway`` cannot be imported from here, benchmarks/gateway.py has its name
    limiet = int(os.environ.get("GATEWAY_MAX_BYTES", MAX_BERICHT))
    urls = {name: recreate_database(prefix, name) for name in (HUB_DB, TW_DB, SVC_DB)}
    goed = True
    try:
        migrate_toewijzing(urls[TW_DB])
        t = time.monotonic()
        # enough clients for the large message too (about 900 bytes a prestatie)
        groot_clienten = limiet // 850 // len(PRODUCTEN) + 1
        bsns = test_bsns(30_000_000, max(args.clienten, groot_clienten))
        nummers = vul_toewijzingen(urls[TW_DB], bsns, ingang=dt.date(vandaag.year, 1, 1),
                                   eind=dt.date(vandaag.year + 1, 12, 31), vandaag=vandaag)
        print(f"set-up: {len(bsns) * len(PRODUCTEN):,} toewijzingen of {len(bsns):,} clients bulk-inserted "
              f"in {time.monotonic() - t:.1f} s (not timed); machine: {os.cpu_count()} cores, shared with the hub, "
              "both services and PostgreSQL")
        keten = start_keten(urls[HUB_DB], urls[TW_DB], urls[SVC_DB])
        if args.only != "groot":
            clienten = dict(list(nummers.items())[:args.clienten])
            xml = to_xml(wmo323(clienten, maand=maand_terug(vandaag, 2), declaratienummer="BENCH1",
                                ident="BENCH-1", dagtekening=vandaag, referentie_prefix="N"))
            rapport = validate(xml, today=vandaag)
            if not rapport.valid:
                raise RuntimeError(f"the WMO323 built is not valid: {[f.as_dict() for f in rapport.fouten[:3]]}")
            rss_voor = keten.declaratie.memory_mb("VmRSS")
            tijden = eind_tot_eind(keten, xml, timeout=args.timeout,
                                   profile=args.profile and args.profile + ".normaal")
            goed &= rapporteer("1. normaal", keten, xml, args.prestaties, len(clienten), tijden, TARGET_NORMAAL_S,
                               rss_voor, TARGET_RSS_MB)
        if args.only != "normaal":
            keten.declaratie.stop()  # a fresh process: its peak RSS is this message's
            keten.declaratie.start()
            t = time.monotonic()
            xml, aantal = grootste_onder(limiet, nummers, maand=maand_terug(vandaag, 1), declaratienummer="BENCH2",
                                         ident="BENCH-2", dagtekening=vandaag, referentie_prefix="G")
            print(f"   (the large WMO323 built in {time.monotonic() - t:.1f} s, not timed; {limiet - len(xml)} bytes "
                  f"under the hub's limit of {limiet:,})")
            rss_voor = keten.declaratie.memory_mb("VmRSS")
            tijden = eind_tot_eind(keten, xml, timeout=args.timeout, profile=args.profile and args.profile + ".groot")
            clienten_groot = -(-aantal // len(PRODUCTEN))
            goed &= rapporteer("2. groot", keten, xml, aantal, clienten_groot, tijden, TARGET_GROOT_S, rss_voor, None)
    finally:
        for proc in reversed(RUNNING):
            try:
                proc.stop()
            except Exception as exc:  # keep stopping the others
                print(f"could not stop {type(proc).__name__}: {exc}", file=sys.stderr)
        if not args.keep_databases:
            for name in urls:
                drop_database(prefix, name)
    if not goed:
        sys.exit(1)


if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt:  # the processes were stopped and the databases dropped in main's finally
        sys.exit(130)
