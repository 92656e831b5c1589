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
import services.declaratie.db
import services.declaratie.models
import services.plan.db
import services.plan.models
import services.toewijzing.db
import services.toewijzing.models

DATABASES: dict[str, tuple[Callable[[str], None], MetaData, str]] = {
    "gateway": (gateway.db.migrate, gateway.models.Base.metadata, gateway.db.VERSION_TABLE),
    "toewijzing": (services.toewijzing.db.migrate, services.toewijzing.models.Base.metadata,
                   services.toewijzing.db.VERSION_TABLE),
    "aanbieder": (services.aanbieder.db.migrate, services.aanbieder.models.Base.metadata,
                  services.aanbieder.db.VERSION_TABLE),
    "declaratie": (services.declaratie.db.migrate, services.declaratie.models.Base.metadata,
                   services.declaratie.db.VERSION_TABLE),
    "plan": (services.plan.db.migrate, services.plan.models.Base.metadata, services.plan.db.VERSION_TABLE),
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


def test_parties_that_already_push_get_a_secret_on_upgrade(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from alembic import command
    from alembic.config import Config

    url = f"sqlite:///{tmp_path}/hub.db"
    cfg = Config()
    cfg.set_main_option("script_location", str(gateway.db.MIGRATIONS))
    cfg.set_main_option("sqlalchemy.url", url)
    command.upgrade(cfg, "0003")  # the schema before push secrets
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO party (rol, code, endpoint, created_at) VALUES "
                          "('aanbieder', '12345678', 'http://x/berichten', CURRENT_TIMESTAMP), "
                          "('gemeente', '0363', NULL, CURRENT_TIMESTAMP)"))
    gateway.db.migrate(url)
    with engine.connect() as conn:
        rows = dict(conn.execute(text("SELECT code, push_geheim FROM party")).all())
    engine.dispose()
    assert rows["0363"] is None and len(rows["12345678"]) >= 40  # every party with an endpoint signs from now on
