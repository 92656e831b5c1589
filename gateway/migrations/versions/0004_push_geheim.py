"""A push secret per party with an endpoint: the hub signs every push with it (HMAC-SHA256).

Revision ID: 0004
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("party", sa.Column("push_geheim", sa.String(64), nullable=True))


def downgrade() -> None:
    op.drop_column("party", "push_geheim")
