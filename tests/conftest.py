"""Shared fixtures: the official reference material (optional) and small XML helpers."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest
from lxml import etree

REPO = Path(__file__).resolve().parent.parent
TODAY = dt.date(2026, 11, 23)


def reference_path() -> Path:
    """``$IWMO_REFERENCE`` or ``../shared/reference/iwmo-3.2`` next to the repository."""
    env = os.environ.get("IWMO_REFERENCE")
    return Path(env) if env else REPO.parent / "shared" / "reference" / "iwmo-3.2"


@pytest.fixture(scope="session")
def reference() -> Path:
    path = reference_path()
    if not (path / "xsd" / "basisschema.xsd").is_file():
        pytest.skip(f"official iWmo 3.2 reference material not found at {path} (set IWMO_REFERENCE)")
    return path


@pytest.fixture(scope="session")
def today() -> dt.date:
    return TODAY


def canonical(data: bytes) -> bytes:
    """The document without formatting whitespace, in canonical form (for comparisons)."""
    root = etree.fromstring(data, etree.XMLParser(remove_blank_text=True))
    for el in root.iter():
        if len(el) and el.text is not None and not el.text.strip():
            el.text = None
    return etree.tostring(root, method="c14n2")


PG_ADMIN_URL = os.environ.get("IWMO_TEST_POSTGRES", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")


def _pg_available() -> bool:
    from sqlalchemy import create_engine, text

    try:
        with create_engine(PG_ADMIN_URL).connect() as conn:
            conn.execute(text("select 1"))
        return True
    except Exception:
        return False


@pytest.fixture(scope="session")
def pg_databases():  # type: ignore[no-untyped-def]
    """``pg_databases(name)``: the URL of a throw-away PostgreSQL database for this test session (one per
    name, created on first use, dropped at the end). Skips without PostgreSQL, unless CI requires it."""
    import uuid

    from sqlalchemy import create_engine, text

    if not _pg_available():
        if os.environ.get("IWMO_REQUIRE_POSTGRES") == "1":
            pytest.fail(f"PostgreSQL is required (IWMO_REQUIRE_POSTGRES=1) but not reachable at {PG_ADMIN_URL}")
        pytest.skip(f"PostgreSQL not reachable at {PG_ADMIN_URL}")
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    made: dict[str, str] = {}

    def database(name: str) -> str:
        if name not in made:
            db = f"iwmo_test_{name}_{uuid.uuid4().hex[:8]}"
            with admin.connect() as conn:
                conn.execute(text(f'CREATE DATABASE "{db}"'))
            made[name] = PG_ADMIN_URL.rsplit("/", 1)[0] + "/" + db
        return made[name]

    yield database
    with admin.connect() as conn:
        for url in made.values():
            db = url.rsplit("/", 1)[1]
            conn.execute(text(f"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{db}'"))
            conn.execute(text(f'DROP DATABASE IF EXISTS "{db}"'))
    admin.dispose()


@pytest.fixture
def pg_database(pg_databases) -> str:  # type: ignore[no-untyped-def]
    """One throw-away PostgreSQL database (for tests that only need PostgreSQL to be there)."""
    return str(pg_databases("main"))
