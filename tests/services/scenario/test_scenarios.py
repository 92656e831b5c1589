"""The shipped scenarios pass against the chain (in process); a broken one says which step and assertion failed."""

from __future__ import annotations

import datetime as dt
import io
import re
from pathlib import Path

import pytest
import yaml
from stdnum.nl import bsn

from services.scenario.runner import Keten as Suite
from services.scenario.runner import ScenarioFout, laad, run
from services.scenario.waarden import WaardeFout, datum, nieuw_bsn, vul_in
from tests.services.scenario.conftest import MetPlan

SCENARIOS = sorted((Path(__file__).parents[3] / "scenarios").glob("*.yaml"))
HIER = Path(__file__).parent


def _run(suite: MetPlan, *paden: Path, timeout: float = 10.0) -> tuple[int, int, str]:
    out = io.StringIO()
    keten = suite.keten
    goed, fout = run(list(paden), Suite(keten.gemeente, keten.aanbieder, suite.plan, suite.declaratie), out, timeout=timeout,
                     interval=0.0, vandaag=lambda: keten.clock.now.date())
    return goed, fout, out.getvalue()


def test_every_shipped_scenario_passes(met_plan: MetPlan) -> None:
    assert len(SCENARIOS) >= 6
    goed, fout, tekst = _run(met_plan, *SCENARIOS)
    assert fout == 0, tekst
    assert tekst.rstrip().endswith(f"{goed} passed, 0 failed")
    assert goed == sum(len(laad(p).stappen) for p in SCENARIOS)


def test_a_broken_scenario_names_the_step_and_the_assertion(met_plan: MetPlan) -> None:
    goed, fout, tekst = _run(met_plan, HIER / "kapot.yaml", timeout=1.0)
    assert (goed, fout) == (1, 1), tekst
    assert "✗ stap 2: De aanbieder keurt af met 8001" in tekst
    assert "WMO301 id" in tekst and "retourcodes: verwacht ['8001'], gevonden []" in tekst
    assert "stap 3: Deze stap komt niet meer aan de beurt: overgeslagen" in tekst
    assert tekst.rstrip().endswith("1 passed, 1 failed")


def test_a_malformed_scenario_is_refused_with_the_step_and_key(tmp_path: Path) -> None:
    pad = tmp_path / "fout.yaml"
    pad.write_text("naam: x\nstappen:\n  - naam: a\n    verwach: {}\n")
    with pytest.raises(ScenarioFout, match="stap 1: onbekende sleutel verwach"):
        laad(pad)
    pad.write_text("stappen: []\n")
    with pytest.raises(ScenarioFout, match="'naam' en een lijst 'stappen'"):
        laad(pad)
    pad.write_text("naam: x\nstappen:\n  - verwacht: {bericht: {type: WMO301}}\n")
    with pytest.raises(ScenarioFout, match="stap 1, verwachting 1: 'bericht' mist agb"):
        laad(pad)
    pad.write_text("naam: x\nstappen:\n  - gemeente: {pad: /x}\n")
    with pytest.raises(ScenarioFout, match="stap 1: de actie 'gemeente' heeft precies één van 'post' en 'get'"):
        laad(pad)


def test_dates_variables_and_bsns() -> None:
    vandaag = dt.date(2026, 3, 31)
    assert datum("@vandaag", vandaag) == vandaag
    assert datum("@maand-1m+4d", vandaag) == dt.date(2026, 2, 5)
    assert datum("@vandaag-1m", vandaag) == dt.date(2026, 2, 28)  # end of a shorter month
    assert datum("@jaar+1j-1d", vandaag) == dt.date(2026, 12, 31)
    assert datum("@morgen", vandaag) is None
    assert bsn.is_valid(nieuw_bsn())
    variabelen = {"n": 7, "a": {"b": [1, 2]}}
    assert vul_in({"x": "${n}", "y": "nr ${n}", "z": "${a.b.1}", "d": ["@maand"]}, variabelen, vandaag) == {
        "x": 7, "y": "nr 7", "z": 2, "d": ["2026-03-01"]}
    with pytest.raises(WaardeFout, match="onbekende variabele"):
        vul_in("${m}", variabelen, vandaag)


@pytest.mark.parametrize(("stap", "fout"), [
    ("gemeente: {get: /x}\n    plan: {get: /y}", "stap 1: één actie per stap (gemeente, aanbieder, plan of declaratie)"),
    ("plan: {pad: /x}", "stap 1: de actie 'plan' heeft precies één van 'post' en 'get'"),
    ("plan: {get: /x, post: /x}", "de actie 'plan' heeft precies één van 'post' en 'get'"),
    ("verwacht: {plan: {pad: x}}", "stap 1, verwachting 1: 'plan' mist get"),
    ("verwacht: {plan: {get: /x}, gemeente: {get: /x}}", "precies één van 'bericht', 'gemeente', 'aanbieder', 'plan' of 'declaratie'"),
    ("plan: {get: /x}\n    status: [201, ja]", "'status' is een HTTP-status of een lijst ervan"),
    ("plan: {get: /x}\n    status: []", "'status' is een HTTP-status of een lijst ervan"),
    ("plan: {get: /x}\n    status: true", "'status' is een HTTP-status of een lijst ervan"),
    ("verwacht: {plan: {get: /x}}\n    antwoord: {pad: x, is: 1}", "'antwoord' controleert het antwoord op een actie"),
    ("plan: {get: /x}\n    antwoord: {pad: x}", "'antwoord' is een mapping"),
    ("plan: {get: /x}\n    antwoord: {pad: x, is: 1, zo: 2}", "'antwoord' is een mapping"),
])
def test_the_plan_actor_and_the_answer_checks_are_validated(tmp_path: Path, stap: str, fout: str) -> None:
    pad = tmp_path / "fout.yaml"
    pad.write_text(f"naam: x\nstappen:\n  - {stap}\n")
    with pytest.raises(ScenarioFout, match=re.escape(fout)):
        laad(pad)


def test_the_plan_service_acts_and_answers_in_a_scenario(met_plan: MetPlan, tmp_path: Path) -> None:
    from services.plan.domain import normenkader as nk

    document = nk.als_document(nk.laad(nk.DEMO))  # JSON data: dates as texts
    pad = tmp_path / "plan.yaml"
    pad.write_text(yaml.safe_dump({"naam": "plan", "variabelen": {"kader": document}, "stappen": [
        {"naam": "al gepubliceerd bij de start: 409 mag", "plan": {"post": "/normenkaders", "body": "${kader}"},
         "status": [201, 409], "antwoord": {"pad": "fouten.0.veld", "is": "versie"}},
        {"naam": "de plan-service geeft antwoord", "plan": {"get": "/termijn?bekendmaking=2026-11-23"},
         "bewaar": {"einde": "einde_bezwaartermijn"}, "antwoord": [{"pad": "einde_bezwaartermijn", "is": "2027-01-04"}],
         "verwacht": {"plan": {"get": "/normenkaders", "pad": "0.door", "is": "PLAN_NORMENKADERS"}}},
        {"naam": "alleen 201: mislukt", "plan": {"post": "/normenkaders", "body": "${kader}"}, "status": 201},
    ]}, allow_unicode=True))
    goed, fout, tekst = _run(met_plan, pad, timeout=1.0)
    assert (goed, fout) == (2, 1), tekst
    assert "POST /normenkaders bij de plan-service -> 409" in tekst and "antwoord: fouten.0.veld = versie" in tekst
    assert "GET /termijn?bekendmaking=2026-11-23 bij de plan-service -> 200 (einde = 2027-01-04)" in tekst
    assert "plan: /normenkaders 0.door = PLAN_NORMENKADERS" in tekst
    assert "verwacht HTTP 201, kreeg 409" in tekst


def test_an_answer_that_differs_fails_the_step(met_plan: MetPlan, tmp_path: Path) -> None:
    pad = tmp_path / "anders.yaml"
    pad.write_text("naam: anders\nstappen:\n  - naam: de termijn\n    plan: {get: '/termijn?bekendmaking=2026-11-23'}\n"
                   "    antwoord: {pad: einde_bezwaartermijn, is: '2027-01-01'}\n")
    goed, fout, tekst = _run(met_plan, pad, timeout=1.0)
    assert (goed, fout) == (0, 1)
    assert "einde_bezwaartermijn: verwacht '2027-01-01', gevonden '2027-01-04'" in tekst
