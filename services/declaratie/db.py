"""The declaratie service's database: its migrations and version table."""

from __future__ import annotations

from pathlib import Path

from infra.db import migrate as _migrate

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
VERSION_TABLE = "declaratie_alembic_version"


def migrate(url: str) -> None:
    _migrate(url, migrations=MIGRATIONS)
