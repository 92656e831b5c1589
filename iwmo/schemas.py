"""The project's compiled XSDs, loaded once per process, safe to use from several threads.

Two facts about lxml/libxml2 shape this module:

* libxml2 builds its table of XSD built-in types on the first schema it compiles, and that is not
  thread-safe: two threads compiling their first schema at once can leave the table broken for the rest of
  the process ("the given type is not a built-in type" on every later compile) or corrupt memory. Every
  compile here holds one lock, and the servers compile every schema before they serve (:func:`warm`).
* lxml keeps the faults of a validation in the schema object (``error_log``), cleared at the start of each
  validation: two threads validating with one object could read or wipe each other's faults (the verdict
  itself is per call). Whoever reads the faults takes a schema of its own for the time it needs it
  (:func:`own_schema`).
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path

from lxml import etree

from iwmo.catalogue import BERICHTEN, bericht

#: held by every compile (see the module's text)
_COMPILING = threading.Lock()
#: per (message, folder): compiled schemas that no thread is using now
_FREE: dict[tuple[str, str | None], list[etree.XMLSchema]] = {}
#: at most this many are kept per message type (0.6 MB each); a thread beyond them compiles one (2-3 ms)
#: and lets it go afterwards
KEEP = 8


def schema_dir() -> Path:
    """``schemas/iwmo-3.2``: shipped in the wheel as ``iwmo/_schemas``, or the repository folder."""
    here = Path(__file__).resolve().parent
    for candidate in (here / "_schemas" / "iwmo-3.2", here.parent / "schemas" / "iwmo-3.2"):
        if (candidate / "basisschema.xsd").is_file():
            return candidate
    raise FileNotFoundError("schemas/iwmo-3.2 not found next to the iwmo package")


def _compile(naam: str, directory: str | None) -> etree.XMLSchema:
    base = Path(directory) if directory else schema_dir()
    path = base / f"{bericht(naam).naam}.xsd"
    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    with _COMPILING:
        return etree.XMLSchema(etree.parse(str(path), parser))


@cache
def xml_schema(naam: str, directory: str | None = None) -> etree.XMLSchema:
    """The compiled schema of one message (``WMO301`` ...), from ``directory`` or the project's own: one
    object per process. Its verdict (``validate``) is safe from any thread; to read its faults
    (``error_log``) where other threads may validate too, use :func:`own_schema`."""
    return _compile(naam, directory)


@contextmanager
def own_schema(naam: str, directory: str | None = None) -> Iterator[etree.XMLSchema]:
    """A compiled schema of one message that only this thread uses until the block ends, so that its
    ``error_log`` holds this thread's faults. Taken from a pool (a new one is compiled when every one is in
    use) and given back afterwards; up to :data:`KEEP` per type are kept."""
    free = _FREE.setdefault((naam, directory), [])  # setdefault and pop/append are atomic under the GIL
    try:
        schema = free.pop()
    except IndexError:
        schema = _compile(naam, directory)
    try:
        yield schema
    finally:
        if len(free) < KEEP:
            free.append(schema)


def warm() -> None:
    """Compile a schema of every message now (about 35 ms), before threads validate: a server calls this
    as it starts, so that libxml2's first compile (the one that is not thread-safe) never meets another
    thread, and no message waits for a compile."""
    for naam in sorted(b.naam for b in BERICHTEN.values()):
        with own_schema(naam):
            pass
