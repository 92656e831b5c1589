"""Base class of the 14 message roots."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from iwmo.catalogue import BerichtType, bericht
from iwmo.model import Klasse

if TYPE_CHECKING:
    from iwmo.berichten.header import Header


@dataclass(kw_only=True)
class Bericht(Klasse):
    """A whole message (the ``Bericht`` root element). Subclasses set ``BERICHT``."""

    BERICHT: ClassVar[str] = ""
    if TYPE_CHECKING:
        # every message has a Header (a retour a RetourHeader, a WMO325 a DeclaratieAntwoordHeader): each
        # subclass declares it as its first field; declared here for the type checker only
        header: Header

    @classmethod
    def type(cls) -> BerichtType:
        return bericht(cls.BERICHT)
