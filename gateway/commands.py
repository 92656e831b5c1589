"""``iwmo gateway ...``: the command's face (help and arguments), registered under the entry-point group
``iwmo.commands``. It imports nothing heavy: the hub's code (:mod:`gateway.cli`) loads only when the
command runs, so ``iwmo --help`` and ``iwmo validate`` stay fast.
"""

from __future__ import annotations

import argparse
from typing import TextIO

HELP = "de hub (GGK/VECOZO-simulatie) draaien en beheren"


def add_arguments(g: argparse.ArgumentParser) -> None:
    g.description = "De hub. Database: GATEWAY_DATABASE_URL (standaard sqlite:///./var/gateway.db)."
    gsub = g.add_subparsers(dest="gateway_command", required=True, metavar="ACTIE")
    s = gsub.add_parser("serve", help="start de hub (migreert de database eerst)")
    s.add_argument("--host", default="127.0.0.1", help="adres om op te luisteren (standaard 127.0.0.1)")
    s.add_argument("--port", type=int, default=8000, help="poort (standaard 8000)")
    s.add_argument("--workers", type=int, default=1,
                   help="aantal API-processen (PostgreSQL aanbevolen bij meer dan 1); bij meer dan 1 levert "
                        "een eigen proces de push-berichten af")
    gsub.add_parser("push", help="alleen push-aflevering draaien (een eigen proces; op PostgreSQL mogen er meer "
                                 "naast elkaar draaien)",
                    description="Levert berichten af aan partijen met een endpoint tot SIGTERM of Ctrl-C. "
                                "Zet dan GATEWAY_PUSH_ENABLED=false voor de API-processen.")
    a = gsub.add_parser("add-party", help="registreer een gemeente of aanbieder; de laatste regel is het token")
    who = a.add_mutually_exclusive_group(required=True)
    who.add_argument("--gemeente", metavar="CBS", help="4-cijferige CBS-gemeentecode, bijv. 0363")
    who.add_argument("--aanbieder", metavar="AGB", help="8-cijferige AGB-code")
    a.add_argument("--endpoint", help="URL waarop de hub berichten aflevert (push); zonder: ophalen (pull)")
    a.add_argument("--naam", help="naam van de partij (alleen ter informatie)")
    g2 = gsub.add_parser("push-geheim", help="een nieuw push-geheim voor een partij met endpoint (de hub ondertekent "
                                             "ook nog met het vorige, tot de volgende vervanging)")
    g2.add_argument("code", help="CBS- of AGB-code van de partij")
    r = gsub.add_parser("route", help="berichttypen van een partij naar een endpoint laten pushen, of laten ophalen",
                        description="Een gemeente draait meerdere diensten, elk met eigen berichttypen (toewijzing: "
                                    "WMO302/305/307/315/317/320; declaratie: WMO323). Een route zegt per type waar de "
                                    "berichten heen gaan: --endpoint URL (push) of --ophalen (de eigenaar haalt ze "
                                    "op). Zonder --bericht: de routes van de partij tonen. Drukt het push-geheim af.")
    r.add_argument("code", help="CBS- of AGB-code van de partij")
    r.add_argument("--bericht", action="append", default=[], metavar="WMO3xx", help="berichttype (herhaalbaar)")
    doel = r.add_mutually_exclusive_group()
    doel.add_argument("--endpoint", help="URL waarop de hub deze typen aflevert (push)")
    doel.add_argument("--ophalen", action="store_true", help="deze typen wachten tot hun eigenaar ze ophaalt")
    doel.add_argument("--weg", action="store_true", help="de routes weghalen: het eigen endpoint van de partij geldt weer")
    gsub.add_parser("wachtend", help="wat nog niet is afgeleverd, per ontvanger en berichttype (hoeveel, sinds, hoe)")


def main(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from gateway import cli

    return cli.main(args, out, err)
