"""Typed models <-> XML.

Messages are plain dataclasses. Each field says, in its metadata, which XML element carries it:

* :func:`value` -- a simple value of a logical datatype (``LDT_Volume`` -> ``int``);
* :func:`child` -- one nested class (a CDT of the basisschema or a berichtklasse);
* :func:`children` -- a wrapper element holding one or more nested classes
  (``ToegewezenProducten`` / ``ToegewezenProduct``).

Classes derived from :class:`Samengesteld` are the composite datatypes (CDT_*) of the basisschema;
their child elements live in the basisschema namespace. Classes derived from :class:`Berichtklasse`
belong to one message family; their child elements live in the message's namespace, and in a
retourbericht each of them carries ``RetourCodes`` as its last element.

The same description drives :mod:`iwmo.xml` (build and parse) and :mod:`iwmo.schemagen`
(the project's XSDs), so a message's model, its XML and its schema cannot drift apart.
"""

from __future__ import annotations

import datetime as dt
import typing
from dataclasses import MISSING, dataclass, field, fields
from typing import Any, ClassVar

from iwmo.datatypes import datatype


def value(
    xml: str, ldt: str, *, optional: bool = False, pattern: str | None = None, default: Any = MISSING
) -> Any:
    """A child element with a simple value of logical datatype ``ldt``.

    ``pattern`` narrows the datatype for this element only (as the message XSDs do inline);
    ``default`` gives a required element a value when the caller leaves it out.
    """
    meta = {"xml": xml, "kind": "value", "ldt": ldt, "pattern": pattern, "optional": optional}
    if optional:
        return field(default=None, metadata=meta)
    return field(default=default, metadata=meta)


def child(xml: str, *, optional: bool = False, default_factory: Any = MISSING) -> Any:
    """A child element holding one nested class (its type comes from the annotation)."""
    meta = {"xml": xml, "kind": "child", "optional": optional}
    if optional:
        return field(default=None, metadata=meta)
    return field(default_factory=default_factory, metadata=meta)


def children(wrapper: str, item: str, *, optional: bool = False) -> Any:
    """A wrapper element with one or more ``item`` elements.

    With ``optional`` the wrapper may be absent; an empty list then means "absent".
    """
    meta = {"xml": wrapper, "item": item, "kind": "children", "optional": optional}
    return field(default_factory=list, metadata=meta)


@dataclass(kw_only=True)
class Klasse:
    """Base of every class that maps to an XML complex type."""


@dataclass(kw_only=True)
class Samengesteld(Klasse):
    """A composite datatype (CDT_*) of the basisschema."""

    CDT: ClassVar[str] = ""


@dataclass(kw_only=True)
class Berichtklasse(Klasse):
    """A class of a message (Header, Client, ToegewezenProduct, ...).

    ``retourcodes`` is only written in retourberichten, as the class's last element.
    """

    retourcodes: list[str] = field(default_factory=list, metadata={"kind": "retour", "xml": "RetourCodes"})


@dataclass(frozen=True)
class FieldSpec:
    name: str
    xml: str
    kind: str  # value | child | children | retour
    optional: bool
    ldt: str | None = None
    pattern: str | None = None
    cls: type[Klasse] | None = None
    item: str | None = None
    python: str | None = None  # int | date | time | str for values


def _python_kind(ldt: str) -> str:
    base = datatype(ldt).base
    return {"integer": "int", "date": "date", "time": "time"}.get(base, "str")


def _unwrap(tp: Any) -> Any:
    """``X | None`` -> ``X``; ``list[X]`` -> ``X``."""
    args = [a for a in typing.get_args(tp) if a is not type(None)]
    if typing.get_origin(tp) in (list, typing.Union) or type(tp).__name__ == "UnionType":
        return _unwrap(args[0]) if args else tp
    return tp


_SPECS: dict[type[Klasse], tuple[FieldSpec, ...]] = {}


def spec(cls: type[Klasse]) -> tuple[FieldSpec, ...]:
    """The XML layout of ``cls``: its fields in document order (RetourCodes last); computed once per class."""
    found = _SPECS.get(cls)
    if found is None:
        found = _SPECS[cls] = _spec(cls)
    return found


def _spec(cls: type[Klasse]) -> tuple[FieldSpec, ...]:
    hints = typing.get_type_hints(cls)
    out: list[FieldSpec] = []
    retour: FieldSpec | None = None
    for f in fields(cls):
        meta = f.metadata
        kind = meta.get("kind")
        if kind is None:
            continue
        if kind == "retour":
            retour = FieldSpec(f.name, meta["xml"], "retour", True)
            continue
        optional = bool(meta.get("optional"))
        if kind == "value":
            out.append(
                FieldSpec(
                    f.name,
                    meta["xml"],
                    "value",
                    optional,
                    ldt=meta["ldt"],
                    pattern=meta.get("pattern"),
                    python=_python_kind(meta["ldt"]),
                )
            )
        else:
            nested = _unwrap(hints[f.name])
            out.append(FieldSpec(f.name, meta["xml"], kind, optional, cls=nested, item=meta.get("item")))
    if retour is not None:
        out.append(retour)
    return tuple(out)


# --- value conversion -----------------------------------------------------------------------

def to_text(python: str, v: Any) -> str:
    if python == "int":
        return str(int(v))
    if python == "date":
        return v.isoformat() if isinstance(v, dt.date) else str(v)
    if python == "time":
        if isinstance(v, dt.time):
            return v.isoformat()
        return str(v)
    return str(v)


def from_text(python: str, text: str) -> Any:
    if python == "int":
        return int(text.strip())
    if python == "date":
        return dt.date.fromisoformat(text.strip())
    if python == "time":
        text = text.strip()
        if text.startswith("24:"):  # xs:time allows 24:00:00, the same instant as 00:00:00
            return dt.time(0, 0)
        return dt.time.fromisoformat(text)
    return text
