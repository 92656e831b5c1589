"""What a code means (iwmo.uitleg, ``iwmo code``): retourcodes with the rule behind them, the validator's
rules, cross-message rules through their retourcode, the hub's foutcodes, and the other code lists."""

from __future__ import annotations

import json

from iwmo import codelijsten
from iwmo.regels import REGELS
from iwmo.uitleg import HUB_FOUTCODES, betekenis, uitleg
from tests.unit.test_cli import run


def test_a_retourcode_with_its_rule() -> None:
    [u] = uitleg("9069", alle_lijsten=False)
    assert (u.soort, u.bron) == ("retourcode", "WJ001")
    assert u.betekenis == codelijsten.betekenis("WJ001", "9069")
    assert u.extra == [f"regel {codelijsten.retourcode_regel('9069')} (berichtoverstijgend: de ontvanger toetst haar)"]


def test_a_rule_of_the_validator_and_a_cross_message_rule() -> None:
    r = next(r for r in REGELS if r.code.startswith("TR") and r.retourcode)
    [u] = uitleg(r.code.lower())
    assert (u.code, u.soort, u.betekenis) == (r.code, "regel", r.omschrijving)
    assert f"retourcode {r.retourcode}: {codelijsten.betekenis('WJ001', r.retourcode)}" in u.extra
    [tr304] = uitleg("TR304")
    assert tr304.betekenis == codelijsten.betekenis("WJ001", "8187") and tr304.extra == ["retourcode 8187"]


def test_hub_codes_and_code_lists() -> None:
    assert betekenis("IB010") == HUB_FOUTCODES["IB010"] and "VECOZO" in HUB_FOUTCODES["IB010"]
    soorten = {(u.soort, u.bron.split(",")[0]) for u in uitleg("2")}
    assert ("codelijst", "WMO757") in soorten and ("codelijst", "COD046") in soorten
    assert uitleg("XYZ") == [] and betekenis("XYZ") is None


def test_the_command(tmp_path: object) -> None:
    rc, out, _ = run("code", "9069", "IB005")
    assert rc == 0
    assert out.splitlines()[0] == f"9069  retourcode (WJ001): {codelijsten.betekenis('WJ001', '9069')}"
    assert f"IB005  hubfout (de hub): {HUB_FOUTCODES['IB005']}" in out
    rc, out, _ = run("code", "8001", "ZZ99", "--json")
    assert rc == 1  # one code is unknown
    data = json.loads(out)
    assert data["ZZ99"] == [] and data["8001"][0]["betekenis"] == codelijsten.betekenis("WJ001", "8001")
