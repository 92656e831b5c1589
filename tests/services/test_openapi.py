"""Every operation of the toewijzing service, the stand-in and the hub documents its success answer: a
response schema that names its fields (a model, a list of models, or a plain type), never a bare object."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI

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


def _toewijzing(tmp_path: Path) -> FastAPI:
    return create_toewijzing(ToewijzingSettings(database_url=f"sqlite:///{tmp_path}/toewijzing.db", gemeente="0363",
                                                hub_token="x", poll_seconds=0))


def _aanbieder(tmp_path: Path) -> FastAPI:
    return create_aanbieder(AanbiederSettings(database_url=f"sqlite:///{tmp_path}/aanbieder.db",
                                              partijen={"12345678": "x"}, poll_seconds=0))


def _plan(tmp_path: Path) -> FastAPI:
    return create_plan(PlanSettings(database_url=f"sqlite:///{tmp_path}/plan.db", gemeente="0363"))


def _declaratie(tmp_path: Path) -> FastAPI:
    return create_declaratie(DeclaratieSettings(database_url=f"sqlite:///{tmp_path}/declaratie.db", gemeente="0363",
                                                hub_token="x", poll_seconds=0))


def _hub(tmp_path: Path) -> FastAPI:
    return create_hub(GatewaySettings(database_url=f"sqlite:///{tmp_path}/hub.db", admin_token="admin",
                                      push_enabled=False))


def described(schema: dict[str, Any]) -> bool:
    """A schema that says what the answer holds: a reference to a model, a list of described items, or a
    plain type; not ``{}`` and not an object without properties (``dict[str, Any]``)."""
    if "$ref" in schema:
        return True
    if "anyOf" in schema or "oneOf" in schema:
        return all(described(s) for s in schema.get("anyOf", schema.get("oneOf", [])))
    if schema.get("type") == "array":
        return described(schema.get("items", {}))
    if schema.get("type") == "object":
        return bool(schema.get("properties"))
    return "type" in schema


def undocumented(spec: dict[str, Any]) -> list[str]:
    missing = []
    for path, operations in spec["paths"].items():
        for method, op in operations.items():
            ok = [r for status, r in op["responses"].items() if status.startswith("2")]
            schemas = [media["schema"] for r in ok for media in r.get("content", {}).values() if "schema" in media]
            if not schemas or not all(described(s) for s in schemas):
                missing.append(f"{method.upper()} {path}")
    return missing


@pytest.mark.parametrize("build", [_toewijzing, _aanbieder, _plan, _declaratie, _hub],
                         ids=["toewijzing", "aanbieder", "plan", "declaratie", "hub"])
def test_every_success_answer_has_a_response_schema(build: Any, tmp_path: Path) -> None:
    app = build(tmp_path)
    try:
        assert undocumented(app.openapi()) == []
    finally:
        engine = getattr(app.state, "engine", None)
        if engine is not None:
            engine.dispose()


def test_a_bare_object_does_not_count_as_a_schema() -> None:
    assert not described({"type": "object", "additionalProperties": True})
    assert not described({})
    assert described({"type": "array", "items": {"$ref": "#/components/schemas/Verzoek"}})
    assert described({"type": "array", "items": {"type": "string"}})


def test_a_message_answered_as_xml_documents_both_forms(tmp_path: Path) -> None:
    app = _aanbieder(tmp_path)
    try:
        content = app.openapi()["paths"]["/aanbieders/{agb}/berichten/{bericht_id}"]["get"]["responses"]["200"][
            "content"]
    finally:
        app.state.engine.dispose()
    assert content["application/xml"]["schema"] == {"type": "string"}
    assert content["application/json"]["schema"] == {"$ref": "#/components/schemas/Bericht"}


def test_the_normenkader_document_is_described_and_every_reference_resolves(tmp_path: Path) -> None:
    app = _plan(tmp_path)
    try:
        spec = app.openapi()
        body = spec["paths"]["/normenkaders"]["post"]["requestBody"]["content"]
        assert set(body) == {"application/json", "application/yaml"}
        refs = set(re.findall(r'"\$ref": "#/components/schemas/([^"]+)"', json.dumps(spec)))
        assert "NormenkaderNormenkaderVersie" in refs and refs <= set(spec["components"]["schemas"])
    finally:
        app.state.engine.dispose()
