"""The in-message rules of iWmo 3.2 (conditions CDxxx, constraints CSxxx, technical rules TRxxx)."""

from iwmo.regels import adres, datums, declaratie, extern, persoon, producten, startstop  # noqa: F401
from iwmo.regels.core import REGELS, Context, Fout, Regel, regels_voor, run

__all__ = ["REGELS", "Context", "Fout", "Regel", "regels_voor", "run"]
