"""``iwmo aanbieder ...``: command the provider stand-in over its JSON API (it must be running); the arguments
are in :mod:`services.aanbieder.commands`."""

from __future__ import annotations

import argparse
import json
from typing import Any, TextIO
from urllib.parse import urlencode

import httpx

from infra.auth import PartyTokens
from infra.problem_text import describe
from infra.tokenfile import read_tokens


def _verzoek(args: argparse.Namespace) -> tuple[str, str, dict[str, Any] | None]:
    pad = f"/aanbieders/{args.agb}"
    c = args.aanbieder_command
    if c == "start":
        return "POST", f"{pad}/starts", {"toewijzingnummer": args.toewijzing, "begindatum": args.begindatum,
                                         "status_aanlevering": args.status}
    if c == "stop":
        body = {"toewijzingnummer": args.toewijzing, "einddatum": args.einddatum, "reden": args.reden}
        return "POST", f"{pad}/stops", {**body, **({"begindatum": args.begindatum} if args.begindatum else {})}
    if c == "verzoek":
        return "POST", f"{pad}/verzoeken/{args.soort}", json.load(args.bestand)
    if c == "declareer":
        body = {"gemeente": args.gemeente, "maand": args.maand, "fouten": args.fout or [], "meer": args.meer,
                "bsn": args.bsn, "corrigeer": args.corrigeer}
        return "POST", f"{pad}/declaraties", {k: v for k, v in body.items() if v is not None}
    filters = {"bsn": getattr(args, "bsn", None), "bericht": getattr(args, "bericht", None),
               "richting": getattr(args, "richting", None), "na": getattr(args, "na", None),
               "limit": getattr(args, "limit", None),
               "nieuwste_eerst": "true" if getattr(args, "nieuwste_eerst", False) else None}
    query = urlencode({k: v for k, v in filters.items() if v is not None})
    return "GET", f"{pad}/{c}" + (f"?{query}" if query else ""), None


def main(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    methode, pad, body = _verzoek(args)
    try:
        tokens = {args.agb: args.token} if args.token else read_tokens(args.tokens).get("aanbieder", {})
    except ValueError as exc:
        print(f"iwmo aanbieder: {exc}", file=err)
        return 2
    try:
        r = httpx.request(methode, args.url + pad, json=body, timeout=30, auth=PartyTokens(tokens))
    except httpx.HTTPError as exc:
        print(f"iwmo aanbieder: stand-in niet bereikbaar op {args.url}: {exc}", file=err)
        return 2
    try:
        antwoord = r.json()
    except ValueError:
        antwoord = r.text
    if r.status_code >= 400:
        for regel in describe(r.status_code, antwoord):
            print(f"iwmo aanbieder: {regel}", file=err)
        if r.status_code in (401, 403):
            bron = "--token / AANBIEDER_API_TOKEN" if args.token else f"{args.tokens} (--tokens of IWMO_API_TOKENS)"
            print(f"iwmo aanbieder: het API-token van {args.agb} kwam uit {bron}", file=err)
        return 1
    print(json.dumps(antwoord, indent=2, ensure_ascii=False), file=out)
    return 0
