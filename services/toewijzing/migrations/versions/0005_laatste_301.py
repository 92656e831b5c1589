"""Each toewijzing remembers the last WMO301 that carried it, so that a retour on an older WMO301 does not
judge its newer state (OP080, IV013). Existing toewijzingen start without one (any retour may judge them,
as before).

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
    op.add_column("toewijzing", sa.Column("laatste_301_id", sa.Integer(), nullable=True))


def downgrade() -> None:
    op.drop_column("toewijzing", "laatste_301_id")
