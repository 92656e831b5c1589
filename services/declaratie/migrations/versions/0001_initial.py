"""Berichten (WMO323 in, WMO325 out), declaraties and their prestaties with the verdict.

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
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("richting", sa.String(3), nullable=False),
        sa.Column("bericht", sa.String(6), nullable=False),
        sa.Column("afzender", sa.String(8), nullable=False),
        sa.Column("ontvanger", sa.String(8), nullable=False),
        sa.Column("identificatie", sa.String(12), nullable=False),
        sa.Column("xml", sa.LargeBinary, nullable=False),
        sa.Column("status", sa.String(12), nullable=False),
        sa.Column("hub_id", sa.Integer),
        sa.Column("retour_status", sa.String(12)),
        sa.Column("retourcodes", sa.String(200)),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("fout", sa.Text),
        sa.Column("antwoord_op", sa.Integer, sa.ForeignKey("bericht.id")),
        sa.UniqueConstraint("richting", "afzender", "bericht", "identificatie", name="uq_bericht"),
    )
    op.create_index("ix_bericht_status", "bericht", ["richting", "status"])
    op.create_table(
        "declaratie",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("bericht_id", sa.Integer, sa.ForeignKey("bericht.id"), nullable=False, unique=True),
        sa.Column("aanbieder", sa.String(8), nullable=False),
        sa.Column("declaratienummer", sa.String(12), nullable=False),
        sa.Column("periode_begin", sa.Date, nullable=False),
        sa.Column("periode_eind", sa.Date, nullable=False),
        sa.Column("dagtekening", sa.Date, nullable=False),
        sa.Column("ingediend", sa.BigInteger, nullable=False),
        sa.Column("toegekend", sa.BigInteger, nullable=False),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("retourcodes", sa.String(200)),
        sa.Column("ontvangen_op", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_declaratie_aanbieder", "declaratie", ["aanbieder", "periode_begin"])
    op.create_table(
        "prestatie",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("declaratie_id", sa.Integer, sa.ForeignKey("declaratie.id"), nullable=False),
        sa.Column("aanbieder", sa.String(8), nullable=False),
        sa.Column("bsn", sa.String(9), nullable=False),
        sa.Column("referentienummer", sa.String(20), nullable=False),
        sa.Column("vorig_referentienummer", sa.String(20)),
        sa.Column("toewijzingnummer", sa.BigInteger, nullable=False),
        sa.Column("categorie", sa.String(2), nullable=False),
        sa.Column("code", sa.String(5), nullable=False),
        sa.Column("begindatum", sa.Date, nullable=False),
        sa.Column("einddatum", sa.Date, nullable=False),
        sa.Column("volume", sa.BigInteger, nullable=False),
        sa.Column("eenheid", sa.String(2), nullable=False),
        sa.Column("tarief", sa.BigInteger),
        sa.Column("bedrag", sa.BigInteger, nullable=False),
        sa.Column("debet", sa.Boolean, nullable=False),
        sa.Column("toegekend", sa.Boolean, nullable=False),
        sa.Column("retourcodes", sa.String(200)),
    )
    op.create_index("ix_prestatie_aanbieder_referentie", "prestatie", ["aanbieder", "referentienummer"])
    op.create_index("ix_prestatie_toewijzing", "prestatie", ["aanbieder", "toewijzingnummer"])
    op.create_index("ix_prestatie_declaratie", "prestatie", ["declaratie_id"])
    op.create_index("ix_prestatie_bsn", "prestatie", ["bsn"])


def downgrade() -> None:
    for tabel in ("prestatie", "declaratie", "bericht"):
        op.drop_table(tabel)
