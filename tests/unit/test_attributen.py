"""``iwmo validate`` and ``iwmo.validate`` refuse a message full of attributes before parsing it, as the hub
does (issue 15): one XML fault (which only the count before parsing gives) and an invalid report. The
memory this saves is a figure of benchmarks/attributen.py, not a test."""

from __future__ import annotations

import io
from pathlib import Path

from benchmarks.attributen import aanval
from iwmo import validate
from iwmo.cli import main
from iwmo.loader import MAX_ATTRIBUTEN
from iwmo.samples import sample
from iwmo.xml import to_xml
from tests.conftest import TODAY

ROOT = Path(__file__).resolve().parents[2]
FOUT = f"meer dan {MAX_ATTRIBUTEN} attributen; de iWmo-schema's kennen geen attributen"


def test_the_library_refuses_500000_attributes_with_one_xml_fault() -> None:
    rapport = validate(aanval("een"), today=TODAY, file="aanval.xml")
    assert not rapport.valid
    assert [(f.code, f.details) for f in rapport.fouten] == [("XML", FOUT)]
    assert rapport.file == "aanval.xml" and rapport.bericht is None


def test_the_cli_refuses_them_as_an_invalid_message(tmp_path: Path) -> None:
    bestand = tmp_path / "aanval.xml"
    bestand.write_bytes(aanval("een"))
    out, err = io.StringIO(), io.StringIO()
    assert main(["validate", str(bestand)], out, err) == 1
    assert f"XML: {FOUT}" in out.getvalue() and err.getvalue() == ""


def test_a_few_attributes_are_still_left_to_the_schema() -> None:
    xml = to_xml(sample("WMO301", today=TODAY))
    eind = xml.index(b">", xml.index(b"<", xml.index(b"?>") + 2))
    rapport = validate(xml[:eind] + b' a="1"' + xml[eind:], today=TODAY)
    assert [f.code for f in rapport.fouten] == ["XSD"]  # the schema's own fault, as before
    assert validate(xml, today=TODAY).valid
