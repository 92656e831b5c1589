"""A second, independent XSD engine: xmlschema (pure Python) against lxml (libxml2) on the project's schemas.

The validator trusts libxml2 for level 1. These tests hold its verdicts against xmlschema's, on our own
schemas (``schemas/iwmo-3.2``), for every sample of every message type, every official example and every
case of the accept/reject sets of ``test_schemas.py``. Both engines must give the same verdict; a
disagreement is investigated and explained in docs/validation.md ("Two XSD engines"), not silenced.
"""

from __future__ import annotations

import datetime as dt
from functools import cache
from pathlib import Path

import pytest
from lxml import etree

from iwmo.catalogue import BERICHTEN
from iwmo.samples import VARIANTS
from iwmo.schemas import schema_dir, xml_schema
from tests.conformance.test_schemas import (
    AFGEKEURD,
    GEACCEPTEERD,
    HEEN,
    Mutatie,
    _header_afgekeurd,
    _header_edge,
    _mutated,
    _params,
    _sample_bytes,
)

xmlschema = pytest.importorskip("xmlschema", reason="xmlschema (the test extra) is not installed")

pytestmark = pytest.mark.conformance


@cache
def tweede(naam: str) -> xmlschema.XMLSchema:  # type: ignore[name-defined]
    """Our XSD of ``naam``, compiled by xmlschema (once per session)."""
    return xmlschema.XMLSchema(str(Path(schema_dir()) / f"{naam}.xsd"))


def oordelen(naam: str, doc: etree._Element) -> dict[str, str]:
    """Each engine's verdict: ``ACCEPT`` or ``REJECT: <first error>``."""
    lx = xml_schema(naam)
    lxml_oordeel = "ACCEPT" if lx.validate(doc) else f"REJECT: {lx.error_log[0].message}"  # type: ignore[index]
    fout = next(iter(tweede(naam).iter_errors(etree.ElementTree(doc))), None)
    xs_oordeel = "ACCEPT" if fout is None else f"REJECT: {fout.reason} at {fout.path}"
    return {"lxml": lxml_oordeel, "xmlschema": xs_oordeel}


def _zelfde(verdicts: dict[str, str], verwacht: str) -> None:
    assert all(v.startswith(verwacht) for v in verdicts.values()), verdicts


@pytest.mark.parametrize("variant", VARIANTS)
@pytest.mark.parametrize("naam", list(BERICHTEN))
def test_both_engines_accept_every_sample(today: dt.date, naam: str, variant: str) -> None:
    _zelfde(oordelen(naam, etree.fromstring(_sample_bytes(naam, variant, today))), "ACCEPT")


@pytest.mark.parametrize("naam", HEEN)
def test_both_engines_accept_every_official_example(reference: Path, naam: str) -> None:
    doc = etree.fromstring((reference / "voorbeeldberichten" / f"{naam}.xml").read_bytes())
    _zelfde(oordelen(naam, doc), "ACCEPT")


@pytest.mark.parametrize(("naam", "bron", "mutatie"), list(_params(AFGEKEURD, _header_afgekeurd)))
def test_both_engines_reject_every_negative_case(
        reference: Path, today: dt.date, naam: str, bron: str, mutatie: Mutatie) -> None:
    _zelfde(oordelen(naam, _mutated(reference, naam, bron, mutatie, today)), "REJECT")


@pytest.mark.parametrize(("naam", "bron", "mutatie"), list(_params(GEACCEPTEERD, lambda naam: _header_edge())))
def test_both_engines_accept_every_edge_case(
        reference: Path, today: dt.date, naam: str, bron: str, mutatie: Mutatie) -> None:
    _zelfde(oordelen(naam, _mutated(reference, naam, bron, mutatie, today)), "ACCEPT")


def test_both_engines_agree_on_fuzzed_messages() -> None:
    """1,000 messages mutated as in tests/unit/test_fuzz.py (one or two mutations each, seeded), most of
    them schema-invalid: both engines give the same verdict on every one."""
    import copy
    import random

    from iwmo.validation import identify
    from tests.unit import test_fuzz

    rng = random.Random(7)
    seeds = [etree.fromstring(d) for d in test_fuzz._seeds()]
    names = sorted({el.tag for root in seeds for el in test_fuzz._elements(root)})
    verschillen = []
    for i in range(1000):
        root = copy.deepcopy(rng.choice(seeds))
        for mutatie in rng.choices(test_fuzz.MUTATIONS, k=rng.randint(1, 2)):
            mutatie(rng, root, names)
        btype = identify(root)
        assert btype is not None
        verdicts = oordelen(btype.naam, root)
        if verdicts["lxml"].startswith("ACCEPT") != verdicts["xmlschema"].startswith("ACCEPT"):
            verschillen.append((i, verdicts))
    assert not verschillen, verschillen[:5]
