"""The Toewijzingsdatum and -tijd of each toewijzing, so that an older WMO301 arriving late does not undo a
newer one (IV013).

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
    op.add_column("toewijzing", sa.Column("toewijzingsdatum", sa.Date(), nullable=True))
    op.add_column("toewijzing", sa.Column("toewijzingstijd", sa.Time(), nullable=True))


def downgrade() -> None:
    op.drop_column("toewijzing", "toewijzingstijd")
    op.drop_column("toewijzing", "toewijzingsdatum")
