"""``iwmo scenario run FILE...``: the command's face (help and arguments), registered under the entry-point
group ``iwmo.commands``. It imports nothing heavy: :mod:`services.scenario.cli` (httpx, YAML) loads only
when the command runs.
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path
from typing import TextIO

from infra.tokenfile import TOKENS_PATH

HELP = "scenario's (YAML) afspelen tegen de draaiende keten"
GEMEENTE_URL = os.environ.get("TOEWIJZING_URL", "http://127.0.0.1:8001")
AANBIEDER_URL = os.environ.get("AANBIEDER_URL", "http://127.0.0.1:8010")
PLAN_URL = os.environ.get("PLAN_URL", "http://127.0.0.1:8002")
DECLARATIE_URL = os.environ.get("DECLARATIE_URL", "http://127.0.0.1:8003")


def add_arguments(s: argparse.ArgumentParser) -> None:
    s.description = ("Speelt scenario's stap voor stap af tegen de draaiende keten (make run) en "
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
    r.add_argument("--plan", default=PLAN_URL, help=f"plan-service (standaard {PLAN_URL}; of PLAN_URL)")
    r.add_argument("--declaratie", default=DECLARATIE_URL,
                   help=f"declaratie-service (standaard {DECLARATIE_URL}; of DECLARATIE_URL)")
    r.add_argument("--tokens", type=Path, default=TOKENS_PATH,
                   help=f"de API-tokens van de diensten, zoals make run ze schrijft (standaard {TOKENS_PATH}; "
                        "of IWMO_API_TOKENS)")
    r.add_argument("--timeout", type=float, default=30.0,
                   help="seconden dat een verwachting mag duren (berichten reizen asynchroon; standaard 30)")


def main(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from services.scenario import cli

    return cli.main(args, out, err)
