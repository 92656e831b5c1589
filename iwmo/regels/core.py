"""The rule engine: rules of the standard checked inside one (schema-valid) message.

A rule is a plain function ``check(ctx, **params)`` that yields :class:`Hit` objects: the elements
that break the rule and, optionally, a specific explanation. Each rule is registered under its code
from the standard (``CD005``, ``CS002``, ``TR380``) with the messages it applies to and the
retourcode the standard assigns. One check function may serve several codes (the standard gives
the same condition different codes in different messages).
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import cached_property, partial
from typing import Any

from lxml import etree

from iwmo.catalogue import BASIS_NS, BerichtType
from iwmo.exceptions import BudgetOverschreden

_BASIS = "{" + BASIS_NS + "}"
_NONE: list[etree._Element] = []
_ONBEKEND: Any = object()  # not looked up yet (None: looked up, not there)
#: per message namespace, the local names :meth:`Context.all` was asked for (in the order first asked)
_GEVRAAGD: dict[str, tuple[str, ...]] = {}
#: local name -> "{*}name", the tag :func:`kind` asks lxml for (made once per name, not once per call)
_STER: dict[str, str] = {}


@dataclass
class Fout:
    """One fault in a message: a rule code, where, which retourcode, and a readable explanation."""

    code: str
    locaties: list[str]
    retourcode: str | None
    details: str

    def as_dict(self) -> dict[str, Any]:
        return {"code": self.code, "locaties": self.locaties, "retourcode": self.retourcode,
                "details": self.details}


@dataclass
class Hit:
    elements: list[etree._Element | None]  # a missing element (None) is left out of the locations
    details: str | None = None


Check = Callable[..., Iterable[Hit]]


@dataclass(frozen=True)
class Regel:
    code: str
    berichten: tuple[str, ...]
    retourcode: str | None
    omschrijving: str
    check: Check
    params: tuple[tuple[str, Any], ...] = ()
    bron: str = "bericht"  # "bericht" (in-message) or "extern" (needs a list or today's date)

    @property
    def kwargs(self) -> dict[str, Any]:
        return dict(self.params)

    @cached_property
    def toepassen(self) -> Callable[[Context], Iterable[Hit]]:
        """``check`` with this registration's parameters bound: called once per message."""
        return partial(self.check, **self.kwargs) if self.params else self.check

    @property
    def soort(self) -> str:
        return {"CD": "conditie", "CS": "constraint", "TR": "technische regel"}[self.code[:2]]


REGELS: list[Regel] = []


def regel(code: str, berichten: Iterable[str], omschrijving: str, *, retourcode: str | None = "0001",
          bron: str = "bericht", **params: Any) -> Callable[[Check], Check]:
    """Register the decorated check function under ``code`` (may be stacked for several codes)."""

    def register(fn: Check) -> Check:
        REGELS.append(Regel(code, tuple(berichten), retourcode, omschrijving, fn,
                            tuple(sorted(params.items())), bron))
        return fn

    return register


_PER_BERICHT: dict[tuple[str, int], list[Regel]] = {}


def regels_voor(bericht: str) -> list[Regel]:
    """The rules that apply to ``bericht`` (cached per size of the registry)."""
    key = (bericht, len(REGELS))
    cached = _PER_BERICHT.get(key)
    if cached is None:
        cached = _PER_BERICHT[key] = [r for r in REGELS if bericht in r.berichten]
    return cached


# --- the context a check sees ---------------------------------------------------------------

def local(el: etree._Element) -> str:
    tag = el.tag
    return tag[tag.index("}") + 1:] if tag[0] == "{" else tag


def kind(el: etree._Element, name: str) -> etree._Element | None:
    """The first element child of ``el`` with this local name, in whichever namespace (or none); lxml
    matches ``{*}name`` in C, so only the child found becomes a Python object.

    In a schema-valid message no parent has two children with one local name in two namespaces:
    message classes hold message elements, composite datatypes hold basisschema elements.
    """
    tag = _STER.get(name)
    if tag is None:
        tag = "{*}" + name
        if len(_STER) < 4096:  # the rules ask for a few hundred names at most
            _STER[name] = tag
    return next(el.iterchildren(tag), None)


def path_of(el: etree._Element) -> str:
    """XPath without namespace prefixes, with ``[n]`` where siblings share a name."""
    parts: list[str] = []
    node: etree._Element | None = el
    while node is not None:
        parent = node.getparent()
        name = local(node)
        if parent is not None:
            same = [s for s in parent if s.tag == node.tag]
            if len(same) > 1:
                name += f"[{same.index(node) + 1}]"
        parts.append(name)
        node = parent
    return "/" + "/".join(reversed(parts))


#: The lexical form of xs:date: an optional minus, a year of four or more digits, month, day, an optional zone.
_XS_DATE = re.compile(r"(-?)(\d{4,})-(\d\d)-(\d\d)(?:Z|[+-]\d\d:\d\d)?")


def to_date(text: str | None) -> dt.date | None:
    """An xs:date as a date; None when there is none or it is malformed (only in a schema-invalid
    message: a rule that needs it does not fire). Years beyond Python's range (xs:date allows any) become
    date.min (years before 1) or date.max (years after 9999)."""
    if not text:
        return None
    if len(text) == 10 and text[4] == "-" and text[7] == "-":  # the usual YYYY-MM-DD: in C
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            pass  # a year 0000, a 30 February, other digits: as below
    m = _XS_DATE.fullmatch(text.strip())
    if m is None:
        return None
    minus, year, month, day = m.group(1), int(m.group(2)), int(m.group(3)), int(m.group(4))
    if not (1 <= month <= 12 and 1 <= day <= 31):
        return None
    if minus or year == 0:
        return dt.date.min
    if year > 9999:
        return dt.date.max
    try:
        return dt.date(year, month, day)
    except ValueError:  # 30 February
        return None


def years_before(d: dt.date, years: int) -> dt.date:
    """The same calendar day ``years`` earlier (29 February becomes 28 February); date.min when that lies
    before the year 1 (a Dagtekening in the year 0100 minus 120 years), the value every earlier xs:date
    becomes in :func:`to_date`."""
    if d.year - years < 1:
        return dt.date.min
    try:
        return d.replace(year=d.year - years)
    except ValueError:
        return d.replace(year=d.year - years, day=28)


def laatste_dag(d: dt.date) -> dt.date:
    """The last day of ``d``'s calendar month (also in December 9999)."""
    return d.replace(day=calendar.monthrange(d.year, d.month)[1])


class Context:
    """What a check sees: the (schema-valid) message and fast, cached ways to look into it.

    Lookups are by local name: ``ctx.all("ToegewezenProduct")`` finds the berichtklassen,
    ``ctx.get(el, "Product", "Code")`` descends into children whichever namespace they are in
    (message elements, or basisschema elements inside composite types).
    """

    __slots__ = ("root", "btype", "today", "cache", "_ns", "_kids", "_all", "_datums")

    def __init__(self, root: etree._Element, btype: BerichtType, today: dt.date) -> None:
        self.root = root
        self.btype = btype
        self.today = today
        self.cache: dict[str, Any] = {}
        self._ns = "{" + btype.namespace + "}"
        self._kids: dict[etree._Element, dict[str, etree._Element | None]] = {}  # element -> name -> child
        self._all: dict[str, list[etree._Element]] = {}
        self._datums: dict[etree._Element, dt.date | None] = {}

    @property
    def ns(self) -> str:
        return self.btype.namespace

    def all(self, name: str) -> list[etree._Element]:
        """Every element of the message namespace with this local name, in document order."""
        found = self._all.get(name)
        if found is None:
            found = self._vul(name)
        return found

    def _vul(self, name: str) -> list[etree._Element]:
        """Look ``name`` up, and with it every name :meth:`all` was asked for in earlier messages of this
        namespace (the rules of one message type ask for the same names): one walk of the tree, in which
        lxml matches the tags in C, instead of one walk per name."""
        ns = self._ns
        gevraagd = _GEVRAAGD.get(ns, ())
        if name not in gevraagd:  # a new tuple, never changed in place: safe with threads
            gevraagd = _GEVRAAGD[ns] = (*gevraagd, name)
        lijsten: dict[str, list[etree._Element]] = {ns + n: [] for n in gevraagd if n not in self._all}
        if len(lijsten) == 1:
            lijsten[ns + name] = list(self.root.iter(ns + name))
        else:
            for el in self.root.iter(*lijsten):
                lijsten[el.tag].append(el)  # a matched element's tag is one of these
        skip = len(ns)
        for tag, lijst in lijsten.items():
            self._all[tag[skip:]] = lijst
        return lijsten[ns + name]

    def all_basis(self, name: str) -> Iterator[etree._Element]:
        return self.root.iter(_BASIS + name)

    def get(self, el: etree._Element | None, *names: str) -> etree._Element | None:
        """Descend by local names (the first child of each name, see :func:`kind`); None when a step is
        missing. Each step is looked up once per message."""
        node: etree._Element | None = el
        cache = self._kids
        for name in names:
            if node is None:
                return None
            kids = cache.get(node)
            if kids is None:
                kids = cache[node] = {}
            found = kids.get(name, _ONBEKEND)
            if found is _ONBEKEND:
                found = kids[name] = kind(node, name)
            node = found
        return node

    def text(self, el: etree._Element, *names: str) -> str | None:
        node = self.get(el, *names) if len(names) != 1 else self._kind(el, names[0])
        return None if node is None else (node.text or "")

    def date(self, el: etree._Element, *names: str) -> dt.date | None:
        """The xs:date at the end of ``names`` (see :func:`to_date`), read once per message."""
        node = self.get(el, *names) if len(names) != 1 else self._kind(el, names[0])
        if node is None:
            return None
        datum = self._datums.get(node, _ONBEKEND)
        if datum is _ONBEKEND:
            datum = self._datums[node] = to_date(node.text)
        return datum  # type: ignore[no-any-return]  # a date or None, as stored above

    def _kind(self, node: etree._Element | None, name: str) -> etree._Element | None:
        """:meth:`get` of one step."""
        if node is None:
            return None
        kids = self._kids.get(node)
        if kids is None:
            kids = self._kids[node] = {}
        found = kids.get(name, _ONBEKEND)
        if found is _ONBEKEND:
            found = kids[name] = kind(node, name)
        return found  # type: ignore[no-any-return]  # an element or None, as stored above

    @property
    def header(self) -> etree._Element | None:
        """The Header (None only in a schema-invalid message that lacks it)."""
        return self.get(self.root, "Header")

    @property
    def dagtekening_el(self) -> etree._Element | None:
        return self.get(self.header, "BerichtIdentificatie", "Dagtekening")

    @property
    def dagtekening(self) -> dt.date | None:
        if "dagtekening" not in self.cache:
            el = self.dagtekening_el
            self.cache["dagtekening"] = None if el is None else to_date(el.text)
        dagtekening: dt.date | None = self.cache["dagtekening"]
        return dagtekening


class PathCache:
    """``path_of`` with the path of every element and the sibling positions of each parent computed once
    (fast for many faults: the faults of one message share their ancestors)."""

    def __init__(self) -> None:
        self._positions: dict[etree._Element, dict[etree._Element, str]] = {}
        self._paths: dict[etree._Element, str] = {}

    def __call__(self, el: etree._Element) -> str:
        paths = self._paths
        path = paths.get(el)
        if path is not None:
            return path
        chain: list[tuple[etree._Element, etree._Element]] = []  # (parent, child) up to a known ancestor
        node = el
        while True:
            parent = node.getparent()
            if parent is None:
                path = paths[node] = "/" + local(node)
                break
            chain.append((parent, node))
            known = paths.get(parent)
            if known is not None:
                path = known
                break
            node = parent
        for parent, node in reversed(chain):
            path = paths[node] = path + "/" + self._name_in(parent, node)
        return path

    def _name_in(self, parent: etree._Element, node: etree._Element) -> str:
        names = self._positions.get(parent)
        if names is None:
            kids: list[tuple[etree._Element, str]] = []
            counts: dict[str, int] = {}
            for c in parent:
                tag = c.tag
                if isinstance(tag, str):
                    kids.append((c, tag))
                    counts[tag] = counts.get(tag, 0) + 1
            seen: dict[str, int] = {}
            names = {}
            for c, tag in kids:
                name = tag[tag.find("}") + 1:]
                if counts[tag] > 1:
                    seen[tag] = k = seen.get(tag, 0) + 1
                    name += f"[{k}]"
                names[c] = name
            self._positions[parent] = names
        return names[node]


#: At most this many faults of one rule in a report (the rest are counted, see :func:`toets`) ...
MAX_PER_REGEL = 100
#: ... and at most this many faults in one report, but always at least one of every rule that fires.
MAX_FOUTEN = 1000


@dataclass
class Groep:
    """The faults one rule (or the schema: code ``XSD``) found: the first ones, and how many in all."""

    code: str
    fouten: list[Fout]
    totaal: int


@dataclass(frozen=True)
class Budget:
    """Until when (``time.monotonic()``) the rules may run on one message: checked before every rule and
    every fault a rule yields, so rule evaluation stops once it is spent (:class:`BudgetOverschreden`)."""

    seconden: float
    tot: float

    @classmethod
    def vanaf_nu(cls, seconden: float) -> Budget:
        return cls(seconden, time.monotonic() + seconden)

    def controleer(self, regel: str) -> None:
        if time.monotonic() > self.tot:
            raise BudgetOverschreden(self.seconden, regel)


def groepen(ctx: Context, regels: Iterable[Regel], *, strict: bool = True,
            max_per_regel: int | None = MAX_PER_REGEL, budget: Budget | None = None) -> list[Groep]:
    """Run the rules; per rule that fires, its first ``max_per_regel`` faults and the count of all.

    Every rule reads defensively: on a schema-invalid tree a rule whose elements are missing or malformed
    does not fire. ``strict=False`` (the validator passes it for a schema-invalid message) adds a net
    below that: a rule that raises all the same is logged and left out, so that the XSD faults and the
    other rules' faults still come back. The fuzz test runs the rules with ``strict=True``.
    """
    path = PathCache()
    out: list[Groep] = []

    def groep(r: Regel, hits: list[Hit], n: int) -> Groep:
        return Groep(r.code, [Fout(r.code, [path(e) for e in hit.elements if e is not None], r.retourcode,
                                   hit.details or r.omschrijving) for hit in hits], n)

    for r in regels:
        hits: list[Hit] = []
        n = 0
        try:
            if budget is not None:
                budget.controleer(r.code)
            for hit in r.toepassen(ctx):
                if budget is not None:
                    budget.controleer(r.code)
                n += 1
                if max_per_regel is None or n <= max_per_regel:
                    hits.append(hit)
        except BudgetOverschreden as exc:  # what was found so far goes with it (this rule's first faults last)
            exc.gevonden = [*out, groep(r, hits, n)] if n else out
            raise
        except Exception:  # a defect in the rule: log it, report the rest
            if strict:
                raise
            import logging  # here: only a failing rule pays for its import (about 5 ms of start-up)

            logging.getLogger(__name__).warning(
                "regel %s faalde op een XSD-ongeldig %s-bericht; overgeslagen", r.code, ctx.btype.naam, exc_info=True)
            continue
        if n:
            out.append(groep(r, hits, n))
    return out


def begrens(groepen: list[Groep], max_fouten: int | None = MAX_FOUTEN) -> tuple[list[Fout], dict[str, int]]:
    """The faults of the groups in their order, at most ``max_fouten`` but at least the first of every
    group (so the set of codes in a report never changes), and per code how many were left out."""
    keep = [len(g.fouten) for g in groepen]
    if max_fouten is not None and sum(keep) > max_fouten:
        budget = max(max_fouten - len(groepen), 0)  # one of each group first, then the rest in order
        for i, g in enumerate(groepen):
            extra = min(len(g.fouten) - 1, budget)
            keep[i], budget = 1 + extra, budget - extra
    fouten: list[Fout] = []
    weggelaten: dict[str, int] = {}
    for g, k in zip(groepen, keep, strict=True):
        fouten += g.fouten[:k]
        if g.totaal > k:
            weggelaten[g.code] = weggelaten.get(g.code, 0) + g.totaal - k
    return fouten, weggelaten


def toets(ctx: Context, regels: Iterable[Regel], *, strict: bool = True, max_per_regel: int | None = MAX_PER_REGEL,
          max_fouten: int | None = MAX_FOUTEN, budget: Budget | None = None) -> tuple[list[Fout], dict[str, int]]:
    """The faults the rules find (capped) and per code the number left out; raises
    :class:`BudgetOverschreden` when ``budget`` runs out first."""
    return begrens(groepen(ctx, regels, strict=strict, max_per_regel=max_per_regel, budget=budget), max_fouten)


def run(ctx: Context, regels: Iterable[Regel], *, strict: bool = True) -> list[Fout]:
    """Every fault the rules find, uncapped (see :func:`toets` for a bounded report)."""
    return toets(ctx, regels, strict=strict, max_per_regel=None, max_fouten=None)[0]
