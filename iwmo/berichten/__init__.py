"""Typed models of the 14 iWmo 3.2 messages."""

from __future__ import annotations

from iwmo.berichten.bericht import Bericht
from iwmo.berichten.declaratie import Wmo323, Wmo325
from iwmo.berichten.start_stop import Wmo305, Wmo306, Wmo307, Wmo308
from iwmo.berichten.toewijzing import Wmo301, Wmo302
from iwmo.berichten.verzoek import Wmo315, Wmo316, Wmo317, Wmo318, Wmo319, Wmo320

MODELS: dict[str, type[Bericht]] = {
    m.BERICHT: m
    for m in (Wmo301, Wmo302, Wmo305, Wmo306, Wmo307, Wmo308, Wmo315, Wmo316, Wmo317, Wmo318,
              Wmo319, Wmo320, Wmo323, Wmo325)
}


def model(bericht: str) -> type[Bericht]:
    """The model class of a message type (``"WMO301"`` -> :class:`Wmo301`)."""
    return MODELS[bericht.upper()]


__all__ = ["MODELS", "Bericht", "model"]
