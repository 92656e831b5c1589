"""Bounded work on any input (issue 15, part 4): pairwise rules group and sort, faults are capped.

A message that repeats one product thousands of times used to cost a comparison and a fault per pair
(a 1,000-product WMO315 gave 501,501 faults). The overlap rules now name each product that overlaps an
earlier one once; every rule keeps at most ``MAX_PER_REGEL`` faults and a report at most ``MAX_FOUTEN``,
with the number left out per code in the report, and at least one fault of every rule that fires.
"""

from __future__ import annotations

import copy
import io
import json
import random
from itertools import combinations
from pathlib import Path

from lxml import etree

from iwmo.cli import main
from iwmo.regels.producten import STAPELBAAR, overlappende, zelfde_product
from iwmo.samples import sample
from iwmo.validation import MAX_FOUTEN, MAX_PER_REGEL, validate
from iwmo.xml import to_xml
from tests.conftest import TODAY


def _brute(rows: list[tuple[str | None, str | None, int, int]]) -> dict[int, set[int]]:
    """Every earlier product each product overlaps, pair by pair (the old way)."""
    out: dict[int, set[int]] = {}
    for (i, a), (j, b) in combinations(enumerate(rows), 2):
        if a[2] <= b[3] and b[2] <= a[3] and zelfde_product(a[0], a[1], b[0], b[1]):
            out.setdefault(j, set()).add(i)
    return out


def test_grouping_finds_exactly_the_products_that_overlap_an_earlier_one() -> None:
    rng = random.Random(15)
    for _ in range(3000):
        rows = []
        for _ in range(rng.randint(0, 14)):
            cat = rng.choice([None, "01", "02", "11"])
            if cat in STAPELBAAR:
                continue  # the rule leaves hulpmiddelen out before grouping
            first = rng.randint(0, 30)
            rows.append((cat, rng.choice([None, "A", "B"]), first, first + rng.choice([0, 1, 5, 40])))
        brute = _brute(rows)
        found = overlappende(rows)
        assert set(found) == set(brute), rows
        assert all(found[j] in brute[j] for j in found), rows  # the partner named is one of them


def _herhaald(bericht: str, klasse: str, n: int, *, xsd_fout: bool = False) -> bytes:
    root = etree.fromstring(to_xml(sample(bericht, today=TODAY)))  # type: ignore[arg-type]
    proto = next(root.iter(f"{{*}}{klasse}"))
    if xsd_fout:
        etree.SubElement(proto, proto.tag.replace(klasse, "Onbekend")).text = "x"
    parent = proto.getparent()
    assert parent is not None
    for _ in range(n - 1):
        parent.append(copy.deepcopy(proto))
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def test_a_repeated_product_gives_one_overlap_fault_per_product_capped() -> None:
    """A WMO315 with 1,000 copies of one product: 999 products overlap an earlier one (TR386) and 999 have
    a ReferentieAanbieder used before (TR383) and a duplicate key (TR101); each rule keeps MAX_PER_REGEL."""
    rapport = validate(_herhaald("WMO315", "AangevraagdProduct", 1000), today=TODAY)
    per_code: dict[str, int] = {}
    for f in rapport.fouten:
        per_code[f.code] = per_code.get(f.code, 0) + 1
    assert set(per_code) == {"TR386", "TR383", "TR101"}, per_code
    assert all(n == MAX_PER_REGEL for n in per_code.values())
    assert rapport.weggelaten == {code: 999 - MAX_PER_REGEL for code in per_code}
    assert not rapport.valid


def test_the_overlap_fault_names_the_product_and_an_earlier_one() -> None:
    rapport = validate(_herhaald("WMO301", "ToegewezenProduct", 3), today=TODAY)
    tr302 = [f.locaties for f in rapport.fouten if f.code == "TR302"]
    tp = "/Bericht/Client/ToegewezenProducten/ToegewezenProduct"
    assert tr302 == [[f"{tp}[1]", f"{tp}[2]"], [f"{tp}[1]", f"{tp}[3]"]]


def test_the_message_cap_keeps_a_fault_of_every_rule_that_fires() -> None:
    """5,000 repeated ToegewezenProducten with an XSD fault in each: XSD, TR302 and TR101 all fire
    thousands of times; the report holds at most MAX_FOUTEN faults, every code at least once, and the
    numbers left out add up."""
    data = _herhaald("WMO301", "ToegewezenProduct", 5000, xsd_fout=True)
    rapport = validate(data, today=TODAY)
    codes = {f.code for f in rapport.fouten}
    assert {"XSD", "TR302", "TR101"} <= codes
    assert len(rapport.fouten) <= MAX_FOUTEN
    assert set(rapport.weggelaten) <= codes
    assert sum(rapport.weggelaten.values()) + len(rapport.fouten) == 5000 + 4999 + 4999


def test_uncapped_on_request() -> None:
    rapport = validate(_herhaald("WMO315", "AangevraagdProduct", 300), today=TODAY, max_per_regel=None,
                       max_fouten=None)
    assert sum(f.code == "TR386" for f in rapport.fouten) == 299 and rapport.weggelaten == {}


def test_json_and_text_state_what_was_left_out(tmp_path: Path) -> None:
    path = tmp_path / "wmo315.xml"
    path.write_bytes(_herhaald("WMO315", "AangevraagdProduct", 1000))
    out, err = io.StringIO(), io.StringIO()
    assert main(["validate", "--format", "json", "--today", TODAY.isoformat(), str(path)], out, err) == 1
    [rapport] = json.loads(out.getvalue())
    assert rapport["weggelaten"] == 3 * (999 - MAX_PER_REGEL)
    assert rapport["weggelaten_per_code"] == {"TR101": 999 - MAX_PER_REGEL, "TR383": 999 - MAX_PER_REGEL,
                                              "TR386": 999 - MAX_PER_REGEL}
    out = io.StringIO()
    assert main(["validate", "--today", TODAY.isoformat(), str(path)], out, err) == 1
    assert f"{3 * (999 - MAX_PER_REGEL)} fouten weggelaten" in out.getvalue()


def test_a_valid_message_reports_nothing_left_out() -> None:
    rapport = validate(to_xml(sample("WMO301", today=TODAY)), today=TODAY)
    assert rapport.valid and rapport.weggelaten == {}
    assert rapport.as_dict()["weggelaten"] == 0
