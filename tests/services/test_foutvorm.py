"""Every JSON API of the suite answers an error in the one shape (infra.problem, docs/fouten.md): walked over
the OpenAPI document of each service and the hub, every route with a JSON body gets a body it must refuse
and every route with a typed path or query parameter a value of the wrong type."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from gateway.app import create_app as create_hub
from gateway.settings import GatewaySettings
from services.aanbieder.app import create_app as create_aanbieder
from services.aanbieder.settings import AanbiederSettings
from services.declaratie.app import create_app as create_declaratie
from services.declaratie.settings import DeclaratieSettings
from services.plan.app import create_app as create_plan
from services.plan.settings import PlanSettings
from services.toewijzing.app import create_app as create_toewijzing
from services.toewijzing.settings import ToewijzingSettings
from tests.services.push import AANBIEDER_TOKENS, GEMEENTE_TOKENS

BSN = "999990019"
AGB = "12345678"
ADMIN = "admin-token-foutvorm"
LEDEN = {"type", "title", "status", "detail", "fouten"}


@dataclass
class Dienst:
    client: TestClient
    token: str  # for every route but the hub's /admin ones
    hub: bool = False

    def auth(self, pad: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {ADMIN if pad.startswith('/admin') else self.token}"}


def _toewijzing(tmp: Path) -> FastAPI:
    return create_toewijzing(ToewijzingSettings(database_url=f"sqlite:///{tmp}/t.db", gemeente="0363", hub_token="x",
                                                poll_seconds=0, api_tokens=GEMEENTE_TOKENS))


def _aanbieder(tmp: Path) -> FastAPI:
    return create_aanbieder(AanbiederSettings(database_url=f"sqlite:///{tmp}/a.db", partijen={AGB: "x"},
                                              poll_seconds=0, api_tokens=AANBIEDER_TOKENS))


def _plan(tmp: Path) -> FastAPI:
    return create_plan(PlanSettings(database_url=f"sqlite:///{tmp}/p.db", gemeente="0363", api_tokens=GEMEENTE_TOKENS))


def _declaratie(tmp: Path) -> FastAPI:
    return create_declaratie(DeclaratieSettings(database_url=f"sqlite:///{tmp}/d.db", gemeente="0363", hub_token="x",
                                                poll_seconds=0, api_tokens=GEMEENTE_TOKENS))


def _hub(tmp: Path) -> FastAPI:
    return create_hub(GatewaySettings(database_url=f"sqlite:///{tmp}/h.db", admin_token=ADMIN, push_enabled=False))


@pytest.fixture(params=[_toewijzing, _aanbieder, _plan, _declaratie, _hub],
                ids=["toewijzing", "aanbieder", "plan", "declaratie", "hub"])
def dienst(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Dienst]:
    app = request.param(tmp_path)
    with TestClient(app) as client:
        if request.param is _hub:
            r = client.post("/admin/parties", json={"rol": "aanbieder", "code": AGB},
                            headers={"Authorization": f"Bearer {ADMIN}"})
            yield Dienst(client, r.json()["token"], hub=True)
        elif request.param is _aanbieder:
            yield Dienst(client, AANBIEDER_TOKENS[AGB])
        else:
            yield Dienst(client, GEMEENTE_TOKENS["wijkteam"])
    app.state.engine.dispose()


def assert_probleem(r: httpx.Response, status: int | None = None, *, hub: bool = False, waar: str = "") -> dict[str, Any]:
    """The one shape: application/problem+json, the members of RFC 9457, every fault with its field and reason,
    the hub's foutcode; never the BSN that was sent."""
    assert r.headers["content-type"] == "application/problem+json", f"{waar}: {r.headers['content-type']} {r.text}"
    body: dict[str, Any] = r.json()
    assert LEDEN <= set(body), f"{waar}: {body}"
    assert body["status"] == r.status_code and (status is None or r.status_code == status), f"{waar}: {body}"
    assert body["type"] == "about:blank" or body["type"].startswith("urn:iwmo-suite:fout:"), waar
    assert isinstance(body["title"], str) and body["title"] and isinstance(body["detail"], str) and body["detail"]
    for fout in body["fouten"]:
        assert "veld" in fout and isinstance(fout["fout"], str) and fout["fout"], f"{waar}: {fout}"
    if hub:
        assert re.fullmatch(r"[A-Z]{2,3}[0-9]{2,3}", body["foutcode"]), f"{waar}: {body}"
    assert BSN not in r.text, f"{waar}: the BSN is echoed: {r.text}"
    return body


def _pad(pad: str, parameters: list[dict[str, Any]], fout: bool) -> tuple[str, dict[str, str]]:
    """The path with its parameters filled in (an integer as a text when ``fout``), and the query."""
    query = {}
    for p in parameters:
        soort = p.get("schema", {}).get("type") or next(
            (s.get("type") for s in p.get("schema", {}).get("anyOf", []) if s.get("type") != "null"), "string")
        waarde = "abc" if fout and soort in ("integer", "number", "boolean") else (
            "1" if soort in ("integer", "number") else AGB if p["name"] in ("agb", "code") else "x")
        if p["in"] == "path":
            pad = pad.replace("{" + p["name"] + "}", waarde)
        elif p["in"] == "query" and (fout and waarde == "abc"):
            query[p["name"]] = waarde
    return pad, query


def test_every_route_answers_a_body_it_refuses_in_the_one_shape(dienst: Dienst) -> None:
    geprobeerd = 0
    for pad, operations in dienst.client.app.openapi()["paths"].items():  # type: ignore[attr-defined]
        for methode, op in operations.items():
            if "application/json" not in op.get("requestBody", {}).get("content", {}):
                continue
            url, _ = _pad(pad, op.get("parameters", []), fout=False)
            for body in ({"onbekend_veld": BSN}, [BSN]):  # an unknown field (and nothing required); not an object
                r = dienst.client.request(methode.upper(), url, json=body, headers=dienst.auth(pad))
                probleem = assert_probleem(r, 422, hub=dienst.hub, waar=f"{methode.upper()} {pad} {body}")
                assert probleem["fouten"], f"{methode.upper()} {pad}: no faults named"
                geprobeerd += 1
    assert geprobeerd >= (0 if "declaratie" in dienst.client.app.title.lower() else 2)  # type: ignore[attr-defined]


def test_every_typed_parameter_of_the_wrong_type_answers_in_the_one_shape(dienst: Dienst) -> None:
    geprobeerd = 0
    for pad, operations in dienst.client.app.openapi()["paths"].items():  # type: ignore[attr-defined]
        for methode, op in operations.items():
            getypt = [p for p in op.get("parameters", []) if p["in"] in ("path", "query") and "abc" in _pad(
                "{x}", [{**p, "in": "path", "name": "x"}], fout=True)[0]]
            if not getypt:
                continue
            url, query = _pad(pad, op.get("parameters", []), fout=True)
            r = dienst.client.request(methode.upper(), url, params=query, headers=dienst.auth(pad),
                                      json={} if "requestBody" in op else None)
            body = assert_probleem(r, 422, hub=dienst.hub, waar=f"{methode.upper()} {url}")
            assert {p["name"] for p in getypt} & {f["veld"] for f in body["fouten"]}, f"{methode.upper()} {url}: {body}"
            geprobeerd += 1
    assert geprobeerd >= 1


def test_the_errors_outside_the_routes_answer_in_the_one_shape(dienst: Dienst) -> None:
    assert_probleem(dienst.client.get("/bestaat-niet"), 404)
    assert_probleem(dienst.client.delete("/health"), 405)
    openapi = dienst.client.app.openapi()  # type: ignore[attr-defined]
    pad = next(p for p, ops in openapi["paths"].items() if "get" in ops and "{" not in p and p != "/health"
               and "security" in ops["get"] or p == "/mailbox")
    assert_probleem(dienst.client.get(pad, headers={"Authorization": "Bearer onbekend-token-123456"}), 401,
                    hub=dienst.hub and not pad.startswith("/admin"))


def test_the_error_answers_are_documented_as_problems(dienst: Dienst) -> None:
    openapi = dienst.client.app.openapi()  # type: ignore[attr-defined]
    schema = "HubProbleem" if dienst.hub else "Probleem"
    assert schema in openapi["components"]["schemas"]
    for pad, operations in openapi["paths"].items():
        for methode, op in operations.items():
            if op.get("parameters") or op.get("requestBody"):
                antwoord = op["responses"].get("422")
                assert antwoord, f"{methode.upper()} {pad}: no 422"
                assert set(antwoord["content"]) == {"application/problem+json"}, f"{methode.upper()} {pad}"
                ref = antwoord["content"]["application/problem+json"]["schema"]["$ref"]
                assert ref.rsplit("/", 1)[1] in ("Probleem", "HubProbleem"), f"{methode.upper()} {pad}: {ref}"


def test_a_misspelt_field_is_named_and_the_bsn_is_not_echoed(tmp_path: Path) -> None:
    app = _toewijzing(tmp_path)
    client = {"bsn": BSN, "geboortedatum": "1948-03-14", "geslacht": "2", "achternaam": "Jansen",
              "postcode": "1011AB", "huisnummer": 12, "voorleters": "A"}  # voorletters, misspelt
    with TestClient(app) as c:
        r = c.post("/beschikkingen", json={"client": client, "besluitdatun": "2026-11-20", "voorzieningen": []},
                   headers={"Authorization": f"Bearer {GEMEENTE_TOKENS['wijkteam']}"})
    app.state.engine.dispose()
    body = assert_probleem(r, 422, waar="POST /beschikkingen")
    assert body["type"] == "urn:iwmo-suite:fout:ongeldige-invoer" and body["title"] == "Ongeldige invoer"
    assert {(f["veld"], f["fout"]) for f in body["fouten"]} == {
        ("client.voorleters", "onbekend veld"), ("besluitdatun", "onbekend veld"),
        ("besluitdatum", "verplicht veld ontbreekt")}
    assert "client.voorleters: onbekend veld" in body["detail"]
    assert "Jansen" not in r.text and "input" not in r.text and "ctx" not in r.text


def test_a_stop_names_the_reasons_it_takes(tmp_path: Path) -> None:
    app = _aanbieder(tmp_path)
    with TestClient(app) as c:
        r = c.post(f"/aanbieders/{AGB}/stops", json={"toewijzingnummer": 1, "einddatum": "2026-12-31", "reden": "99"},
                   headers={"Authorization": f"Bearer {AANBIEDER_TOKENS[AGB]}"})
    app.state.engine.dispose()
    body = assert_probleem(r, 422)
    [fout] = body["fouten"]
    assert fout["veld"] == "reden" and "RedenBeeindiging (WMO588)" in fout["fout"]
    assert "19 (Levering volgens plan beeindigd)" in fout["fout"] and "'99'" not in r.text


def test_the_stand_ins_command_line_names_the_reasons_before_it_asks(capsys: pytest.CaptureFixture[str]) -> None:
    from iwmo import cli

    assert cli.main(["aanbieder", "stop", AGB, "--toewijzing", "1", "--einddatum", "2026-12-31", "--reden", "99"]) == 2
    fout = capsys.readouterr().err
    assert "'99' is geen RedenBeeindiging (WMO588)" in fout and "19 (Levering volgens plan beeindigd)" in fout


def test_every_request_model_refuses_unknown_fields_and_its_examples_fit() -> None:
    import gateway.schemas
    import services.aanbieder.schemas
    import services.plan.schemas
    import services.toewijzing.schemas
    from infra.schemas import RequestModel
    from services.plan.domain.rekenen import PlanInhoud

    modules = (gateway.schemas, services.aanbieder.schemas, services.plan.schemas, services.toewijzing.schemas)
    verzoeken = [m for mod in modules for naam, m in vars(mod).items()
                 if naam.endswith("In") and isinstance(m, type) and m.__module__ == mod.__name__]
    assert len(verzoeken) >= 15
    for model in verzoeken:
        assert issubclass(model, (RequestModel, PlanInhoud)) and model.model_config.get("extra") == "forbid", model
        for voorbeeld in (model.model_config.get("json_schema_extra") or {}).get("examples", []):  # type: ignore[union-attr]
            model.model_validate(voorbeeld)
