"""Domain errors of the services; each app maps them to one HTTP answer (JSON {fout, veld})."""

from __future__ import annotations


class DomainError(Exception):
    """A request the domain refuses; ``veld`` names the input at fault where there is one."""

    status = 422

    def __init__(self, melding: str, veld: str | None = None) -> None:
        super().__init__(melding)
        self.melding = melding
        self.veld = veld


class NotFound(DomainError):
    status = 404
