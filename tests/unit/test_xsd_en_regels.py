"""After a schema fault the rules run too, as the official module does (issue 15, part 3).

A vendor fixing a message sees every fault in one pass: the XSD faults (code ``XSD``) first, then the
faults of the in-message rules. A rule whose elements are missing or malformed does not fire; the verdict
(``valid``) and the exit code are those of any schema-invalid message.
"""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator
from pathlib import Path

import pytest
from lxml import etree

from iwmo.cli import main
from iwmo.regels import core
from iwmo.regels.core import Context, Hit, Regel
from iwmo.samples import sample
from iwmo.validation import validate
from iwmo.xml import to_xml
from tests.conftest import TODAY


def _root(bericht: str) -> etree._Element:
    return etree.fromstring(to_xml(sample(bericht, today=TODAY)))  # type: ignore[arg-type]


def _first(root: etree._Element, name: str) -> etree._Element:
    return next(root.iter(f"{{*}}{name}"))


def _bytes(root: etree._Element) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def wmo317_xsd_en_tr380() -> bytes:
    """A WMO317 that breaks its XSD (an unknown element in the Header) and TR380 (GewensteIngangsdatum on
    the Dagtekening)."""
    root = _root("WMO317")
    _first(_first(root, "NieuwProduct"), "GewensteIngangsdatum").text = TODAY.isoformat()
    header = _first(root, "Header")
    etree.SubElement(header, header.tag.replace("Header", "Onbekend")).text = "x"
    return _bytes(root)


def test_rule_faults_are_reported_beside_the_xsd_faults() -> None:
    rapport = validate(wmo317_xsd_en_tr380(), today=TODAY)
    codes = [f.code for f in rapport.fouten]
    assert "XSD" in codes and "TR380" in codes, codes
    assert codes.index("TR380") > max(i for i, c in enumerate(codes) if c == "XSD")  # XSD faults come first
    assert not rapport.valid
    tr380 = next(f for f in rapport.fouten if f.code == "TR380")
    assert tr380.retourcode == "0001" and tr380.locaties[-1].endswith("/GewensteIngangsdatum")
    assert all(f.retourcode is None for f in rapport.fouten if f.code == "XSD")


def test_the_command_line_reports_both_and_exits_1(tmp_path: Path) -> None:
    path = tmp_path / "wmo317.xml"
    path.write_bytes(wmo317_xsd_en_tr380())
    out, err = io.StringIO(), io.StringIO()
    assert main(["validate", "--format", "json", "--today", TODAY.isoformat(), str(path)], out, err) == 1
    [rapport] = json.loads(out.getvalue())
    assert rapport["valid"] is False
    assert {f["code"] for f in rapport["fouten"]} >= {"XSD", "TR380"}


def test_a_schema_valid_message_has_no_xsd_faults_and_the_same_rule_faults() -> None:
    root = _root("WMO317")
    _first(_first(root, "NieuwProduct"), "GewensteIngangsdatum").text = TODAY.isoformat()
    assert [f.code for f in validate(_bytes(root), today=TODAY).fouten] == ["TR380"]


def test_a_rule_whose_element_is_malformed_does_not_fire() -> None:
    """A WMO323 whose Bedrag is no number: an XSD fault; TR358 (the total is the sum of the amounts) cannot
    add it up and stays silent, and the other prestatie rules still run."""
    root = _root("WMO323")
    _first(root, "Bedrag").text = "veel"
    _first(root, "Bsn").text = "123456789"  # CS002, which does not need the amount
    codes = {f.code for f in validate(_bytes(root), today=TODAY).fouten}
    assert "XSD" in codes and "CS002" in codes and "TR358" not in codes, codes


WEG = {"WMO301": ["Header", "BerichtIdentificatie", "Client", "ToegewezenProducten", "ToewijzingNummer", "Geboortedatum"],
       "WMO317": ["Header", "Client", "Verzoek", "NieuwProduct", "GewensteIngangsdatum"],
       "WMO323": ["Header", "Declaratie", "DeclaratiePeriode", "Clienten", "Prestaties", "ProductPeriode",
                  "IngediendBedrag", "TotaalIngediendBedrag"]}


@pytest.mark.parametrize(("bericht", "weg"), [(b, w) for b, namen in WEG.items() for w in namen])
def test_missing_parts_are_xsd_faults_and_no_traceback(bericht: str, weg: str) -> None:
    root = _root(bericht)
    el = _first(root, weg)
    parent = el.getparent()
    assert parent is not None
    parent.remove(el)
    rapport = validate(_bytes(root), today=TODAY)
    assert rapport.bericht == bericht and not rapport.valid
    assert rapport.fouten[0].code == "XSD"


def _kapot(ctx: Context) -> Iterator[Hit]:
    raise KeyError("ProductPeriode")
    yield  # pragma: no cover


def test_a_rule_that_raises_on_a_schema_invalid_tree_is_left_out_and_logged(
        monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    """The net below the rules: a defect in one rule costs that rule's faults, not the report."""
    monkeypatch.setattr(core, "REGELS", [*core.REGELS, Regel("TR999", ("WMO317",), "0001", "kapot", _kapot)])
    with caplog.at_level(logging.WARNING, logger="iwmo.regels.core"):
        rapport = validate(wmo317_xsd_en_tr380(), today=TODAY)
    assert {"XSD", "TR380"} <= {f.code for f in rapport.fouten} and "TR999" not in {f.code for f in rapport.fouten}
    assert "TR999" in caplog.text
    root = _root("WMO317")  # on a schema-valid tree there is no net: a defect shows
    with pytest.raises(KeyError):
        validate(_bytes(root), today=TODAY)
