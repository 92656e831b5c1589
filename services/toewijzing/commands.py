"""``iwmo gemeente ...``: the command's face (help and arguments), registered under the entry-point group
``iwmo.commands``. It imports nothing heavy: :mod:`services.toewijzing.cli` (httpx, yaml) loads only when
the command runs."""

from __future__ import annotations

import argparse
import os
from pathlib import Path
from typing import TextIO

from infra.tokenfile import TOKENS_PATH

HELP = "de gemeente bedienen (toewijzing-service): beschikken, clienten, toewijzingen, wachtende berichten, export"
URL = os.environ.get("TOEWIJZING_URL", "http://127.0.0.1:8001")
#: the caller whose token in the tokens file the command uses (``iwmo suite`` makes it for people)
BELLER = "medewerker"
CLIENT_STATUS = ("actueel", "onbeantwoord", "geaccepteerd", "afgewezen")
BERICHT_STATUS = ("te-verzenden", "verzonden", "afgekeurd", "fout", "verwerkt")
#: what ``wachtend`` shows unless --status says otherwise
WACHTEND = ("te-verzenden", "afgekeurd", "fout")

EXIT_CODES = ("Exit 0: gelukt; 1: de service weigert (de reden staat op stderr, bijv. een onbekende client of een "
              "toewijzing die niet verwijderd mag worden); 2: verkeerde aanroep, een onleesbaar bestand, geen "
              "API-token, of de service is niet bereikbaar.")


def _gemeen() -> argparse.ArgumentParser:
    """The options every action takes."""
    p = argparse.ArgumentParser(add_help=False)
    p.add_argument("--url", default=URL, help=f"de toewijzing-service (standaard {URL}; of TOEWIJZING_URL)")
    p.add_argument("--token", default=os.environ.get("TOEWIJZING_API_TOKEN"),
                   help=f"een API-token van de service (of TOEWIJZING_API_TOKEN); standaard dat van '{BELLER}' "
                        "uit --tokens")
    p.add_argument("--tokens", type=Path, default=TOKENS_PATH,
                   help=f"de API-tokens zoals make run ze schrijft (standaard {TOKENS_PATH}; of IWMO_API_TOKENS)")
    p.add_argument("--json", action="store_true",
                   help="het antwoord van de service als JSON (voor scripts) in plaats van een tabel")
    return p


def _pagina(p: argparse.ArgumentParser) -> None:
    p.add_argument("--limit", type=int, default=100, help="hoeveel per pagina (standaard 100, hoogstens 1000)")
    p.add_argument("--na", type=int, help="verder na dit id (de regel 'meer: --na N' onder de vorige pagina)")
    p.add_argument("--alle", action="store_true", help="alle pagina's na elkaar ophalen")


def _filters(p: argparse.ArgumentParser) -> None:
    p.add_argument("--aanbieder", help="alleen van deze aanbieder (AGB-code)")
    p.add_argument("--bsn", help="alleen van deze client")
    p.add_argument("--categorie", help="alleen deze productcategorie, bijv. 01")
    p.add_argument("--product", help="alleen deze productcode, bijv. 01A01")
    p.add_argument("--actief-op", metavar="JJJJ-MM-DD", help="alleen wat op deze dag geldt (niet verwijderd)")
    p.add_argument("--wijze", choices=["uren", "resultaat"], help="alleen in uren of als resultaat toegewezen")


def add_arguments(a: argparse.ArgumentParser) -> None:
    a.set_defaults(beller=BELLER, wachtend=WACHTEND)  # for the command's code, which does not import this face
    a.description = ("Praat met de draaiende toewijzing-service van de gemeente (make run start hem op poort 8001) "
                     "over zijn JSON-API, met het API-token uit var/suite/api-tokens.json. Standaard een leesbare "
                     "tabel; --json geeft het antwoord van de service. Lijsten komen per pagina, oudste eerst; "
                     "staat er meer, dan zegt de laatste regel (op stderr) hoe verder. " + EXIT_CODES)
    a.epilog = "Voorbeeld: iwmo gemeente wachtend   (wat nog niet weg is of is afgekeurd, en waarom)"
    gsub = a.add_subparsers(dest="gemeente_command", required=True, metavar="ACTIE")
    gemeen = _gemeen()

    def cmd(naam: str, hulp: str, uitleg: str) -> argparse.ArgumentParser:
        return gsub.add_parser(naam, help=hulp, description=f"{uitleg} {EXIT_CODES}", parents=[gemeen])

    b = cmd("beschik", "een beschikking vastleggen en toewijzen (WMO301) uit een JSON- of YAML-bestand",
            "Legt de beschikking vast (POST /beschikkingen) en toont wat de client nu is toegewezen; de WMO301 "
            "gaat via de hub naar de aanbieder. Het bestand is de body van POST /beschikkingen (zie "
            "docs/voorbeelden/beschikking.json en /docs van de service).")
    b.add_argument("bestand", type=argparse.FileType("r", encoding="utf-8"),
                   help="de beschikking als JSON of YAML; - = stdin")
    c = cmd("clienten", "de clienten, met hun aantal toewijzingen en aanbieders",
            "Lijst de clienten (GET /clienten), oudste eerst, 100 per pagina.")
    c.add_argument("--aanbieder", help="alleen clienten met een toewijzing van deze aanbieder (AGB-code)")
    c.add_argument("--status", choices=CLIENT_STATUS,
                   help="alleen clienten met een toewijzing die actueel is (vandaag of later), waar de aanbieder nog "
                        "niet op antwoordde (onbeantwoord), of die hij geaccepteerd of afgewezen heeft")
    _pagina(c)
    o = cmd("client", "alles van een client: toewijzingen, verzoeken en berichten",
            "Toont wat de client is toegewezen, door wie, sinds wanneer, of de zorg gestart is, zijn verzoeken en "
            "elk bericht met zijn retour (GET /clienten/{bsn}). Exit 1 als de gemeente de client niet kent.")
    o.add_argument("bsn", help="het BSN van de client")
    t = cmd("toewijzingen", "de toewijzingen, met filters",
            "Lijst de toewijzingen (GET /toewijzingen), oudste eerst, 100 per pagina; elk gegeven filter geldt.")
    _filters(t)
    _pagina(t)
    w = cmd("wachtend", "berichten die wachten of zijn afgekeurd, met de reden",
            "Lijst de berichten die nog niet weg zijn (te-verzenden, met waarop ze wachten en sinds wanneer), die "
            "de ontvanger afkeurde (afgekeurd, met de retourcodes) en die de hub weigerde (fout) "
            "(GET /berichten).")
    w.add_argument("--status", action="append", choices=BERICHT_STATUS,
                   help="alleen deze status (herhaalbaar; standaard: " + ", ".join(WACHTEND) + ")")
    w.add_argument("--bericht", help="alleen dit berichttype, bijv. WMO301")
    _pagina(w)
    v = cmd("verwijder", "een ten onrechte verzonden toewijzing verwijderen (WMO301, reden 13)",
            "Verwijdert de toewijzing (POST /toewijzingen/{nummer}/verwijderen): een WMO301 met Einddatum = "
            "Ingangsdatum en RedenWijziging 13 gaat naar de aanbieder. Exit 1 als dat niet mag (bijv. de "
            "aanbieder meldde al een start).")
    v.add_argument("nummer", type=int, help="het ToewijzingNummer")
    e = cmd("export", "de toewijzingen als CSV (met BSN, tenzij --zonder-bsn)",
            "Schrijft alle toewijzingen die aan de filters voldoen als CSV (GET /toewijzingen/export.csv) naar "
            "stdout of --uit. Met BSN, voor de eigen administratie van de gemeente; --zonder-bsn voor wie het "
            "BSN niet hoeft.")
    _filters(e)
    e.add_argument("--zonder-bsn", action="store_true", help="zonder de kolom bsn")
    e.add_argument("--uit", type=Path, metavar="BESTAND", help="naar dit bestand (standaard stdout)")


def main(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from services.toewijzing import cli

    return cli.main(args, out, err)
