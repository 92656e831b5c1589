"""``iwmo migrate SERVICE``: bring a service's database to its newest schema (Alembic), then exit.

Every service also migrates when it starts (``*_MIGRATE_ON_START``, default true); in production, where
several processes start at once, run this first and switch that off (docker-compose.yml does so).
The database URL is the service's own setting (``GATEWAY_DATABASE_URL``, ``TOEWIJZING_DATABASE_URL``,
``PLAN_DATABASE_URL``, ``DECLARATIE_DATABASE_URL``, ``AANBIEDER_DATABASE_URL``) unless ``--url`` is given.
"""

from __future__ import annotations

import argparse
import importlib
from typing import Any, TextIO

#: service -> (its settings class, its migrate function), as "module:name"
DIENSTEN = {
    "gateway": ("gateway.settings:GatewaySettings", "gateway.db:migrate"),
    "toewijzing": ("services.toewijzing.settings:ToewijzingSettings", "services.toewijzing.db:migrate"),
    "plan": ("services.plan.settings:PlanSettings", "services.plan.db:migrate"),
    "declaratie": ("services.declaratie.settings:DeclaratieSettings", "services.declaratie.db:migrate"),
    "aanbieder": ("services.aanbieder.settings:AanbiederSettings", "services.aanbieder.db:migrate"),
}


def _laad(pad: str) -> Any:
    module, naam = pad.split(":")
    return getattr(importlib.import_module(module), naam)


#: the command's line in ``iwmo --help``; this module is light, so it is its own entry point (``iwmo.commands``)
HELP = "de database van een dienst bijwerken naar het nieuwste schema"


def add_arguments(m: argparse.ArgumentParser) -> None:
    m.description = __doc__.split("\n\n")[0] if __doc__ else None
    m.add_argument("dienst", choices=sorted(DIENSTEN))
    m.add_argument("--url", help="SQLAlchemy-URL (standaard de instelling *_DATABASE_URL van de dienst)")


def main(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    settings_cls, migrate = (_laad(p) for p in DIENSTEN[args.dienst])
    url = args.url or settings_cls().database_url
    migrate(url)
    print(f"{args.dienst}: database bijgewerkt", file=out)
    return 0
