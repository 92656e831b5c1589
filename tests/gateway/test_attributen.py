"""Attributes the standard never uses are refused before a tree is built: memory per message stays bounded."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from benchmarks.attributen import aanval
from iwmo.loader import MAX_ATTRIBUTEN, te_veel_attributen
from iwmo.samples import sample
from iwmo.xml import to_xml
from tests.conftest import TODAY
from tests.gateway.conftest import Hub, make_hub

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def hub(tmp_path: Path) -> Iterator[Hub]:
    yield from make_hub(f"sqlite:///{tmp_path}/hub.db")


def test_a_message_full_of_attributes_is_refused_as_an_xsd_violation(hub: Hub) -> None:
    r = hub.send("0363", aanval("veel", 10_000))
    assert r.status_code == 400, r.text
    assert r.json()["foutcode"] == "IB001"
    assert r.json()["details"] == [f"meer dan {MAX_ATTRIBUTEN} attributen: het iWmo-schema kent geen attributen"]


def test_a_few_attributes_are_left_to_the_schema(hub: Hub) -> None:
    xml = to_xml(sample("WMO301", today=TODAY))
    eind = xml.index(b">", xml.index(b"<", xml.index(b"?>") + 2))
    xsi = (b' xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"'
           b' xsi:schemaLocation="http://www.istandaarden.nl/iwmo/3_2/wmo301/schema WMO301.xsd"')
    assert hub.send("0363", xml[:eind] + xsi + xml[eind:]).status_code == 202


def test_equals_signs_in_text_are_no_attributes() -> None:
    xml = to_xml(sample("WMO301", today=TODAY))
    assert not te_veel_attributen(xml)
    tekst = b"<a>" + b"x=1 " * (MAX_ATTRIBUTEN * 10) + b"</a>"
    assert not te_veel_attributen(tekst)
    assert te_veel_attributen(b"<a>" + b'<b c="1"/>' * (MAX_ATTRIBUTEN + 1) + b"</a>")
    assert not te_veel_attributen(b"<a>" + b'<b c="1"/>' * MAX_ATTRIBUTEN + b"</a>")


@pytest.mark.parametrize("soort", ["een", "veel"])
def test_the_peak_memory_of_500000_attributes_stays_small(soort: str) -> None:
    """Before: +541 MB (all on one element) and +124 MB (spread), parsing and XSD; now at most ~50 MB."""
    uit = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "attributen.py"), soort, "met"], cwd=ROOT,
                         capture_output=True, text=True, check=True).stdout
    assert "geweigerd voor het parsen" in uit
    piek = int(uit.split("piek +")[1].split("MB")[0])
    assert piek < 100, uit
