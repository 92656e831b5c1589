"""Clients, beschikkingen, voorzieningen, toewijzingen, berichten and leveringen.

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
        "client",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("bsn", sa.String(9), nullable=False, unique=True),
        sa.Column("geboortedatum", sa.Date, nullable=False),
        sa.Column("geslacht", sa.String(1), nullable=False),
        sa.Column("achternaam", sa.String(200), nullable=False),
        sa.Column("voorvoegsel", sa.String(10)),
        sa.Column("voorletters", sa.String(6)),
        sa.Column("postcode", sa.String(6), nullable=False),
        sa.Column("huisnummer", sa.Integer, nullable=False),
        sa.Column("straatnaam", sa.String(24)),
        sa.Column("plaatsnaam", sa.String(80)),
    )
    op.create_table(
        "beschikking",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("client_id", sa.Integer, sa.ForeignKey("client.id"), nullable=False),
        sa.Column("besluitdatum", sa.Date, nullable=False),
        sa.Column("kenmerk", sa.String(50)),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "voorziening",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("beschikking_id", sa.Integer, sa.ForeignKey("beschikking.id"), nullable=False),
        sa.Column("wijze", sa.String(10), nullable=False),
        sa.Column("categorie", sa.String(2), nullable=False),
        sa.Column("code", sa.String(5)),
        sa.Column("aanbieder", sa.String(8), nullable=False),
        sa.Column("resultaat", sa.Text),
    )
    op.create_table(
        "toewijzing",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("nummer", sa.Integer, nullable=False, unique=True),
        sa.Column("voorziening_id", sa.Integer, sa.ForeignKey("voorziening.id"), nullable=False),
        sa.Column("client_id", sa.Integer, sa.ForeignKey("client.id"), nullable=False),
        sa.Column("aanbieder", sa.String(8), nullable=False),
        sa.Column("categorie", sa.String(2), nullable=False),
        sa.Column("code", sa.String(5)),
        sa.Column("ingangsdatum", sa.Date, nullable=False),
        sa.Column("einddatum", sa.Date),
        sa.Column("volume", sa.Integer),
        sa.Column("eenheid", sa.String(2)),
        sa.Column("frequentie", sa.String(1)),
        sa.Column("budget", sa.Integer),
        sa.Column("reden_wijziging", sa.String(2)),
        sa.Column("referentie_aanbieder", sa.String(15)),
        sa.Column("commentaar", sa.String(1000)),
        sa.Column("toewijzingsdatum", sa.Date, nullable=False),
        sa.Column("toewijzingstijd", sa.Time, nullable=False),
        sa.Column("gewijzigd", sa.Boolean, nullable=False),
        sa.Column("oordeel_aanbieder", sa.String(12)),
        sa.Column("retourcodes", sa.String(100)),
    )
    op.create_index("ix_toewijzing_client_aanbieder", "toewijzing", ["client_id", "aanbieder"])
    op.create_table(
        "bericht",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("richting", sa.String(3), nullable=False),
        sa.Column("bericht", sa.String(6), nullable=False),
        sa.Column("afzender", sa.String(8), nullable=False),
        sa.Column("ontvanger", sa.String(8), nullable=False),
        sa.Column("identificatie", sa.String(12), nullable=False),
        sa.Column("client_id", sa.Integer, sa.ForeignKey("client.id")),
        sa.Column("xml", sa.LargeBinary, nullable=False),
        sa.Column("status", sa.String(12), nullable=False),
        sa.Column("hub_id", sa.Integer),
        sa.Column("retour_status", sa.String(12)),
        sa.Column("retourcodes", sa.String(200)),
        sa.Column("antwoord_op", sa.Integer, sa.ForeignKey("bericht.id")),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("fout", sa.Text),
        sa.UniqueConstraint("richting", "afzender", "bericht", "identificatie", name="uq_bericht"),
    )
    op.create_index("ix_bericht_client", "bericht", ["client_id", "id"])
    op.create_index("ix_bericht_status", "bericht", ["richting", "status"])
    op.create_table(
        "levering",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("soort", sa.String(5), nullable=False),
        sa.Column("bsn", sa.String(9), nullable=False),
        sa.Column("aanbieder", sa.String(8), nullable=False),
        sa.Column("toewijzing_nummer", sa.Integer),
        sa.Column("categorie", sa.String(2)),
        sa.Column("code", sa.String(5)),
        sa.Column("begindatum", sa.Date, nullable=False),
        sa.Column("reden_beeindiging", sa.String(2)),
        sa.Column("einddatum", sa.Date),
        sa.Column("verwijderd", sa.Boolean, nullable=False),
        sa.Column("bericht_id", sa.Integer, sa.ForeignKey("bericht.id"), nullable=False),
    )
    op.create_index("ix_levering_aanbieder_bsn", "levering", ["aanbieder", "bsn"])


def downgrade() -> None:
    for table in ("levering", "bericht", "toewijzing", "voorziening", "beschikking", "client"):
        op.drop_table(table)
