"""Indexes for the back office's lists: the toewijzingen of an aanbieder in id order (GET /toewijzingen,
GET /clienten?aanbieder=, the export) and the messages by their receiver's verdict (GET /berichten?status=afgekeurd).

Revision ID: 0006
"""

from __future__ import annotations

from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_toewijzing_aanbieder", "toewijzing", ["aanbieder", "id"])
    op.create_index("ix_bericht_retour", "bericht", ["retour_status", "id"])


def downgrade() -> None:
    op.drop_index("ix_bericht_retour", "bericht")
    op.drop_index("ix_toewijzing_aanbieder", "toewijzing")
