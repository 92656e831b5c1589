"""Fuzzing the rules: mutated messages of every type, schema-valid and schema-invalid, and not one exception.

Issue 15: after a schema fault the rules run too (as the official module does), so every rule must read a
tree that does not match its XSD: a rule whose elements are missing, repeated or malformed does not fire,
it does not raise. The messages are the project's samples of every type (and the official examples when
``IWMO_REFERENCE`` points at them), each changed by one to four seeded mutations: repeating an element
many times, dropping, duplicating, renaming or moving one, odd values and dates (outside Python's date
range, malformed, with a zone, huge numbers, non-ASCII digits), children in a leaf, a foreign element.

The rules run with ``strict=True`` (no safety net); every tenth message also goes the whole way through
:func:`iwmo.validation.validate` and its JSON. ``IWMO_FUZZ_N`` and ``IWMO_FUZZ_SEED`` change the count
(default 20,000) and the seed (default 15); a failure names the seed and the message to reproduce it.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import os
import random
from collections.abc import Callable
from pathlib import Path

from lxml import etree

from iwmo.catalogue import BERICHTEN
from iwmo.regels import Context, regels_voor, run
from iwmo.samples import sample
from iwmo.schemas import xml_schema
from iwmo.validation import identify, validate
from iwmo.xml import to_xml
from tests.conftest import TODAY, reference_path

N = int(os.environ.get("IWMO_FUZZ_N", "20000"))
SEED = int(os.environ.get("IWMO_FUZZ_SEED", "15"))

ODD_VALUES = [
    "", " ", "abc", "-1", "0", "00", "1.5", "99999999999999999999999999", "-99999999999999999999", "٣٤",
    "2026-02-30", "2026-13-01", "2026-00-10", "0100-01-01", "0001-01-01", "-0044-03-15", "10000-01-01",
    "9999-12-31", "0000-01-01", "2026-11-23Z", "2026-11-23+01:00", " 2026-11-23 ", "2026-11-23T10:00:00",
    "24:00:00", "D", "C", "83", "84", "01", "02", "11", "13", "NL", "1234AB", "999990019", "123456789",
    "x" * 5000,
]


def _seeds() -> list[bytes]:
    docs = []
    for btype in BERICHTEN.values():
        for variant in ("uren", "resultaat"):
            try:
                docs.append(to_xml(sample(btype.naam, variant, today=TODAY)))  # type: ignore[arg-type]
            except (KeyError, ValueError, TypeError):
                continue  # not every message has every variant
    ref = reference_path() / "voorbeeldberichten"
    if ref.is_dir():
        docs += [f.read_bytes() for f in sorted(ref.glob("*.xml"))]
    return docs


def _elements(root: etree._Element) -> list[etree._Element]:
    return [el for el in root.iter() if isinstance(el.tag, str)]


Mutation = Callable[[random.Random, etree._Element, list[str]], None]


def _non_root(rng: random.Random, root: etree._Element) -> etree._Element | None:
    els = _elements(root)[1:]
    return rng.choice(els) if els else None


def repeat(rng: random.Random, root: etree._Element, _names: list[str]) -> None:
    el = _non_root(rng, root)
    if el is not None:
        for _ in range(rng.choice([2, 3, 10, 50, 200])):
            el.addnext(copy.deepcopy(el))


def drop(rng: random.Random, root: etree._Element, _names: list[str]) -> None:
    el = _non_root(rng, root)
    if el is not None and el.getparent() is not None:
        el.getparent().remove(el)  # type: ignore[union-attr]


def duplicate(rng: random.Random, root: etree._Element, _names: list[str]) -> None:
    el = _non_root(rng, root)
    if el is not None:
        el.addnext(copy.deepcopy(el))


def rename(rng: random.Random, root: etree._Element, names: list[str]) -> None:
    el = _non_root(rng, root)
    if el is not None:
        el.tag = rng.choice(names)


def move(rng: random.Random, root: etree._Element, _names: list[str]) -> None:
    el, target = _non_root(rng, root), rng.choice(_elements(root))
    if el is not None and el is not target and el not in target.iterancestors():
        target.insert(rng.randrange(len(target) + 1), el)


def odd_value(rng: random.Random, root: etree._Element, _names: list[str]) -> None:
    leaves = [el for el in _elements(root) if len(el) == 0]
    for el in rng.sample(leaves, min(len(leaves), rng.choice([1, 1, 3, 10]))):
        el.text = rng.choice(ODD_VALUES)


def no_text(rng: random.Random, root: etree._Element, _names: list[str]) -> None:
    leaves = [el for el in _elements(root) if len(el) == 0]
    if leaves:
        rng.choice(leaves).text = None


def child_in_leaf(rng: random.Random, root: etree._Element, names: list[str]) -> None:
    leaves = [el for el in _elements(root) if len(el) == 0]
    if leaves:
        etree.SubElement(rng.choice(leaves), rng.choice(names)).text = rng.choice(ODD_VALUES)


def foreign(rng: random.Random, root: etree._Element, _names: list[str]) -> None:
    target = rng.choice(_elements(root))
    etree.SubElement(target, "{urn:vreemd}Bsn").text = "999990019"


def swap(rng: random.Random, root: etree._Element, _names: list[str]) -> None:
    parents = [el for el in _elements(root) if len(el) > 1]
    if parents:
        parent = rng.choice(parents)
        i = rng.randrange(len(parent) - 1)
        parent[i + 1].addnext(parent[i])  # moves parent[i] after its next sibling


def empty_root(rng: random.Random, root: etree._Element, _names: list[str]) -> None:
    if rng.random() < 0.1:  # rare: a root with no Header at all
        for child in list(root):
            root.remove(child)


MUTATIONS: list[Mutation] = [repeat, drop, duplicate, rename, move, odd_value, odd_value, no_text, child_in_leaf,
                             foreign, swap, empty_root]


def test_rules_never_raise_on_mutated_messages() -> None:
    rng = random.Random(SEED)
    seeds = [etree.fromstring(d) for d in _seeds()]
    names = sorted({el.tag for root in seeds for el in _elements(root)})
    today = TODAY + dt.timedelta(days=1)
    valid = invalid = 0
    for i in range(N):
        root = copy.deepcopy(rng.choice(seeds))
        for mutation in rng.choices(MUTATIONS, k=rng.randint(1, 4)):
            mutation(rng, root, names)
        btype = identify(root)
        assert btype is not None  # the root is never renamed or replaced
        schema_ok = xml_schema(btype.naam).validate(root.getroottree())
        valid, invalid = valid + schema_ok, invalid + (not schema_ok)
        try:
            run(Context(root, btype, today), regels_voor(btype.naam), strict=True)
            if i % 10 == 0:
                rapport = validate(etree.tostring(root), today=today)
                json.dumps(rapport.as_dict())
                heeft_xsd = any(f.code == "XSD" for f in rapport.fouten)
                assert heeft_xsd is not schema_ok and (schema_ok or not rapport.valid)
        except Exception as exc:
            path = Path(os.environ.get("TMPDIR", "/tmp")) / f"iwmo-fuzz-{SEED}-{i}.xml"
            path.write_bytes(etree.tostring(root))
            raise AssertionError(f"message {i} (seed {SEED}, written to {path}): {exc!r}") from exc
    assert valid > N // 50 and invalid > N // 2, (valid, invalid)  # both kinds of tree were fuzzed
