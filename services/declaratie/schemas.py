"""The declaratie service's API models. Amounts are signed integers in eurocent (credit negative)."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, Field

from services.gegevens import BETEKENISSEN


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
    betekenissen: dict[str, str] = BETEKENISSEN
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
    betekenissen: dict[str, str] = BETEKENISSEN


class DeclaratieDetail(DeclaratieUit):
    prestatieregels: list[PrestatieUit]


class TeBetalen(BaseModel):
    aanbieder: str
    maand: str = Field(description="JJJJ-MM van de ProductPeriode")
    bedrag: int = Field(description="toegekend, eurocent, debet min credit")
    prestaties: int


class OmvangUit(BaseModel):
    volume: int | None
    eenheid: str | None = Field(description="WJ756")
    frequentie: str | None = Field(description="WMO757: 1 per dag, 2 per week, 4 per maand, 6 totaal")
    budget: int | None = Field(description="eurocent")


class MaandLevering(BaseModel):
    """One calendar month of a toewijzing. Volumes in the toewijzing's unit, rounded to 2 decimals (the
    percentage and the flag are computed exactly)."""

    maand: str = Field(description="JJJJ-MM")
    begindatum: dt.date = Field(description="de eerste dag van de maand binnen de toewijzing")
    einddatum: dt.date = Field(description="de laatste dag van de maand binnen de toewijzing")
    afgelopen: bool = Field(description="de kalendermaand is voorbij (alleen dan kan er onderlevering zijn)")
    toegewezen: float | None = Field(description="wat de omvang in deze dagen toekent; null bij totaal of budget")
    gedeclareerd: float = Field(description="gedeclareerd en toegekend: debet min credit (0: niets gedeclareerd)")
    afgewezen: float = Field(description="gedeclareerd maar afgewezen: debet min credit")
    percentage: float | None = Field(description="gedeclareerd / toegewezen x 100, op 1 decimaal")
    onderlevering: bool = Field(description="afgelopen en gedeclareerd < drempel x toegewezen")
    opmerkingen: list[str] = Field(description="'niets gedeclareerd', 'lopende maand: ...', 'geen volume per maand ...'")


class ToewijzingLevering(BaseModel):
    toewijzingnummer: int
    aanbieder: str | None
    categorie: str
    code: str | None
    ingangsdatum: dt.date
    einddatum: dt.date | None
    omvang: OmvangUit
    eenheid: str | None = Field(description="WJ756: de eenheid van alle volumes hieronder")
    eenheid_naam: str | None
    grondslag: str = Field(description="hoe het toegewezen volume per maand is berekend")
    onderlevering: bool = Field(description="in een of meer afgelopen maanden")
    maanden: list[MaandLevering]


class ClientLevering(BaseModel):
    """What a client was granted and what was delivered (declared and granted), per toewijzing and month."""

    bsn: str
    peildatum: dt.date = Field(description="vandaag: de maanden lopen tot en met deze maand")
    drempel: float = Field(description="DECLARATIE_ONDERLEVERING_DREMPEL")
    onderlevering: bool = Field(description="op een of meer toewijzingen")
    toewijzingen: list[ToewijzingLevering]
