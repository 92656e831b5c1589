"""Routes: a party's messages delivered per message type (a gemeente runs several services).

Revision ID: 0007
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "route",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("party_id", sa.Integer, sa.ForeignKey("party.id"), nullable=False),
        sa.Column("bericht", sa.String(6), nullable=False),
        sa.Column("endpoint", sa.String(500), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("party_id", "bericht", name="uq_route"),
    )
    op.create_index("ix_bericht_pair_type", "bericht", ["afzender", "ontvanger", "status", "bericht"])


def downgrade() -> None:
    op.drop_index("ix_bericht_pair_type", "bericht")
    op.drop_table("route")
