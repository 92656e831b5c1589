"""The declaratie service's tables (SQLAlchemy 2 ORM).

Every WMO323 received is a Bericht (with its WMO325 answer queued beside it, the outbox) and a Declaratie
with its Prestaties, each with the verdict it got: accepted (toegekend) or not, and the RetourCodes. Earlier
Prestaties are what later declaraties are judged against (ReferentieNummers, debet and credit pairs, volume
already declared on a toewijzing). Amounts are signed integers in eurocent (credit negative).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import BigInteger, Boolean, Date, DateTime, ForeignKey, Index, Integer, String
from sqlalchemy import UniqueConstraint as Unique
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from infra.db import utcnow
from infra.models import BerichtColumns


class Base(DeclarativeBase):
    pass


class Bericht(BerichtColumns, Base):
    """A message received (WMO323) or sent (WMO325): the history and the outbox in one table."""

    __tablename__ = "bericht"
    __table_args__ = (
        Unique("richting", "afzender", "bericht", "identificatie", name="uq_bericht"),
        Index("ix_bericht_status", "richting", "status"),
    )

    #: for a WMO325: the WMO323 it answers
    antwoord_op: Mapped[int | None] = mapped_column(ForeignKey("bericht.id"), default=None)


class Declaratie(Base):
    """One WMO323 and its verdict."""

    __tablename__ = "declaratie"
    __table_args__ = (Index("ix_declaratie_aanbieder", "aanbieder", "periode_begin"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    bericht_id: Mapped[int] = mapped_column(ForeignKey("bericht.id"), unique=True)
    aanbieder: Mapped[str] = mapped_column(String(8))
    declaratienummer: Mapped[str] = mapped_column(String(12))
    periode_begin: Mapped[dt.date] = mapped_column(Date)
    periode_eind: Mapped[dt.date] = mapped_column(Date)
    dagtekening: Mapped[dt.date] = mapped_column(Date)
    ingediend: Mapped[int] = mapped_column(BigInteger)  # signed eurocent
    toegekend: Mapped[int] = mapped_column(BigInteger)  # signed eurocent
    #: toegekend (everything), deels (some prestaties rejected), afgewezen (the whole declaratie)
    status: Mapped[str] = mapped_column(String(10))
    retourcodes: Mapped[str | None] = mapped_column(String(200), default=None)
    ontvangen_op: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Prestatie(Base):
    """One Prestatie of a declaratie with its verdict."""

    __tablename__ = "prestatie"
    __table_args__ = (
        Index("ix_prestatie_aanbieder_referentie", "aanbieder", "referentienummer"),
        Index("ix_prestatie_toewijzing", "aanbieder", "toewijzingnummer"),
        Index("ix_prestatie_declaratie", "declaratie_id"),
        Index("ix_prestatie_bsn", "bsn"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    declaratie_id: Mapped[int] = mapped_column(ForeignKey("declaratie.id"))
    aanbieder: Mapped[str] = mapped_column(String(8))
    bsn: Mapped[str] = mapped_column(String(9))
    referentienummer: Mapped[str] = mapped_column(String(20))
    vorig_referentienummer: Mapped[str | None] = mapped_column(String(20), default=None)
    toewijzingnummer: Mapped[int] = mapped_column(BigInteger)
    categorie: Mapped[str] = mapped_column(String(2))
    code: Mapped[str] = mapped_column(String(5))
    begindatum: Mapped[dt.date] = mapped_column(Date)
    einddatum: Mapped[dt.date] = mapped_column(Date)
    volume: Mapped[int] = mapped_column(BigInteger)
    eenheid: Mapped[str] = mapped_column(String(2))
    tarief: Mapped[int | None] = mapped_column(BigInteger, default=None)
    bedrag: Mapped[int] = mapped_column(BigInteger)  # signed eurocent: credit negative
    debet: Mapped[bool] = mapped_column(Boolean)
    toegekend: Mapped[bool] = mapped_column(Boolean)
    retourcodes: Mapped[str | None] = mapped_column(String(200), default=None)
