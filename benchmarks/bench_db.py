"""What several benchmarks share: throw-away PostgreSQL databases, and test BSNs that pass the 11-proef."""

from __future__ import annotations

from sqlalchemy import create_engine, text

_BEEINDIG = text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = :n")


def drop_database(prefix: str, name: str) -> None:
    admin = create_engine(f"{prefix}/postgres", isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(_BEEINDIG, {"n": name})
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
    admin.dispose()


def recreate_database(prefix: str, name: str) -> str:
    """Drop ``name`` (ending its sessions) and create it empty; its URL."""
    drop_database(prefix, name)
    admin = create_engine(f"{prefix}/postgres", isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return f"{prefix}/{name}"


def test_bsns(first: int, n: int) -> list[str]:
    """``n`` nine-digit numbers that pass the 11-proef, from the 8-digit prefix ``first`` upwards."""
    out: list[str] = []
    prefix = first
    while len(out) < n:
        digits = f"{prefix:08d}"
        check = sum(int(d) * w for d, w in zip(digits, range(9, 1, -1), strict=True)) % 11
        if check < 10:
            out.append(digits + str(check))
        prefix += 1
    return out
