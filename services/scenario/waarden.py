"""The small expression language of scenario files: dates relative to today, variables, fresh BSNs.

* ``@vandaag``, ``@maand`` (the first of this month), ``@jaar`` (1 January), each optionally followed by
  offsets such as ``-2m``, ``+4d``, ``+1j`` (days, months, years), e.g. ``@maand-2m+4d``.
* ``@bsn``: a fresh BSN that passes the eleven test (each scenario run its own client).
* ``${naam}`` or ``${naam.pad.0}``: a variable (from ``variabelen`` or saved by ``bewaar``); a string that
  is only ``${...}`` keeps the variable's type.
"""

from __future__ import annotations

import datetime as dt
import random
import re
from typing import Any

from stdnum.nl import bsn as stdnum_bsn

_DATUM = re.compile(r"^@(vandaag|maand|jaar)((?:[+-]\d+[dmj])*)$")
_STAP = re.compile(r"([+-]\d+)([dmj])")
_VAR = re.compile(r"\$\{([^}]+)\}")


class WaardeFout(ValueError):
    pass


def _plus_maanden(d: dt.date, n: int) -> dt.date:
    maand = d.month - 1 + n
    jaar, maand = d.year + maand // 12, maand % 12 + 1
    for dag in (d.day, 30, 29, 28):
        try:
            return dt.date(jaar, maand, dag)
        except ValueError:
            continue
    raise AssertionError("unreachable")


def datum(tekst: str, vandaag: dt.date) -> dt.date | None:
    m = _DATUM.match(tekst)
    if m is None:
        return None
    d = {"vandaag": vandaag, "maand": vandaag.replace(day=1), "jaar": dt.date(vandaag.year, 1, 1)}[m.group(1)]
    for aantal, eenheid in _STAP.findall(m.group(2)):
        n = int(aantal)
        d = d + dt.timedelta(days=n) if eenheid == "d" else _plus_maanden(d, n * (12 if eenheid == "j" else 1))
    return d


def nieuw_bsn(rng: random.Random | None = None) -> str:
    rng = rng or random.Random()
    while True:
        kandidaat = f"{rng.randrange(10_000_000, 999_999_999):09d}"
        if stdnum_bsn.is_valid(kandidaat):
            return kandidaat


def zoek(waarde: Any, pad: str) -> Any:
    """``a.b.0.c`` in nested dicts and lists; KeyError with the failing part when it is not there."""
    for deel in pad.split(".") if pad else []:
        if isinstance(waarde, list):
            try:
                waarde = waarde[int(deel)]
            except (ValueError, IndexError):
                raise KeyError(f"{deel} (lijst van {len(waarde)})") from None
        elif isinstance(waarde, dict) and deel in waarde:
            waarde = waarde[deel]
        else:
            raise KeyError(deel)
    return waarde


def vul_in(waarde: Any, variabelen: dict[str, Any], vandaag: dt.date) -> Any:
    """``waarde`` with every date expression and variable replaced (recursively)."""
    if isinstance(waarde, dict):
        return {k: vul_in(v, variabelen, vandaag) for k, v in waarde.items()}
    if isinstance(waarde, list):
        return [vul_in(v, variabelen, vandaag) for v in waarde]
    if not isinstance(waarde, str):
        return waarde
    d = datum(waarde, vandaag)
    if d is not None:
        return d.isoformat()
    if waarde == "@bsn":
        return nieuw_bsn()
    heel = _VAR.fullmatch(waarde)
    if heel:
        return _variabele(heel.group(1), variabelen)
    return _VAR.sub(lambda m: str(_variabele(m.group(1), variabelen)), waarde)


def _variabele(naam: str, variabelen: dict[str, Any]) -> Any:
    kop, _, rest = naam.partition(".")
    if kop not in variabelen:
        raise WaardeFout(f"onbekende variabele ${{{naam}}} (bekend: {', '.join(sorted(variabelen)) or 'geen'})")
    try:
        return zoek(variabelen[kop], rest)
    except KeyError as exc:
        raise WaardeFout(f"${{{naam}}}: {exc.args[0]} bestaat niet") from None
