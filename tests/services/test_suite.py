"""``iwmo suite`` (what ``make run`` starts): every part answers /health, the demo parties have tokens,
the services' APIs open only to their API tokens, the plan service holds the demonstration normenkader and
the toewijzing service asks it before a resultaat goes out, Ctrl-C stops every process, and a second run
reuses the data and the tokens (a token file of an earlier version too)."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from services.plan.domain.normenkader import DEMO
from services.suite import PORTS, api_tokens, port_free, processes

ROOT = Path(__file__).resolve().parents[2]


def _basis() -> int:
    for basis in range(23000, 40000, 50):
        if all(port_free(basis + offset) for offset in PORTS.values()):
            return basis
    pytest.skip("no free ports for the suite")


def _start(var: Path, basis: int) -> subprocess.Popen[str]:
    proc = subprocess.Popen([sys.executable, "-m", "iwmo", "suite", "--var", str(var), "--basispoort", str(basis)],
                            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            env={**os.environ, "PYTHONUNBUFFERED": "1"}, start_new_session=True)
    deadline = time.monotonic() + 90
    assert proc.stdout is not None
    for line in proc.stdout:
        if "De keten draait" in line:
            return proc
        assert time.monotonic() < deadline, "the suite did not come up in time"
    raise AssertionError(f"the suite stopped: exit {proc.wait()}")


def _stop(proc: subprocess.Popen[str]) -> str:
    os.killpg(proc.pid, signal.SIGINT)  # Ctrl-C in the terminal: the whole foreground group gets it
    rest, _ = proc.communicate(timeout=30)
    assert proc.returncode == 0, rest
    return rest


def _state(var: Path) -> str:
    """What a failure needs to be understood: every process's last log lines and the hub's messages."""
    delen = []
    for log in sorted((var / "suite").glob("*.log")):
        delen.append(f"\n--- {log.name}\n" + "\n".join(log.read_text(errors="replace").splitlines()[-40:]))
    with sqlite3.connect(var / "gateway.db") as db:
        rijen = db.execute("select id, bericht, afzender, ontvanger, status, attempts, last_error from bericht "
                           "order by id").fetchall()
        audit = db.execute("select bericht_id, actor, action, details from audit order by id").fetchall()
    delen.append("\n--- hub: berichten\n" + "\n".join(map(str, rijen)))
    delen.append("\n--- hub: audit\n" + "\n".join(map(str, audit[-60:])))
    return "".join(delen)


def test_the_suite_runs_every_part_and_stops_cleanly(tmp_path: Path) -> None:
    basis = _basis()
    proc = _start(tmp_path, basis)
    try:
        for offset in PORTS.values():
            assert httpx.get(f"http://127.0.0.1:{basis + offset}/health", timeout=5).status_code == 200
        tokens = json.loads((tmp_path / "suite/tokens.json").read_text())
        assert sorted(tokens) == ["0363", "12345678", "87654321"]
        api = json.loads((tmp_path / "suite/api-tokens.json").read_text())
        assert {dienst: list(tokens) for dienst, tokens in api.items()} == {
            "toewijzing": ["medewerker", "plan", "declaratie"], "plan": ["medewerker", "toewijzing"],
            "declaratie": ["medewerker"], "aanbieder": ["12345678", "87654321"]}
        gemeente, aanbieder = f"http://127.0.0.1:{basis + 1}", f"http://127.0.0.1:{basis + 10}"
        plan, declaratie = f"http://127.0.0.1:{basis + 2}", f"http://127.0.0.1:{basis + 3}"
        assert httpx.get(f"{gemeente}/verzoeken").status_code == 401
        assert httpx.get(f"{aanbieder}/partijen").status_code == 401
        assert httpx.get(f"{plan}/normenkaders").status_code == 401
        header = (tmp_path / "suite/toewijzing.header").read_text().strip()  # what curl -H @file sends
        naam, _, waarde = header.partition(": ")
        assert httpx.get(f"{gemeente}/verzoeken", headers={naam: waarde}).json() == []
        naam, _, waarde = (tmp_path / "suite/plan.header").read_text().strip().partition(": ")
        kaders = httpx.get(f"{plan}/normenkaders", headers={naam: waarde}).json()  # published at its start
        assert [(k["naam"], k["versie"], k["bruikbaar"]) for k in kaders] == [("hh-demo", "2026.1", True)]
        als_plan = {"Authorization": f"Bearer {api['toewijzing']['plan']}"}  # how the plan service reads toewijzingen
        assert httpx.get(f"{gemeente}/verzoeken", headers=als_plan).status_code == 200
        bearer = {a: {"Authorization": f"Bearer {t}"} for a, t in api["aanbieder"].items()}
        assert httpx.get(f"{aanbieder}/partijen", headers=bearer["12345678"]).json() == ["12345678", "87654321"]
        assert httpx.get(f"{aanbieder}/aanbieders/87654321/verzoeken", headers=bearer["87654321"]).json() == []
        assert httpx.get(f"{aanbieder}/aanbieders/87654321/verzoeken", headers=bearer["12345678"]).status_code == 403
        for geheim in ("admin-token", "tokens.json", "api-tokens.json", "toewijzing.header", "plan.header"):
            assert oct((tmp_path / "suite" / geheim).stat().st_mode & 0o777) == "0o600", geheim
        scenario = [sys.executable, "-m", "iwmo", "scenario", "run", "scenarios/uren.yaml",
                    "scenarios/plan-vaststellen.yaml",  # the resultaat waits for its plan: the gate is on
                    "scenarios/declaratie-uren.yaml",  # the WMO323 reaches the declaratie service, not toewijzing
                    "--gemeente", gemeente, "--aanbieder", aanbieder, "--plan", plan, "--declaratie", declaratie,
                    "--tokens"]
        r = subprocess.run([*scenario, str(tmp_path / "suite/api-tokens.json")], cwd=ROOT, capture_output=True,
                           text=True, timeout=120)
        assert r.returncode == 0 and r.stdout.strip().endswith("0 failed"), r.stdout + r.stderr + _state(tmp_path)
        admin = {"Authorization": f"Bearer {(tmp_path / 'suite/admin-token').read_text().strip()}"}
        routes = httpx.get(f"http://127.0.0.1:{basis}/admin/parties/0363/routes", headers=admin).json()["routes"]
        assert {r["bericht"]: r["endpoint"] for r in routes}["WMO305"] == f"{gemeente}/berichten"
        declaratie = f"http://127.0.0.1:{basis + 3}"
        assert {r["bericht"]: r["endpoint"] for r in routes}["WMO323"] == f"{declaratie}/berichten"  # its owner
        assert httpx.get(f"{declaratie}/declaraties").status_code == 401
        als_declaratie = {"Authorization": f"Bearer {api['toewijzing']['declaratie']}"}
        assert httpx.post(f"{gemeente}/toewijzingen/opvragen", json={"aanbieder": "12345678", "nummers": [1]},
                          headers=als_declaratie).status_code == 200
        with sqlite3.connect(tmp_path / "gateway.db") as db:  # the scenario's messages went by push
            gepusht = db.execute("select count(*) from audit where action = 'gepusht'").fetchone()[0]
        assert gepusht >= 2
        r = subprocess.run([*scenario, str(tmp_path / "geen.json")], cwd=ROOT, capture_output=True, text=True,
                           timeout=60)
        assert r.returncode == 2 and "laat ons niet toe" in r.stderr and "--tokens" in r.stderr, r.stderr
        opdracht = [sys.executable, "-m", "iwmo", "aanbieder", "--url", aanbieder]
        r = subprocess.run([*opdracht, "toewijzingen", "12345678"], cwd=ROOT, capture_output=True, text=True,
                           timeout=60, env={**os.environ, "IWMO_API_TOKENS": str(tmp_path / "suite/api-tokens.json")})
        assert r.returncode == 0 and json.loads(r.stdout)[0]["gemeente"] == "0363", r.stdout + r.stderr  # uren.yaml
        r = subprocess.run([*opdracht, "berichten", "12345678", "--bericht", "WMO302", "--richting", "uit",
                            "--limit", "1"], cwd=ROOT, capture_output=True, text=True, timeout=60,
                           env={**os.environ, "IWMO_API_TOKENS": str(tmp_path / "suite/api-tokens.json")})
        assert [(b["bericht"], b["richting"]) for b in json.loads(r.stdout)] == [("WMO302", "uit")], r.stderr
        r = subprocess.run([*opdracht, "--token", "geraden", "toewijzingen", "12345678"], cwd=ROOT,
                           capture_output=True, text=True, timeout=60)
        assert r.returncode == 1 and "401" in r.stderr, r.stderr
    finally:
        rest = _stop(proc)
    assert "alles gestopt." in rest
    for offset in PORTS.values():  # nothing left listening
        with pytest.raises(httpx.ConnectError):
            httpx.get(f"http://127.0.0.1:{basis + offset}/health", timeout=2)

    proc = _start(tmp_path, basis)  # again, on the same databases: the remembered tokens still work
    try:
        assert json.loads((tmp_path / "suite/tokens.json").read_text()) == tokens
        assert json.loads((tmp_path / "suite/api-tokens.json").read_text()) == api
    finally:
        # a supervisor stops the group with SIGTERM and make forwards it once more: two signals, one clean stop
        os.killpg(proc.pid, signal.SIGTERM)
        os.killpg(proc.pid, signal.SIGTERM)
        rest, _ = proc.communicate(timeout=30)
    assert proc.returncode == 0 and "alles gestopt." in rest, rest
    for offset in PORTS.values():
        with pytest.raises(httpx.ConnectError):
            httpx.get(f"http://127.0.0.1:{basis + offset}/health", timeout=2)


def test_a_busy_port_is_reported_before_anything_starts(tmp_path: Path) -> None:
    import socket

    basis = _basis()
    with socket.socket() as bezet:
        bezet.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # an earlier test's port may be in TIME_WAIT
        bezet.bind(("127.0.0.1", basis + PORTS["aanbieder"]))
        bezet.listen()
        r = subprocess.run([sys.executable, "-m", "iwmo", "suite", "--var", str(tmp_path), "--basispoort", str(basis)],
                           cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert r.returncode == 1 and f"aanbieder ({basis + 10})" in r.stderr
    assert not (tmp_path / "gateway.db").exists()  # nothing was started
    assert not (tmp_path / "suite").exists()  # and no token file touched


def test_the_services_are_wired_to_each_other(tmp_path: Path) -> None:
    """The plan service reads toewijzingen with the toewijzing service's token for it, and the toewijzing
    service's plan check (on) uses the plan service's token for it."""
    api = api_tokens(tmp_path)
    hub = {"0363": "hub-0363", "12345678": "hub-1", "87654321": "hub-2"}
    env = {p.naam: p.env for p in processes(hub, "admin", tmp_path, 9000, api)}
    assert env["toewijzing"]["TOEWIJZING_PLAN_CHECK_URL"] == "http://127.0.0.1:9002/plancheck"
    assert env["toewijzing"]["TOEWIJZING_PLAN_CHECK_TOKEN"] == api["plan"]["toewijzing"]
    assert json.loads(env["toewijzing"]["TOEWIJZING_API_TOKENS"]) == api["toewijzing"]
    assert env["plan"]["PLAN_TOEWIJZING_URL"] == "http://127.0.0.1:9001"
    assert env["plan"]["PLAN_TOEWIJZING_TOKEN"] == api["toewijzing"]["plan"]
    assert json.loads(env["plan"]["PLAN_API_TOKENS"]) == api["plan"]
    assert env["plan"]["PLAN_DATABASE_URL"] == f"sqlite:///{tmp_path}/plan.db"
    assert [Path(p) for p in json.loads(env["plan"]["PLAN_NORMENKADERS"])] == [DEMO] and DEMO.is_file()
    assert env["declaratie"]["DECLARATIE_TOEWIJZING_URL"] == "http://127.0.0.1:9001"
    assert env["declaratie"]["DECLARATIE_TOEWIJZING_TOKEN"] == api["toewijzing"]["declaratie"]
    assert env["declaratie"]["DECLARATIE_HUB_TOKEN"] == hub["0363"]  # the gemeente is one party at the hub


def test_a_token_file_of_an_earlier_run_keeps_its_tokens_and_gets_the_missing_ones(tmp_path: Path) -> None:
    oud = {"toewijzing": {"medewerker": "m" * 32}, "aanbieder": {"12345678": "a" * 32, "87654321": "b" * 32}}
    (tmp_path / "api-tokens.json").write_text(json.dumps(oud))  # before the plan service
    api = api_tokens(tmp_path)
    assert api["toewijzing"]["medewerker"] == "m" * 32
    assert list(api["toewijzing"]) == ["medewerker", "plan", "declaratie"]
    assert api["aanbieder"] == oud["aanbieder"]
    assert list(api["plan"]) == ["medewerker", "toewijzing"]
    assert len({t for dienst in ("toewijzing", "plan", "declaratie") for t in api[dienst].values()}) == 6  # each its own
    assert json.loads((tmp_path / "api-tokens.json").read_text()) == api
    assert (tmp_path / "toewijzing.header").read_text() == f"Authorization: Bearer {'m' * 32}\n"
    assert (tmp_path / "plan.header").read_text() == f"Authorization: Bearer {api['plan']['medewerker']}\n"
    assert api_tokens(tmp_path) == api  # and from then on the same
