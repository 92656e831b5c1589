"""The ``iwmo`` command line: validate (text and JSON), sample, retour, regels, berichten."""

from __future__ import annotations

import datetime as dt
import importlib.metadata
import io
import json
import subprocess
import sys
from importlib.metadata import EntryPoint, entry_points
from pathlib import Path

import pytest

from iwmo.berichten import MODELS
from iwmo.catalogue import BERICHTEN, bericht, heenberichten
from iwmo.cli import PLUGIN_GROUP, main
from iwmo.regels import REGELS
from iwmo.samples import VARIANTS, sample
from iwmo.validation import validate
from iwmo.xml import from_xml, to_xml
from tests.conftest import TODAY

RAPPORT_KEYS = {"file", "bericht", "berichtcode", "valid", "fouten", "weggelaten", "weggelaten_per_code"}
FOUT_KEYS = {"code", "locaties", "retourcode", "details"}
SUBCOMMANDS = ["validate", "sample", "retour", "regels", "berichten"]


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), out, err)
    return code, out.getvalue(), err.getvalue()


def write(tmp_path: Path, name: str, data: bytes) -> str:
    path = tmp_path / name
    path.write_bytes(data)
    return str(path)


def sample_bytes(naam: str, variant: str = "uren", today: dt.date = TODAY) -> bytes:
    return to_xml(sample(naam, variant, today=today))  # type: ignore[arg-type]


def bad_bsn(naam: str = "WMO305") -> bytes:
    """A schema-valid message that breaks CS002 (the BSN fails the 11-proef)."""
    m = sample(naam, today=TODAY)
    m.client.bsn = "123456789"  # type: ignore[attr-defined]
    return to_xml(m)


# --- validate --format json ----------------------------------------------------------------------


def test_json_one_object_per_file_in_input_order(tmp_path: Path) -> None:
    files = [
        write(tmp_path, "a-geldig.xml", sample_bytes("WMO301")),
        write(tmp_path, "b-bsn.xml", bad_bsn()),
        write(tmp_path, "c-leeg.xml", b""),
        write(tmp_path, "d-geldig.xml", sample_bytes("WMO323", "resultaat")),
        write(tmp_path, "e-xsd.xml", sample_bytes("WMO319").replace(b">482<", b">999<")),
    ]
    # not sorted: the report follows the order of the arguments
    order = [files[3], files[1], files[0], files[4], files[2]]
    code, out, err = run("validate", "--format", "json", "--today", TODAY.isoformat(), *order)
    assert code == 1
    assert err == ""
    rapporten = json.loads(out)  # exactly one JSON document
    assert isinstance(rapporten, list)
    assert [r["file"] for r in rapporten] == order
    for r in rapporten:
        assert set(r) == RAPPORT_KEYS
        assert isinstance(r["fouten"], list)
        assert r["valid"] is (r["fouten"] == [])
        for f in r["fouten"]:
            assert set(f) == FOUT_KEYS
            assert isinstance(f["locaties"], list)
            assert isinstance(f["details"], str) and f["details"]
    by_file = {Path(r["file"]).name: r for r in rapporten}
    assert by_file["a-geldig.xml"]["valid"] is True
    assert (by_file["a-geldig.xml"]["bericht"], by_file["a-geldig.xml"]["berichtcode"]) == ("WMO301", "414")
    assert by_file["d-geldig.xml"]["valid"] is True
    assert [f["code"] for f in by_file["b-bsn.xml"]["fouten"]] == ["CS002"]
    assert by_file["b-bsn.xml"]["fouten"][0]["locaties"] == ["/Bericht/Client/Bsn"]
    assert by_file["b-bsn.xml"]["fouten"][0]["retourcode"] == "0001"
    assert [f["code"] for f in by_file["c-leeg.xml"]["fouten"]] == ["XML"]
    assert by_file["c-leeg.xml"]["bericht"] is None and by_file["c-leeg.xml"]["berichtcode"] is None
    assert {f["code"] for f in by_file["e-xsd.xml"]["fouten"]} == {"XSD"}
    assert by_file["e-xsd.xml"]["fouten"][0]["retourcode"] is None


def test_json_all_valid_exits_0(tmp_path: Path) -> None:
    files = [write(tmp_path, f"{n}.xml", sample_bytes(n)) for n in MODELS]
    code, out, _ = run("validate", "--format", "json", "--today", TODAY.isoformat(), *files)
    assert code == 0
    rapporten = json.loads(out)
    assert len(rapporten) == len(MODELS)
    assert all(r["valid"] and r["fouten"] == [] for r in rapporten)
    assert [r["bericht"] for r in rapporten] == list(MODELS)
    assert [r["berichtcode"] for r in rapporten] == [b.code for b in BERICHTEN.values()]


def test_json_output_matches_the_library(tmp_path: Path) -> None:
    data = bad_bsn("WMO307")
    path = write(tmp_path, "x.xml", data)
    _, out, _ = run("validate", "--format", "json", "--today", TODAY.isoformat(), path)
    assert json.loads(out) == [validate(data, today=TODAY, file=path).as_dict()]


def test_one_invalid_file_among_valid_ones_exits_1(tmp_path: Path) -> None:
    good = write(tmp_path, "goed.xml", sample_bytes("WMO305"))
    bad = write(tmp_path, "fout.xml", bad_bsn())
    assert run("validate", "--today", TODAY.isoformat(), good)[0] == 0
    assert run("validate", "--today", TODAY.isoformat(), good, bad)[0] == 1
    assert run("validate", "--today", TODAY.isoformat(), bad, good)[0] == 1


# --- --today and TR135 ------------------------------------------------------------------------------


@pytest.mark.parametrize("naam", ["WMO301", "WMO305", "WMO319", "WMO323", "WMO325"])
def test_today_decides_tr135(naam: str, tmp_path: Path) -> None:
    path = write(tmp_path, f"{naam}.xml", sample_bytes(naam))  # Dagtekening == TODAY
    yesterday = (TODAY - dt.timedelta(days=1)).isoformat()

    code, out, _ = run("validate", "--format", "json", "--today", TODAY.isoformat(), path)
    assert code == 0, out
    code, out, _ = run("validate", "--format", "json", "--today", (TODAY + dt.timedelta(days=30)).isoformat(), path)
    assert code == 0, out

    code, out, _ = run("validate", "--format", "json", "--today", yesterday, path)
    assert code == 1
    [rapport] = json.loads(out)
    tr135 = [f for f in rapport["fouten"] if f["code"] == "TR135"]
    assert len(tr135) == (2 if naam == "WMO323" else 1), rapport  # a WMO323 has its DeclaratieDagtekening too
    assert tr135[0]["retourcode"] == "8848"
    assert tr135[0]["locaties"] == ["/Bericht/Header/BerichtIdentificatie/Dagtekening"]
    assert TODAY.isoformat() in tr135[0]["details"] and yesterday in tr135[0]["details"]


def test_today_in_text_format(tmp_path: Path) -> None:
    future = sample_bytes("WMO319", today=TODAY + dt.timedelta(days=1))
    path = write(tmp_path, "toekomst.xml", future)
    code, out, _ = run("validate", "--today", TODAY.isoformat(), path)
    assert code == 1
    assert "TR135 [retourcode 8848]" in out


@pytest.mark.parametrize("bad", ["2026-13-01", "morgen", "23-11-2026"])
def test_bad_today_is_a_usage_error(bad: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path, "x.xml", sample_bytes("WMO301"))
    code, out, _ = run("validate", "--today", bad, path)
    assert code == 2
    assert out == ""
    assert "YYYY-MM-DD" in capsys.readouterr().err


# --- validate, text format --------------------------------------------------------------------------


def test_text_shows_rule_code_and_locations(tmp_path: Path) -> None:
    path = write(tmp_path, "bsn.xml", bad_bsn())
    code, out, err = run("validate", "--today", TODAY.isoformat(), path)
    assert code == 1
    assert err == ""
    assert f"{path}: WMO305 (418) ONGELDIG, 1 fout" in out
    assert "CS002 [retourcode 0001]" in out
    assert "/Bericht/Client/Bsn" in out
    assert "1 bestand(en): 0 geldig, 1 ongeldig" in out


def test_text_valid_file(tmp_path: Path) -> None:
    path = write(tmp_path, "ok.xml", sample_bytes("WMO317", "resultaat"))
    code, out, _ = run("validate", "--today", TODAY.isoformat(), path)
    assert code == 0
    assert f"{path}: WMO317 (480) geldig" in out
    assert "1 bestand(en): 1 geldig, 0 ongeldig" in out


def test_text_xsd_fault_shows_location(tmp_path: Path) -> None:
    path = write(tmp_path, "code.xml", sample_bytes("WMO301").replace(b">414<", b">415<"))
    code, out, _ = run("validate", path)
    assert code == 1
    assert "XSD" in out and "/Bericht/Header/BerichtCode" in out


def test_text_lists_several_locations(tmp_path: Path) -> None:
    m = sample("WMO305", today=TODAY)
    m.client.start_producten[0].begindatum = TODAY + dt.timedelta(days=3)  # type: ignore[attr-defined]
    path = write(tmp_path, "tr134.xml", to_xml(m))
    code, out, _ = run("validate", "--today", TODAY.isoformat(), path)
    assert code == 1
    assert "TR134" in out
    assert "/Bericht/Client/StartProducten/StartProduct/Begindatum" in out
    assert "/Bericht/Header/BerichtIdentificatie/Dagtekening" in out


# --- sample -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("variant", VARIANTS)
@pytest.mark.parametrize("naam", list(MODELS))
def test_sample_prints_a_valid_message(naam: str, variant: str) -> None:
    code, out, err = run("sample", naam, "--variant", variant, "--today", TODAY.isoformat())
    assert code == 0 and err == ""
    data = out.encode("utf-8")
    assert data.startswith(b"<?xml")
    rapport = validate(data, today=TODAY)
    assert rapport.valid, [f.as_dict() for f in rapport.fouten]
    assert rapport.bericht == naam
    assert from_xml(data).header.bericht_identificatie.dagtekening == TODAY  # type: ignore[attr-defined]
    assert data == sample_bytes(naam, variant)


@pytest.mark.parametrize("alias", ["301", "wmo301", "Wmo301"])
def test_sample_accepts_short_names(alias: str) -> None:
    code, out, _ = run("sample", alias, "--today", TODAY.isoformat())
    assert code == 0
    assert from_xml(out.encode()).type().naam == "WMO301"


def test_sample_default_today_is_today() -> None:
    code, out, _ = run("sample", "WMO319")
    assert code == 0
    assert from_xml(out.encode()).header.bericht_identificatie.dagtekening == dt.date.today()  # type: ignore[attr-defined]


@pytest.mark.parametrize("naam", ["WMO999", "WMO303", "JW301", "", "abc"])
def test_sample_unknown_bericht_exits_2(naam: str) -> None:
    code, out, err = run("sample", naam)
    assert code == 2
    assert out == ""
    assert "onbekend bericht" in err


def test_sample_bad_variant_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run("sample", "WMO301", "--variant", "dagen")
    assert code == 2 and out == ""
    assert "variant" in capsys.readouterr().err


# --- retour -------------------------------------------------------------------------------------------


def test_two_retours_made_at_once_have_their_own_identificatie(tmp_path: Path) -> None:
    path = write(tmp_path, "WMO305.xml", sample_bytes("WMO305", "uren"))
    idents = set()
    for _ in range(5):  # within one second: by the clock they would collide at the hub (BRS20)
        code, out, err = run("retour", "--today", TODAY.isoformat(), path)
        assert code == 0, err
        ident = from_xml(out.encode("utf-8")).header.identificatie_retour  # type: ignore[attr-defined]
        assert 1 <= len(ident) <= 12
        idents.add(ident)
    assert len(idents) == 5


@pytest.mark.parametrize("variant", VARIANTS)
@pytest.mark.parametrize("naam", [b.naam for b in heenberichten()])
def test_retour_on_a_valid_sample(naam: str, variant: str, tmp_path: Path) -> None:
    path = write(tmp_path, f"{naam}.xml", sample_bytes(naam, variant))
    code, out, err = run("retour", "--today", TODAY.isoformat(), "--identificatie", "RET-1", path)
    assert code == 0, err
    data = out.encode("utf-8")
    partner = bericht(naam).partner
    antwoord = from_xml(data)
    assert antwoord.type().naam == partner
    assert isinstance(antwoord, MODELS[partner])
    rapport = validate(data, today=TODAY)
    assert rapport.valid, [f.as_dict() for f in rapport.fouten]
    header = antwoord.header  # type: ignore[attr-defined]
    if partner == "WMO325":
        assert header.retourcodes == ["0200"]
        assert header.bericht_identificatie.identificatie == "RET-1"
        assert antwoord.declaratie_antwoord.retourcodes == ["8001"]  # type: ignore[attr-defined]
    else:
        assert header.retourcodes == []  # no faults: only the header, without RetourCodes
        assert header.identificatie_retour == "RET-1"
        assert header.dagtekening_retour == TODAY
        assert [f for f in vars(antwoord) if getattr(antwoord, f) is not None] == ["header"]


def test_retour_on_official_wmo317(reference: Path, tmp_path: Path) -> None:
    path = reference / "voorbeeldberichten" / "WMO317.xml"
    if not path.is_file():
        pytest.skip(f"{path} not present")
    code, out, err = run("retour", "--today", TODAY.isoformat(), str(path))
    assert code == 0, err
    data = out.encode("utf-8")
    antwoord = from_xml(data)
    assert antwoord.type().naam == "WMO318"
    header = antwoord.header  # type: ignore[attr-defined]
    assert header.retourcodes == ["0001"]
    assert header.xslt_versie  # XsltVersie filled in for a rejection on message rules
    assert header.bericht_code == "481"
    assert antwoord.client is None  # type: ignore[attr-defined]
    heen = from_xml(path.read_bytes())
    assert header.bericht_identificatie == heen.header.bericht_identificatie  # type: ignore[attr-defined]
    assert (header.afzender, header.ontvanger) == (heen.header.afzender, heen.header.ontvanger)  # type: ignore[attr-defined]
    assert b"<wmo318:XsltVersie>" in data and b"<wmo318:RetourCode>0001</wmo318:RetourCode>" in data
    assert validate(data, today=TODAY).valid


@pytest.mark.parametrize(("fout", "melding"), [
    ("XYZ1:/Bericht/Client", "geen RetourCode"),
    ("9063:/Bericht/Client/StartProducten/StartProduct[2]", "komt in het bericht niet voor"),
    ("9063", "CODE:XPATH"),
])
def test_retour_refuses_a_fault_it_cannot_place(fout: str, melding: str, tmp_path: Path) -> None:
    path = write(tmp_path, "305.xml", sample_bytes("WMO305"))
    code, out, err = run("retour", "--today", TODAY.isoformat(), "--fout", fout, path)
    assert (code, out) == (2, "") and melding in err


def test_retour_fout_on_start_product(tmp_path: Path) -> None:
    path = write(tmp_path, "305.xml", sample_bytes("WMO305"))
    code, out, err = run("retour", "--today", TODAY.isoformat(),
                         "--fout", "9063:/Bericht/Client/StartProducten/StartProduct", path)
    assert code == 0, err
    antwoord = from_xml(out.encode())
    assert antwoord.type().naam == "WMO306"
    client = antwoord.client  # type: ignore[attr-defined]
    assert antwoord.header.retourcodes == ["0200"]  # type: ignore[attr-defined]
    assert client.retourcodes == ["0200"]
    assert client.start_producten[0].retourcodes == ["9063"]
    assert antwoord.header.xslt_versie is None  # type: ignore[attr-defined]
    assert validate(out.encode(), today=TODAY).valid


def test_retour_fout_on_the_header(tmp_path: Path) -> None:
    path = write(tmp_path, "301.xml", sample_bytes("WMO301"))
    code, out, err = run("retour", "--today", TODAY.isoformat(), "--fout", "8848:/Bericht/Header", path)
    assert code == 0, err
    antwoord = from_xml(out.encode())
    assert antwoord.header.retourcodes == ["8848"]  # type: ignore[attr-defined]
    assert antwoord.client is None  # type: ignore[attr-defined]


def test_retour_with_tr135_from_today(tmp_path: Path) -> None:
    path = write(tmp_path, "301.xml", sample_bytes("WMO301"))
    yesterday = (TODAY - dt.timedelta(days=1)).isoformat()
    code, out, err = run("retour", "--today", yesterday, path)
    assert code == 0, err
    antwoord = from_xml(out.encode())
    assert antwoord.header.retourcodes == ["8848"]  # type: ignore[attr-defined]
    assert antwoord.header.dagtekening_retour.isoformat() == yesterday  # type: ignore[attr-defined]


@pytest.mark.parametrize("fout", ["9063", "9063:Bericht/Client", ":/Bericht/Client", "geen-fout"])
def test_retour_bad_fout_syntax_exits_2(fout: str, tmp_path: Path) -> None:
    path = write(tmp_path, "305.xml", sample_bytes("WMO305"))
    code, out, err = run("retour", "--fout", fout, path)
    assert code == 2
    assert out == ""
    assert "CODE:XPATH" in err


def test_retour_on_xsd_invalid_file_prints_nothing(tmp_path: Path) -> None:
    path = write(tmp_path, "xsd.xml", sample_bytes("WMO301").replace(b">414<", b">415<"))
    code, out, err = run("retour", "--today", TODAY.isoformat(), path)
    assert code == 1
    assert out == ""
    assert "XSD" in err and "geen retourbericht" in err


def test_retour_on_xml_garbage_prints_nothing(tmp_path: Path) -> None:
    path = write(tmp_path, "rommel.xml", b"\x00\x01 geen xml")
    code, out, err = run("retour", path)
    assert code == 1
    assert out == ""
    assert "XML" in err


@pytest.mark.parametrize("naam", ["WMO302", "WMO325"])
def test_retour_on_a_retourbericht_exits_2(naam: str, tmp_path: Path) -> None:
    path = write(tmp_path, f"{naam}.xml", sample_bytes(naam))
    code, out, err = run("retour", "--today", TODAY.isoformat(), path)
    assert code == 2
    assert out == ""
    assert "retourbericht" in err


# --- regels, berichten, help --------------------------------------------------------------------------


def test_regels_lists_every_rule() -> None:
    code, out, err = run("regels")
    assert code == 0 and err == ""
    lines = out.splitlines()
    assert len(lines) == len(REGELS)
    codes = [line.split()[0] for line in lines]
    assert codes == sorted(codes)
    for needed in ("CS002", "TR135", "TR101", "CD085"):
        assert needed in codes
    tr135 = next(line for line in lines if line.startswith("TR135"))
    assert "8848" in tr135


@pytest.mark.parametrize("naam", ["WMO319", "319", "WMO302"])
def test_regels_for_one_bericht(naam: str) -> None:
    code, out, _ = run("regels", "--bericht", naam)
    assert code == 0
    expected = sorted(r.code for r in REGELS if bericht(naam).naam in r.berichten)
    assert [line.split()[0] for line in out.splitlines()] == expected


def test_regels_unknown_bericht_exits_2() -> None:
    code, out, err = run("regels", "--bericht", "WMO999")
    assert code == 2
    assert "onbekend bericht" in err


def test_berichten_lists_all_14() -> None:
    code, out, err = run("berichten")
    assert code == 0 and err == ""
    lines = out.splitlines()
    assert len(lines) == 14
    for line, b in zip(lines, BERICHTEN.values(), strict=True):
        assert line.split()[:3] == [b.naam, b.code, b.soort]
        assert f"partner {b.partner}" in line


@pytest.mark.parametrize("sub", SUBCOMMANDS)
def test_help_of_each_subcommand_exits_0(sub: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, _ = run(sub, "--help")
    assert code == 0
    assert "usage: iwmo " + sub in capsys.readouterr().out


def test_top_level_help_and_version(capsys: pytest.CaptureFixture[str]) -> None:
    assert run("--help")[0] == 0
    help_text = capsys.readouterr().out
    for sub in SUBCOMMANDS:
        assert sub in help_text
    assert run("--version")[0] == 0
    assert capsys.readouterr().out.startswith("iwmo ")


@pytest.mark.parametrize("argv", [[], ["onbekend"], ["validate"], ["sample"], ["retour"]])
def test_usage_errors_exit_2(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(*argv)
    assert code == 2
    assert out == ""
    assert "usage:" in capsys.readouterr().err


# --- commands of the hub and the services: entry points, loaded only when used ---------------------------

HEAVY = ("fastapi", "sqlalchemy", "uvicorn", "alembic", "httpx", "starlette", "pydantic_settings", "yaml",
         "holidays")


def _loaded_after_main(*argv: str) -> set[str]:
    """The top-level packages a fresh interpreter has loaded after ``iwmo.cli.main(argv)``."""
    script = ("import io, json, sys, iwmo.cli\n"
              f"iwmo.cli.main({list(argv)!r}, io.StringIO(), io.StringIO())\n"
              "print(json.dumps(sorted({m.split('.')[0] for m in sys.modules})))")
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True).stdout
    return set(json.loads(out.splitlines()[-1]))


def test_validate_loads_neither_the_hub_nor_the_services(tmp_path: Path) -> None:
    loaded = _loaded_after_main("validate", write(tmp_path, "a.xml", sample_bytes("WMO301")))
    assert not loaded & {*HEAVY, "gateway", "services"}, loaded & {*HEAVY, "gateway", "services"}


def test_validate_of_one_file_loads_nothing_slow_it_does_not_need(tmp_path: Path) -> None:
    """Start-up: python-stdnum (25-45 ms), secrets (hashlib), logging and the process pool stay unloaded."""
    loaded = _loaded_after_main("validate", write(tmp_path, "a.xml", sample_bytes("WMO301")))
    assert not loaded & {"stdnum", "secrets", "logging", "concurrent", "multiprocessing"}


def test_help_lists_every_installed_command_without_loading_it(capsys: pytest.CaptureFixture[str]) -> None:
    plugins = {ep.name for ep in entry_points(group=PLUGIN_GROUP)}
    assert plugins >= {"gateway", "aanbieder", "suite", "migrate", "scenario"}  # this checkout installs them all
    assert run("--help")[0] == 0
    listed = {line.split()[0] for line in capsys.readouterr().out.splitlines() if line.startswith("    ")}
    assert listed >= set(SUBCOMMANDS) | plugins
    assert not _loaded_after_main("--help") & set(HEAVY)
    assert "usage: iwmo gateway" in subprocess.run([sys.executable, "-m", "iwmo", "gateway", "--help"],
                                                    capture_output=True, text=True, check=True).stdout


def test_a_command_whose_package_is_gone_is_not_listed(monkeypatch: pytest.MonkeyPatch,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    weg = EntryPoint("weg", "niet_geinstalleerd.commands", PLUGIN_GROUP)
    monkeypatch.setattr(importlib.metadata, "entry_points", lambda group: [weg] if group == PLUGIN_GROUP else [])
    assert run("--help")[0] == 0
    help_text = capsys.readouterr().out
    assert "weg" not in help_text and "gateway" not in help_text and "validate" in help_text
    assert run("gateway", "serve")[0] == 2  # not a command here


def test_the_command_ends_at_once_with_all_its_output_and_its_code(tmp_path: Path) -> None:
    """``iwmo validate`` (and the library's other commands) end with os._exit once their output is flushed
    (the interpreter's teardown cost a fifth of its start-up): nothing of the output may be lost, the
    exit code is main's, also on the process pool's path (60 files) and when the reader goes away."""
    for i in range(60):
        (tmp_path / f"m{i:02d}.xml").write_bytes(to_xml(sample("WMO301", today=TODAY)) if i != 41 else b"<kapot")
    proces = subprocess.run([sys.executable, "-m", "iwmo", "validate", "--format", "json",
                             *sorted(str(p) for p in tmp_path.glob("*.xml"))], capture_output=True, text=True)
    assert proces.returncode == 1, proces.stderr
    rapporten = json.loads(proces.stdout)
    assert [Path(r["file"]).name for r in rapporten] == [f"m{i:02d}.xml" for i in range(60)]
    assert [r["valid"] for r in rapporten].count(False) == 1 and not rapporten[41]["valid"]
    assert subprocess.run([sys.executable, "-m", "iwmo", "sample", "WMO399"], capture_output=True).returncode == 2
    # a reader that stops early: no traceback, no "Exception ignored" on stderr
    keten = subprocess.run(f"{sys.executable} -m iwmo sample WMO301 | head -c 10", shell=True, capture_output=True,
                           text=True)
    assert keten.stdout == "<?xml vers" and keten.stderr == ""
