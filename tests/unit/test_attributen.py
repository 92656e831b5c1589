"""``iwmo validate`` and ``iwmo.validate`` refuse a message full of attributes before parsing it, as the hub
does (issue 15): one XML fault, an invalid report, and a peak memory far below what building them costs."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

from benchmarks.attributen import AANTAL, aanval
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


def test_the_peak_memory_of_the_cli_stays_small() -> None:
    """Parsing and XSD on 500,000 attributes on one element took the command to 650 MB; counting first
    keeps its whole process near 140 MB (the attributes of one element are built once, as a dict)."""
    uit = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "attributen.py"), "een", "cli"], cwd=ROOT,
                         capture_output=True, text=True, check=True).stdout
    assert FOUT in uit and "exit 1" in uit, uit
    piek = int(uit.split("piek")[1].split("MB")[0])
    assert piek < 300, (AANTAL, uit)
