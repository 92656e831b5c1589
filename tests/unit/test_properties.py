"""Property tests: random messages built from the model description.

(a) Schema-valid random instances of all 14 messages, generated field by field from
    :func:`iwmo.model.spec` and the logical datatypes: they validate against the project's XSD and
    round-trip exactly through :func:`to_xml` / :func:`from_xml`.
(b) Rule-valid random messages: the samples with their rule-neutral fields randomized stay valid
    against the XSD and every rule of the standard.
"""

from __future__ import annotations

import copy
import dataclasses
import datetime as dt
import re
from functools import cache
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree
from stdnum.nl import bsn as stdnum_bsn

from iwmo.berichten import MODELS
from iwmo.berichten.basis import Achternaam, Geboortedatum, Huis, Omvang, VerkorteNaam, VolledigeNaam
from iwmo.berichten.declaratie import Prestatie, Wmo323, Wmo325
from iwmo.berichten.header import Header
from iwmo.catalogue import BERICHT_SUBVERSIE, BERICHT_VERSIE, bericht
from iwmo.datatypes import DATATYPES, datatype
from iwmo.model import Berichtklasse, Klasse, spec
from iwmo.regels.core import to_date
from iwmo.regels.persoon import elfproef
from iwmo.samples import MET_VARIANT, VARIANTS, sample
from iwmo.schemas import xml_schema
from iwmo.validation import validate
from iwmo.xml import from_xml, to_xml
from tests.conftest import TODAY

# Reproducible in CI: no example database, derandomized generation.
PROPS = settings(
    max_examples=25,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
)

# Printable characters only: no control characters (C0/C1), surrogates, private use or unassigned
# code points (the latter also excludes the XML-illegal U+FFFE and U+FFFF).
ALPHABET = st.characters(codec="utf-8", exclude_categories=["Cc", "Cs", "Co", "Cn"])

MIN_DATE, MAX_DATE = dt.date(1900, 1, 1), dt.date(2100, 12, 31)


# --- (a) generic strategies from the model description ---------------------------------------------


def _fits(s: str, min_length: int | None, max_length: int | None) -> bool:
    return (min_length is None or len(s) >= min_length) and (max_length is None or len(s) <= max_length)


@cache
def value_strategy(ldt: str, pattern: str | None = None) -> st.SearchStrategy[Any]:
    """Valid values of a logical datatype (optionally narrowed by an element-level ``pattern``)."""
    t = datatype(ldt)
    if t.base == "integer":
        lo = t.min_inclusive if t.min_inclusive is not None else -(10**12)
        hi = t.max_inclusive if t.max_inclusive is not None else 10**12
        return st.integers(lo, hi)
    if t.base == "date":
        return st.dates(MIN_DATE, MAX_DATE)
    if t.base == "time":
        return st.times().map(lambda v: v.replace(microsecond=0))
    if t.enumeration:
        codes = [c for c in t.enumeration if _fits(c, t.min_length, t.max_length)]
        if pattern:
            codes = [c for c in codes if re.fullmatch(pattern, c)]
        return st.sampled_from(sorted(codes))
    regex = pattern or t.pattern
    if regex is None:
        strategy = st.text(ALPHABET, min_size=t.min_length or 0, max_size=t.max_length or 40)
    else:
        strategy = st.from_regex(regex, fullmatch=True, alphabet=ALPHABET)
    if pattern and t.pattern:  # both the element's and the datatype's pattern apply
        strategy = strategy.filter(lambda s: re.fullmatch(t.pattern, s) is not None)  # type: ignore[arg-type]
    if t.min_length is not None or t.max_length is not None:
        strategy = strategy.filter(lambda s: _fits(s, t.min_length, t.max_length))
    return strategy


def _digits(n: int) -> st.SearchStrategy[str]:
    return st.text("0123456789", min_size=n, max_size=n)


RETOURCODES = value_strategy("LDT_RetourCode")


def header_overrides(naam: str) -> dict[str, st.SearchStrategy[Any]]:
    """The header fields the message's XSD fixes: BerichtCode, versions, Afzender/Ontvanger."""
    btype = bericht(naam)
    gemeente, agb = _digits(4), _digits(8)
    afzender_is_gemeente = btype.header_afzender == "gemeente"
    return {
        "bericht_code": st.sampled_from([btype.code, ""]),
        "bericht_versie": st.just(BERICHT_VERSIE),
        "bericht_subversie": st.just(BERICHT_SUBVERSIE),
        "afzender": gemeente if afzender_is_gemeente else agb,
        "ontvanger": agb if afzender_is_gemeente else gemeente,
    }


def instances(cls: type[Klasse], naam: str) -> st.SearchStrategy[Klasse]:
    """Random instances of ``cls`` as it appears in message ``naam``."""
    retour = bericht(naam).soort == "retour"
    is_header = issubclass(cls, Header)
    overrides = header_overrides(naam) if is_header else {}
    kwargs: dict[str, st.SearchStrategy[Any]] = {}
    for f in spec(cls):
        if f.name in overrides:
            kwargs[f.name] = overrides[f.name]
            continue
        if f.kind == "value":
            assert f.ldt is not None
            strategy: st.SearchStrategy[Any] = value_strategy(f.ldt, f.pattern)
        elif f.kind == "child":
            assert f.cls is not None
            strategy = st.deferred(lambda c=f.cls: instances(c, naam))
        elif f.kind == "children":
            assert f.cls is not None
            item = st.deferred(lambda c=f.cls: instances(c, naam))
            kwargs[f.name] = st.lists(item, min_size=0 if f.optional else 1, max_size=3)
            continue
        else:  # retour
            if not retour:
                kwargs[f.name] = st.just([])
            else:
                # A retour's header may lack RetourCodes (no faults), except the WMO325's.
                minimum = 0 if is_header and naam != "WMO325" else 1
                kwargs[f.name] = st.lists(RETOURCODES, min_size=minimum, max_size=3)
            continue
        kwargs[f.name] = st.none() | strategy if f.optional else strategy
    return st.fixed_dictionaries(kwargs).map(lambda kw: cls(**kw))


@cache
def berichten(naam: str) -> st.SearchStrategy[Klasse]:
    return instances(MODELS[naam], naam)


def _xsd_errors(naam: str, data: bytes) -> str:
    schema = xml_schema(naam)
    if schema.validate(etree.fromstring(data)):
        return ""
    return "\n".join(f"line {e.line}: {e.message}" for e in schema.error_log)


def test_every_datatype_has_a_strategy() -> None:
    for name in DATATYPES:
        assert value_strategy(name) is not None


@pytest.mark.parametrize("naam", list(MODELS))
@PROPS
@given(data=st.data())
def test_random_message_is_xsd_valid_and_roundtrips(naam: str, data: st.DataObject) -> None:
    instance = data.draw(berichten(naam), label=naam)
    expected = copy.deepcopy(instance)
    expected.header.bericht_code = bericht(naam).code  # type: ignore[attr-defined]  # to_xml fills it

    xml = to_xml(instance)
    errors = _xsd_errors(naam, xml)
    assert not errors, f"{naam} not valid against our XSD:\n{errors}\n{xml.decode()}"
    parsed = from_xml(xml)
    assert to_xml(parsed) == xml
    assert parsed == expected
    assert parsed == instance


@pytest.mark.parametrize("ldt", sorted(n for n, t in DATATYPES.items() if t.base == "string"))
@settings(max_examples=8, derandomize=True, database=None, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(data=st.data())
def test_generated_strings_fit_their_datatype(ldt: str, data: st.DataObject) -> None:
    t = datatype(ldt)
    value = data.draw(value_strategy(ldt))
    assert _fits(value, t.min_length, t.max_length)
    if t.pattern:
        assert re.fullmatch(t.pattern, value)
    if t.enumeration:
        assert value in t.enumeration


# --- (b) rule-valid random messages ----------------------------------------------------------------


@st.composite
def valid_bsns(draw: st.DrawFn) -> str:
    """A BSN that passes the 11-proef: 8 random digits and the check digit computed from them."""
    head = draw(_digits(8).filter(lambda s: int(s) > 0))
    check = sum((9 - i) * int(d) for i, d in enumerate(head)) % 11
    if check == 10:  # no check digit makes this prefix valid; change the last digit
        head = head[:-1] + str((int(head[-1]) + 1) % 10)
        check = sum((9 - i) * int(d) for i, d in enumerate(head)) % 11
    number = head + str(check)
    assert stdnum_bsn.is_valid(number), number
    return number


def _klassen(obj: Klasse):
    """``obj`` and every object below it."""
    yield obj
    for f in spec(type(obj)):
        v = getattr(obj, f.name)
        if f.kind == "child" and v is not None:
            yield from _klassen(v)
        elif f.kind == "children":
            for item in v:
                yield from _klassen(item)


def _fields_named(obj: Klasse, name: str) -> list[tuple[Klasse, str]]:
    return [(o, name) for o in _klassen(obj) if any(f.name == name for f in spec(type(o)))]


def _optional(strategy: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.none() | strategy


def randomize(draw: st.DrawFn, m: Klasse) -> Klasse:
    """Replace the rule-neutral fields of ``m`` (in place) with random valid values."""
    naam_ = value_strategy("LDT_Naam")
    for o in _klassen(m):
        if isinstance(o, Achternaam):
            o.achternaam = draw(naam_)
            o.voorvoegsel = draw(_optional(value_strategy("LDT_Voorvoegsel")))
        elif isinstance(o, (VerkorteNaam, VolledigeNaam)):
            o.voornamen = draw(_optional(naam_))
            o.voorletters = draw(_optional(value_strategy("LDT_Voorletters")))
        elif isinstance(o, Geboortedatum):  # TR002/TR134: not after the Dagtekening, at most 120 years before
            o.datum = draw(st.dates(TODAY.replace(year=TODAY.year - 120), TODAY))
            o.datum_gebruik = None
        elif isinstance(o, Huis):
            o.huisnummer = draw(value_strategy("LDT_Huisnummer"))
        elif isinstance(o, Omvang):
            o.volume = draw(value_strategy("LDT_Volume"))
        elif isinstance(o, Header):
            o.bericht_identificatie.identificatie = draw(value_strategy("LDT_IdentificatieBericht"))
            if hasattr(o, "identificatie_retour"):
                o.identificatie_retour = draw(value_strategy("LDT_IdentificatieBericht"))
    for o, name in _fields_named(m, "commentaar"):
        setattr(o, name, draw(_optional(value_strategy("LDT_Commentaar"))))
    # ToewijzingNummer and ReferentieAanbieder are keys: unique within the message.
    for name, ldt in (("toewijzing_nummer", "LDT_Nummer"), ("referentie_aanbieder", "LDT_Referentie")):
        plekken = [(o, n) for o, n in _fields_named(m, name) if getattr(o, n) is not None]
        nieuw = draw(st.lists(value_strategy(ldt), min_size=len(plekken), max_size=len(plekken), unique=True))
        for (o, n), v in zip(plekken, nieuw, strict=True):
            setattr(o, n, v)
    client_bsn = draw(valid_bsns())
    for o, name in _fields_named(m, "bsn"):
        setattr(o, name, client_bsn)
    if isinstance(m, Wmo323):  # volumes and tariffs, with the amounts and the total kept consistent
        totaal = 0
        for o in _klassen(m):
            if isinstance(o, Prestatie):
                o.geleverd_volume = draw(st.integers(1, 1000))
                o.product_tarief = draw(st.integers(1, 99_999))
                o.ingediend_bedrag.bedrag = o.geleverd_volume * o.product_tarief
                totaal += o.ingediend_bedrag.bedrag
        m.declaratie.totaal_ingediend_bedrag.totaal_bedrag = totaal
    if isinstance(m, Wmo325) and m.declaratie_antwoord is not None and not m.declaratie_antwoord.clienten:
        totaal = draw(value_strategy("LDT_TotaalBedrag"))  # fully granted: toegekend == ingediend
        m.declaratie_antwoord.totaal_ingediend_bedrag.totaal_bedrag = totaal
        m.declaratie_antwoord.totaal_toegekend_bedrag.totaal_bedrag = totaal
    return m


CASES = [(n, v) for n in MODELS for v in (VARIANTS if n in MET_VARIANT else VARIANTS[:1])]


@pytest.mark.parametrize(("naam", "variant"), CASES)
@settings(PROPS, max_examples=12)
@given(data=st.data())
def test_randomized_sample_stays_rule_valid(naam: str, variant: str, data: st.DataObject) -> None:
    m = sample(naam, variant, today=TODAY)  # type: ignore[arg-type]
    randomize(data.draw, m)
    xml = to_xml(m)
    rapport = validate(xml, today=TODAY)
    faults = "\n".join(f"{f.code} [{f.retourcode}] {f.locaties}: {f.details}" for f in rapport.fouten)
    assert rapport.valid, f"{naam}/{variant} randomized sample is invalid:\n{faults}\n{xml.decode()}"
    assert rapport.bericht == naam
    assert from_xml(xml) == m


def test_randomize_changes_something() -> None:
    """Guard against a randomizer that silently does nothing."""
    seen: set[str] = set()

    @settings(PROPS, max_examples=5)
    @given(data=st.data())
    def run(data: st.DataObject) -> None:
        m = randomize(data.draw, sample("WMO301", today=TODAY))
        seen.add(m.client.bsn)  # type: ignore[attr-defined]
        assert dataclasses.is_dataclass(m)
        assert all(isinstance(k, Klasse) for k in _klassen(m))
        assert all(k.retourcodes == [] for k in _klassen(m) if isinstance(k, Berichtklasse))

    run()
    assert len(seen) > 1



@settings(PROPS, max_examples=400)
@given(st.one_of(st.text(alphabet="0123456789 -.\n", max_size=12), valid_bsns(), st.integers(0, 10**10).map(str)))
def test_elfproef_judges_as_python_stdnum(text: str) -> None:
    """The validator's own 11-proef (no python-stdnum at start-up) gives python-stdnum's verdict."""
    assert elfproef(text) == stdnum_bsn.is_valid(text)


def _xs_date(text: str) -> dt.date | None:
    """xs:date read the long way (the reference for :func:`~iwmo.regels.core.to_date`): an optional minus, a
    year of four or more digits, month, day, an optional zone; years outside Python's range clamp."""
    m = re.fullmatch(r"(-?)(\d{4,})-(\d\d)-(\d\d)(?:Z|[+-]\d\d:\d\d)?", text.strip())
    if m is None:
        return None
    year, month, day = int(m.group(2)), int(m.group(3)), int(m.group(4))
    if not (1 <= month <= 12 and 1 <= day <= 31):
        return None
    if m.group(1) or year == 0:
        return dt.date.min
    if year > 9999:
        return dt.date.max
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


_DATUMTEKENS = "0123456789" * 3 + "-+ :WZT\u0663\uff12"


@settings(PROPS, max_examples=600)
@given(st.one_of(
    st.dates(dt.date(1, 1, 1), dt.date(9999, 12, 31)).map(dt.date.isoformat),
    st.tuples(st.integers(0, 9999), st.integers(0, 13), st.integers(0, 32)).map(lambda t: f"{t[0]:04d}-{t[1]:02d}-{t[2]:02d}"),
    st.text(alphabet=_DATUMTEKENS, min_size=10, max_size=10).map(lambda s: s[:4] + "-" + s[5:7] + "-" + s[8:]),
    st.text(alphabet=_DATUMTEKENS, max_size=16),
))
def test_to_date_reads_xs_date(text: str) -> None:
    """The rules' date reading (YYYY-MM-DD by date.fromisoformat first) gives the xs:date reading: year 0000,
    30 February, other digits, zones and spaces included."""
    assert to_date(text) == _xs_date(text)
