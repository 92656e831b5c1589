"""The gateway's tables (SQLAlchemy 2 ORM)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from infra.db import utcnow


class Base(DeclarativeBase):
    pass


class Party(Base):
    """A gemeente (4-digit CBS code) or an aanbieder (8-digit AGB code)."""

    __tablename__ = "party"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    rol: Mapped[str] = mapped_column(String(10))  # gemeente | aanbieder
    code: Mapped[str] = mapped_column(String(8), unique=True)
    naam: Mapped[str | None] = mapped_column(String(200), default=None)
    endpoint: Mapped[str | None] = mapped_column(String(500), default=None)
    #: the secret the hub signs its pushes to ``endpoint`` with (the receiver has it too, to check them);
    #: kept as is, since the hub needs it to sign
    push_geheim: Mapped[str | None] = mapped_column(String(64), default=None)
    #: the secret before the last replacement: pushes are signed with it too, so that a receiver can
    #: switch to the new one without refusing anything meanwhile
    push_geheim_vorig: Mapped[str | None] = mapped_column(String(64), default=None)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Route(Base):
    """Where a party's messages of one type go: pushed to ``endpoint``, or, without one, kept for
    collection (pull). A gemeente runs several services, each owning some message types; a type without
    a route goes to the party's own ``endpoint`` when it has one, else waits to be collected."""

    __tablename__ = "route"
    __table_args__ = (UniqueConstraint("party_id", "bericht", name="uq_route"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    party_id: Mapped[int] = mapped_column(ForeignKey("party.id"))
    bericht: Mapped[str] = mapped_column(String(6))  # WMO302 ...
    endpoint: Mapped[str | None] = mapped_column(String(500), default=None)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class OnbekendeOntvanger(Base):
    """Messages the hub refused because their receiver is not connected (IB005/IB010): per sender, receiver
    and type, since when, the latest attempt and how many. The message never entered the hub (the sender
    keeps it and tries again); this is how the operator and the sender see that it waits, and for whom.
    Removed when the receiver is registered."""

    __tablename__ = "onbekende_ontvanger"
    __table_args__ = (UniqueConstraint("afzender", "ontvanger", "bericht", name="uq_onbekende_ontvanger"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    afzender: Mapped[str] = mapped_column(String(8))
    ontvanger: Mapped[str] = mapped_column(String(8))
    bericht: Mapped[str] = mapped_column(String(6))
    foutcode: Mapped[str] = mapped_column(String(8))
    eerste: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    laatste: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    pogingen: Mapped[int] = mapped_column(Integer, default=1)


class Token(Base):
    """A bearer token of a party, stored as its SHA-256 hash."""

    __tablename__ = "token"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    party_id: Mapped[int] = mapped_column(ForeignKey("party.id"))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    revoked_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True), default=None)


class DashboardSessie(Base):
    """A login on the dashboard. The browser's cookie holds a random session key, never the bearer token it
    logged in with; the key is stored here as its SHA-256 hash. A party's session ends with its token
    (revoked), the operator's when the admin token changes, and every session at ``verloopt_at`` or when
    its viewer logs out."""

    __tablename__ = "dashboard_sessie"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    sleutel_hash: Mapped[str] = mapped_column(String(64), unique=True)
    #: the party's token it logged in with (None for the operator)
    token_id: Mapped[int | None] = mapped_column(ForeignKey("token.id"), default=None)
    #: the operator's session: an HMAC of the admin token it logged in with, keyed with the session key
    beheer_hash: Mapped[str | None] = mapped_column(String(64), default=None)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    verloopt_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), index=True)


class Bericht(Base):
    """An accepted message, kept until its receiver has acknowledged it."""

    __tablename__ = "bericht"
    __table_args__ = (
        UniqueConstraint("afzender", "bericht", "identificatie", name="uq_bericht_identificatie"),
        Index("ix_bericht_mailbox", "ontvanger", "status", "id"),
        Index("ix_bericht_heen", "heen_afzender", "heen_bericht", "heen_identificatie"),
        Index("ix_bericht_push", "status", "next_attempt_at"),
        Index("ix_bericht_pair", "afzender", "ontvanger", "status", "id"),
        Index("ix_bericht_pair_type", "afzender", "ontvanger", "status", "bericht"),  # push by route
        Index("uq_bericht_heen_id", "heen_id", unique=True),  # one retour per heenbericht (IV028)
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    bericht: Mapped[str] = mapped_column(String(6))  # WMO301 ...
    berichtcode: Mapped[str] = mapped_column(String(3))
    afzender: Mapped[str] = mapped_column(String(8))  # the party that sent it (not the header's Afzender)
    ontvanger: Mapped[str] = mapped_column(String(8))
    identificatie: Mapped[str] = mapped_column(String(12))  # unique per sender and message type
    xml: Mapped[bytes] = mapped_column(LargeBinary)
    size: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(12), default="ontvangen")  # ontvangen | afgeleverd
    received_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    acked_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True), default=None)
    # for a retourbericht: the heenbericht it answers (sender, type, Identificatie)
    heen_afzender: Mapped[str | None] = mapped_column(String(8), default=None)
    heen_bericht: Mapped[str | None] = mapped_column(String(6), default=None)
    heen_identificatie: Mapped[str | None] = mapped_column(String(12), default=None)
    retourcodes: Mapped[str | None] = mapped_column(String(200), default=None)
    #: for a retourbericht: the id of the heenbericht it answers, which its sender received
    heen_id: Mapped[int | None] = mapped_column(Integer, default=None)
    # push delivery
    attempts: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    next_attempt_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True), default=None)
    last_error: Mapped[str | None] = mapped_column(Text, default=None)
    dead_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True), default=None)


class PushPair(Base):
    """A (sender, receiver) pair: the unit of ordered push delivery.

    A worker holds a pair while ``lease_until`` lies in the future; only the holder pushes the pair's
    messages, oldest first. After a failed attempt the pair waits (``lease_until`` = the next attempt).
    """

    __tablename__ = "push_pair"
    __table_args__ = (UniqueConstraint("afzender", "ontvanger", name="uq_push_pair"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    afzender: Mapped[str] = mapped_column(String(8))
    ontvanger: Mapped[str] = mapped_column(String(8))
    lease_until: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True), default=None)


class Audit(Base):
    """Every state change: who, what, when (never personal data)."""

    __tablename__ = "audit"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    actor: Mapped[str] = mapped_column(String(20))
    action: Mapped[str] = mapped_column(String(40))
    bericht_id: Mapped[int | None] = mapped_column(ForeignKey("bericht.id"), default=None)
    details: Mapped[str | None] = mapped_column(Text, default=None)
