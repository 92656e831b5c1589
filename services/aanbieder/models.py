"""The stand-in's tables (SQLAlchemy 2 ORM), per aanbieder it plays.

What a provider's administration keeps of the chain: the clients and toewijzingen the gemeenten sent
(WMO301), the requests it sent (WMO315/317) and their outcome, the starts and stops it reported
(WMO305/307), and every message in and out (``Bericht``: the outbox and the history).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Date, ForeignKey, Index, Integer, String, Text, Time
from sqlalchemy import UniqueConstraint as Unique
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from infra.models import BerichtColumns


class Base(DeclarativeBase):
    pass


class Bericht(BerichtColumns, Base):
    __tablename__ = "bericht"
    __table_args__ = (
        Unique("richting", "afzender", "bericht", "identificatie", name="uq_aanbieder_bericht"),
        Index("ix_aanbieder_bericht_status", "richting", "status"),
        Index("ix_aanbieder_bericht_partij", "aanbieder", "id"),
    )

    #: the aanbieder (of those this stand-in plays) that sent or received it
    aanbieder: Mapped[str] = mapped_column(String(8))
    bsn: Mapped[str | None] = mapped_column(String(9), default=None)
    #: for a retourbericht: the heenbericht it answers
    antwoord_op: Mapped[int | None] = mapped_column(ForeignKey("bericht.id"), default=None)


class Client(Base):
    """A client as the gemeente last described him (WMO301), or as the aanbieder entered him (WMO315)."""

    __tablename__ = "client"
    __table_args__ = (Unique("aanbieder", "bsn", name="uq_aanbieder_client"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    aanbieder: Mapped[str] = mapped_column(String(8))
    bsn: Mapped[str] = mapped_column(String(9))
    geboortedatum: Mapped[dt.date] = mapped_column(Date)
    geslacht: Mapped[str] = mapped_column(String(1))
    achternaam: Mapped[str] = mapped_column(String(200))
    voorvoegsel: Mapped[str | None] = mapped_column(String(10), default=None)
    voorletters: Mapped[str | None] = mapped_column(String(6), default=None)


class Toewijzing(Base):
    """A ToegewezenProduct as the latest WMO301 of its gemeente stated it."""

    __tablename__ = "toewijzing"
    __table_args__ = (Unique("aanbieder", "gemeente", "nummer", name="uq_aanbieder_toewijzing"),
                      Index("ix_aanbieder_toewijzing_bsn", "aanbieder", "bsn"))

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    aanbieder: Mapped[str] = mapped_column(String(8))
    gemeente: Mapped[str] = mapped_column(String(4))
    nummer: Mapped[int] = mapped_column(Integer)
    bsn: Mapped[str] = mapped_column(String(9))
    categorie: Mapped[str | None] = mapped_column(String(2), default=None)
    code: Mapped[str | None] = mapped_column(String(5), default=None)
    ingangsdatum: Mapped[dt.date] = mapped_column(Date)
    einddatum: Mapped[dt.date | None] = mapped_column(Date, default=None)
    volume: Mapped[int | None] = mapped_column(Integer, default=None)
    eenheid: Mapped[str | None] = mapped_column(String(2), default=None)
    frequentie: Mapped[str | None] = mapped_column(String(1), default=None)
    budget: Mapped[int | None] = mapped_column(Integer, default=None)
    reden_wijziging: Mapped[str | None] = mapped_column(String(2), default=None)
    referentie_aanbieder: Mapped[str | None] = mapped_column(String(36), default=None)
    #: when the gemeente established this state (IV013: the most recent Toewijzingsdatum/-tijd counts)
    toewijzingsdatum: Mapped[dt.date | None] = mapped_column(Date, default=None)
    toewijzingstijd: Mapped[dt.time | None] = mapped_column(Time, default=None)
    #: the WMO301 that stated it last
    bericht_id: Mapped[int] = mapped_column(ForeignKey("bericht.id"))


class Verzoek(Base):
    """A request this aanbieder sent: a WMO315 product (VOT) or a WMO317 (VOW), by ReferentieAanbieder.

    ``status``: verzonden, afgekeurd (its retour rejected it), in-onderzoek, toegekend (a WMO301 carried the
    reference), afgewezen (WMO319)."""

    __tablename__ = "verzoek"
    __table_args__ = (Unique("aanbieder", "referentie", name="uq_aanbieder_verzoek"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    aanbieder: Mapped[str] = mapped_column(String(8))
    gemeente: Mapped[str] = mapped_column(String(4))
    soort: Mapped[str] = mapped_column(String(3))  # VOT | VOW
    referentie: Mapped[str] = mapped_column(String(36))
    bsn: Mapped[str] = mapped_column(String(9))
    status: Mapped[str] = mapped_column(String(12), default="verzonden")
    toelichting: Mapped[str | None] = mapped_column(Text, default=None)
    bericht_id: Mapped[int] = mapped_column(ForeignKey("bericht.id"))


class Levering(Base):
    """A StartProduct or StopProduct this aanbieder reported (WMO305/307); its verdict is its message's retour."""

    __tablename__ = "levering"
    __table_args__ = (Index("ix_aanbieder_levering", "aanbieder", "gemeente", "nummer"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    aanbieder: Mapped[str] = mapped_column(String(8))
    gemeente: Mapped[str] = mapped_column(String(4))
    nummer: Mapped[int] = mapped_column(Integer)
    soort: Mapped[str] = mapped_column(String(5))  # start | stop
    begindatum: Mapped[dt.date] = mapped_column(Date)
    einddatum: Mapped[dt.date | None] = mapped_column(Date, default=None)
    reden_beeindiging: Mapped[str | None] = mapped_column(String(2), default=None)
    status_aanlevering: Mapped[str] = mapped_column(String(1), default="1")
    bericht_id: Mapped[int] = mapped_column(ForeignKey("bericht.id"))
