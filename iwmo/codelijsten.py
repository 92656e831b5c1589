"""The standard's code lists as data (``iwmo/data/codelijsten.json``).

Each list is keyed by its identifier in the standard (``WJ756`` for Eenheid, ``WMO757`` for
Frequentie, ``CBS`` for the gemeentecodes, ...). Use :func:`codes` for the set of valid codes and
:func:`betekenis` for the meaning of one code.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

#: package data, next to this module (as the XSDs: :func:`iwmo.schemas.schema_dir`); a plain path, since
#: importlib.resources alone would cost ``iwmo validate`` more start-up time than reading the file
_PAD = Path(__file__).resolve().parent / "data" / "codelijsten.json"


@cache
def _lists() -> dict[str, dict[str, Any]]:
    raw = _PAD.read_text(encoding="utf-8")
    data: dict[str, dict[str, Any]] = json.loads(raw)
    return data


def lijsten() -> list[str]:
    """Identifiers of all code lists known to the library."""
    return sorted(_lists())


@cache
def codes(lijst: str) -> tuple[str, ...]:
    """The valid codes of a list, in the order of the standard."""
    return tuple(entry["code"] for entry in _lists()[lijst]["codes"])


@cache
def _meanings(lijst: str) -> dict[str, str]:
    return {entry["code"]: entry["betekenis"] for entry in _lists()[lijst]["codes"]}


def betekenis(lijst: str, code: str) -> str | None:
    """The meaning of ``code`` in ``lijst``, or None when the code is not in the list."""
    return _meanings(lijst).get(code)


def naam(lijst: str) -> str:
    """The element name the list belongs to (``Eenheid`` for WJ756)."""
    return str(_lists()[lijst]["naam"])


def retourcode_regel(code: str) -> str | None:
    """The rule (TRxxx) behind a retourcode, when the standard names one."""
    for entry in _lists()["WJ001"]["codes"]:
        if entry["code"] == code:
            regel: str | None = entry.get("regel")
            return regel
    return None
