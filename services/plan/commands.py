"""``iwmo plan ...``: the command's face (help and arguments), registered under the entry-point group
``iwmo.commands``. The work is in :mod:`services.plan.cli`, imported only when the command runs."""

from __future__ import annotations

import argparse
import os
from pathlib import Path
from typing import TextIO

HELP = "normenkader en ondersteuningsplan: tijd berekenen, bezwaartermijn, normenkader controleren of publiceren"
URL = os.environ.get("PLAN_URL", "http://127.0.0.1:8002")


def add_arguments(a: argparse.ArgumentParser) -> None:
    a.description = ("Rekent een ondersteuningsplan door tegen een normenkader (de tijd per activiteit en in totaal, "
                     "per week en per jaar), geeft de laatste dag van de bezwaartermijn, controleert een "
                     "normenkaderbestand of publiceert het bij de plan-service. De bestandsformaten staan in "
                     "docs/plan.md. Exit 0 bij succes, 1 als het bestand niet klopt (met plek en reden), 2 bij een "
                     "leesfout of een onbereikbare service.")
    psub = a.add_subparsers(dest="plan_command", required=True, metavar="ACTIE")
    b = psub.add_parser("bereken", help="de tijd van een plan: per activiteit en in totaal, per week en per jaar")
    b.add_argument("normenkader", type=Path, help="het normenkader (YAML of JSON)")
    b.add_argument("plan", type=Path, help="het plan (YAML of JSON), zoals 'inhoud' in de API")
    b.add_argument("--format", choices=["text", "json"], default="text")
    t = psub.add_parser("termijn", help="de laatste dag van de bezwaartermijn (Awb 6:7, 6:8, Algemene termijnenwet)")
    t.add_argument("--bekendmaking", required=True, help="de dag van bekendmaking, JJJJ-MM-DD")
    t.add_argument("--format", choices=["text", "json"], default="text")
    c = psub.add_parser("controleer", help="een normenkaderbestand controleren (zonder het te publiceren)")
    c.add_argument("normenkader", type=Path)
    p = psub.add_parser("publiceer", help="een normenkaderbestand publiceren bij de draaiende plan-service")
    p.add_argument("normenkader", type=Path)
    p.add_argument("--url", default=URL, help=f"de plan-service (standaard {URL}; of PLAN_URL)")
    p.add_argument("--token", default=os.environ.get("PLAN_API_TOKEN"),
                   help="een API-token van de plan-service (of PLAN_API_TOKEN; standaard uit var/suite/api-tokens.json)")


def main(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from services.plan import cli

    return cli.main(args, out, err)
