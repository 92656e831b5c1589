"""The library's errors. Each carries a readable message and, where known, a line number."""

from __future__ import annotations


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


class UnknownMessage(IwmoError):
    """Well-formed XML that is not one of the 14 iWmo 3.2 messages."""
