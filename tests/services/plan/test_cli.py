"""``iwmo plan``: policy staff compute a plan file against a normenkader file, and ask for the bezwaar term."""

from __future__ import annotations

import io
import json
from pathlib import Path

from iwmo.cli import main
from services.plan.domain.normenkader import DEMO

VOORBEELD = DEMO.parent / "plan-voorbeeld.yaml"


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    return main(list(argv), out, err), out.getvalue(), err.getvalue()


def test_bereken_prints_each_activity_and_the_totals() -> None:
    code, out, _err = run("plan", "bereken", str(DEMO), str(VOORBEELD))
    assert code == 0
    # the example: afstoffen weekly (+520), grote schoonmaak per kwartaal (+210), ramen dropped (-300),
    # an extra room in use (+960): 6480 + 520 + 210 - 300 + 960 = 7870 minutes a year
    assert "Totaal per jaar: 7870 minuten (131 uur en 10 minuten)" in out
    assert "Totaal per week: 152 minuten (2 uur en 32 minuten); exact 3935/26" in out  # 151.35 rounded up
    assert "(LAGER" not in out and "Let op: dit plan geeft ergens minder tijd" in out  # the dropped activity


def test_bereken_as_json_is_the_apis_berekening() -> None:
    code, out, _err = run("plan", "bereken", str(DEMO), str(VOORBEELD), "--format", "json")
    data = json.loads(out)
    assert code == 0 and data["totaal"]["minuten_per_jaar"] == 7870 and data["verlaagd"] is True
    assert [v["code"] for v in data["vervallen"]] == ["ramen-binnen"]


def test_a_plan_that_does_not_fit_says_where_and_exits_1(tmp_path: Path) -> None:
    plan = tmp_path / "plan.yaml"
    plan.write_text(VOORBEELD.read_text(encoding="utf-8").replace("activiteit: sanitair", "activiteit: zwembad"),
                    encoding="utf-8")
    code, _out, err = run("plan", "bereken", str(DEMO), str(plan))
    assert code == 1 and f"{plan}: activiteiten[1].activiteit: activiteit 'zwembad' staat niet" in err


def test_a_normenkader_that_does_not_validate_says_where(tmp_path: Path) -> None:
    kader = tmp_path / "kader.yaml"
    kader.write_text(DEMO.read_text(encoding="utf-8").replace("minuten: 45", "minuten: nul"), encoding="utf-8")
    code, _out, err = run("plan", "controleer", str(kader))
    assert code == 1 and "voorzieningen[0].activiteiten[0].minuten" in err
    assert run("plan", "controleer", str(DEMO))[0] == 0


def test_termijn() -> None:
    assert run("plan", "termijn", "--bekendmaking", "2026-11-23") == (0, "2027-01-04\n", "")
    code, out, _err = run("plan", "termijn", "--bekendmaking", "2026-04-02", "--format", "json")
    assert json.loads(out) == {"bekendmaking": "2026-04-02", "einde_bezwaartermijn": "2026-05-18"}
    assert run("plan", "termijn", "--bekendmaking", "morgen")[0] == 2
