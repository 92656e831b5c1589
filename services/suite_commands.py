"""``iwmo suite``: the command's face (help and arguments), registered under the entry-point group
``iwmo.commands``. It imports nothing heavy: :mod:`services.suite` loads only when the command runs.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TextIO

HELP = "de hele keten lokaal starten (wat `make run` doet)"


def add_arguments(s: argparse.ArgumentParser) -> None:
    s.description = ("Start de hub (8000), de toewijzingsservice (8001), de plan-service (8002, met het "
                     "demonstratienormenkader; een resultaat-WMO301 wacht op een vastgesteld plan) en de "
                     "aanbieder-stand-in (8010) als aparte processen op SQLite onder --var, registreert de "
                     "demopartijen (gemeente 0363, aanbieders 12345678 en 87654321), wacht tot elke /health "
                     "antwoordt en toont wat u kunt openen. Ctrl-C stopt alles. Daarna: make demo.")
    s.add_argument("--var", type=Path, default=Path("var"), help="map voor databases, tokens en logs (standaard ./var)")
    s.add_argument("--basispoort", type=int, default=8000,
                   help="hub op deze poort, toewijzing +1, plan +2, stand-in +10 (standaard 8000)")


def main(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from services import suite

    return suite.main(args, out, err)
