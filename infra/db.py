"""Engines, sessions and Alembic migrations for the suite's databases (SQLite by default, PostgreSQL).

Each app has its own database and its own Alembic environment and version table; this module is the
one place that knows how to open and migrate them.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Collection
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import ColumnElement, Engine, any_, bindparam, create_engine, event
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.engine import make_url
from sqlalchemy.orm import InstrumentedAttribute, Session, sessionmaker


def utcnow() -> dt.datetime:
    """Now, with the UTC zone: what every table stores."""
    return dt.datetime.now(dt.UTC)


def ensure_sqlite_dir(url: str) -> bool:
    """For a SQLite file URL, create its folder; True when the URL is SQLite."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return False
    if parsed.database and parsed.database != ":memory:":
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
    return True


def make_engine(url: str) -> Engine:
    if ensure_sqlite_dir(url):
        # hide_parameters: an error never carries the row's values (a BSN, a name) into a log
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30}, hide_parameters=True)

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_conn: sqlite3.Connection, _record: object) -> None:
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA synchronous=FULL")
            cur.execute("PRAGMA foreign_keys=ON")
            cur.close()

        return engine
    # No pre-ping (it costs a round trip per request): a connection broken by a database restart fails
    # one request, after which the pool is invalidated and reconnects.
    engine = create_engine(url, pool_size=10, max_overflow=20, pool_recycle=3600, hide_parameters=True)
    if engine.dialect.driver == "psycopg":
        @event.listens_for(engine, "connect")
        def _prepared(dbapi_conn: Any, _record: Any) -> None:
            # psycopg prepares a statement after its fifth use and keeps 100; past that it drops them all
            # (DEALLOCATE ALL) and every statement is parsed and planned anew. Statements with IN-lists of
            # every length and multi-row INSERTs of every size fill 100 quickly: keep more.
            dbapi_conn.prepared_max = PREPARED_MAX
    return engine


#: prepared statements psycopg keeps per connection (its default: 100)
PREPARED_MAX = 1000


def migrate(url: str, *, migrations: Path, revisie: str = "head") -> None:
    """Bring the database at ``url`` to the newest schema of the Alembic environment in ``migrations``
    (or to ``revisie``)."""
    ensure_sqlite_dir(url)
    cfg = Config()
    cfg.set_main_option("script_location", str(migrations))
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    command.upgrade(cfg, revisie)


def in_values(session: Session, column: InstrumentedAttribute[Any], values: Collection[Any]) -> ColumnElement[bool]:
    """``column IN values`` for a long list (a message's 10,000 numbers). On PostgreSQL one array parameter
    (``column = ANY(:values)``): an expanding IN renders a placeholder per value that SQLAlchemy and the
    driver then build and parse on every execution, which costs more than the query. Elsewhere an IN."""
    if session.get_bind().dialect.name == "postgresql":
        return column == any_(bindparam(None, list(values), type_=ARRAY(column.type)))
    return column.in_(values)


def session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)
