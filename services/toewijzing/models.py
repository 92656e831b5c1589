"""The toewijzing service's tables (SQLAlchemy 2 ORM).

A Beschikking (decision) for a Client grants Voorzieningen; each Voorziening is assigned to an
aanbieder as one or more Toewijzingen over time (a changed omvang means a new Toewijzing with a new
ToewijzingNummer). Every message in or out is kept as a Bericht (the outbox and the history).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, Date, DateTime, ForeignKey, Index, Integer, String, Text, Time
from sqlalchemy import UniqueConstraint as Unique
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from infra.db import utcnow
from infra.models import BerichtColumns


class Base(DeclarativeBase):
    pass


class Client(Base):
    __tablename__ = "client"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    bsn: Mapped[str] = mapped_column(String(9), unique=True)
    geboortedatum: Mapped[dt.date] = mapped_column(Date)
    geslacht: Mapped[str] = mapped_column(String(1))  # COD046: 0 onbekend, 1 man, 2 vrouw, 9 niet gespecificeerd
    achternaam: Mapped[str] = mapped_column(String(200))
    voorvoegsel: Mapped[str | None] = mapped_column(String(10), default=None)
    voorletters: Mapped[str | None] = mapped_column(String(6), default=None)
    postcode: Mapped[str] = mapped_column(String(8))
    huisnummer: Mapped[int] = mapped_column(Integer)
    straatnaam: Mapped[str | None] = mapped_column(String(24), default=None)
    plaatsnaam: Mapped[str | None] = mapped_column(String(80), default=None)


class Teller(Base):
    """A named counter (ToewijzingNummer): incremented in the transaction that uses the number."""

    __tablename__ = "teller"

    naam: Mapped[str] = mapped_column(String(30), primary_key=True)
    waarde: Mapped[int] = mapped_column(Integer)


class Beschikking(Base):
    __tablename__ = "beschikking"
    __table_args__ = (Index("ix_beschikking_client", "client_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("client.id"))
    besluitdatum: Mapped[dt.date] = mapped_column(Date)
    kenmerk: Mapped[str | None] = mapped_column(String(50), default=None)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    voorzieningen: Mapped[list[Voorziening]] = relationship(back_populates="beschikking", order_by="Voorziening.id")


class Voorziening(Base):
    """A granted provision, in uren (Omvang in time) or as a resultaat (output units or a budget)."""

    __tablename__ = "voorziening"
    __table_args__ = (Index("ix_voorziening_beschikking", "beschikking_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    beschikking_id: Mapped[int] = mapped_column(ForeignKey("beschikking.id"))
    wijze: Mapped[str] = mapped_column(String(10))  # uren | resultaat
    categorie: Mapped[str] = mapped_column(String(2))
    code: Mapped[str | None] = mapped_column(String(5), default=None)
    aanbieder: Mapped[str] = mapped_column(String(8))
    resultaat: Mapped[str | None] = mapped_column(Text, default=None)  # the result to achieve, in words
    beschikking: Mapped[Beschikking] = relationship(back_populates="voorzieningen")


class Toewijzing(Base):
    """One ToegewezenProduct as sent (or to be sent) in a WMO301; ``nummer`` is the ToewijzingNummer."""

    __tablename__ = "toewijzing"
    __table_args__ = (Index("ix_toewijzing_client_aanbieder", "client_id", "aanbieder"),
                      Index("ix_toewijzing_aanbieder", "aanbieder", "id"))

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    nummer: Mapped[int] = mapped_column(Integer, unique=True)
    voorziening_id: Mapped[int] = mapped_column(ForeignKey("voorziening.id"))
    client_id: Mapped[int] = mapped_column(ForeignKey("client.id"))
    aanbieder: Mapped[str] = mapped_column(String(8))
    categorie: Mapped[str] = mapped_column(String(2))
    code: Mapped[str | None] = mapped_column(String(5), default=None)
    ingangsdatum: Mapped[dt.date] = mapped_column(Date)
    einddatum: Mapped[dt.date | None] = mapped_column(Date, default=None)
    volume: Mapped[int | None] = mapped_column(Integer, default=None)
    eenheid: Mapped[str | None] = mapped_column(String(2), default=None)
    frequentie: Mapped[str | None] = mapped_column(String(1), default=None)
    budget: Mapped[int | None] = mapped_column(Integer, default=None)  # eurocent
    reden_wijziging: Mapped[str | None] = mapped_column(String(2), default=None)
    referentie_aanbieder: Mapped[str | None] = mapped_column(String(36), default=None)
    commentaar: Mapped[str | None] = mapped_column(Text, default=None)
    toewijzingsdatum: Mapped[dt.date] = mapped_column(Date)
    toewijzingstijd: Mapped[dt.time] = mapped_column(Time)
    #: changed since the last WMO301 to this aanbieder for this client (must go in the next one)
    gewijzigd: Mapped[bool] = mapped_column(Boolean, default=True)
    #: the aanbieder's judgement from the WMO302: None (no answer yet), "geaccepteerd", "afgewezen"
    oordeel_aanbieder: Mapped[str | None] = mapped_column(String(12), default=None)
    retourcodes: Mapped[str | None] = mapped_column(String(100), default=None)
    #: the last WMO301 that carried it: only the retour on that message judges its current state
    laatste_301_id: Mapped[int | None] = mapped_column(Integer, default=None)


class Bericht(BerichtColumns, Base):
    """A message sent or received, with its state: the outbox and the history in one table."""

    __tablename__ = "bericht"
    __table_args__ = (
        Unique("richting", "afzender", "bericht", "identificatie", name="uq_bericht"),
        Index("ix_bericht_client", "client_id", "id"),
        Index("ix_bericht_status", "richting", "status"),
        Index("ix_bericht_retour", "retour_status", "id"),
    )

    client_id: Mapped[int | None] = mapped_column(ForeignKey("client.id"), default=None)
    #: for a retourbericht: the heenbericht it answers
    antwoord_op: Mapped[int | None] = mapped_column(ForeignKey("bericht.id"), default=None)
    #: WMO301 only: the resultaat toewijzingen in it whose support plan must be established before sending
    plan_nummers: Mapped[str | None] = mapped_column(String(200), default=None)


class Levering(Base):
    """An accepted StartProduct or StopProduct (WMO305/307), the state for the cross-message rules."""

    __tablename__ = "levering"
    __table_args__ = (Index("ix_levering_aanbieder_bsn", "aanbieder", "bsn"), Index("ix_levering_bsn", "bsn"))

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    soort: Mapped[str] = mapped_column(String(5))  # start | stop
    bsn: Mapped[str] = mapped_column(String(9))
    aanbieder: Mapped[str] = mapped_column(String(8))
    toewijzing_nummer: Mapped[int | None] = mapped_column(Integer, default=None)
    categorie: Mapped[str | None] = mapped_column(String(2), default=None)
    code: Mapped[str | None] = mapped_column(String(5), default=None)
    begindatum: Mapped[dt.date] = mapped_column(Date)
    reden_beeindiging: Mapped[str | None] = mapped_column(String(2), default=None)
    einddatum: Mapped[dt.date | None] = mapped_column(Date, default=None)
    verwijderd: Mapped[bool] = mapped_column(Boolean, default=False)
    bericht_id: Mapped[int] = mapped_column(ForeignKey("bericht.id"))


class Verzoek(Base):
    """A request from an aanbieder: one AangevraagdProduct of a WMO315 (VOT) or a whole WMO317 (VOW).

    ``status``: open (in the work queue), in-onderzoek (answered with VerzoekAntwoord 2, still open),
    toegekend (answered with a WMO301), afgewezen (answered with a WMO319, VerzoekAntwoord 1).
    """

    __tablename__ = "verzoek"
    __table_args__ = (
        Unique("aanbieder", "referentie_aanbieder", name="uq_verzoek_referentie"),
        Index("ix_verzoek_status", "status", "id"),
        Index("ix_verzoek_client", "bsn", "aanbieder"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    soort: Mapped[str] = mapped_column(String(3))  # VOT | VOW
    bericht_id: Mapped[int] = mapped_column(ForeignKey("bericht.id"))
    #: VOT: the position of the AangevraagdProduct in the message (1-based); VOW: None
    product_index: Mapped[int | None] = mapped_column(Integer, default=None)
    aanbieder: Mapped[str] = mapped_column(String(8))
    bsn: Mapped[str] = mapped_column(String(9))
    referentie_aanbieder: Mapped[str] = mapped_column(String(36))
    status: Mapped[str] = mapped_column(String(13), default="open")
    #: what the gemeente's policy said about it, in words (why it waits, or why it was decided)
    advies: Mapped[str | None] = mapped_column(Text, default=None)
    reden_afwijzing: Mapped[str | None] = mapped_column(String(1), default=None)  # WJ759
    besloten_door: Mapped[str | None] = mapped_column(String(20), default=None)  # beleid | medewerker
    ontvangen_op: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    besloten_op: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True), default=None)
