"""Build XML from the typed models and parse it back.

``to_xml(bericht)`` gives the document bytes, ``from_xml(data)`` the typed model (the input is
parsed with the hardened parser). Parsing expects a schema-valid document; validate first with
:func:`iwmo.validation.validate` when the input comes from outside.
"""

from __future__ import annotations

from typing import Any, TypeVar

from lxml import etree

from iwmo.berichten import MODELS, Bericht
from iwmo.catalogue import BASIS_NS, BerichtType, by_namespace
from iwmo.exceptions import BindingError
from iwmo.loader import parse_xml
from iwmo.model import Berichtklasse, Klasse, Samengesteld, from_text, spec, to_text

K = TypeVar("K", bound=Klasse)

# --- building ------------------------------------------------------------------------------

def to_element(bericht: Bericht) -> etree._Element:
    btype = bericht.type()
    ns = btype.namespace
    root = etree.Element(f"{{{ns}}}Bericht", nsmap={"iwmo": BASIS_NS, btype.naam.lower(): ns})
    header = getattr(bericht, "header", None)
    if header is not None and not header.bericht_code:
        header.bericht_code = btype.code
    try:
        _fill(root, bericht, ns, btype)
    except ValueError as exc:  # e.g. control characters that XML cannot carry
        raise BindingError(f"{btype.naam}: waarde kan niet in XML: {exc}") from None
    return root


def to_xml(bericht: Bericht, *, pretty: bool = True) -> bytes:
    """The message as an XML document (UTF-8, with declaration)."""
    return etree.tostring(to_element(bericht), xml_declaration=True, encoding="UTF-8", pretty_print=pretty)


def _fill(parent: etree._Element, obj: Klasse, msg_ns: str, btype: BerichtType) -> None:
    ns = BASIS_NS if isinstance(obj, Samengesteld) else msg_ns
    sub = etree.SubElement
    for f in spec(type(obj)):
        v = getattr(obj, f.name)
        if f.kind == "retour":
            if btype.soort == "retour" and v:
                wrapper = sub(parent, f"{{{msg_ns}}}RetourCodes")
                for code in v:
                    sub(wrapper, f"{{{msg_ns}}}RetourCode").text = code
            continue
        if v is None or (f.kind == "children" and not v):
            continue
        if f.kind == "value":
            sub(parent, f"{{{ns}}}{f.xml}").text = to_text(f.python or "str", v)
        elif f.kind == "child":
            _fill(sub(parent, f"{{{ns}}}{f.xml}"), v, msg_ns, btype)
        else:
            wrapper = sub(parent, f"{{{ns}}}{f.xml}")
            for item in v:
                _fill(sub(wrapper, f"{{{ns}}}{f.item}"), item, msg_ns, btype)


# --- parsing --------------------------------------------------------------------------------

def from_xml(data: bytes | str) -> Bericht:
    """Parse a document into its typed model."""
    if isinstance(data, str):
        data = data.encode("utf-8")
    return from_element(parse_xml(data).getroot())


def from_element(root: etree._Element) -> Bericht:
    qname = etree.QName(root)
    btype = by_namespace(qname.namespace or "")
    if btype is None or qname.localname != "Bericht":
        raise BindingError(f"geen iWmo 3.2-bericht: root {{{qname.namespace}}}{qname.localname}")
    return _read(root, MODELS[btype.naam], btype.namespace, "/Bericht")


def _read(el: etree._Element, cls: type[K], msg_ns: str, path: str) -> K:
    ns = BASIS_NS if issubclass(cls, Samengesteld) else msg_ns
    by_name: dict[str, list[etree._Element]] = {}
    for c in el:
        if not isinstance(c.tag, str):
            continue
        by_name.setdefault(c.tag, []).append(c)
    values: dict[str, Any] = {}
    for f in spec(cls):
        if f.kind == "retour":
            found = by_name.get(f"{{{msg_ns}}}RetourCodes")
            if found and issubclass(cls, Berichtklasse):
                values[f.name] = [(c.text or "") for c in found[0] if isinstance(c.tag, str)]
            continue
        found = by_name.get(f"{{{ns}}}{f.xml}")
        if not found:
            if not f.optional and f.kind != "children":
                raise BindingError(f"{path}/{f.xml} ontbreekt")
            continue
        node = found[0]
        if f.kind == "value":
            try:
                values[f.name] = from_text(f.python or "str", node.text or "")
            except ValueError as exc:
                raise BindingError(f"{path}/{f.xml}: waarde {node.text!r} valt buiten wat deze bibliotheek "
                                   f"kan voorstellen (jaar 1-9999)") from exc
        elif f.kind == "child":
            assert f.cls is not None
            values[f.name] = _read(node, f.cls, msg_ns, f"{path}/{f.xml}")
        else:
            assert f.cls is not None
            items = [c for c in node if isinstance(c.tag, str)]
            values[f.name] = [
                _read(c, f.cls, msg_ns, f"{path}/{f.xml}/{f.item}[{i}]") for i, c in enumerate(items, 1)
            ]
    try:
        return cls(**values)
    except TypeError as exc:
        raise BindingError(f"{path}: {exc}") from exc
