"""Normenkaders, plans and their versions, besluiten and bezwaren.

Revision ID: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def _wie() -> list[sa.Column]:  # type: ignore[type-arg]
    return [sa.Column("door", sa.String(100), nullable=False),
            sa.Column("op", sa.DateTime(timezone=True), nullable=False)]


def upgrade() -> None:
    op.create_table(
        "normenkader",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("gemeente", sa.String(4), nullable=False),
        sa.Column("naam", sa.String(40), nullable=False),
        sa.Column("versie", sa.String(20), nullable=False),
        sa.Column("titel", sa.Text, nullable=False),
        sa.Column("geldig_van", sa.Date, nullable=False),
        sa.Column("geldig_tot", sa.Date),
        sa.Column("bruikbaar", sa.Boolean, nullable=False),
        sa.Column("document", sa.JSON, nullable=False),
        *_wie(),
        sa.UniqueConstraint("gemeente", "naam", "versie", name="uq_normenkader_versie"),
    )
    op.create_table(
        "plan",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("gemeente", sa.String(4), nullable=False),
        sa.Column("bsn", sa.String(9), nullable=False),
        sa.Column("categorie", sa.String(2), nullable=False),
        sa.Column("code", sa.String(5)),
        sa.Column("op", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("gemeente", "bsn", "categorie", "code", name="uq_plan_voorziening"),
    )
    op.create_table(
        "besluit",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("gemeente", sa.String(4), nullable=False),
        sa.Column("bsn", sa.String(9), nullable=False),
        sa.Column("client_naam", sa.Text, nullable=False),
        sa.Column("besluitdatum", sa.Date, nullable=False),
        sa.Column("bekendmaking", sa.Date, nullable=False),
        sa.Column("einde_bezwaartermijn", sa.Date, nullable=False),
        sa.Column("instemming", sa.String(10), nullable=False),
        sa.Column("motivering", sa.Text),
        sa.Column("toewijzingen", sa.JSON, nullable=False),
        *_wie(),
    )
    op.create_index("ix_besluit_bsn", "besluit", ["gemeente", "bsn"])
    op.create_table(
        "plan_versie",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("plan_id", sa.Integer, sa.ForeignKey("plan.id"), nullable=False),
        sa.Column("nummer", sa.Integer, nullable=False),
        sa.Column("normenkader_id", sa.Integer, sa.ForeignKey("normenkader.id"), nullable=False),
        sa.Column("toewijzingnummer", sa.Integer),
        sa.Column("inhoud", sa.JSON, nullable=False),
        sa.Column("per_jaar_h", sa.BigInteger, nullable=False),
        sa.Column("minuten_per_week", sa.Integer, nullable=False),
        sa.Column("minuten_per_jaar", sa.Integer, nullable=False),
        sa.Column("verlaagd", sa.Boolean, nullable=False),
        sa.Column("status", sa.String(12), nullable=False),
        sa.Column("besluit_id", sa.Integer, sa.ForeignKey("besluit.id")),
        sa.Column("reden", sa.Text, nullable=False),
        *_wie(),
        sa.UniqueConstraint("plan_id", "nummer", name="uq_plan_versie"),
    )
    op.create_index("ix_plan_versie_toewijzing", "plan_versie", ["toewijzingnummer"])
    op.create_table(
        "bezwaar",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("besluit_id", sa.Integer, sa.ForeignKey("besluit.id"), nullable=False),
        sa.Column("ontvangen", sa.Date, nullable=False),
        sa.Column("tijdig", sa.Boolean, nullable=False),
        sa.Column("toelichting", sa.Text),
        *_wie(),
    )
    op.create_index("ix_bezwaar_besluit", "bezwaar", ["besluit_id"])


def downgrade() -> None:
    for tabel in ("bezwaar", "plan_versie", "besluit", "plan", "normenkader"):
        op.drop_table(tabel)
