"""The one hardened XML parser of the code base.

No DTD is loaded or allowed, entities are never expanded, nothing is fetched from the network,
and input above a size cap is refused before parsing. Every failure is an :class:`XmlError`.
Comments and processing instructions carry nothing in an iWmo message and are dropped while parsing,
so that no code that reads the tree can mistake one for an element.
"""

from __future__ import annotations

from typing import NoReturn

from lxml import etree

from iwmo.exceptions import TeVeelAttributen, XmlError

#: Default cap on the size of one message (the hub accepts at most 25 MB).
MAX_BYTES = 25 * 1024 * 1024
#: The iWmo schemas declare no attribute at all: a message carries at most a few (xsi:schemaLocation), never
#: thousands. :func:`te_veel_attributen` finds the messages with more before a tree (or the XSD's error log
#: of one line per attribute) is built for them.
MAX_ATTRIBUTEN = 50


class _RefuseAll(etree.Resolver):
    """Never open anything a document names (DTDs, entities): no files, no network."""

    # lxml calls resolve(system_url, public_id, context); lxml-stubs leave out ``context``, hence its default
    def resolve(self, system_url: str, public_id: str, context: object = None) -> NoReturn:
        raise XmlError("een DOCTYPE (DTD) of externe entiteit is niet toegestaan in iWmo-berichten")


def _parser() -> etree.XMLParser:
    parser = etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_blank_text=False,
        collect_ids=False,
        remove_comments=True,
        remove_pis=True,
    )
    parser.resolvers.add(_RefuseAll())
    return parser


class _TelAttributen:
    """A parser target that builds nothing: it counts the attributes and stops beyond ``grens``."""

    def __init__(self, grens: int) -> None:
        self.grens, self.aantal = grens, 0

    def start(self, tag: str, attrib: dict[str, str]) -> None:
        self.aantal += len(attrib)
        if self.aantal > self.grens:
            raise TeVeelAttributen(f"meer dan {self.grens} attributen")

    def close(self) -> int:
        return self.aantal


def te_veel_attributen(data: bytes, grens: int = MAX_ATTRIBUTEN) -> bool:
    """Whether ``data`` holds more than ``grens`` attributes (namespace declarations not counted). Every
    attribute has an ``=``: with no more of those than ``grens`` (any real message) the answer costs one
    pass over the bytes in C; otherwise a parse that builds no tree counts them and stops beyond ``grens``.
    Input that is not well-formed answers False: :func:`parse_xml` says what is wrong with it."""
    if data.count(b"=") <= grens:
        return False
    parser = etree.XMLParser(target=_TelAttributen(grens), resolve_entities=False, no_network=True,  # type: ignore[arg-type]  # lxml-stubs: a target needs only the methods it uses
                             load_dtd=False, huge_tree=False)
    parser.resolvers.add(_RefuseAll())
    try:
        etree.fromstring(data, parser)
    except TeVeelAttributen:
        return True
    except (etree.XMLSyntaxError, XmlError, ValueError):
        return False
    return False


def parse_xml(data: bytes, *, max_bytes: int = MAX_BYTES) -> etree._ElementTree:
    """Parse ``data`` safely into an element tree, or raise :class:`XmlError`."""
    if len(data) > max_bytes:
        # one byte over the cap is all a capped reader (the CLI) takes of a bigger file: then no size
        grootte = f"{len(data)} bytes, " if len(data) > max_bytes + 1 else ""
        raise XmlError(f"bericht is {grootte}groter dan de grens van {max_bytes} bytes")
    if not data.strip():
        raise XmlError("leeg bestand: geen XML-inhoud")
    try:
        root = etree.fromstring(data, _parser())
    except XmlError:
        raise
    except etree.XMLSyntaxError as exc:
        line = exc.lineno if exc.lineno and exc.lineno > 0 else None
        raise XmlError(f"geen goedgevormde XML: {exc.msg}", line=line) from None
    except ValueError as exc:  # e.g. unicode strings with an encoding declaration
        raise XmlError(f"geen goedgevormde XML: {exc}") from None
    tree = root.getroottree()
    # lxml-stubs lack DocInfo.doctype (lxml has it since 2.0)
    if tree.docinfo.doctype or tree.docinfo.internalDTD is not None:  # type: ignore[union-attr]
        raise XmlError("een DOCTYPE (DTD) is niet toegestaan in iWmo-berichten")
    return tree
