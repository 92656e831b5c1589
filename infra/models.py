"""The columns every service's ``Bericht`` table has: each message it sends or receives is a row."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import DateTime, Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from infra.db import utcnow


class BerichtColumns:
    """The columns every service's ``Bericht`` table has (mix into a declarative class)."""

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    richting: Mapped[str] = mapped_column(String(3))  # uit | in
    bericht: Mapped[str] = mapped_column(String(6))  # WMO301 ...
    afzender: Mapped[str] = mapped_column(String(8))
    ontvanger: Mapped[str] = mapped_column(String(8))
    identificatie: Mapped[str] = mapped_column(String(12))
    xml: Mapped[bytes] = mapped_column(LargeBinary)
    #: uit: te-verzenden | verzonden | geweigerd; in: verwerkt | afgekeurd | onbekend
    status: Mapped[str] = mapped_column(String(12))
    hub_id: Mapped[int | None] = mapped_column(Integer, default=None)
    #: for a heenbericht: the verdict of its retour (goedgekeurd | afgekeurd) and its RetourCodes
    retour_status: Mapped[str | None] = mapped_column(String(12), default=None)
    retourcodes: Mapped[str | None] = mapped_column(String(200), default=None)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    fout: Mapped[str | None] = mapped_column(Text, default=None)
