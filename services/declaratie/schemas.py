"""The declaratie service's API models. Amounts are signed integers in eurocent (credit negative)."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, Field


class Health(BaseModel):
    status: str


class DeclaratieUit(BaseModel):
    id: int
    aanbieder: str
    declaratienummer: str
    periode_begin: dt.date
    periode_eind: dt.date
    ingediend: int = Field(description="eurocent, debet min credit")
    toegekend: int = Field(description="eurocent, debet min credit")
    status: str = Field(description="toegekend | deels | afgewezen")
    retourcodes: list[str]
    prestaties: int
    afgewezen: int
    ontvangen_op: dt.datetime


class PrestatieUit(BaseModel):
    bsn: str
    referentienummer: str
    vorig_referentienummer: str | None
    toewijzingnummer: int
    categorie: str
    code: str
    begindatum: dt.date
    einddatum: dt.date
    volume: int
    eenheid: str
    tarief: int | None
    bedrag: int = Field(description="eurocent; credit negatief")
    debet: bool
    toegekend: bool
    retourcodes: list[str]


class DeclaratieDetail(DeclaratieUit):
    prestatieregels: list[PrestatieUit]


class TeBetalen(BaseModel):
    aanbieder: str
    maand: str = Field(description="JJJJ-MM van de ProductPeriode")
    bedrag: int = Field(description="toegekend, eurocent, debet min credit")
    prestaties: int
