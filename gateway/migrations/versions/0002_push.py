"""Push delivery: attempts, the next attempt, the last error, dead letters.

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
    with op.batch_alter_table("bericht") as batch:
        batch.add_column(sa.Column("attempts", sa.Integer, nullable=False, server_default="0"))
        batch.add_column(sa.Column("next_attempt_at", sa.DateTime(timezone=True)))
        batch.add_column(sa.Column("last_error", sa.Text))
        batch.add_column(sa.Column("dead_at", sa.DateTime(timezone=True)))
    op.create_index("ix_bericht_push", "bericht", ["status", "next_attempt_at"])


def downgrade() -> None:
    op.drop_index("ix_bericht_push", "bericht")
    with op.batch_alter_table("bericht") as batch:
        batch.drop_column("dead_at")
        batch.drop_column("last_error")
        batch.drop_column("next_attempt_at")
        batch.drop_column("attempts")
