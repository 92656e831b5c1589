"""The API models every app shares: the base of every request body, and the one shape of every error
answer (RFC 9457 problem details; see docs/fouten.md)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class RequestModel(BaseModel):
    """Base of every request body model (and of the models nested in one): a field the model does not know
    is refused (422, "onbekend veld"), never silently dropped: a misspelt optional field would otherwise
    vanish without a word."""

    model_config = ConfigDict(extra="forbid")


class Fout(BaseModel):
    """One fault: where (a field path in the request, ``client.bsn`` or ``voorzieningen.0.omvang.volume``; for a
    message the standard rejects the XPath in it; null when no single field is at fault), what, and the
    standard's rule or the hub's code where there is one."""

    veld: str | None = Field(examples=["client.voorleters"])
    fout: str = Field(examples=["onbekend veld"])
    regel: str | None = Field(None, description="de regel van de standaard (TR018, OP033x1, ...) of een foutcode",
                              examples=["TR018"])


class Probleem(BaseModel):
    """Every error answer of the suite (``application/problem+json``, RFC 9457)."""

    type: str = Field(description="wat voor fout: een vaste URI (urn:iwmo-suite:fout:...) of about:blank",
                      examples=["urn:iwmo-suite:fout:ongeldige-invoer"])
    title: str = Field(description="de soort fout, kort (vast per type)", examples=["Ongeldige invoer"])
    status: int = Field(description="de HTTP-status", examples=[422])
    detail: str = Field(description="wat er mis is, in een zin", examples=["De invoer past niet: client.voorleters: "
                                                                              "onbekend veld."])
    fouten: list[Fout] = Field(default_factory=list, description="elke fout apart, met het veld waar ze zit")


class HubProbleem(Probleem):
    """An error answer of the hub: the problem with the hub's error code (IB002, BRS20, ADM01, ...); ``omschrijving``
    and ``details`` repeat ``detail`` and the faults as the hub's contract has always given them."""

    foutcode: str = Field(description="de foutcode van de hub (Foutcodelijst VECOZO) of van zijn beheer (ADMxx)",
                          examples=["IB018"])
    omschrijving: str = Field(description="gelijk aan detail (het contract van de hub)")
    details: list[str] = Field(default_factory=list, description="de fouten als tekst (het contract van de hub)")
