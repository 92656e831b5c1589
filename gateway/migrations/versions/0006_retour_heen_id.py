"""A retourbericht points at the heenbericht it answers (``heen_id``), one retour per heenbericht.

Existing retours get the id of the heenbericht they answer: the first retour from that heenbericht's
receiver when there were several; others (later ones, or one sent by another party) keep their data but
no ``heen_id``.

Revision ID: 0006
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("bericht", sa.Column("heen_id", sa.Integer(), nullable=True))
    bericht = sa.table("bericht", sa.column("id", sa.Integer), sa.column("afzender", sa.String),
                       sa.column("ontvanger", sa.String),
                       sa.column("bericht", sa.String), sa.column("identificatie", sa.String),
                       sa.column("heen_afzender", sa.String), sa.column("heen_bericht", sa.String),
                       sa.column("heen_identificatie", sa.String), sa.column("heen_id", sa.Integer))
    heen = bericht.alias("heen")
    bind = op.get_bind()
    paren = bind.execute(
        sa.select(sa.func.min(bericht.c.id), heen.c.id)
        .join(heen, (heen.c.afzender == bericht.c.heen_afzender) & (heen.c.bericht == bericht.c.heen_bericht)
              & (heen.c.identificatie == bericht.c.heen_identificatie)
              & (heen.c.ontvanger == bericht.c.afzender))  # only a retour from the heenbericht's receiver
        .group_by(heen.c.id)).all()
    for retour_id, heen_id in paren:
        bind.execute(bericht.update().where(bericht.c.id == retour_id).values(heen_id=heen_id))
    op.create_index("uq_bericht_heen_id", "bericht", ["heen_id"], unique=True)


def downgrade() -> None:
    op.drop_index("uq_bericht_heen_id", table_name="bericht")
    op.drop_column("bericht", "heen_id")
