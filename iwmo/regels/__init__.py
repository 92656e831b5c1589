"""The in-message rules of iWmo 3.2 (conditions CDxxx, constraints CSxxx, technical rules TRxxx)."""

from iwmo.regels import adres, datums, declaratie, extern, persoon, producten, startstop  # noqa: F401
from iwmo.regels.core import (
    MAX_FOUTEN,
    MAX_PER_REGEL,
    REGELS,
    Budget,
    Context,
    Fout,
    Groep,
    Regel,
    begrens,
    groepen,
    regels_voor,
    run,
    toets,
)

__all__ = ["MAX_FOUTEN", "MAX_PER_REGEL", "REGELS", "Budget", "Context", "Fout", "Groep", "Regel", "begrens", "groepen",
           "regels_voor", "run", "toets"]
