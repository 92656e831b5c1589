"""The normenkader file: checked, with every fault at its place, and a draft until it rests on research."""

from __future__ import annotations

import copy
from typing import Any

import pytest
import yaml

from services.plan.domain import normenkader as nk

DOCUMENT: dict[str, Any] = yaml.safe_load(nk.DEMO.read_text(encoding="utf-8"))


def fouten(document: Any) -> dict[str, str]:
    with pytest.raises(nk.OngeldigNormenkader) as exc:
        nk.uit_document(document)
    return dict(exc.value.fouten)


def test_the_demonstration_says_it_is_one_and_rests_on_named_research() -> None:
    kader = nk.laad(nk.DEMO)
    assert kader.demonstratie and kader.bruikbaar
    assert kader.onderbouwing is not None and "KPMG" in kader.onderbouwing.onderzoeker
    assert "geen beleid" in (kader.toelichting or "")


def test_a_fault_is_reported_at_its_place_without_the_input() -> None:
    doc = copy.deepcopy(DOCUMENT)
    doc["voorzieningen"][0]["activiteiten"][1]["minuten"] = -3
    doc["voorzieningen"][0]["activiteiten"][2]["standaard"] = "vaak"
    doc["voorzieningen"][0]["omstandigheden"][0]["per"] = "maand"
    doc["geheim"] = "999990019"
    gevonden = fouten(doc)
    assert "greater than 0" in gevonden["voorzieningen[0].activiteiten[1].minuten"]
    assert "geen frequentie" in gevonden["voorzieningen[0].activiteiten[2].standaard"]
    assert "voorzieningen[0].omstandigheden[0].per" in gevonden
    assert "geheim" in gevonden
    assert "999990019" not in str(gevonden)


def test_codes_and_voorzieningen_are_unique_and_the_default_frequency_allowed() -> None:
    doc = copy.deepcopy(DOCUMENT)
    doc["voorzieningen"][0]["activiteiten"][1]["code"] = doc["voorzieningen"][0]["activiteiten"][0]["code"]
    assert "meer dan eens" in fouten(doc)["voorzieningen[0]"]
    doc = copy.deepcopy(DOCUMENT)
    doc["voorzieningen"].append(doc["voorzieningen"][0])
    assert "meer dan eens" in fouten(doc)[""]
    doc = copy.deepcopy(DOCUMENT)
    doc["voorzieningen"][0]["activiteiten"][0]["toegestaan"] = ["maand"]
    assert "standaardfrequentie" in fouten(doc)["voorzieningen[0].activiteiten[0]"]


def test_without_independent_research_it_is_a_draft() -> None:
    doc = copy.deepcopy(DOCUMENT)
    del doc["onderbouwing"]
    concept = nk.uit_document(doc)
    assert not concept.bruikbaar and "geen onderbouwing" in (concept.waarom_niet_bruikbaar() or "")
    doc = copy.deepcopy(DOCUMENT)
    doc["onderbouwing"]["onafhankelijk"] = False
    assert "niet onafhankelijk" in (nk.uit_document(doc).waarom_niet_bruikbaar() or "")


def test_yaml_that_does_not_parse_names_the_line() -> None:
    with pytest.raises(nk.OngeldigNormenkader) as exc:
        nk.lees_tekst(b"naam: hh\nversie: [1\n")
    assert exc.value.fouten[0][0].startswith("regel ")


def test_yaml_tags_build_no_objects() -> None:
    with pytest.raises(nk.OngeldigNormenkader):
        nk.lees_tekst(b"!!python/object/apply:os.system ['true']")


def test_frequency_texts() -> None:
    doc = copy.deepcopy(DOCUMENT)
    doc["voorzieningen"][0]["activiteiten"][0]["standaard"] = {"aantal": 2, "per": "week"}
    doc["voorzieningen"][0]["activiteiten"][1]["standaard"] = "3x per week"
    kader = nk.uit_document(doc)
    assert [str(a.standaard) for a in kader.voorzieningen[0].activiteiten[:2]] == ["2 keer per week", "3 keer per week"]
