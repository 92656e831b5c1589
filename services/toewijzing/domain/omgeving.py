"""What processing an inbound message needs besides the session."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from services.toewijzing.domain.beleid import Beleid
from services.toewijzing.domain.varianten import Catalogus, catalogus


@dataclass(frozen=True)
class Omgeving:
    gemeente: str  # who we are (CBS code)
    nu: dt.datetime  # the time of processing
    beleid: Beleid  # how requests from aanbieders are judged
    producten: Catalogus = field(default_factory=catalogus)  # the products the gemeente grants
