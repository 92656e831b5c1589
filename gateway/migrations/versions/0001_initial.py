"""Parties, tokens, messages and the audit trail.

Revision ID: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "party",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("rol", sa.String(10), nullable=False),
        sa.Column("code", sa.String(8), nullable=False, unique=True),
        sa.Column("naam", sa.String(200)),
        sa.Column("endpoint", sa.String(500)),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "token",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("party_id", sa.Integer, sa.ForeignKey("party.id"), nullable=False),
        sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True)),
    )
    op.create_table(
        "bericht",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("bericht", sa.String(6), nullable=False),
        sa.Column("berichtcode", sa.String(3), nullable=False),
        sa.Column("afzender", sa.String(8), nullable=False),
        sa.Column("ontvanger", sa.String(8), nullable=False),
        sa.Column("identificatie", sa.String(12), nullable=False),
        sa.Column("xml", sa.LargeBinary, nullable=False),
        sa.Column("size", sa.Integer, nullable=False),
        sa.Column("status", sa.String(12), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("acked_at", sa.DateTime(timezone=True)),
        sa.Column("heen_afzender", sa.String(8)),
        sa.Column("heen_bericht", sa.String(6)),
        sa.Column("heen_identificatie", sa.String(12)),
        sa.Column("retourcodes", sa.String(200)),
        sa.UniqueConstraint("afzender", "bericht", "identificatie", name="uq_bericht_identificatie"),
    )
    op.create_index("ix_bericht_mailbox", "bericht", ["ontvanger", "status", "id"])
    op.create_index("ix_bericht_heen", "bericht", ["heen_afzender", "heen_bericht", "heen_identificatie"])
    op.create_table(
        "audit",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(20), nullable=False),
        sa.Column("action", sa.String(40), nullable=False),
        sa.Column("bericht_id", sa.Integer, sa.ForeignKey("bericht.id")),
        sa.Column("details", sa.Text),
    )


def downgrade() -> None:
    op.drop_table("audit")
    op.drop_index("ix_bericht_heen", "bericht")
    op.drop_index("ix_bericht_mailbox", "bericht")
    op.drop_table("bericht")
    op.drop_table("token")
    op.drop_table("party")
