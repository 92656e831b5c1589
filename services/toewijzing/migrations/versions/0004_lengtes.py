"""Column lengths as the standard allows them: ReferentieAanbieder up to 36 characters (LDT_Referentie),
a postcode up to 8 (LDT_Postcode), Commentaar without limit (LDT_Commentaar).

SQLite does not enforce lengths, so there is nothing to change there.

Revision ID: 0004
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

WIJZIGINGEN = [
    ("toewijzing", "referentie_aanbieder", sa.String(15), sa.String(36), True),
    ("verzoek", "referentie_aanbieder", sa.String(15), sa.String(36), False),
    ("client", "postcode", sa.String(6), sa.String(8), False),
    ("toewijzing", "commentaar", sa.String(1000), sa.Text(), True),
]


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        return
    for tabel, kolom, _oud, nieuw, nullable in WIJZIGINGEN:
        op.alter_column(tabel, kolom, type_=nieuw, existing_nullable=nullable)


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        return
    for tabel, kolom, oud, _nieuw, nullable in WIJZIGINGEN:
        op.alter_column(tabel, kolom, type_=oud, existing_nullable=nullable)
