"""Base class of the 14 message roots."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from iwmo.catalogue import BerichtType, bericht
from iwmo.model import Klasse


@dataclass(kw_only=True)
class Bericht(Klasse):
    """A whole message (the ``Bericht`` root element). Subclasses set ``BERICHT``."""

    BERICHT: ClassVar[str] = ""

    @classmethod
    def type(cls) -> BerichtType:
        return bericht(cls.BERICHT)
