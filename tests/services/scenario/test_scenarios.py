"""The shipped scenarios pass against the chain (in process); a broken one says which step and assertion failed."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
from stdnum.nl import bsn

from services.scenario.runner import Keten as Suite
from services.scenario.runner import ScenarioFout, laad, run
from services.scenario.waarden import WaardeFout, datum, nieuw_bsn, vul_in
from tests.services.aanbieder.conftest import Keten

SCENARIOS = sorted((Path(__file__).parents[3] / "scenarios").glob("*.yaml"))
HIER = Path(__file__).parent


def _run(keten: Keten, *paden: Path, timeout: float = 10.0) -> tuple[int, int, str]:
    out = io.StringIO()
    goed, fout = run(list(paden), Suite(keten.gemeente, keten.aanbieder), out, timeout=timeout, interval=0.0,
                     vandaag=lambda: keten.clock.now.date())
    return goed, fout, out.getvalue()


def test_every_shipped_scenario_passes(keten: Keten) -> None:
    assert len(SCENARIOS) >= 6
    goed, fout, tekst = _run(keten, *SCENARIOS)
    assert fout == 0, tekst
    assert tekst.rstrip().endswith(f"{goed} passed, 0 failed")
    assert goed == sum(len(laad(p).stappen) for p in SCENARIOS)


def test_a_broken_scenario_names_the_step_and_the_assertion(keten: Keten) -> None:
    goed, fout, tekst = _run(keten, HIER / "kapot.yaml", timeout=1.0)
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
