"""A counter for ToewijzingNummers (unique under concurrent beschikkingen) and indexes for the overview.

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
        "teller",
        sa.Column("naam", sa.String(30), primary_key=True),
        sa.Column("waarde", sa.Integer, nullable=False),
    )
    op.execute("INSERT INTO teller (naam, waarde) SELECT 'toewijzingnummer', COALESCE(MAX(nummer), 0) FROM toewijzing")
    op.create_index("ix_beschikking_client", "beschikking", ["client_id"])
    op.create_index("ix_voorziening_beschikking", "voorziening", ["beschikking_id"])
    op.create_index("ix_levering_bsn", "levering", ["bsn"])


def downgrade() -> None:
    op.drop_index("ix_levering_bsn", "levering")
    op.drop_index("ix_voorziening_beschikking", "voorziening")
    op.drop_index("ix_beschikking_client", "beschikking")
    op.drop_table("teller")
