"""Domain data several services share, defined once: the client's details (within the lengths of the
standard's datatypes, LDT_*), an omvang as the API shows it, and retourcodes with their meaning.

:class:`Persoon` holds what every message about a client carries besides the BSN (WMO305/307/315: birth
date, gender, name); :class:`ClientGegevens` adds the BSN and the address the gemeente keeps (WMO301).
The models are frozen, so the domain takes them as they are instead of copying them into dataclasses.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from infra.schemas import RequestModel
from iwmo import codelijsten
from iwmo.uitleg import betekenissen

#: a text with at least one visible character (as LDT_Commentaar and LDT_Achternaam ask)
ZICHTBAAR = r"\S"


def geldig_bsn(bsn: str) -> str:
    """The 11-proef (python-stdnum), as the toewijzing service checks a beschikking's BSN; fictitious test
    numbers pass it too. The message does not repeat the number (it is personal data)."""
    from stdnum.nl import bsn as stdnum_bsn  # here: only a request with a BSN pays its import

    if not stdnum_bsn.is_valid(bsn):
        raise ValueError("BSN is ongeldig: geen 9 cijfers of de 11-proef klopt niet")
    return bsn


#: a BSN in a request (body, path or query): a clear 422 when it is not one
Bsn = Annotated[str, AfterValidator(geldig_bsn)]


def retourcodes_met_betekenis(tekst: str | None) -> dict[str, Any]:
    """Stored retourcodes (comma-separated) as an API answer gives them: ``retourcodes``, the list, and
    ``betekenissen``, per code its meaning from WJ001 (:data:`BETEKENISSEN` declares the field)."""
    codes = tekst.split(",") if tekst else []
    return {"retourcodes": codes, "betekenissen": betekenissen(codes)}


#: the field beside ``retourcodes`` in a response model
BETEKENISSEN: Any = Field(default_factory=dict, description="per retourcode wat ze betekent (WJ001)",
                     examples=[{"9069": "Er is geen actueel startbericht met dezelfde sleutel."}])


def toegestaan(lijst: str) -> str:
    """The codes of a code list with their meanings, for a message that says what is allowed."""
    return ", ".join(f"{c} ({codelijsten.betekenis(lijst, c)})" for c in codelijsten.codes(lijst))


def code_uit(lijst: str) -> AfterValidator:
    """A validator for a code of ``lijst`` (iwmo's code lists): a 422 that names the allowed codes."""

    def check(code: str) -> str:
        if code not in codelijsten.codes(lijst):
            raise ValueError(f"geen {codelijsten.naam(lijst)} ({lijst}); toegestaan: {toegestaan(lijst)}")
        return code

    return AfterValidator(check)


class Persoon(RequestModel):
    """The person: birth date, gender and name (COD046, LDT_Achternaam, LDT_Voorvoegsel, LDT_Voorletters)."""

    model_config = ConfigDict(frozen=True, from_attributes=True)

    geboortedatum: dt.date
    geslacht: str = Field(description="COD046: 0 onbekend, 1 man, 2 vrouw", pattern=r"^[0-2]$")
    achternaam: str = Field(min_length=1, max_length=200, pattern=ZICHTBAAR)
    voorvoegsel: str | None = Field(None, min_length=1, max_length=10)
    voorletters: str | None = Field(None, min_length=1, max_length=6)


class ClientGegevens(Persoon):
    """The client as the gemeente records him: the person, the BSN and the address (postcode and
    huisnummer required, street and place optional)."""

    bsn: str = Field(pattern=r"^[0-9]{9}$")
    postcode: str = Field(min_length=1, max_length=8)
    huisnummer: int = Field(ge=1, le=99_999)
    straatnaam: str | None = Field(None, min_length=1, max_length=24)
    plaatsnaam: str | None = Field(None, min_length=1, max_length=80)


class Omvang(BaseModel):
    """How much was granted or asked: volume, unit and frequency, or a budget."""

    volume: int | None
    eenheid: str | None = Field(description="WJ756")
    frequentie: str | None = Field(description="WMO757")
    budget: int | None = Field(description="in eurocent")
