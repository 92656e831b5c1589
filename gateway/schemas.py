"""The hub API's request and response models (every route declares its answer; see docs/gateway.md)."""

from __future__ import annotations

import base64
import binascii
from typing import Annotated

from pydantic import BaseModel, BeforeValidator, Field, WithJsonSchema

from infra.schemas import RequestModel

#: a message type as the catalogue names it
BERICHT = r"^WMO3[0-9]{2}$"


class Ontvangen(BaseModel):
    id: int
    status: str
    bericht: str
    identificatie: str


def _base64(waarde: object) -> bytes:
    """Strict base64 (the alphabet and padding only): anything else is an error, not silently skipped."""
    if not isinstance(waarde, str):
        raise ValueError("verwacht een tekst in base64")
    try:
        return base64.b64decode(waarde, validate=True)
    except binascii.Error:
        raise ValueError("geen geldige base64") from None


Base64Xml = Annotated[bytes, BeforeValidator(_base64),
                      WithJsonSchema({"type": "string", "contentEncoding": "base64", "contentMediaType": "application/xml"})]


class Bundel(RequestModel):
    """Several messages offered in one request, in the order they must be taken."""

    berichten: list[Base64Xml] = Field(min_length=1, max_length=100, description=(
        "de berichten (XML, base64), hoogstens 100; samen hoogstens de grens van een bericht (25 MB)"))


class BundelUitkomst(BaseModel):
    """What became of one message of a bundle: stored (202, with its id) or refused (the code and text that
    POST /berichten would have answered)."""

    status: int = Field(description="202: opgeslagen; anders de HTTP-status van de weigering")
    id: int | None = None
    bericht: str | None = None
    identificatie: str | None = None
    foutcode: str | None = None
    omschrijving: str | None = None
    details: list[str] = Field(default_factory=list)


class Bundelantwoord(BaseModel):
    uitkomsten: list[BundelUitkomst] = Field(description="per bericht, in de volgorde van de bundel")


class RetourMeta(BaseModel):
    """The retourbericht that answered a heenbericht."""

    id: int
    bericht: str
    retourcodes: list[str]
    oordeel: str = Field(description="goedgekeurd | afgekeurd")


class HeenRef(BaseModel):
    """The heenbericht a retourbericht answers."""

    afzender: str | None
    bericht: str | None
    identificatie: str | None


class BerichtMeta(BaseModel):
    """What the hub knows of a message, without its content (no personal data)."""

    id: int
    bericht: str
    berichtcode: str
    afzender: str
    ontvanger: str
    identificatie: str
    status: str = Field(description="ontvangen (wacht op aflevering) | afgeleverd | dead")
    size: int
    ontvangen_op: str
    afgeleverd_op: str | None
    retour: RetourMeta | None = Field(None, description="bij een heenbericht: het retourbericht, zodra het er is")
    antwoord_op: HeenRef | None = Field(None, description="bij een retourbericht: het heenbericht dat het beantwoordt")
    xml: str | None = Field(None, description="met inhoud=true: het bericht zelf, base64")


class DeadLetter(BerichtMeta):
    pogingen: int
    laatste_fout: str | None


class Afgeleverd(BaseModel):
    id: int
    status: str


class Ontvangstbevestiging(RequestModel):
    """Several messages acknowledged at once."""

    ids: list[Annotated[int, Field(ge=1, le=2**63 - 1)]] = Field(min_length=1, max_length=1000)


class Bevestigd(BaseModel):
    afgeleverd: list[int] = Field(description="de ids die van u zijn: nu of eerder afgeleverd")


class Wachtend(BaseModel):
    """Messages of one type that wait for one receiver."""

    ontvanger: str
    bericht: str
    aantal: int
    oudste: str = Field(description="ontvangen op (de oudste)")
    aflevering: str = Field(description="'push naar <endpoint>', of 'ophalen' (de eigenaar haalt ze op)")
    laatste_fout: str | None


class WachtBijAfzender(BaseModel):
    """Messages the hub refused because their receiver is not connected: they wait at their sender."""

    afzender: str
    ontvanger: str
    bericht: str
    foutcode: str = Field(description="IB005 (een gemeente verzendt) of IB010 (een aanbieder)")
    sinds: str = Field(description="ISO 8601: de eerste weigering")
    laatste_poging: str = Field(description="ISO 8601")
    pogingen: int


class Aansluiting(BaseModel):
    """Whether a party is connected to the hub (may receive messages)."""

    code: str
    aangesloten: bool
    rol: str | None = Field(description="gemeente | aanbieder; leeg als de partij niet is aangesloten")


class Health(BaseModel):
    status: str


class NieuwePartij(RequestModel):
    rol: str
    code: str
    endpoint: str | None = None
    naam: str | None = None


class PartijAangemaakt(BaseModel):
    rol: str
    code: str
    endpoint: str | None
    token: str
    push_geheim: str | None


class PushGeheim(BaseModel):
    code: str
    push_geheim: str


class TokenUitgegeven(BaseModel):
    code: str
    token: str


class Intrekken(RequestModel):
    token: str


class Ingetrokken(BaseModel):
    ingetrokken: bool


class RoutesIn(RequestModel):
    """Route these message types of the party to ``endpoint`` (push), or without one keep them for collection."""

    berichten: list[str] = Field(min_length=1, max_length=20)
    endpoint: str | None = Field(None, max_length=500)


class RouteOut(BaseModel):
    bericht: str
    endpoint: str | None = Field(description="null: de eigenaar haalt ze op")


class Routes(BaseModel):
    code: str
    endpoint: str | None = Field(description="het eigen endpoint van de partij, voor typen zonder route")
    routes: list[RouteOut]
    push_geheim: str | None = Field(description="waarmee de hub zijn pushes aan deze partij ondertekent")
