"""Each database's migrations build exactly the schema its models declare (checked on PostgreSQL, which
enforces types and lengths; SQLite does not)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import MetaData, create_engine, text

import gateway.db
import gateway.models
import services.aanbieder.db
import services.aanbieder.models
import services.toewijzing.db
import services.toewijzing.models

DATABASES: dict[str, tuple[Callable[[str], None], MetaData, str]] = {
    "gateway": (gateway.db.migrate, gateway.models.Base.metadata, gateway.db.VERSION_TABLE),
    "toewijzing": (services.toewijzing.db.migrate, services.toewijzing.models.Base.metadata,
                   services.toewijzing.db.VERSION_TABLE),
    "aanbieder": (services.aanbieder.db.migrate, services.aanbieder.models.Base.metadata,
                  services.aanbieder.db.VERSION_TABLE),
}


@pytest.mark.parametrize("naam", sorted(DATABASES))
def test_migrations_match_the_models(naam: str, pg_databases) -> None:  # type: ignore[no-untyped-def]
    migrate, metadata, version_table = DATABASES[naam]
    url = pg_databases(f"mig_{naam}")
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
    migrate(url)
    with engine.connect() as conn:
        ctx = MigrationContext.configure(conn, opts={"compare_type": True, "version_table": version_table})
        verschil = [d for d in compare_metadata(ctx, metadata)
                    if not (d[0] == "remove_table" and d[1].name == version_table)]
    engine.dispose()
    assert verschil == []
