"""Hub errors, modelled on the GGK/VECOZO error codes (IBxxx, BRSxx)."""

from __future__ import annotations

from pydantic import BaseModel


class Fout(BaseModel):
    """The body of every refusal."""

    foutcode: str
    omschrijving: str
    details: list[str] = []


class HubFout(Exception):
    """A refusal: HTTP status, hub error code, a clear text and optional details."""

    def __init__(self, status: int, foutcode: str, omschrijving: str, details: list[str] | None = None) -> None:
        super().__init__(f"{foutcode}: {omschrijving}")
        self.status = status
        self.foutcode = foutcode
        self.omschrijving = omschrijving
        self.details = details or []

    def as_dict(self) -> dict[str, object]:
        return {"foutcode": self.foutcode, "omschrijving": self.omschrijving, "details": self.details}


def niet_geautoriseerd() -> HubFout:
    return HubFout(401, "IB002", "De verzendende partij is niet geautoriseerd: geen of een ongeldig token.")


def te_groot(max_bytes: int, rol: str = "aanbieder") -> HubFout:
    """IB003 at the gemeenten's side (GGK), IB012 at the aanbieders' (VECOZO)."""
    code = "IB003" if rol == "gemeente" else "IB012"
    return HubFout(413, code, f"Payload is groter dan toegestaan (maximaal {max_bytes} bytes).")


def niet_gevonden() -> HubFout:
    return HubFout(404, "IB404", "Bericht niet gevonden in uw berichtenbox.")
