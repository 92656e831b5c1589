"""``iwmo aanbieder ...``: the command's face (help and arguments), registered under the entry-point group
``iwmo.commands``. It imports nothing heavy: :mod:`services.aanbieder.cli` (httpx) loads only when the
command runs.
"""

from __future__ import annotations

import argparse
import os
from collections.abc import Callable
from pathlib import Path
from typing import TextIO

from infra.tokenfile import TOKENS_PATH

HELP = "de aanbieder-stand-in bedienen: starten, stoppen, verzoeken, overzichten"
URL = os.environ.get("AANBIEDER_URL", "http://127.0.0.1:8010")


def code_uit(lijst: str) -> Callable[[str], str]:
    """An argument type for a code of ``lijst``: a wrong one is a usage error that lists the allowed codes
    (the code lists are read only then)."""

    def code(waarde: str) -> str:
        from iwmo import codelijsten

        if waarde not in codelijsten.codes(lijst):
            keuzes = ", ".join(f"{c} ({codelijsten.betekenis(lijst, c)})" for c in codelijsten.codes(lijst))
            raise argparse.ArgumentTypeError(f"{waarde!r} is geen {codelijsten.naam(lijst)} ({lijst}); "
                                             f"kies uit: {keuzes}")
        return waarde

    code.__name__ = lijst  # argparse names the type in its message
    return code


def add_arguments(a: argparse.ArgumentParser) -> None:
    a.description = ("Stuurt opdrachten naar de draaiende stand-in (services/aanbieder). Het antwoord "
                     "is JSON; exit 1 als de stand-in weigert (met de reden), 2 als hij niet bereikbaar is.")
    a.add_argument("--url", default=URL, help=f"de stand-in (standaard {URL}; of AANBIEDER_URL)")
    a.add_argument("--token", default=os.environ.get("AANBIEDER_API_TOKEN"),
                   help="het API-token van deze aanbieder bij de stand-in (of AANBIEDER_API_TOKEN); standaard uit "
                        "--tokens")
    a.add_argument("--tokens", type=Path, default=TOKENS_PATH,
                   help=f"de API-tokens zoals make run ze schrijft (standaard {TOKENS_PATH}; of IWMO_API_TOKENS)")
    asub = a.add_subparsers(dest="aanbieder_command", required=True, metavar="ACTIE")

    def cmd(naam: str, hulp: str) -> argparse.ArgumentParser:
        p = asub.add_parser(naam, help=hulp)
        p.add_argument("agb", help="de AGB-code van de aanbieder die de stand-in speelt, bijv. 12345678")
        return p

    s = cmd("start", "start van de levering melden (WMO305)")
    s.add_argument("--toewijzing", type=int, required=True, help="ToewijzingNummer")
    s.add_argument("--begindatum", required=True, help="JJJJ-MM-DD")
    s.add_argument("--status", default="1", choices=["1", "3"], help="1 nieuw, 3 verwijderen (corrigeren: verwijderen "
                   "en opnieuw sturen)")
    t = cmd("stop", "stop van de levering melden (WMO307)")
    t.add_argument("--toewijzing", type=int, required=True, help="ToewijzingNummer")
    t.add_argument("--einddatum", required=True, help="JJJJ-MM-DD")
    t.add_argument("--reden", required=True, type=code_uit("WMO588"),
                   help="RedenBeeindiging (WMO588), bijv. 19 (doelen bereikt); een onbekende code: de lijst")
    t.add_argument("--begindatum", help="van de start (standaard die van de laatste start)")
    v = cmd("verzoek", "verzoek om toewijzing (WMO315) of om wijziging (WMO317) versturen, uit een JSON-bestand")
    v.add_argument("soort", choices=["toewijzing", "wijziging"])
    v.add_argument("bestand", type=argparse.FileType("r"), help="de JSON-body (zie /docs van de stand-in); - = stdin")
    d = cmd("declareer", "een maand declareren (WMO323) uit wat geleverd is; het oordeel komt met de WMO325")
    d.add_argument("--maand", required=True, help="de declaratieperiode, JJJJ-MM")
    d.add_argument("--gemeente", default="0363", help="de gemeente (standaard 0363)")
    d.add_argument("--bsn", help="alleen voor deze client")
    d.add_argument("--meer", type=int, default=0,
                   help="zoveel eenheden meer dan de omvang over de periode (negatief: minder, niet geleverd)")
    d.add_argument("--corrigeer", metavar="JJJJ-MM",
                   help="een eerdere maand: elke toegekende debetprestatie ervan crediteren en opnieuw declareren")
    d.add_argument("--fout", action="append",
                   choices=["tarief", "volume", "periode", "toewijzing", "verwijderd", "dubbel"],
                   help="een fout inbouwen (herhaalbaar): tarief (TR418), volume (TR321), periode (TR387), "
                        "toewijzing (TR338), verwijderd (ook verwijderde toewijzingen: TR384), dubbel (ook wat al "
                        "toegekend is: TR389)")
    w = cmd("toewijzingen", "de ontvangen toewijzingen met starts en stops")
    w.add_argument("--bsn", help="alleen die van deze client")
    cmd("verzoeken", "de verzonden verzoeken en hun uitkomst")
    b = cmd("berichten", "de berichten in en uit, oudste eerst")
    b.add_argument("--bericht", help="alleen dit berichttype, bijv. WMO301")
    b.add_argument("--richting", choices=["in", "uit"], help="alleen ontvangen (in) of verzonden (uit)")
    b.add_argument("--na", type=int, help="alleen berichten met een hoger id")
    b.add_argument("--nieuwste-eerst", action="store_true", help="nieuwste eerst (met --limit: de laatste)")
    b.add_argument("--limit", type=int, help="hoeveel (standaard 200)")


def main(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from services.aanbieder import cli

    return cli.main(args, out, err)
