"""Bad input: every case gives a clear fault and never a traceback.

Each case goes through :func:`iwmo.validation.validate`, the command line (``iwmo validate``) and,
where it is an XML-level problem, :func:`iwmo.loader.parse_xml` (which must raise :class:`XmlError`).
"""

from __future__ import annotations

import io
import os
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
from lxml import etree

from iwmo.catalogue import BERICHTEN
from iwmo.cli import main
from iwmo.exceptions import IwmoError, XmlError
from iwmo.loader import MAX_BYTES, parse_xml
from iwmo.samples import sample
from iwmo.validation import validate
from iwmo.xml import from_xml, to_xml
from tests.conftest import TODAY

PASSWD = Path("/etc/passwd")
SAMPLE_301 = to_xml(sample("WMO301", today=TODAY))
SAMPLE_305 = to_xml(sample("WMO305", today=TODAY))
BODY_301 = SAMPLE_301.split(b"?>", 1)[1].lstrip()  # without the XML declaration
COMMENTAAR = b"Hulp bij het huishouden"
assert COMMENTAAR in SAMPLE_301


def _passwd_markers() -> list[str]:
    """Strings that appear only if /etc/passwd was read into the output."""
    markers = ["root:x:0:0", "/bin/bash", "/usr/sbin/nologin", "daemon:x:"]
    if PASSWD.is_file():
        first = PASSWD.read_text(errors="replace").splitlines()[:1]
        markers += [line for line in first if len(line) > 8]
    return markers


def _billion_laughs() -> bytes:
    ents = ['<!ENTITY lol0 "lol">'] + [
        f'<!ENTITY lol{i} "{("&lol" + str(i - 1) + ";") * 10}">' for i in range(1, 10)
    ]
    return ('<?xml version="1.0"?>\n<!DOCTYPE lolz [' + "".join(ents) + "]>\n<lolz>&lol9;</lolz>").encode()


def _deep(depth: int) -> bytes:
    return b"<a>" * depth + b"x" + b"</a>" * depth


def _deep_in_message(depth: int) -> bytes:
    """A real message whose Commentaar holds ``depth`` nested elements (below the parser's limit)."""
    return SAMPLE_301.replace(COMMENTAAR, b"<x>" * depth + b"y" + b"</x>" * depth)


XXE_GENERAL = (
    b'<?xml version="1.0"?>\n<!DOCTYPE wmo301:Bericht [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'
    + BODY_301.replace(COMMENTAAR, b"&xxe;")
)
XXE_ATTRIBUTE = (
    b'<?xml version="1.0"?>\n<!DOCTYPE r [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n<r a="&xxe;"/>'
)
XXE_PARAMETER = b'<?xml version="1.0"?>\n<!DOCTYPE r [<!ENTITY % p SYSTEM "file:///etc/passwd"> %p;]>\n<r/>'
XXE_EXTERNAL_DTD = b'<?xml version="1.0"?>\n<!DOCTYPE r SYSTEM "file:///etc/passwd">\n<r/>'
XXE_ERROR_BASED = (
    b'<?xml version="1.0"?>\n<!DOCTYPE r [<!ENTITY % file SYSTEM "file:///etc/passwd">'
    b"<!ENTITY % eval \"<!ENTITY &#x25; error SYSTEM 'file:///nonexistent/%file;'>\">%eval;%error;]>\n<r/>"
)
INTERNAL_DTD = b'<?xml version="1.0"?>\n<!DOCTYPE wmo301:Bericht [<!ELEMENT x ANY>]>\n' + BODY_301


@dataclass(frozen=True)
class Case:
    id: str
    data: bytes
    code: str  # the expected fault code
    line: bool = False  # the fault carries a line number
    mention: str | None = None  # a word the fault's details must contain


XML_CASES = [
    Case("empty", b"", "XML", mention="leeg"),
    Case("whitespace-only", b" \n\t\r\n ", "XML", mention="leeg"),
    Case("binary-garbage", bytes(range(256)) * 16, "XML"),
    Case("random-bytes", bytes((i * 7919 + 13) % 256 for i in range(4096)), "XML"),
    Case("plain-text", b"dit is geen XML\n", "XML", line=True),
    Case("declaration-only", b'<?xml version="1.0" encoding="UTF-8"?>\n', "XML", line=True),
    Case("truncated", SAMPLE_301[: len(SAMPLE_301) // 2], "XML", line=True),
    Case("truncated-one-byte", SAMPLE_301.rstrip()[:-1], "XML", line=True),
    Case("extra-content", SAMPLE_301 + b"<extra/>", "XML", line=True),
    Case("invalid-utf8", SAMPLE_301.replace(COMMENTAAR, b"Hulp \xff\xfe"), "XML", line=True),
    Case("nul-char-ref", SAMPLE_301.replace(COMMENTAAR, b"a&#0;b"), "XML", line=True),
    Case("xxe-general", XXE_GENERAL, "XML"),
    Case("xxe-attribute", XXE_ATTRIBUTE, "XML"),
    Case("xxe-parameter", XXE_PARAMETER, "XML"),
    Case("xxe-external-dtd", XXE_EXTERNAL_DTD, "XML"),
    Case("xxe-error-based", XXE_ERROR_BASED, "XML"),
    Case("internal-dtd", INTERNAL_DTD, "XML", mention="DOCTYPE"),
    Case("billion-laughs", _billion_laughs(), "XML"),
    Case("deep-nesting", _deep(10_000), "XML"),
]
SCHEMA_CASES = [
    Case("unknown-namespace", b'<Bericht xmlns="urn:example:geen-iwmo"><Header/></Bericht>', "XSD",
         mention="onbekend bericht"),
    Case("no-namespace", b"<Bericht/>", "XSD", mention="onbekend bericht"),
    Case("iwmo-3.1-namespace", SAMPLE_301.replace(b"/iwmo/3_2/wmo301/", b"/iwmo/3_1/wmo301/"), "XSD",
         mention="onbekend bericht"),
    Case("wrong-berichtcode", SAMPLE_301.replace(b">414<", b">415<"), "XSD", mention="BerichtCode"),
    Case("deep-nesting-in-message", _deep_in_message(200), "XSD", mention="Commentaar"),
]
ALL_CASES = XML_CASES + SCHEMA_CASES


def _run_cli(argv: list[str]) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(argv, out, err)
    return code, out.getvalue(), err.getvalue()


def _check_report(case: Case, rapport) -> None:
    assert not rapport.valid
    assert rapport.fouten, "an invalid message must list its faults"
    codes = {f.code for f in rapport.fouten}
    assert codes == {case.code}, [f.as_dict() for f in rapport.fouten]
    for f in rapport.fouten:
        assert f.details.strip(), "every fault has a readable explanation"
        assert f.retourcode is None
        assert "Traceback" not in f.details
    if case.code == "XML":
        assert rapport.bericht is None and rapport.berichtcode is None
        assert len(rapport.fouten) == 1
    if case.line:
        fout = rapport.fouten[0]
        assert fout.locaties and fout.locaties[0].startswith("regel "), fout.as_dict()
        assert int(fout.locaties[0].split()[1]) >= 1
    if case.mention:
        assert any(case.mention.lower() in f.details.lower() for f in rapport.fouten), \
            [f.details for f in rapport.fouten]


@pytest.mark.parametrize("case", ALL_CASES, ids=lambda c: c.id)
def test_validate_gives_a_clear_fault(case: Case) -> None:
    start = time.perf_counter()
    rapport = validate(case.data, today=TODAY, file="bad.xml")
    assert time.perf_counter() - start < 2.0, "bad input must be rejected quickly"
    _check_report(case, rapport)
    assert rapport.file == "bad.xml"
    text = repr(rapport.as_dict())
    for marker in _passwd_markers():
        assert marker not in text


@pytest.mark.parametrize("case", ALL_CASES, ids=lambda c: c.id)
@pytest.mark.parametrize("fmt", ["text", "json"])
def test_cli_validate_exits_1_with_the_fault(case: Case, fmt: str, tmp_path: Path) -> None:
    path = tmp_path / f"{case.id}.xml"
    path.write_bytes(case.data)
    code, out, err = _run_cli(["validate", "--format", fmt, "--today", TODAY.isoformat(), str(path)])
    assert code == 1, (out, err)
    assert case.code in out
    assert "Traceback" not in out + err
    if fmt == "text":
        assert "ONGELDIG" in out
    for marker in _passwd_markers():
        assert marker not in out + err


@pytest.mark.parametrize("case", XML_CASES, ids=lambda c: c.id)
def test_parse_xml_raises_xml_error(case: Case) -> None:
    with pytest.raises(XmlError) as info:
        parse_xml(case.data)
    assert str(info.value).strip()
    if case.line:
        assert info.value.line is not None and info.value.line >= 1
        assert f"regel {info.value.line}" in str(info.value)


@pytest.mark.parametrize("case", ALL_CASES, ids=lambda c: c.id)
def test_from_xml_raises_only_library_errors(case: Case) -> None:
    """from_xml expects a schema-valid document; on anything else it raises IwmoError or binds what it can."""
    try:
        from_xml(case.data)
    except IwmoError as exc:
        assert str(exc).strip()
    else:
        assert case.code == "XSD", "XML-level problems must never bind"


@pytest.mark.parametrize("case", ALL_CASES, ids=lambda c: c.id)
def test_cli_retour_refuses_without_traceback(case: Case, tmp_path: Path) -> None:
    path = tmp_path / f"{case.id}.xml"
    path.write_bytes(case.data)
    code, out, err = _run_cli(["retour", "--today", TODAY.isoformat(), str(path)])
    assert code == 1
    assert out == ""
    assert case.code in err


# --- specific cases ----------------------------------------------------------------------------------


def test_billion_laughs_is_rejected_fast() -> None:
    data = _billion_laughs()
    start = time.perf_counter()
    rapport = validate(data, today=TODAY)
    with pytest.raises(XmlError):
        parse_xml(data)
    assert time.perf_counter() - start < 1.0
    assert [f.code for f in rapport.fouten] == ["XML"]
    assert "lollollol" not in rapport.fouten[0].details  # nothing expanded, nothing echoed
    assert len(rapport.fouten[0].details) < 500


def test_quadratic_blowup_is_rejected_fast() -> None:
    big = "A" * 50_000
    data = (f'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "{big}">]><r>' + "&a;" * 5_000 + "</r>").encode()
    start = time.perf_counter()
    rapport = validate(data, today=TODAY)
    assert time.perf_counter() - start < 1.0
    assert [f.code for f in rapport.fouten] == ["XML"]
    assert len(rapport.fouten[0].details) < 500


def test_deep_nesting_gives_no_recursion_error() -> None:
    for depth in (10_000, 100_000):
        rapport = validate(_deep(depth), today=TODAY)
        assert [f.code for f in rapport.fouten] == ["XML"]
        assert "depth" in rapport.fouten[0].details.lower() or "diep" in rapport.fouten[0].details.lower()


def test_deep_nesting_inside_a_message_is_an_xsd_fault() -> None:
    rapport = validate(_deep_in_message(250), today=TODAY)
    assert rapport.bericht == "WMO301"
    assert {f.code for f in rapport.fouten} == {"XSD"}
    assert any("Commentaar" in loc for f in rapport.fouten for loc in f.locaties)


def test_xxe_never_reads_passwd_into_output(tmp_path: Path) -> None:
    for data in (XXE_GENERAL, XXE_ATTRIBUTE, XXE_PARAMETER, XXE_EXTERNAL_DTD, XXE_ERROR_BASED):
        path = tmp_path / "xxe.xml"
        path.write_bytes(data)
        outputs = []
        for argv in (["validate", str(path)], ["validate", "--format", "json", str(path)],
                     ["retour", str(path)]):
            code, out, err = _run_cli(argv)
            assert code == 1
            outputs.append(out + err)
        rapport = validate(data, today=TODAY)
        assert [f.code for f in rapport.fouten] == ["XML"]
        outputs.append(repr(rapport.as_dict()))
        joined = "\n".join(outputs)
        for marker in _passwd_markers():
            assert marker not in joined


def test_doctype_gives_the_same_fault_for_existing_and_missing_files(tmp_path: Path) -> None:
    existing = tmp_path / "geheim.txt"
    existing.write_text("GEHEIM\n")
    missing = tmp_path / "bestaat-niet.txt"
    for template in (b'<!DOCTYPE r SYSTEM "%s"><r/>', b'<!DOCTYPE r [<!ENTITY %% p SYSTEM "%s"> %%p;]><r/>'):
        found = validate(template % existing.as_uri().encode(), today=TODAY).fouten
        not_found = validate(template % missing.as_uri().encode(), today=TODAY).fouten
        assert [f.code for f in found] == [f.code for f in not_found] == ["XML"]
        assert found[0].details == not_found[0].details, "the parser is an oracle for file existence"


def test_doctype_never_opens_a_local_file(tmp_path: Path) -> None:
    if not hasattr(os, "mkfifo"):
        pytest.skip("needs a FIFO")
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    data = b'<!DOCTYPE r SYSTEM "' + fifo.as_uri().encode() + b'"><r/>'
    result: list[object] = []
    worker = threading.Thread(target=lambda: result.append(validate(data, today=TODAY)), daemon=True)
    worker.start()
    worker.join(1.5)
    opened = worker.is_alive()  # blocked in open(): the parser is reading the FIFO
    if opened:  # unblock it: a writer that closes at once gives the reader EOF
        fd = os.open(fifo, os.O_WRONLY | os.O_NONBLOCK)
        os.close(fd)
        worker.join(5)
    assert not opened, "validate() opened the local file named in the DOCTYPE"
    assert [f.code for f in result[0].fouten] == ["XML"]  # type: ignore[attr-defined]


def test_size_limit(tmp_path: Path) -> None:
    data = SAMPLE_301.replace(COMMENTAAR, b"x" * (30 * 1024 * 1024))
    assert len(data) > MAX_BYTES
    rapport = validate(data, today=TODAY)
    assert [f.code for f in rapport.fouten] == ["XML"]
    details = rapport.fouten[0].details
    assert str(MAX_BYTES) in details and str(len(data)) in details and "grens" in details
    with pytest.raises(XmlError, match="grens"):
        parse_xml(data)
    path = tmp_path / "groot.xml"
    path.write_bytes(data)
    code, out, err = _run_cli(["validate", str(path)])
    assert code == 1
    assert "XML" in out and str(MAX_BYTES) in out
    # the limit is configurable, and exactly MAX_BYTES is still allowed
    assert validate(SAMPLE_301, today=TODAY, max_bytes=len(SAMPLE_301)).valid
    small = validate(SAMPLE_301, today=TODAY, max_bytes=len(SAMPLE_301) - 1)
    assert [f.code for f in small.fouten] == ["XML"]


def test_wrong_berichtcode_points_at_the_element() -> None:
    rapport = validate(SAMPLE_301.replace(b">414<", b">415<"), today=TODAY)
    assert rapport.bericht == "WMO301"
    assert [f.code for f in rapport.fouten] == ["XSD"]
    assert rapport.fouten[0].locaties == ["/Bericht/Header/BerichtCode"]
    assert "415" in rapport.fouten[0].details


def test_unknown_namespace_names_the_root() -> None:
    rapport = validate(b'<Bericht xmlns="urn:example:geen-iwmo"/>', today=TODAY)
    assert rapport.bericht is None and rapport.berichtcode is None
    assert [f.code for f in rapport.fouten] == ["XSD"]
    assert "urn:example:geen-iwmo" in rapport.fouten[0].details


def test_other_encodings_are_read() -> None:
    utf16 = SAMPLE_301.decode().replace("encoding='UTF-8'", "encoding='UTF-16'").encode("utf-16")
    assert validate(utf16, today=TODAY).valid
    assert validate(b"\xef\xbb\xbf" + SAMPLE_301, today=TODAY).valid  # UTF-8 byte order mark


# --- files and stdin -------------------------------------------------------------------------------


def test_missing_file_exits_2_with_message_on_stderr(tmp_path: Path) -> None:
    missing = tmp_path / "bestaat-niet.xml"
    code, out, err = _run_cli(["validate", str(missing)])
    assert code == 2
    assert str(missing) in err
    assert "Traceback" not in err
    assert "bestaat-niet.xml" not in out.replace("0 bestand(en)", "")


def test_missing_file_among_valid_files_still_exits_2(tmp_path: Path) -> None:
    good = tmp_path / "goed.xml"
    good.write_bytes(SAMPLE_301)
    code, out, err = _run_cli(["validate", "--today", TODAY.isoformat(), str(good), str(tmp_path / "weg.xml")])
    assert code == 2
    assert "weg.xml" in err
    assert "goed.xml" in out and "geldig" in out


def test_directory_instead_of_file_exits_2(tmp_path: Path) -> None:
    code, out, err = _run_cli(["validate", str(tmp_path)])
    assert code == 2
    assert str(tmp_path) in err


def test_retour_missing_file_exits_2(tmp_path: Path) -> None:
    code, out, err = _run_cli(["retour", str(tmp_path / "weg.xml")])
    assert code == 2
    assert out == "" and "weg.xml" in err


class _Stdin:
    def __init__(self, data: bytes) -> None:
        self.buffer = io.BytesIO(data)


def test_stdin_valid(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("sys.stdin", _Stdin(SAMPLE_305))
    code, out, err = _run_cli(["validate", "--today", TODAY.isoformat(), "-"])
    assert code == 0, out + err
    assert "-: WMO305 (418) geldig" in out


@pytest.mark.parametrize("case", [XML_CASES[0], XML_CASES[6], SCHEMA_CASES[0]], ids=lambda c: c.id)
def test_stdin_bad_input(case: Case, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("sys.stdin", _Stdin(case.data))
    code, out, err = _run_cli(["validate", "--format", "json", "-"])
    assert code == 1
    assert f'"code": "{case.code}"' in out
    assert '"file": "-"' in out


def test_stdin_for_retour(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("sys.stdin", _Stdin(SAMPLE_305))
    code, out, err = _run_cli(["retour", "--today", TODAY.isoformat(), "-"])
    assert code == 0, err
    assert from_xml(out.encode()).type().naam == "WMO306"


# --- schema-valid values that Python cannot represent ---------------------------------------------

UNREPRESENTABLE = {
    "year-10000": SAMPLE_305.replace(b">1948-03-14<", b">10000-03-14<"),
    "negative-year": SAMPLE_305.replace(b">1948-03-14<", b">-1948-03-14<"),
    "time-24:00:00": SAMPLE_301.replace(b">09:30:00<", b">24:00:00<"),
}


@pytest.mark.parametrize("name", list(UNREPRESENTABLE))
def test_validate_never_raises_on_unrepresentable_values(name: str, tmp_path: Path) -> None:
    rapport = validate(UNREPRESENTABLE[name], today=TODAY)
    assert rapport.bericht in ("WMO301", "WMO305")
    path = tmp_path / f"{name}.xml"
    path.write_bytes(UNREPRESENTABLE[name])
    code, out, err = _run_cli(["validate", "--today", TODAY.isoformat(), str(path)])
    assert code in (0, 1)
    assert ("geldig" if code == 0 else "ONGELDIG") in out


@pytest.mark.parametrize("name", list(UNREPRESENTABLE))
def test_cli_retour_never_raises_on_unrepresentable_values(name: str, tmp_path: Path) -> None:
    path = tmp_path / f"{name}.xml"
    path.write_bytes(UNREPRESENTABLE[name])
    code, out, err = _run_cli(["retour", "--today", TODAY.isoformat(), str(path)])
    assert code in (0, 1)
    if code:
        assert err.strip()


@pytest.mark.parametrize(("name", "regel"), [("year-10000", "TR134"), ("negative-year", "TR002")])
def test_out_of_range_birth_dates_break_the_date_rules(name: str, regel: str) -> None:
    rapport = validate(UNREPRESENTABLE[name], today=TODAY)
    assert regel in {f.code for f in rapport.fouten}, [f.as_dict() for f in rapport.fouten]


# --- dates at the edges of xs:date (issue 15: a Dagtekening in the year 0100 crashed TR002) -----------

ALLE_BERICHTEN = [b.naam for b in BERICHTEN.values()]
RANDDATUMS = ["0100-01-01", "0001-01-01", "0004-02-29", "0005-03-01", "9999-12-31", "-0044-03-15", "10000-01-01"]


def _met_dagtekening(bericht: str, datum: str) -> bytes:
    root = etree.fromstring(to_xml(sample(bericht, today=TODAY)))  # type: ignore[arg-type]
    for el in root.iter("{*}Dagtekening", "{*}DeclaratieDagtekening"):
        el.text = datum
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


@pytest.mark.parametrize("datum", RANDDATUMS)
@pytest.mark.parametrize("bericht", ALLE_BERICHTEN)
def test_every_date_rule_takes_the_whole_xs_date_range(bericht: str, datum: str, tmp_path: Path) -> None:
    """A schema-valid message whose Dagtekening lies anywhere in the xs:date range gets a verdict,
    from validate() and from the command line, never a traceback."""
    data = _met_dagtekening(bericht, datum)
    rapport = validate(data, today=TODAY)
    assert rapport.bericht == bericht
    assert not [f for f in rapport.fouten if f.code in ("XML", "XSD")], [f.as_dict() for f in rapport.fouten]
    path = tmp_path / "bericht.xml"
    path.write_bytes(data)
    code, out, err = _run_cli(["validate", "--today", TODAY.isoformat(), str(path)])
    assert code in (0, 1) and not err, err


def test_year_0100_dagtekening_judges_the_birth_date() -> None:
    """Dagtekening 0100-01-01: the client born in 1948 is born after it (TR134); TR002 (at most 120 years
    before the Dagtekening) has its bound before the year 1 and does not fire."""
    fouten = validate(_met_dagtekening("WMO301", "0100-01-01"), today=TODAY).fouten
    codes = {f.code for f in fouten}
    assert "TR134" in codes and "TR002" not in codes, [f.as_dict() for f in fouten]


@pytest.mark.parametrize(("begin", "eind", "fout"), [("9999-12-01", "9999-12-31", False),
                                                     ("9999-12-01", "9999-12-30", True),
                                                     ("10000-01-01", "10000-01-31", True)])
def test_a_declaratieperiode_in_the_last_month_of_9999(begin: str, eind: str, fout: bool) -> None:
    """CS340 (one whole calendar month) in December 9999 and beyond: a verdict, no overflow."""
    root = etree.fromstring(to_xml(sample("WMO323", today=TODAY)))
    periode = next(root.iter("{*}DeclaratiePeriode"))
    periode[0].text, periode[1].text = begin, eind
    rapport = validate(etree.tostring(root), today=TODAY)
    assert not [f for f in rapport.fouten if f.code == "XSD"]
    assert ("CS340" in {f.code for f in rapport.fouten}) is fout, [f.as_dict() for f in rapport.fouten]


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero here")
def test_an_endless_device_is_read_up_to_the_cap_only() -> None:
    code, out, _ = _run_cli(["validate", "/dev/zero"])
    assert code == 1 and "XML" in out and str(MAX_BYTES) in out
