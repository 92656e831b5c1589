"""The project's compiled XSDs, loaded once per process."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from lxml import etree

from iwmo.catalogue import bericht


def schema_dir() -> Path:
    """``schemas/iwmo-3.2``: shipped in the wheel as ``iwmo/_schemas``, or the repository folder."""
    here = Path(__file__).resolve().parent
    for candidate in (here / "_schemas" / "iwmo-3.2", here.parent / "schemas" / "iwmo-3.2"):
        if (candidate / "basisschema.xsd").is_file():
            return candidate
    raise FileNotFoundError("schemas/iwmo-3.2 not found next to the iwmo package")


@cache
def xml_schema(naam: str, directory: str | None = None) -> etree.XMLSchema:
    """The compiled schema of one message (``WMO301`` ...), from ``directory`` or the project's own."""
    base = Path(directory) if directory else schema_dir()
    path = base / f"{bericht(naam).naam}.xsd"
    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    return etree.XMLSchema(etree.parse(str(path), parser))
