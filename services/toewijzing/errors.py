"""The toewijzing service's domain errors; the app maps each to one HTTP answer."""

from __future__ import annotations


class DomeinFout(Exception):
    """A request the domain refuses; ``veld`` names the input at fault where there is one."""

    status = 422

    def __init__(self, melding: str, veld: str | None = None) -> None:
        super().__init__(melding)
        self.melding = melding
        self.veld = veld


class NietGevonden(DomeinFout):
    status = 404
