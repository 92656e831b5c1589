"""Domain errors of the services; every app answers them in the one shape (:mod:`infra.problem`): the message
as ``detail``, the faults in ``fouten``."""

from __future__ import annotations


class DomainError(Exception):
    """A request the domain refuses; ``veld`` names the input at fault where there is one, ``fouten`` lists
    every fault as (veld, reason), or (veld, reason, rule), where there are several."""

    status = 422

    def __init__(self, melding: str, veld: str | None = None, fouten: list[tuple[str, str]] | list[tuple[str, str, str]] | None = None) -> None:
        super().__init__(melding)
        self.melding = melding
        self.veld = veld
        self.fouten = fouten or []


class NotFound(DomainError):
    status = 404


class Conflict(DomainError):
    """A request that collides with what is recorded (it exists already, it was done already)."""

    status = 409
