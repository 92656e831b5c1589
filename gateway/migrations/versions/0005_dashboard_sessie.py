"""Dashboard sessions: the browser keeps a random session key instead of the bearer token it logged in with.

Revision ID: 0005
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "dashboard_sessie",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("sleutel_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("token_id", sa.Integer, sa.ForeignKey("token.id"), nullable=True),
        sa.Column("beheer_hash", sa.String(64), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("verloopt_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_dashboard_sessie_verloopt_at", "dashboard_sessie", ["verloopt_at"])


def downgrade() -> None:
    op.drop_table("dashboard_sessie")
