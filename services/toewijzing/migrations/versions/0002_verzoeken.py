"""Requests from aanbieders (WMO315, WMO317) and the support-plan check on outgoing WMO301s.

Revision ID: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "verzoek",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("soort", sa.String(3), nullable=False),
        sa.Column("bericht_id", sa.Integer, sa.ForeignKey("bericht.id"), nullable=False),
        sa.Column("product_index", sa.Integer),
        sa.Column("aanbieder", sa.String(8), nullable=False),
        sa.Column("bsn", sa.String(9), nullable=False),
        sa.Column("referentie_aanbieder", sa.String(15), nullable=False),
        sa.Column("status", sa.String(13), nullable=False),
        sa.Column("advies", sa.Text),
        sa.Column("reden_afwijzing", sa.String(1)),
        sa.Column("besloten_door", sa.String(20)),
        sa.Column("ontvangen_op", sa.DateTime(timezone=True), nullable=False),
        sa.Column("besloten_op", sa.DateTime(timezone=True)),
        sa.UniqueConstraint("aanbieder", "referentie_aanbieder", name="uq_verzoek_referentie"),
    )
    op.create_index("ix_verzoek_status", "verzoek", ["status", "id"])
    op.create_index("ix_verzoek_client", "verzoek", ["bsn", "aanbieder"])
    with op.batch_alter_table("bericht") as batch:
        batch.add_column(sa.Column("plan_nummers", sa.String(200)))


def downgrade() -> None:
    with op.batch_alter_table("bericht") as batch:
        batch.drop_column("plan_nummers")
    op.drop_table("verzoek")
