"""PLAN_NORMENKADERS: the files the plan service publishes when it starts, each only once; a published version
never changes, so a file that differs from it is only reported (without its content)."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
import yaml
from fastapi.testclient import TestClient

from services.plan.app import create_app
from services.plan.domain.normenkader import DEMO
from services.plan.settings import PlanSettings
from tests.services.toewijzing.conftest import _database

TOKENS = {"medewerker": "api-token-medewerker"}


@pytest.fixture(params=["sqlite", "postgresql"])
def database(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """The database the service starts on, again and again."""
    return _database(request, tmp_path, "plan_start")


def _start(database: str, *paden: Path) -> list[dict[str, object]]:
    """Start the service on ``database`` with these files; the normenkaders it then holds."""
    app = create_app(PlanSettings(database_url=database, api_tokens=TOKENS,
                                  normenkaders=list(paden), toewijzing_url=""))
    try:
        with TestClient(app, headers={"Authorization": f"Bearer {TOKENS['medewerker']}"}) as client:
            r = client.get("/normenkaders")
            assert r.status_code == 200, r.text
            return [client.get(f"/normenkaders/{n['naam']}/{n['versie']}").json() for n in r.json()]
    finally:
        app.state.engine.dispose()


def _variant(tmp_path: Path, **wijziging: object) -> Path:
    document = yaml.safe_load(DEMO.read_text(encoding="utf-8"))
    document.update(wijziging)
    pad = tmp_path / f"kader-{len(list(tmp_path.glob('kader-*')))}.yaml"
    pad.write_text(yaml.safe_dump(document, allow_unicode=True), encoding="utf-8")
    return pad


def test_nothing_is_published_without_the_setting(database: str) -> None:
    assert PlanSettings().normenkaders == []
    assert _start(database) == []


def test_a_file_is_published_at_start_and_only_once(database: str, caplog: pytest.LogCaptureFixture) -> None:
    [kader] = _start(database, DEMO)
    assert (kader["naam"], kader["versie"], kader["door"]) == ("hh-demo", "2026.1", "PLAN_NORMENKADERS")
    assert kader["bruikbaar"] is True
    caplog.clear()
    assert _start(database, DEMO) == [kader]  # the next start: there already, the same, left alone
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING]


def test_a_file_that_differs_from_the_published_version_is_reported_and_left(database: str, tmp_path: Path,
                                                                              caplog: pytest.LogCaptureFixture) -> None:
    [gepubliceerd] = _start(database, DEMO)
    anders = _variant(tmp_path, titel="Een geheime nieuwe titel")
    nieuw = _variant(tmp_path, versie="2026.2")
    caplog.clear()
    kaders = _start(database, anders, nieuw)
    assert [(k["versie"], k["titel"]) for k in kaders] == [("2026.1", gepubliceerd["titel"]),
                                                            ("2026.2", gepubliceerd["titel"])]
    assert kaders[0] == gepubliceerd  # a published version never changes
    [waarschuwing] = [r for r in caplog.records if r.levelno >= logging.WARNING]
    tekst = waarschuwing.getMessage()
    assert "hh-demo" in tekst and "2026.1" in tekst and "wijkt af" in tekst
    assert "geheime" not in tekst and str(anders) not in tekst  # the version, never the content


@pytest.mark.parametrize("inhoud", ["naam: hh\n", "geen: [yaml\n"])
def test_a_file_that_does_not_validate_stops_the_start(database: str, tmp_path: Path, inhoud: str) -> None:
    pad = tmp_path / "kapot.yaml"
    pad.write_text(inhoud)
    with pytest.raises(ValueError, match="PLAN_NORMENKADERS: .*kapot.yaml"):
        _start(database, pad)


def test_a_missing_file_or_another_gemeente_stops_the_start(database: str, tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        _start(database, tmp_path / "er-niet.yaml")
    with pytest.raises(Exception, match="gemeente 0599"):
        _start(database, _variant(tmp_path, gemeente="0599"))


def test_the_setting_reads_a_json_list(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PLAN_NORMENKADERS", f'["{DEMO}"]')
    assert PlanSettings().normenkaders == [DEMO]
