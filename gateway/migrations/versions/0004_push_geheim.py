"""A push secret per party with an endpoint: the hub signs every push with it (HMAC-SHA256). While a
secret is being replaced the hub signs with the previous one too. Parties that already have an endpoint
get a secret here (read it with ``iwmo gateway push-geheim CODE``, which issues a new one).

Revision ID: 0004
"""

from __future__ import annotations

import secrets

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("party", sa.Column("push_geheim", sa.String(64), nullable=True))
    op.add_column("party", sa.Column("push_geheim_vorig", sa.String(64), nullable=True))
    bind = op.get_bind()
    party = sa.table("party", sa.column("id", sa.Integer), sa.column("endpoint", sa.String),
                     sa.column("push_geheim", sa.String))
    for (pid,) in bind.execute(sa.select(party.c.id).where(party.c.endpoint.is_not(None))).all():
        bind.execute(party.update().where(party.c.id == pid).values(push_geheim=secrets.token_urlsafe(32)))


def downgrade() -> None:
    op.drop_column("party", "push_geheim_vorig")
    op.drop_column("party", "push_geheim")
