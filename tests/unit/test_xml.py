"""Typed models <-> XML: the official examples, the samples, bad shapes and value types."""

from __future__ import annotations

import copy
import datetime as dt
from pathlib import Path

import pytest
from lxml import etree

from iwmo.berichten import MODELS
from iwmo.catalogue import BASIS_NS, bericht
from iwmo.exceptions import IwmoError
from iwmo.model import Klasse, spec
from iwmo.samples import VARIANTS, sample
from iwmo.schemas import xml_schema
from iwmo.xml import BindingError, from_xml, to_xml
from tests.conftest import TODAY, canonical

OFFICIAL = ["WMO301", "WMO305", "WMO307", "WMO315", "WMO317", "WMO319", "WMO323"]
PYTHON_TYPES = {"int": int, "date": dt.date, "time": dt.time, "str": str}


def _example(reference: Path, naam: str) -> bytes:
    path = reference / "voorbeeldberichten" / f"{naam}.xml"
    if not path.is_file():
        pytest.skip(f"{path} not present")
    return path.read_bytes()


def _walk(obj: Klasse, path: str = "/Bericht"):
    """Every (path, FieldSpec, value) in the model, depth first."""
    for f in spec(type(obj)):
        v = getattr(obj, f.name)
        yield f"{path}/{f.xml}", f, v
        if f.kind == "child" and v is not None:
            yield from _walk(v, f"{path}/{f.xml}")
        elif f.kind == "children":
            for i, item in enumerate(v, 1):
                yield from _walk(item, f"{path}/{f.xml}/{f.item}[{i}]")


# --- the official examples ----------------------------------------------------------------------


@pytest.mark.parametrize("naam", OFFICIAL)
def test_official_example_rebuilds_to_same_document(reference: Path, naam: str) -> None:
    data = _example(reference, naam)
    model = from_xml(data)
    assert isinstance(model, MODELS[naam])
    rebuilt = to_xml(model)
    assert canonical(rebuilt) == canonical(data)


@pytest.mark.parametrize("naam", OFFICIAL)
def test_official_example_model_is_stable(reference: Path, naam: str) -> None:
    """Parsing our own serialisation of an official example gives the same model and bytes."""
    model = from_xml(_example(reference, naam))
    once = to_xml(model)
    assert from_xml(once) == model
    assert to_xml(from_xml(once)) == once


def test_every_official_example_is_covered(reference: Path) -> None:
    present = sorted(p.stem for p in (reference / "voorbeeldberichten").glob("*.xml"))
    assert set(present) <= set(MODELS)
    assert set(OFFICIAL) <= set(present) or not present


# --- samples ----------------------------------------------------------------------------------


@pytest.mark.parametrize("variant", VARIANTS)
@pytest.mark.parametrize("naam", list(MODELS))
def test_sample_roundtrips_byte_exactly(naam: str, variant: str) -> None:
    model = sample(naam, variant, today=TODAY)  # type: ignore[arg-type]
    data = to_xml(model)
    assert to_xml(from_xml(data)) == data
    assert from_xml(data) == model
    # and it is what the project's XSD expects
    schema = xml_schema(naam)
    assert schema.validate(etree.fromstring(data)), schema.error_log


@pytest.mark.parametrize("naam", list(MODELS))
def test_sample_roundtrips_without_pretty_printing(naam: str) -> None:
    model = sample(naam, today=TODAY)
    data = to_xml(model, pretty=False)
    assert b"\n  " not in data
    assert to_xml(from_xml(data), pretty=False) == data
    assert canonical(data) == canonical(to_xml(model))


@pytest.mark.parametrize("naam", list(MODELS))
def test_from_xml_accepts_str(naam: str) -> None:
    data = to_xml(sample(naam, today=TODAY))
    text = data.decode("utf-8").split("?>", 1)[1]  # str without the encoding declaration
    assert from_xml(text) == from_xml(data)


def test_to_xml_fills_in_an_empty_berichtcode() -> None:
    model = sample("WMO301", today=TODAY)
    model.header.bericht_code = ""  # type: ignore[attr-defined]
    data = to_xml(model)
    assert b"<wmo301:BerichtCode>414</wmo301:BerichtCode>" in data
    assert from_xml(data).header.bericht_code == "414"  # type: ignore[attr-defined]


def test_namespaces_and_prefixes() -> None:
    root = etree.fromstring(to_xml(sample("WMO315", today=TODAY)))
    ns = bericht("WMO315").namespace
    assert root.tag == f"{{{ns}}}Bericht"
    assert root.nsmap == {"iwmo": BASIS_NS, "wmo315": ns}
    # CDT children are in the basisschema namespace, berichtklasse children in the message's
    ident = root.find(f"{{{ns}}}Header/{{{ns}}}BerichtIdentificatie")
    assert ident is not None
    assert [etree.QName(c).namespace for c in ident] == [BASIS_NS, BASIS_NS]


def test_retourcodes_are_written_only_in_retourberichten() -> None:
    heen = sample("WMO301", today=TODAY)
    heen.client.retourcodes = ["0200"]  # type: ignore[attr-defined]
    assert b"RetourCode" not in to_xml(heen)
    retour = sample("WMO302", today=TODAY)
    data = to_xml(retour)
    assert data.count(b"<wmo302:RetourCodes>") == len(
        [1 for _, f, v in _walk(retour) if f.kind == "retour" and v]
    )


def test_text_with_line_breaks_tabs_and_markup_roundtrips() -> None:
    model = sample("WMO301", today=TODAY)
    model.client.commentaar = "a\r\nb\tc & <d> ]]> 'e' \"f\"\n  "  # type: ignore[attr-defined]
    model.client.naam.geslachtsnaam.achternaam = "  Ünïcødé 𝔊 — 名前 "  # type: ignore[attr-defined]
    data = to_xml(model)
    assert from_xml(data) == model
    assert to_xml(from_xml(data)) == data


# --- values come back typed ----------------------------------------------------------------------


@pytest.mark.parametrize("variant", VARIANTS)
@pytest.mark.parametrize("naam", list(MODELS))
def test_values_have_their_python_types(naam: str, variant: str) -> None:
    model = from_xml(to_xml(sample(naam, variant, today=TODAY)))  # type: ignore[arg-type]
    seen = set()
    for path, f, v in _walk(model):
        if f.kind != "value" or v is None:
            continue
        expected = PYTHON_TYPES[f.python or "str"]
        assert type(v) is expected, f"{path}: {v!r} is {type(v).__name__}, expected {expected.__name__}"
        seen.add(f.python)
    assert {"int", "date", "str"} <= seen


def test_specific_values_are_typed() -> None:
    model = from_xml(to_xml(sample("WMO301", today=TODAY)))
    header = model.header  # type: ignore[attr-defined]
    product = model.client.toegewezen_producten[0]  # type: ignore[attr-defined]
    assert header.bericht_identificatie.dagtekening == TODAY
    assert header.bericht_versie == 3 and header.bericht_subversie == 2
    assert product.toewijzingstijd == dt.time(9, 30)
    assert product.toewijzing_nummer == 4711
    assert product.omvang.volume == 3
    assert model.client.bsn == "999990019"  # type: ignore[attr-defined]  # a string: leading zeros matter


def test_official_example_values_are_typed(reference: Path) -> None:
    model = from_xml(_example(reference, "WMO301"))
    for path, f, v in _walk(model):
        if f.kind == "value" and v is not None:
            assert isinstance(v, PYTHON_TYPES[f.python or "str"]), path


# --- documents that are not iWmo messages ---------------------------------------------------------


@pytest.mark.parametrize(
    "data",
    [
        b"<root/>",
        b'<?xml version="1.0"?><Bericht xmlns="urn:example:other"><Header/></Bericht>',
        b'<Bericht><Header/></Bericht>',
        # the right namespace, the wrong root element
        b'<Header xmlns="http://www.istandaarden.nl/iwmo/3_2/wmo301/schema"/>',
        # an iWmo 3.1 namespace
        b'<Bericht xmlns="http://www.istandaarden.nl/iwmo/3_1/wmo301/schema"/>',
        # the basisschema namespace
        f'<Bericht xmlns="{BASIS_NS}"/>'.encode(),
    ],
    ids=["plain", "other-ns", "no-ns", "wrong-root", "iwmo31", "basisschema"],
)
def test_non_iwmo_document_raises_binding_error(data: bytes) -> None:
    with pytest.raises(BindingError, match="geen iWmo 3.2-bericht"):
        from_xml(data)


def test_missing_required_element_raises_binding_error() -> None:
    root = etree.fromstring(to_xml(sample("WMO301", today=TODAY)))
    ns = bericht("WMO301").namespace
    client = root.find(f"{{{ns}}}Client")
    assert client is not None
    client.remove(client.find(f"{{{ns}}}Bsn"))
    with pytest.raises(BindingError, match="Bsn"):
        from_xml(etree.tostring(root))


def test_bad_value_raises_binding_error() -> None:
    data = to_xml(sample("WMO305", today=TODAY))
    bad = data.replace(TODAY.isoformat().encode(), b"2026-02-30", 1)
    with pytest.raises(BindingError, match="2026-02-30"):
        from_xml(bad)
    bad_int = data.replace(b"<wmo305:ToewijzingNummer>4711<", b"<wmo305:ToewijzingNummer>veel<")
    with pytest.raises(BindingError, match="veel"):
        from_xml(bad_int)


def test_binding_error_is_an_iwmo_error() -> None:
    assert issubclass(BindingError, IwmoError)


def test_to_xml_changes_nothing_but_an_empty_berichtcode() -> None:
    model = sample("WMO323", "resultaat", today=TODAY)
    before = copy.deepcopy(model)
    to_xml(model)
    before.header.bericht_code = "484"  # filled in by to_xml (documented)
    assert model == before
    to_xml(model)
    assert model == before
