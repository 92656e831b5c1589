"""``iwmo scenario run FILE...``: replay scenarios against a running suite (``make run``); the arguments are in
:mod:`services.scenario.commands`."""

from __future__ import annotations

import argparse
from typing import TextIO

import httpx

from infra.auth import PartyTokens
from infra.problem_text import describe
from infra.tokenfile import read_tokens
from services.scenario.runner import Keten, run


def _detail(r: httpx.Response) -> str:
    try:
        return "; ".join(describe(r.status_code, r.json()))
    except ValueError:
        return f"HTTP {r.status_code}"


def main(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    try:
        tokens = read_tokens(args.tokens)
    except ValueError as exc:
        print(f"iwmo scenario: {exc}", file=err)
        return 2
    with httpx.Client(base_url=args.gemeente, timeout=30, auth=PartyTokens(tokens.get("toewijzing", {}))) as g, \
            httpx.Client(base_url=args.aanbieder, timeout=30, auth=PartyTokens(tokens.get("aanbieder", {}))) as a, \
            httpx.Client(base_url=args.plan, timeout=30, auth=PartyTokens(tokens.get("plan", {}))) as p, \
            httpx.Client(base_url=args.declaratie, timeout=30, auth=PartyTokens(tokens.get("declaratie", {}))) as d:
        for naam, client, pad in (("toewijzingsservice", g, "/verzoeken"), ("aanbieder-stand-in", a, "/partijen"),
                                  ("plan-service", p, "/normenkaders"), ("declaratie-service", d, "/te-betalen")):
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
        _goed, fout = run(args.bestanden, Keten(g, a, p, d), out, timeout=args.timeout)
    return 1 if fout else 0
