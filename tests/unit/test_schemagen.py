"""iwmo.schemagen: the committed XSDs are what the generator makes, they compile, and the retour
schemas carry RetourCodes as the last element of every berichtklasse."""

from __future__ import annotations

import copy
import datetime as dt
import difflib
from collections.abc import Callable
from pathlib import Path

import pytest
from lxml import etree

from iwmo.catalogue import BERICHTEN, bericht
from iwmo.samples import sample
from iwmo.schemagen import generate
from iwmo.schemas import xml_schema
from iwmo.xml import to_xml

COMMITTED = Path(__file__).resolve().parents[2] / "schemas" / "iwmo-3.2"
XS = "http://www.w3.org/2001/XMLSchema"
RETOUR = [b.naam for b in BERICHTEN.values() if not b.is_heen]
HEEN = [b.naam for b in BERICHTEN.values() if b.is_heen]
BESTANDEN = ["basisschema.xsd", *(f"{naam}.xsd" for naam in BERICHTEN)]


@pytest.fixture(scope="module")
def generated() -> dict[str, bytes]:
    return generate()


# --- generated == committed ----------------------------------------------------------------------

def test_expected_retour_messages() -> None:
    assert RETOUR == ["WMO302", "WMO306", "WMO308", "WMO316", "WMO318", "WMO320", "WMO325"]


def test_generate_is_deterministic(generated: dict[str, bytes]) -> None:
    assert generate() == generated


def test_generated_equals_committed(generated: dict[str, bytes]) -> None:
    committed = {p.name: p.read_bytes() for p in COMMITTED.glob("*.xsd")}
    assert sorted(generated) == sorted(BESTANDEN)
    assert sorted(committed) == sorted(generated), (
        f"{COMMITTED} does not hold the files iwmo.schemagen generates: run `make schemas`"
    )
    stale = [name for name in sorted(generated) if generated[name] != committed[name]]
    if stale:
        first = stale[0]
        diff = "".join(list(difflib.unified_diff(
            committed[first].decode().splitlines(keepends=True),
            generated[first].decode().splitlines(keepends=True),
            fromfile=f"committed/{first}", tofile=f"generated/{first}",
        ))[:60])
        pytest.fail(
            f"schemas/iwmo-3.2 is out of date ({', '.join(stale)}): the models or datatypes changed "
            f"without regenerating. Run `make schemas` and commit the result.\n{diff}"
        )


# --- every generated XSD compiles -------------------------------------------------------------

@pytest.fixture(scope="module")
def generated_dir(generated: dict[str, bytes], tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("schemas")
    for name, data in generated.items():
        (target / name).write_bytes(data)
    return target


@pytest.mark.parametrize("bestand", BESTANDEN)
def test_generated_schema_compiles(generated_dir: Path, bestand: str) -> None:
    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    etree.XMLSchema(etree.parse(str(generated_dir / bestand), parser))


@pytest.mark.parametrize("naam", list(BERICHTEN))
def test_generated_schema_accepts_sample(generated_dir: Path, today: dt.date, naam: str) -> None:
    schema = xml_schema(naam, str(generated_dir))
    for variant in ("uren", "resultaat"):
        doc = etree.fromstring(to_xml(sample(naam, variant, today=today)))
        assert schema.validate(doc), f"{naam} ({variant}): {schema.error_log}"


# --- RetourCodes in the retour schemas -------------------------------------------------------------

def _complex_types(data: bytes) -> dict[str, list[etree._Element]]:
    """complexType name -> its child ``xs:element``s (in order)."""
    root = etree.fromstring(data)
    return {
        ct.get("name"): ct.findall(f"{{{XS}}}sequence/{{{XS}}}element")
        for ct in root.iterchildren(f"{{{XS}}}complexType")
    }


def _berichtklassen(types: dict[str, list[etree._Element]]) -> list[str]:
    """The classes of a message: not the Root, not RetourCodes, not a list wrapper (one repeated element)."""
    def wrapper(elements: list[etree._Element]) -> bool:
        return len(elements) == 1 and elements[0].get("maxOccurs") == "unbounded"
    return [name for name, els in types.items() if name not in ("Root", "RetourCodes") and not wrapper(els)]


@pytest.mark.parametrize("naam", HEEN)
def test_heen_schema_has_no_retourcodes(generated: dict[str, bytes], naam: str) -> None:
    assert b"RetourCode" not in generated[f"{naam}.xsd"]


@pytest.mark.parametrize("naam", RETOUR)
def test_retourcodes_type(generated: dict[str, bytes], naam: str) -> None:
    types = _complex_types(generated[f"{naam}.xsd"])
    (el,) = types["RetourCodes"]
    assert (el.get("name"), el.get("type"), el.get("minOccurs"), el.get("maxOccurs")) == (
        "RetourCode", "iwmo:LDT_RetourCode", None, "unbounded")


@pytest.mark.parametrize("naam", RETOUR)
def test_retourcodes_last_in_every_berichtklasse(generated: dict[str, bytes], naam: str) -> None:
    types = _complex_types(generated[f"{naam}.xsd"])
    klassen = _berichtklassen(types)
    assert "Header" in klassen and len(klassen) >= 2
    prefix = naam.lower()
    for klasse in klassen:
        elements = types[klasse]
        names = [e.get("name") for e in elements]
        assert names.count("RetourCodes") == 1, f"{naam} {klasse}: RetourCodes {names.count('RetourCodes')} times"
        last = elements[-1]
        assert last.get("name") == "RetourCodes", f"{naam} {klasse}: RetourCodes is not the last element"
        assert last.get("type") == f"{prefix}:RetourCodes"
        assert last.get("maxOccurs") is None
        optional = klasse == "Header" and naam != "WMO325"
        assert last.get("minOccurs") == ("0" if optional else None), (
            f"{naam} {klasse}: RetourCodes should be {'optional' if optional else 'required'}"
        )
    # the wrappers themselves carry no RetourCodes
    for name, elements in types.items():
        if name not in klassen:
            assert "RetourCodes" not in [e.get("name") for e in elements], f"{naam} {name}"


@pytest.mark.parametrize("naam", [n for n in RETOUR if n != "WMO325"])
def test_retour_classes_mirror_the_heenbericht(generated: dict[str, bytes], naam: str) -> None:
    """A retourbericht echoes the classes of its heenbericht, each with RetourCodes appended."""
    heen = _complex_types(generated[f"{bericht(naam).partner}.xsd"])
    retour = _complex_types(generated[f"{naam}.xsd"])
    assert sorted(_berichtklassen(retour)) == sorted(_berichtklassen(heen))
    for klasse in _berichtklassen(heen):
        if klasse == "Header":
            continue
        echoed = [(e.get("name"), e.get("type", "").split(":")[-1], e.get("minOccurs")) for e in retour[klasse][:-1]]
        original = [(e.get("name"), e.get("type", "").split(":")[-1], e.get("minOccurs")) for e in heen[klasse]]
        assert echoed == original, f"{naam} {klasse}"


def test_wmo325_classes(generated: dict[str, bytes]) -> None:
    types = _complex_types(generated["WMO325.xsd"])
    assert sorted(_berichtklassen(types)) == ["Client", "DeclaratieAntwoord", "Header", "Prestatie"]


# --- negative set for the retour messages (our schema only; there is no official retour XSD here) ---

Mutatie = Callable[[etree._Element], None]


def _local(el: etree._Element) -> str:
    return etree.QName(el).localname


def _retourcodes(root: etree._Element, header: bool) -> list[etree._Element]:
    """The RetourCodes wrappers of the header (``header=True``) or of the other classes."""
    return [rc for rc in root.iter("{*}RetourCodes") if (_local(rc.getparent()) == "Header") == header]


def _child(root: etree._Element, path: str) -> etree._Element:
    found = root.xpath("//" + "/".join(f"*[local-name()='{s}']" for s in path.split("/")))
    assert found, f"test set-up: {path} not in the sample"
    return found[0]


def _drop_class_retourcodes(index: int) -> Mutatie:
    def m(root: etree._Element) -> None:
        rc = _retourcodes(root, header=False)[index]
        rc.getparent().remove(rc)
    return m


def _drop_header_retourcodes(root: etree._Element) -> None:
    rc = _retourcodes(root, header=True)[0]
    rc.getparent().remove(rc)


def _code(value: str, header: bool) -> Mutatie:
    def m(root: etree._Element) -> None:
        _retourcodes(root, header=header)[0][0].text = value
    return m


def _empty_class_retourcodes(root: etree._Element) -> None:
    rc = _retourcodes(root, header=False)[0]
    for c in list(rc):
        rc.remove(c)


def _class_retourcodes_not_last(root: etree._Element) -> None:
    rc = _retourcodes(root, header=False)[0]
    rc.getprevious().addprevious(rc)


def _header_retourcodes_not_last(root: etree._Element) -> None:
    rc = _retourcodes(root, header=True)[0]
    rc.getprevious().addprevious(rc)


def _three_codes(root: etree._Element) -> None:
    rc = _retourcodes(root, header=False)[0]
    for code in ("0001", "8001"):
        extra = copy.deepcopy(rc[0])
        extra.text = code
        rc.append(extra)


def _berichtcode(value: str) -> Mutatie:
    def m(root: etree._Element) -> None:
        _child(root, "Header/BerichtCode").text = value
    return m


def _retour_cases(naam: str) -> list[tuple[str, Mutatie, bool]]:
    """(id, mutation, valid?) for one retourbericht; the sample (variant "uren") is the source."""
    btype = bericht(naam)
    ander = next(b.code for b in BERICHTEN.values() if not b.is_heen and b.naam != naam)
    header_optional = naam != "WMO325"
    return [
        ("ongewijzigd", lambda root: None, True),
        ("retourcodes-ontbreekt-in-eerste-klasse", _drop_class_retourcodes(0), False),
        ("retourcodes-ontbreekt-in-laatste-klasse", _drop_class_retourcodes(-1), False),
        ("retourcodes-leeg", _empty_class_retourcodes, False),
        ("retourcodes-niet-laatste", _class_retourcodes_not_last, False),
        ("header-retourcodes-niet-laatste", _header_retourcodes_not_last, False),
        ("onbekende-retourcode-9999-in-header", _code("9999", header=True), False),
        ("onbekende-retourcode-9999-in-klasse", _code("9999", header=False), False),
        ("retourcode-5-tekens", _code("00010", header=False), False),
        ("retourcode-leeg", _code("", header=True), False),
        ("berichtcode-van-heenbericht", _berichtcode(bericht(btype.partner).code), False),
        ("berichtcode-van-ander-retourbericht", _berichtcode(ander), False),
        ("drie-retourcodes", _three_codes, True),
        ("header-zonder-retourcodes", _drop_header_retourcodes, header_optional),
    ]


@pytest.mark.parametrize(
    ("naam", "mutatie", "geldig"),
    [pytest.param(naam, m, ok, id=f"{naam}-{case}") for naam in RETOUR for case, m, ok in _retour_cases(naam)],
)
def test_retour_document_against_our_schema(today: dt.date, naam: str, mutatie: Mutatie, geldig: bool) -> None:
    root = etree.fromstring(to_xml(sample(naam, "uren", today=today)))
    assert _retourcodes(root, header=True) and _retourcodes(root, header=False), "sample without RetourCodes"
    mutatie(root)
    schema = xml_schema(naam)
    ok = schema.validate(root)
    assert ok == geldig, (
        f"our {naam} schema should {'accept' if geldig else 'reject'} this document "
        f"({schema.error_log.last_error}):\n{etree.tostring(root, encoding='unicode')}"
    )


@pytest.mark.parametrize("naam", RETOUR)
def test_missing_retourcodes_in_any_class_is_rejected(today: dt.date, naam: str) -> None:
    """Every non-header class of the sample, in turn, without its RetourCodes."""
    data = to_xml(sample(naam, "uren", today=today))
    count = len(_retourcodes(etree.fromstring(data), header=False))
    assert count >= 1
    for i in range(count):
        root = etree.fromstring(data)
        klasse = _local(_retourcodes(root, header=False)[i].getparent())
        _drop_class_retourcodes(i)(root)
        assert not xml_schema(naam).validate(root), f"{naam}: {klasse} without RetourCodes was accepted"
