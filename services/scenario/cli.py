"""``iwmo scenario run FILE...``: replay scenarios against a running suite (``make run``)."""

from __future__ import annotations

import argparse
import os
from pathlib import Path
from typing import TextIO

import httpx

from infra.auth import TOKENS_PATH, PartyTokens, read_tokens
from services.scenario.runner import Keten, run

GEMEENTE_URL = os.environ.get("TOEWIJZING_URL", "http://127.0.0.1:8001")
AANBIEDER_URL = os.environ.get("AANBIEDER_URL", "http://127.0.0.1:8010")


def add_arguments(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    s = sub.add_parser("scenario", help="scenario's (YAML) afspelen tegen de draaiende keten",
                       description="Speelt scenario's stap voor stap af tegen de draaiende keten (make run) en "
                                   "zegt per stap wat er gebeurde; de laatste regel is 'N passed, M failed'. "
                                   "Exit 0 als alles slaagt, 1 als er iets mislukt, 2 als de keten niet bereikbaar "
                                   "is. Het formaat staat in docs/scenarios.md.")
    ssub = s.add_subparsers(dest="scenario_command", required=True, metavar="ACTIE")
    r = ssub.add_parser("run", help="scenario-bestanden afspelen",
                        description="Speelt elk scenario-bestand af tegen de draaiende keten (make run): per stap "
                                    "wat er gebeurde, als laatste regel 'N passed, M failed'. Exit 0 als alles "
                                    "slaagt, 1 als er iets mislukt, 2 als de keten niet bereikbaar is of de "
                                    "API-tokens weigert. Formaat: docs/scenarios.md.")
    r.add_argument("bestanden", nargs="+", type=Path, metavar="FILE",
                   help="scenario's (YAML), bijv. scenarios/*.yaml")
    r.add_argument("--gemeente", default=GEMEENTE_URL, help=f"toewijzingsservice (standaard {GEMEENTE_URL})")
    r.add_argument("--aanbieder", default=AANBIEDER_URL, help=f"aanbieder-stand-in (standaard {AANBIEDER_URL})")
    r.add_argument("--tokens", type=Path, default=TOKENS_PATH,
                   help=f"de API-tokens van beide diensten, zoals make run ze schrijft (standaard {TOKENS_PATH}; "
                        "of IWMO_API_TOKENS)")
    r.add_argument("--timeout", type=float, default=30.0,
                   help="seconden dat een verwachting mag duren (berichten reizen asynchroon; standaard 30)")


def _detail(r: httpx.Response) -> str:
    try:
        return str(r.json().get("detail"))
    except (ValueError, AttributeError):
        return f"HTTP {r.status_code}"


def main(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    try:
        tokens = read_tokens(args.tokens)
    except ValueError as exc:
        print(f"iwmo scenario: {exc}", file=err)
        return 2
    with httpx.Client(base_url=args.gemeente, timeout=30, auth=PartyTokens(tokens.get("toewijzing", {}))) as g, \
            httpx.Client(base_url=args.aanbieder, timeout=30, auth=PartyTokens(tokens.get("aanbieder", {}))) as a:
        for naam, client, pad in (("toewijzingsservice", g, "/verzoeken"), ("aanbieder-stand-in", a, "/partijen")):
            try:
                client.get("/health").raise_for_status()
                toegelaten = client.get(pad)
            except httpx.HTTPError as exc:
                print(f"iwmo scenario: {naam} niet bereikbaar op {client.base_url} ({exc}); draait `make run`?",
                      file=err)
                return 2
            if toegelaten.status_code in (401, 403):
                print(f"iwmo scenario: {naam} laat ons niet toe ({_detail(toegelaten)}); "
                      f"de API-tokens komen uit {args.tokens} (--tokens)", file=err)
                return 2
        _goed, fout = run(args.bestanden, Keten(g, a), out, timeout=args.timeout)
    return 1 if fout else 0
