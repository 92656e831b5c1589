"""Validation of one message: safe parsing, the project's XSD, and the standard's in-message rules.

Public API (small on purpose):

* :func:`iter_errors` -- the faults of a document, as :class:`~iwmo.regels.Fout` objects;
* :func:`validate` -- a :class:`Rapport` (bericht, berichtcode, valid, fouten, weggelaten);
* :func:`is_valid` -- True or False.

Rules that compare with "today" (TR135) use the ``today`` argument (default: the system date).

A report is bounded: at most ``max_per_regel`` faults of one rule (the XSD counts as one) and at most
``max_fouten`` in all, but at least one of every rule that fires; ``Rapport.weggelaten`` says per code
how many were left out. ``None`` lifts a cap.

A report can be bounded in time too: given a :class:`~iwmo.regels.Budget`, the rules stop once it is spent
(lxml's XSD validation cannot be interrupted: its time counts when it returns) and the report holds the
faults found so far plus one fault :data:`TE_LANG` with retourcode 0001: the message is refused for
technical reasons, as a whole (a retour with only the Header and 0001; docs/validation.md).
"""

from __future__ import annotations

import copy
import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import islice
from typing import Any

from lxml import etree

from iwmo.catalogue import BerichtType, by_namespace
from iwmo.exceptions import BudgetOverschreden, XmlError
from iwmo.loader import MAX_ATTRIBUTEN, MAX_BYTES, parse_xml, te_veel_attributen
from iwmo.regels import MAX_FOUTEN, MAX_PER_REGEL, Budget, Context, Fout, Groep, begrens, groepen, regels_voor
from iwmo.schemas import own_schema

_PREFIX = re.compile(r"(?<=/)[A-Za-z_][\w.-]*:")
_CLARK = re.compile(r"\{[^}]*\}")

#: the code of the fault that says judging a message took longer than its time budget (``iwmo code TIJD``)
TE_LANG = "TIJD"
#: its retourcode: WJ001 0001, "Bericht is afgekeurd om technische redenen" (a message-level fault)
_TECHNISCH_AFGEKEURD = "0001"


def te_lang(exc: BudgetOverschreden) -> Fout:
    """The fault that refuses a message whose check took longer than its budget, for technical reasons."""
    return Fout(TE_LANG, [], _TECHNISCH_AFGEKEURD,
                f"de controle duurde langer dan {exc.budget:g} s (gestopt bij {exc.regel}); "
                "het bericht is om technische redenen afgekeurd")


@dataclass
class Rapport:
    """The verdict on one message."""

    bericht: str | None
    berichtcode: str | None
    fouten: list[Fout] = field(default_factory=list)
    file: str | None = None
    #: per code, the number of faults left out of ``fouten`` by the caps (empty when none were)
    weggelaten: dict[str, int] = field(default_factory=dict)

    @property
    def valid(self) -> bool:
        return not self.fouten

    def as_dict(self) -> dict[str, Any]:
        return {"file": self.file, "bericht": self.bericht, "berichtcode": self.berichtcode,
                "valid": self.valid, "fouten": [f.as_dict() for f in self.fouten],
                "weggelaten": sum(self.weggelaten.values()), "weggelaten_per_code": dict(sorted(self.weggelaten.items()))}


def identify(root: etree._Element) -> BerichtType | None:
    qname = etree.QName(root)
    btype = by_namespace(qname.namespace or "")
    return btype if btype is not None and qname.localname == "Bericht" else None


def _xsd_fouten(schema: etree.XMLSchema, max_per_regel: int | None) -> Groep:
    log = schema.error_log
    fouten = []
    for err in islice(log, max_per_regel):  # type: ignore[call-overload]  # lxml-stubs: _ErrorLog is iterable
        path = _PREFIX.sub("", err.path or "") or "/Bericht"
        fouten.append(Fout("XSD", [path], None, f"regel {err.line}: {_CLARK.sub('', err.message)}"))
    return Groep("XSD", fouten, len(log))  # type: ignore[arg-type]  # lxml-stubs: _ErrorLog has a length


def check_tree(tree: etree._ElementTree, *, today: dt.date | None = None, schema_directory: str | None = None,
               max_per_regel: int | None = MAX_PER_REGEL, max_fouten: int | None = MAX_FOUTEN,
               budget: Budget | None = None) -> Rapport:
    """Validate an already (safely) parsed document. Comments and processing instructions (which
    :func:`~iwmo.loader.parse_xml` drops) are left out of a copy first: the rules read elements only.
    With a ``budget``, a check that outlasts it ends in a :func:`te_lang` fault (the module's docstring)."""
    if next(tree.getroot().iter(etree.Comment, etree.ProcessingInstruction), None) is not None:
        tree = copy.deepcopy(tree)
        etree.strip_elements(tree, etree.Comment, etree.ProcessingInstruction, with_tail=False)
    return _beoordeel(tree, today=today, schema_directory=schema_directory, max_per_regel=max_per_regel,
                      max_fouten=max_fouten, budget=budget)


def _beoordeel(tree: etree._ElementTree, *, today: dt.date | None, schema_directory: str | None,
               max_per_regel: int | None, max_fouten: int | None, budget: Budget | None = None) -> Rapport:
    root = tree.getroot()
    btype = identify(root)
    if btype is None:
        q = etree.QName(root)
        return Rapport(None, None, [Fout(
            "XSD", [f"/{q.localname}"], None,
            f"onbekend bericht: root-element {{{q.namespace}}}{q.localname} is geen iWmo 3.2-bericht",
        )])
    rapport = Rapport(btype.naam, btype.code)
    ctx = Context(root, btype, today or dt.date.today())
    # as the official module does: the rules run on a schema-invalid message too, and their faults
    # come after the XSD faults (a rule whose elements are missing or malformed does not fire)
    with own_schema(btype.naam, schema_directory) as schema:  # its faults are this thread's
        xsd = [] if schema.validate(tree) else [_xsd_fouten(schema, max_per_regel)]
    try:
        if budget is not None:
            budget.controleer("XSD")
        gevonden = [*xsd, *groepen(ctx, regels_voor(btype.naam), strict=not xsd, max_per_regel=max_per_regel,
                                   budget=budget)]
    except BudgetOverschreden as exc:  # refused for technical reasons: the faults so far, and why it stopped
        rapport.fouten, rapport.weggelaten = begrens([*xsd, *exc.gevonden], max_fouten)
        rapport.fouten.append(te_lang(exc))
        return rapport
    rapport.fouten, rapport.weggelaten = begrens(gevonden, max_fouten)
    return rapport


def validate(data: bytes, *, today: dt.date | None = None, max_bytes: int = MAX_BYTES, file: str | None = None,
             max_per_regel: int | None = MAX_PER_REGEL, max_fouten: int | None = MAX_FOUTEN,
             budget: Budget | None = None) -> Rapport:
    """Validate a document given as bytes. Never raises for bad input: faults go in the report (``budget``
    as for :func:`check_tree`). A document with more than :data:`~iwmo.loader.MAX_ATTRIBUTEN` attributes is
    refused before it is parsed, as the hub refuses it: building them would cost hundreds of megabytes."""
    if len(data) <= max_bytes and te_veel_attributen(data):
        return Rapport(None, None, [Fout("XML", [], None, f"meer dan {MAX_ATTRIBUTEN} attributen; de iWmo-schema's "
                                                          "kennen geen attributen")], file=file)
    try:
        tree = parse_xml(data, max_bytes=max_bytes)
    except XmlError as exc:
        locatie = [f"regel {exc.line}"] if exc.line else []
        return Rapport(None, None, [Fout("XML", locatie, None, str(exc))], file=file)
    rapport = _beoordeel(tree, today=today, schema_directory=None,  # parse_xml left no comments
                         max_per_regel=max_per_regel, max_fouten=max_fouten, budget=budget)
    rapport.file = file
    return rapport


def iter_errors(data: bytes, *, today: dt.date | None = None, max_bytes: int = MAX_BYTES) -> Iterator[Fout]:
    """The faults of a document, one by one (none for a valid one); the arguments are those of
    :func:`validate`."""
    yield from validate(data, today=today, max_bytes=max_bytes).fouten


def is_valid(data: bytes, *, today: dt.date | None = None, max_bytes: int = MAX_BYTES) -> bool:
    """Whether the document is valid; the arguments are those of :func:`validate`."""
    return validate(data, today=today, max_bytes=max_bytes).valid
