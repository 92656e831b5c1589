"""Refusals for a receiver that is not connected (IB005/IB010), per sender, receiver and type: the message
waits at its sender, and the dashboard says so.

Revision ID: 0008
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "onbekende_ontvanger",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("afzender", sa.String(8), nullable=False),
        sa.Column("ontvanger", sa.String(8), nullable=False),
        sa.Column("bericht", sa.String(6), nullable=False),
        sa.Column("foutcode", sa.String(8), nullable=False),
        sa.Column("eerste", sa.DateTime(timezone=True), nullable=False),
        sa.Column("laatste", sa.DateTime(timezone=True), nullable=False),
        sa.Column("pogingen", sa.Integer, nullable=False),
        sa.UniqueConstraint("afzender", "ontvanger", "bericht", name="uq_onbekende_ontvanger"),
    )


def downgrade() -> None:
    op.drop_table("onbekende_ontvanger")
