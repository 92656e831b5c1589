"""Hub errors, modelled on the GGK/VECOZO error codes (IBxxx, BRSxx). A refusal is the library's
:class:`iwmo.exceptions.HubError`, the same class that a client of the hub (iwmo.hub) raises when it
meets one: one error family on both sides of the wire."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from pydantic import BaseModel

from iwmo.exceptions import HubError


class ErrorBody(BaseModel):
    """The body of every refusal."""

    foutcode: str
    omschrijving: str
    details: list[str] = []


def as_body(exc: HubError) -> dict[str, object]:
    """A refusal as the JSON body the hub answers with."""
    return {"foutcode": exc.foutcode, "omschrijving": exc.omschrijving, "details": exc.details}


def invalid_input(errors: Sequence[Mapping[str, Any]]) -> HubError:
    """IB018 for input that does not fit, with pydantic's errors as details ("where: what")."""
    return HubError(422, "IB018", "Applicatiegegevens niet of onjuist gevuld.",
                    [f"{' '.join(map(str, e['loc']))}: {e['msg']}" for e in errors])


def unauthorized() -> HubError:
    return HubError(401, "IB002", "De verzendende partij is niet geautoriseerd: geen of een ongeldig token.")


def too_large(max_bytes: int, rol: str = "aanbieder") -> HubError:
    """IB003 at the gemeenten's side (GGK), IB012 at the aanbieders' (VECOZO)."""
    code = "IB003" if rol == "gemeente" else "IB012"
    return HubError(413, code, f"Payload is groter dan toegestaan (maximaal {max_bytes} bytes).")


def not_found() -> HubError:
    return HubError(404, "IB404", "Bericht niet gevonden in uw berichtenbox.")


__all__ = ["ErrorBody", "HubError", "as_body", "invalid_input", "not_found", "too_large", "unauthorized"]
