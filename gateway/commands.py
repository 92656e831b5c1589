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


def main(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from gateway import cli

    return cli.main(args, out, err)
