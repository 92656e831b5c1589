"""Engine, sessions and migrations of the gateway database (the shared plumbing in infra.db)."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from infra.db import make_engine, session_factory
from infra.db import migrate as _migrate

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
VERSION_TABLE = "gateway_alembic_version"

__all__ = ["MIGRATIONS", "VERSION_TABLE", "lookup_factory", "make_engine", "migrate", "session_factory"]


def migrate(url: str, revisie: str = "head") -> None:
    """Bring the gateway database at ``url`` to the newest schema (or to ``revisie``)."""
    _migrate(url, migrations=MIGRATIONS, revisie=revisie)


def lookup_factory(engine: Engine) -> sessionmaker[Session]:
    """Sessions for single read-only lookups: autocommit, so no BEGIN/ROLLBACK round trips."""
    return sessionmaker(engine.execution_options(isolation_level="AUTOCOMMIT"), expire_on_commit=False)
