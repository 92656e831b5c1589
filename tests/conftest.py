"""Shared fixtures: the official reference material (optional) and small XML helpers."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest
from lxml import etree

REPO = Path(__file__).resolve().parent.parent
TODAY = dt.date(2026, 11, 23)


def reference_path() -> Path:
    """``$IWMO_REFERENCE`` or ``../shared/reference/iwmo-3.2`` next to the repository."""
    env = os.environ.get("IWMO_REFERENCE")
    return Path(env) if env else REPO.parent / "shared" / "reference" / "iwmo-3.2"


@pytest.fixture(scope="session")
def reference() -> Path:
    path = reference_path()
    if not (path / "xsd" / "basisschema.xsd").is_file():
        pytest.skip(f"official iWmo 3.2 reference material not found at {path} (set IWMO_REFERENCE)")
    return path


@pytest.fixture(scope="session")
def today() -> dt.date:
    return TODAY


def canonical(data: bytes) -> bytes:
    """The document without formatting whitespace, in canonical form (for comparisons)."""
    root = etree.fromstring(data, etree.XMLParser(remove_blank_text=True))
    for el in root.iter():
        if len(el) and el.text is not None and not el.text.strip():
            el.text = None
    return etree.tostring(root, method="c14n2")
