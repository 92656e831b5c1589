"""What processing an inbound message needs besides the session."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from services.toewijzing.beleid import Beleid


@dataclass(frozen=True)
class Omgeving:
    gemeente: str  # who we are (CBS code)
    nu: dt.datetime  # the time of processing
    beleid: Beleid  # how requests from aanbieders are judged
