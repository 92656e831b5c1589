"""The library's errors, in one family under :class:`IwmoError`. Each carries a readable message and,
where known, a line number. The modules that raise them re-export them (``iwmo.retour.NoRetour``,
``iwmo.hub.HubError``, ...), so either import works.

This module imports nothing of the library: catching an error never loads the code that raises it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


class IwmoError(Exception):
    """Base of all errors raised by the iwmo library."""


class XmlError(IwmoError):
    """Input that is not (acceptable) XML: empty, not well-formed, too large, or with a DTD."""

    def __init__(self, message: str, *, line: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.line = line

    def __str__(self) -> str:
        return f"{self.message} (regel {self.line})" if self.line else self.message


class UnknownBericht(IwmoError, KeyError):
    """A message name or number that is none of the 14 iWmo 3.2 messages (``iwmo.catalogue.bericht``).
    Also a ``KeyError``, as it is a failed look-up (its text is the name, quoted)."""


class BindingError(IwmoError):
    """The document does not have the shape of the message (validate it first)."""


class NoRetour(IwmoError):
    """The message cannot be answered with a retourbericht (XSD faults: the hub refuses it)."""


class BudgetOverschreden(IwmoError):
    """Judging a message took longer than its time budget; the rules stopped at ``regel`` (a code, or
    ``XSD`` when the schema alone took that long). ``gevonden`` holds what the rules had found by then
    (their :class:`~iwmo.regels.Groep` objects, the rule where they stopped last), for a caller that
    reports the faults found so far."""

    def __init__(self, budget: float, regel: str) -> None:
        super().__init__(f"de controle van het bericht duurde langer dan {budget:g} seconden (gestopt bij {regel})")
        self.budget, self.regel = budget, regel
        self.gevonden: list[Any] = []


class TeVeelAttributen(IwmoError):
    """A message holds more attributes than any iWmo message can (the XSDs declare none): refused before a
    parser builds them (:func:`iwmo.loader.te_veel_attributen`)."""


class OnbekendeLocatie(IwmoError):
    """A fault's location that does not lead to a part of the message."""


@dataclass
class HubError(IwmoError):
    """The hub refused a request: HTTP status, hub error code (IB002, BRS20, ...) and its text."""

    status: int
    foutcode: str
    omschrijving: str
    details: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        return f"{self.foutcode}: {self.omschrijving}"


class HubUnreachable(IwmoError):
    """The hub did not answer (network error or 5xx): try again later."""


class KalenderError(IwmoError, ValueError):
    """``iwmo.kalender`` cannot answer: a file of gelijkgestelde dagen that cannot be read or does not fit,
    or a year for which the holidays package gives not every day of the Algemene termijnenwet."""
