"""docker-compose.yml matches the code: Docker does not run on the development machines, so this test reads
the file and checks each service's command, port and environment against what the code expects."""

from __future__ import annotations

import importlib
import os
import re
import shlex
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
import yaml

from gateway.settings import GatewaySettings
from iwmo.cli import _parser
from services.aanbieder.settings import AanbiederSettings
from services.migrate import DIENSTEN
from services.plan.api import protected as plan_routes
from services.plan.settings import PlanSettings
from services.suite import PORTS
from services.toewijzing.settings import ToewijzingSettings

ROOT = Path(__file__).resolve().parents[1]
COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
SETTINGS = {"gateway": GatewaySettings, "toewijzing": ToewijzingSettings, "plan": PlanSettings,
            "aanbieder": AanbiederSettings}
DATABASES = set(re.findall(r"CREATE DATABASE (\w+)", (ROOT / "deploy/postgres/init.sql").read_text()))
_VAR = re.compile(r"\$\{(\w+)(?::([-?])([^}]*))?\}")  # as compose: a default ends at the first }


def interpoleer(waarde: str, env: dict[str, str]) -> str:
    """Compose's ${VAR}, ${VAR:-default} and ${VAR:?error} (the error case: a placeholder, as .env sets it)."""
    def vervang(m: re.Match[str]) -> str:
        naam, soort, rest = m.group(1), m.group(2), m.group(3) or ""
        return env.get(naam) or (rest if soort == "-" else f"placeholder-{naam.lower()}")
    return _VAR.sub(vervang, waarde)


def _server(dienst: str) -> tuple[str, list[str]]:
    cmd = COMPOSE["services"][dienst]["command"]
    assert cmd[:2] == ["sh", "-c"], cmd
    migreer, _, start = cmd[2].partition("&&")
    return migreer.strip(), shlex.split(start.strip().removeprefix("exec "))


@pytest.mark.parametrize("dienst", sorted(SETTINGS))
def test_each_service_migrates_its_own_database_before_it_starts(dienst: str) -> None:
    migreer, _ = _server(dienst)
    args = _parser().parse_args(shlex.split(migreer)[1:])
    assert (args.command, args.dienst) == ("migrate", dienst) and dienst in DIENSTEN
    env = COMPOSE["services"][dienst]["environment"]
    assert env[f"{dienst.upper()}_MIGRATE_ON_START"] == "false"  # done once, before the processes start
    assert COMPOSE["services"][dienst]["depends_on"]["postgres"] == {"condition": "service_healthy"}


@pytest.mark.parametrize("dienst", sorted(SETTINGS))
def test_each_service_listens_where_the_suite_expects_it(dienst: str) -> None:
    _, argv = _server(dienst)
    poort = 8000 + PORTS[dienst]
    [mapping] = COMPOSE["services"][dienst]["ports"]
    extern = "" if dienst == "gateway" else "127.0.0.1:"  # only the hub faces the network
    assert mapping == f"{extern}{poort}:{poort}"
    if argv[0] == "iwmo":
        args = _parser().parse_args(argv[1:])
        assert (args.command, args.gateway_command, args.host, args.port) == ("gateway", "serve", "0.0.0.0", poort)
    else:
        assert argv[0] == "uvicorn" and "--factory" in argv
        module, naam = argv[argv.index("--factory") + 1].split(":")
        assert callable(getattr(importlib.import_module(module), naam))
        assert module == f"services.{dienst}.app"
        assert argv[argv.index("--port") + 1] == str(poort) and argv[argv.index("--host") + 1] == "0.0.0.0"


@pytest.mark.parametrize("dienst", sorted(SETTINGS))
def test_each_service_environment_is_read_by_its_settings(dienst: str) -> None:
    cls = SETTINGS[dienst]
    prefix = cls.model_config["env_prefix"]
    env = {k: interpoleer(str(v), {}) for k, v in COMPOSE["services"][dienst]["environment"].items()}
    for key in env:
        assert key.startswith(prefix) and key[len(prefix):].lower() in cls.model_fields, f"{key} is no setting"
    with mock.patch.dict(os.environ, env, clear=True):
        settings: Any = cls()  # every value parses (types, JSON)
    url = settings.database_url
    assert url.startswith("postgresql+psycopg://") and "@postgres:5432/" in url
    assert url.rsplit("/", 1)[1] == dienst and dienst in DATABASES  # its own database, created by init.sql
    if hasattr(settings, "hub_url"):
        assert settings.hub_url == f"http://gateway:{8000 + PORTS['gateway']}"


def test_the_image_holds_every_package_the_services_import() -> None:
    dockerfile = (ROOT / "Dockerfile").read_text()
    pyproject = (ROOT / "pyproject.toml").read_text()
    packages = re.search(r'packages = \[([^\]]*)\]', pyproject)
    assert packages
    for pakket in re.findall(r'"(\w+)"', packages.group(1)) + ["schemas"]:
        assert f"COPY {pakket} ./{pakket}" in dockerfile, pakket
    assert COMPOSE["services"]["postgres"]["healthcheck"]["test"]


def test_interpolation_helper() -> None:
    assert interpoleer("${A:-x}/${B}/${C:?boom}", {"B": "b"}) == "x/b/placeholder-c"


def test_the_stand_in_takes_its_parties_from_a_set_or_an_unset_variable() -> None:
    waarde = COMPOSE["services"]["aanbieder"]["environment"]["AANBIEDER_PARTIJEN"]
    assert "{" not in waarde.removeprefix("${").rstrip("}")  # compose would end a {} default at its first }
    for gezet, verwacht in (("", {}), ('{"12345678": "tok"}', {"12345678": "tok"})):
        env = {"AANBIEDER_PARTIJEN": interpoleer(waarde, {"AANBIEDER_PARTIJEN": gezet} if gezet else {})}
        with mock.patch.dict(os.environ, env, clear=True):
            assert AanbiederSettings().partijen == verwacht
    with mock.patch.dict(os.environ, {"AANBIEDER_PARTIJEN": "{kapot"}, clear=True), \
            pytest.raises(ValueError, match="geen JSON-object"):
        AanbiederSettings()


def _settings(dienst: str, env: dict[str, str] | None = None) -> Any:
    waarden = {k: interpoleer(str(v), env or {}) for k, v in COMPOSE["services"][dienst]["environment"].items()}
    with mock.patch.dict(os.environ, waarden, clear=True):
        return SETTINGS[dienst]()


def test_the_plan_check_is_wired_between_the_gemeente_services() -> None:
    toewijzing, plan = _settings("toewijzing"), _settings("plan")
    assert toewijzing.plan_check_url == f"http://plan:{8000 + PORTS['plan']}/plancheck"  # the gate is on
    routes = [(getattr(r, "path", ""), getattr(r, "methods", set())) for r in plan_routes.routes]
    assert ("/plancheck", {"POST"}) in routes
    assert plan.toewijzing_url == f"http://toewijzing:{8000 + PORTS['toewijzing']}"  # a besluit reads toewijzingen
    assert plan.gemeente == toewijzing.gemeente  # one gemeente, also when TOEWIJZING_GEMEENTE is set
    assert _settings("plan", {"TOEWIJZING_GEMEENTE": "0599"}).gemeente == "0599"
    omgeving = COMPOSE["services"]["toewijzing"]["environment"]
    assert omgeving["TOEWIJZING_PLAN_CHECK_TOKEN"] == "${TOEWIJZING_PLAN_CHECK_TOKEN:-}"  # from .env, never here
    assert COMPOSE["services"]["plan"]["environment"]["PLAN_TOEWIJZING_TOKEN"] == "${PLAN_TOEWIJZING_TOKEN:-}"


def test_the_plan_service_publishes_normenkaders_only_when_told() -> None:
    assert _settings("plan").normenkaders == []
    demo = "/app/services/plan/data/normenkader-hh-demo.yaml"  # where the image holds the demonstration
    assert (ROOT / demo.removeprefix("/app/")).is_file() and "COPY services ./services" in (ROOT / "Dockerfile").read_text()
    assert _settings("plan", {"PLAN_NORMENKADERS": f'["{demo}"]'}).normenkaders == [Path(demo)]
