"""ReferentieAanbieder up to 36 characters, as LDT_Referentie allows (SQLite does not enforce lengths).

Revision ID: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

WIJZIGINGEN = [("toewijzing", "referentie_aanbieder", True), ("verzoek", "referentie", False)]


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        return
    for tabel, kolom, nullable in WIJZIGINGEN:
        op.alter_column(tabel, kolom, type_=sa.String(36), existing_nullable=nullable)


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        return
    for tabel, kolom, nullable in WIJZIGINGEN:
        op.alter_column(tabel, kolom, type_=sa.String(15), existing_nullable=nullable)
