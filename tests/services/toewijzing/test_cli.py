"""``iwmo gemeente``: the gemeente's back office from the command line, against a live toewijzing service
(no hub behind it: its WMO301s wait in the outbox, which ``wachtend`` shows)."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from iwmo.cli import main
from services.toewijzing.app import create_app
from services.toewijzing.settings import ToewijzingSettings
from tests.live import free_port, live_server
from tests.services.toewijzing.test_beschikking import CLIENT, UREN

TOKEN = "gemeente-cli-token-0123456789"
BESCHIKKING = {"client": CLIENT, "besluitdatum": "2026-11-20", "voorzieningen": [UREN]}


@pytest.fixture
def dienst(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """The service on a free port, and a tokens file as ``make run`` writes it."""
    poort = free_port()
    app = create_app(ToewijzingSettings(database_url=f"sqlite:///{tmp_path}/toewijzing.db", gemeente="0363",
                                        hub_url=f"http://127.0.0.1:{free_port()}", hub_token="x", poll_seconds=0,
                                        api_tokens={"medewerker": TOKEN}))
    tokens = tmp_path / "api-tokens.json"
    tokens.write_text(json.dumps({"toewijzing": {"medewerker": TOKEN}}))
    with live_server(app, port=poort) as url:
        yield url, tokens


def run(dienst: tuple[str, Path], *argv: str, stdin: str | None = None) -> tuple[int, str, str]:
    url, tokens = dienst
    out, err = io.StringIO(), io.StringIO()
    args = ["gemeente", *argv, "--url", url, "--tokens", str(tokens)]
    if stdin is None:
        return main(args, out, err), out.getvalue(), err.getvalue()
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr("sys.stdin", io.StringIO(stdin))
        return main(args, out, err), out.getvalue(), err.getvalue()


def _beschik(dienst: tuple[str, Path], tmp_path: Path, beschikking: dict[str, Any] = BESCHIKKING) -> int:
    bestand = tmp_path / "beschikking.json"
    bestand.write_text(json.dumps(beschikking))
    code, out, err = run(dienst, "beschik", str(bestand), "--json")
    assert code == 0, err
    return int(json.loads(out)["toewijzingen"][-1]["toewijzingnummer"])


YAML = """\
client: {bsn: "999990019", geboortedatum: 1948-03-14, geslacht: "2", achternaam: Jansen,
         postcode: 1011AB, huisnummer: 12}
besluitdatum: 2026-11-20
voorzieningen:
  - {wijze: uren, categorie: "01", code: 01A01, aanbieder: "12345678", ingangsdatum: 2026-12-01,
     einddatum: 2027-11-30, omvang: {volume: 3, eenheid: "04", frequentie: "2"}}
"""


def test_beschik_from_yaml_on_stdin_and_see_the_client(dienst: tuple[str, Path]) -> None:
    code, out, err = run(dienst, "beschik", "-", stdin=YAML)
    assert code == 0, err
    assert "Beschikking 1 vastgelegd" in out and "3 uur per week" in out and "nog geen antwoord" in out
    code, out, _ = run(dienst, "client", CLIENT["bsn"])
    assert code == 0 and out.startswith("Jansen (BSN 999990019)")
    assert "WMO301" in out and "te-verzenden" in out  # no hub: it waits
    code, out, err = run(dienst, "client", "999990032")
    assert code == 1 and "404" in err


def test_lists_as_tables_and_as_json(dienst: tuple[str, Path], tmp_path: Path) -> None:
    nummer = _beschik(dienst, tmp_path)
    code, out, _ = run(dienst, "clienten")
    assert code == 0
    kop, streep, rij = out.splitlines()
    assert kop.split() == ["id", "bsn", "naam", "toewijzingen", "actueel", "aanbieders"]
    assert rij.split() == ["1", CLIENT["bsn"], "Jansen", "1", "1", "12345678"]
    code, out, _ = run(dienst, "clienten", "--json", "--aanbieder", "87654321")
    assert code == 0 and json.loads(out) == {"items": [], "volgende": None}
    code, out, _ = run(dienst, "toewijzingen", "--product", "01A01", "--actief-op", "2026-12-15", "--json")
    assert [t["toewijzingnummer"] for t in json.loads(out)["items"]] == [nummer]
    code, out, _ = run(dienst, "toewijzingen", "--wijze", "resultaat")
    assert code == 0 and len(out.splitlines()) == 2  # a header and a rule: none
    code, out, _ = run(dienst, "wachtend")
    assert code == 0 and "WMO301" in out and "wacht:" in out


def test_paging_says_how_to_go_on(dienst: tuple[str, Path], tmp_path: Path) -> None:
    _beschik(dienst, tmp_path)
    _beschik(dienst, tmp_path, {**BESCHIKKING, "client": {**CLIENT, "bsn": "999990020"}})
    code, out, err = run(dienst, "clienten", "--limit", "1")
    assert code == 0 and len(out.splitlines()) == 3 and "meer: --na 1" in err
    code, out, err = run(dienst, "clienten", "--limit", "1", "--alle")
    assert code == 0 and len(out.splitlines()) == 4 and err == ""


def test_verwijder_and_export(dienst: tuple[str, Path], tmp_path: Path) -> None:
    nummer = _beschik(dienst, tmp_path)
    code, out, _ = run(dienst, "export")
    rijen = list(csv.DictReader(io.StringIO(out)))
    assert code == 0 and [(r["toewijzingnummer"], r["bsn"]) for r in rijen] == [(str(nummer), CLIENT["bsn"])]
    code, out, err = run(dienst, "verwijder", str(nummer))
    assert code == 0, err
    assert f"Toewijzing {nummer} verwijderd" in out
    uit = tmp_path / "toewijzingen.csv"
    code, out, err = run(dienst, "export", "--zonder-bsn", "--uit", str(uit))
    assert code == 0 and out == "" and f"1 toewijzingen naar {uit}" in err
    assert CLIENT["bsn"] not in uit.read_text() and "reden_wijziging" in uit.read_text()
    code, out, err = run(dienst, "verwijder", "999")
    assert code == 1 and "404" in err


def test_no_token_or_no_service_is_exit_2(dienst: tuple[str, Path], tmp_path: Path) -> None:
    url, _ = dienst
    leeg = tmp_path / "leeg.json"
    leeg.write_text("{}")
    code, _, err = run((url, leeg), "clienten")
    assert code == 2 and "geen API-token" in err
    code, _, err = run((f"http://127.0.0.1:{free_port()}", dienst[1]), "clienten")
    assert code == 2 and "niet bereikbaar" in err
    fout = tmp_path / "fout.json"
    fout.write_text("{niet: [json")
    code, _, err = run(dienst, "beschik", str(fout))
    assert code == 2 and "geen JSON of YAML" in err
    code, _, err = run(dienst, "clienten", "--token", "een-verkeerd-token-van-lengte")
    assert code == 1 and "401" in err
