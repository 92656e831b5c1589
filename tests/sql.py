"""Counting what a piece of code asks the database (tests that keep the number of statements down)."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

from sqlalchemy import Engine, event


@contextlib.contextmanager
def statements(engine: Engine) -> Iterator[list[str]]:
    """Every SQL statement ``engine`` runs while the block runs, in order."""
    gezien: list[str] = []

    def tel(_conn, _cursor, statement, *_args) -> None:  # type: ignore[no-untyped-def]
        gezien.append(statement)

    event.listen(engine, "before_cursor_execute", tel)
    try:
        yield gezien
    finally:
        event.remove(engine, "before_cursor_execute", tel)


def selects(gezien: list[str]) -> list[str]:
    """The reading statements among ``gezien``."""
    return [s for s in gezien if s.lstrip().upper().startswith("SELECT")]
