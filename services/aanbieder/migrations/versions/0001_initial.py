"""The stand-in's tables: berichten, clients, toewijzingen, verzoeken and leveringen.

Revision ID: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "bericht",
        sa.Column("aanbieder", sa.String(length=8), nullable=False),
        sa.Column("bsn", sa.String(length=9), nullable=True),
        sa.Column("antwoord_op", sa.Integer(), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("richting", sa.String(length=3), nullable=False),
        sa.Column("bericht", sa.String(length=6), nullable=False),
        sa.Column("afzender", sa.String(length=8), nullable=False),
        sa.Column("ontvanger", sa.String(length=8), nullable=False),
        sa.Column("identificatie", sa.String(length=12), nullable=False),
        sa.Column("xml", sa.LargeBinary(), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("hub_id", sa.Integer(), nullable=True),
        sa.Column("retour_status", sa.String(length=12), nullable=True),
        sa.Column("retourcodes", sa.String(length=200), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("fout", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["antwoord_op"],
            ["bericht.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("richting", "afzender", "bericht", "identificatie", name="uq_aanbieder_bericht"),
    )
    op.create_index("ix_aanbieder_bericht_partij", "bericht", ["aanbieder", "id"], unique=False)
    op.create_index("ix_aanbieder_bericht_status", "bericht", ["richting", "status"], unique=False)
    op.create_table(
        "client",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("aanbieder", sa.String(length=8), nullable=False),
        sa.Column("bsn", sa.String(length=9), nullable=False),
        sa.Column("geboortedatum", sa.Date(), nullable=False),
        sa.Column("geslacht", sa.String(length=1), nullable=False),
        sa.Column("achternaam", sa.String(length=200), nullable=False),
        sa.Column("voorvoegsel", sa.String(length=10), nullable=True),
        sa.Column("voorletters", sa.String(length=6), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("aanbieder", "bsn", name="uq_aanbieder_client"),
    )
    op.create_table(
        "levering",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("aanbieder", sa.String(length=8), nullable=False),
        sa.Column("gemeente", sa.String(length=4), nullable=False),
        sa.Column("nummer", sa.Integer(), nullable=False),
        sa.Column("soort", sa.String(length=5), nullable=False),
        sa.Column("begindatum", sa.Date(), nullable=False),
        sa.Column("einddatum", sa.Date(), nullable=True),
        sa.Column("reden_beeindiging", sa.String(length=2), nullable=True),
        sa.Column("status_aanlevering", sa.String(length=1), nullable=False),
        sa.Column("bericht_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["bericht_id"],
            ["bericht.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_aanbieder_levering", "levering", ["aanbieder", "gemeente", "nummer"], unique=False)
    op.create_table(
        "toewijzing",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("aanbieder", sa.String(length=8), nullable=False),
        sa.Column("gemeente", sa.String(length=4), nullable=False),
        sa.Column("nummer", sa.Integer(), nullable=False),
        sa.Column("bsn", sa.String(length=9), nullable=False),
        sa.Column("categorie", sa.String(length=2), nullable=True),
        sa.Column("code", sa.String(length=5), nullable=True),
        sa.Column("ingangsdatum", sa.Date(), nullable=False),
        sa.Column("einddatum", sa.Date(), nullable=True),
        sa.Column("volume", sa.Integer(), nullable=True),
        sa.Column("eenheid", sa.String(length=2), nullable=True),
        sa.Column("frequentie", sa.String(length=1), nullable=True),
        sa.Column("budget", sa.Integer(), nullable=True),
        sa.Column("reden_wijziging", sa.String(length=2), nullable=True),
        sa.Column("referentie_aanbieder", sa.String(length=15), nullable=True),
        sa.Column("bericht_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["bericht_id"],
            ["bericht.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("aanbieder", "gemeente", "nummer", name="uq_aanbieder_toewijzing"),
    )
    op.create_index("ix_aanbieder_toewijzing_bsn", "toewijzing", ["aanbieder", "bsn"], unique=False)
    op.create_table(
        "verzoek",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("aanbieder", sa.String(length=8), nullable=False),
        sa.Column("gemeente", sa.String(length=4), nullable=False),
        sa.Column("soort", sa.String(length=3), nullable=False),
        sa.Column("referentie", sa.String(length=15), nullable=False),
        sa.Column("bsn", sa.String(length=9), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("toelichting", sa.Text(), nullable=True),
        sa.Column("bericht_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["bericht_id"],
            ["bericht.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("aanbieder", "referentie", name="uq_aanbieder_verzoek"),
    )


def downgrade() -> None:
    op.drop_table("verzoek")
    op.drop_index("ix_aanbieder_toewijzing_bsn", table_name="toewijzing")
    op.drop_table("toewijzing")
    op.drop_index("ix_aanbieder_levering", table_name="levering")
    op.drop_table("levering")
    op.drop_table("client")
    op.drop_index("ix_aanbieder_bericht_status", table_name="bericht")
    op.drop_index("ix_aanbieder_bericht_partij", table_name="bericht")
    op.drop_table("bericht")
