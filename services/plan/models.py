"""The plan service's tables (SQLAlchemy 2 ORM).

A gemeente publishes Normenkader versions (immutable). A Plan is one client's ondersteuningsplan for one
voorziening; it has PlanVersies, each immutable once written (who, when, why, its content and its computed
time). A Besluit establishes plan versions (vaststellen) as part of the decision on the client's
toewijzingen, with the besluit date, the date of bekendmaking and the end of the bezwaar term; a Bezwaar
is registered against a Besluit. Nothing is ever updated in place but a version's ``status``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, BigInteger, Boolean, Date, DateTime, ForeignKey, Index, Integer, String, Text
from sqlalchemy import UniqueConstraint as Unique
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from infra.db import utcnow


class Base(DeclarativeBase):
    pass


class Normenkader(Base):
    """One published version of a normenkader; ``document`` is the checked file as JSON."""

    __tablename__ = "normenkader"
    __table_args__ = (Unique("gemeente", "naam", "versie", name="uq_normenkader_versie"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    gemeente: Mapped[str] = mapped_column(String(4))
    naam: Mapped[str] = mapped_column(String(40))
    versie: Mapped[str] = mapped_column(String(20))
    titel: Mapped[str] = mapped_column(Text)
    geldig_van: Mapped[dt.date] = mapped_column(Date)
    geldig_tot: Mapped[dt.date | None] = mapped_column(Date, default=None)
    #: an onderbouwing by an independent researcher: plans may be established on it (else a draft)
    bruikbaar: Mapped[bool] = mapped_column(Boolean)
    document: Mapped[dict[str, Any]] = mapped_column(JSON)
    door: Mapped[str] = mapped_column(String(100))
    op: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Plan(Base):
    """A client's ondersteuningsplan for one voorziening (product)."""

    __tablename__ = "plan"
    __table_args__ = (Unique("gemeente", "bsn", "categorie", "code", name="uq_plan_voorziening"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    gemeente: Mapped[str] = mapped_column(String(4))
    bsn: Mapped[str] = mapped_column(String(9))
    categorie: Mapped[str] = mapped_column(String(2))
    code: Mapped[str | None] = mapped_column(String(5), default=None)
    op: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class PlanVersie(Base):
    """One version of a plan: immutable content and computed time; ``status`` is concept, vastgesteld
    (established by a besluit) or vervangen (a later version was established)."""

    __tablename__ = "plan_versie"
    __table_args__ = (Unique("plan_id", "nummer", name="uq_plan_versie"),
                      Index("ix_plan_versie_toewijzing", "toewijzingnummer"))

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan.id"))
    nummer: Mapped[int] = mapped_column(Integer)
    normenkader_id: Mapped[int] = mapped_column(ForeignKey("normenkader.id"))
    #: the toewijzing this plan belongs to (the toewijzing service's number); None until it is known
    toewijzingnummer: Mapped[int | None] = mapped_column(Integer, default=None)
    inhoud: Mapped[dict[str, Any]] = mapped_column(JSON)
    #: the computed time, in hundredths of a minute per year (exact), and rounded up per week and per year
    per_jaar_h: Mapped[int] = mapped_column(BigInteger)
    minuten_per_week: Mapped[int] = mapped_column(Integer)
    minuten_per_jaar: Mapped[int] = mapped_column(Integer)
    verlaagd: Mapped[bool] = mapped_column(Boolean)
    status: Mapped[str] = mapped_column(String(12), default="concept")
    besluit_id: Mapped[int | None] = mapped_column(ForeignKey("besluit.id"), default=None)
    reden: Mapped[str] = mapped_column(Text)
    door: Mapped[str] = mapped_column(String(100))
    op: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Besluit(Base):
    """The decision that establishes plan versions: with or without the client's agreement, the date of
    the besluit and of its bekendmaking, and the last day of the bezwaar term (Awb 6:7, 6:8)."""

    __tablename__ = "besluit"
    __table_args__ = (Index("ix_besluit_bsn", "gemeente", "bsn"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    gemeente: Mapped[str] = mapped_column(String(4))
    bsn: Mapped[str] = mapped_column(String(9))
    #: the client's name as the toewijzing service showed it (for the letter)
    client_naam: Mapped[str] = mapped_column(Text)
    besluitdatum: Mapped[dt.date] = mapped_column(Date)
    bekendmaking: Mapped[dt.date] = mapped_column(Date)
    einde_bezwaartermijn: Mapped[dt.date] = mapped_column(Date)
    #: client (the client agreed) | college (established without agreement; ``motivering`` says why)
    instemming: Mapped[str] = mapped_column(String(10))
    motivering: Mapped[str | None] = mapped_column(Text, default=None)
    #: the toewijzingen the besluit is about, as the toewijzing service showed them at the time (JSON list)
    toewijzingen: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    door: Mapped[str] = mapped_column(String(100))
    op: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Bezwaar(Base):
    """A bezwaarschrift against a besluit: received when, on time or not (Awb 6:9)."""

    __tablename__ = "bezwaar"
    __table_args__ = (Index("ix_bezwaar_besluit", "besluit_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    besluit_id: Mapped[int] = mapped_column(ForeignKey("besluit.id"))
    ontvangen: Mapped[dt.date] = mapped_column(Date)
    tijdig: Mapped[bool] = mapped_column(Boolean)
    toelichting: Mapped[str | None] = mapped_column(Text, default=None)
    door: Mapped[str] = mapped_column(String(100))
    op: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
