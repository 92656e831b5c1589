"""Push delivery per (sender, receiver) pair: one lease per pair instead of per message.

Revision ID: 0003
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "push_pair",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("afzender", sa.String(8), nullable=False),
        sa.Column("ontvanger", sa.String(8), nullable=False),
        sa.Column("lease_until", sa.DateTime(timezone=True)),
        sa.UniqueConstraint("afzender", "ontvanger", name="uq_push_pair"),
    )
    op.create_index("ix_bericht_pair", "bericht", ["afzender", "ontvanger", "status", "id"])
    # pairs of the messages already held
    op.execute("INSERT INTO push_pair (afzender, ontvanger) SELECT DISTINCT afzender, ontvanger FROM bericht")


def downgrade() -> None:
    op.drop_index("ix_bericht_pair", "bericht")
    op.drop_table("push_pair")
