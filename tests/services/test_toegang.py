"""Who may call the services' own APIs (services.common.toegang): a bearer token per caller, one per
aanbieder on the stand-in, nobody when none is configured; /health and the signed push stay open."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from iwmo.samples import sample
from iwmo.xml import to_xml
from services.aanbieder.app import create_app as create_aanbieder
from services.aanbieder.settings import AanbiederSettings
from services.common.toegang import PartijTokens, herken, lees_tokens
from services.toewijzing.app import create_app as create_toewijzing
from services.toewijzing.settings import ToewijzingSettings
from tests.services.push import AANBIEDER_TOKENS, GEHEIMEN, GEMEENTE_TOKENS, push


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
def gemeente(tmp_path: Path) -> Iterator[TestClient]:
    app = create_toewijzing(ToewijzingSettings(database_url=f"sqlite:///{tmp_path}/t.db", poll_seconds=0,
                                               api_tokens=GEMEENTE_TOKENS, push_geheim=GEHEIMEN["0363"],
                                               hub_url="http://127.0.0.1:9"))
    with TestClient(app) as client:
        yield client
    app.state.engine.dispose()


@pytest.fixture
def standin(tmp_path: Path) -> Iterator[TestClient]:
    app = create_aanbieder(AanbiederSettings(database_url=f"sqlite:///{tmp_path}/a.db", poll_seconds=0,
                                             partijen={"12345678": "hub-1", "87654321": "hub-2"},
                                             api_tokens=AANBIEDER_TOKENS, hub_url="http://127.0.0.1:9"))
    with TestClient(app) as client:
        yield client
    app.state.engine.dispose()


def test_the_back_office_opens_only_to_its_tokens(gemeente: TestClient) -> None:
    zonder = gemeente.get("/verzoeken")
    assert zonder.status_code == 401 and zonder.headers["www-authenticate"] == "Bearer"
    assert "ontbreekt" in zonder.json()["detail"]
    assert gemeente.get("/verzoeken", headers=_bearer("geraden")).status_code == 401
    assert gemeente.get("/verzoeken", headers={"Authorization": f"Basic {GEMEENTE_TOKENS['wijkteam']}"}).status_code == 401
    assert gemeente.get("/verzoeken", headers=_bearer(GEMEENTE_TOKENS["wijkteam"])).json() == []
    r = gemeente.post("/beschikkingen", json={})  # refused before the body is looked at
    assert r.status_code == 401
    assert gemeente.post("/hub/ophalen").status_code == 401
    assert gemeente.get("/health").status_code == 200


def test_the_push_stays_open_to_the_hubs_signature_alone(gemeente: TestClient) -> None:
    xml = to_xml(sample("WMO305"))
    assert push(gemeente, xml, "0363").status_code == 200  # no API token: the signature is the credential
    assert push(gemeente, xml, "0363", hub_id=2, geheim="niet-het-geheim").status_code == 401


def test_without_tokens_nobody_gets_in(tmp_path: Path) -> None:
    app = create_toewijzing(ToewijzingSettings(database_url=f"sqlite:///{tmp_path}/t.db", poll_seconds=0))
    with TestClient(app) as client:
        r = client.get("/verzoeken", headers=_bearer(""))
        assert r.status_code == 401 and "TOEWIJZING_API_TOKENS" in r.json()["detail"]
        assert client.get("/health").status_code == 200
    app.state.engine.dispose()


def test_each_aanbieder_opens_only_its_own_paths(standin: TestClient) -> None:
    eigen, ander = _bearer(AANBIEDER_TOKENS["12345678"]), _bearer(AANBIEDER_TOKENS["87654321"])
    assert standin.get("/aanbieders/12345678/toewijzingen", headers=eigen).json() == []
    r = standin.get("/aanbieders/12345678/toewijzingen", headers=ander)
    assert r.status_code == 403 and "12345678" in r.json()["detail"]
    assert standin.post("/aanbieders/12345678/starts", headers=ander,
                        json={"toewijzingnummer": 1, "begindatum": "2026-12-01"}).status_code == 403
    assert standin.get("/aanbieders/12345678/toewijzingen").status_code == 401
    assert standin.get("/partijen", headers=ander).json() == ["12345678", "87654321"]  # not one party's
    assert standin.get("/partijen").status_code == 401


def test_the_openapi_document_offers_the_bearer_scheme(gemeente: TestClient) -> None:
    spec = gemeente.get("/openapi.json").json()
    assert spec["components"]["securitySchemes"]["HTTPBearer"]["scheme"] == "bearer"
    assert spec["paths"]["/verzoeken"]["get"]["security"] == [{"HTTPBearer": []}]
    assert "security" not in spec["paths"]["/health"]["get"]
    assert "security" not in spec["paths"]["/berichten"]["post"]


def test_a_token_is_recognised_whole_and_empty_ones_never() -> None:
    tokens = {"a": "geheim-1", "b": "", "c": "geheim-2"}
    assert herken(tokens, "geheim-2") == "c"
    assert herken(tokens, "geheim") is None and herken(tokens, "geheim-12") is None
    assert herken(tokens, "") is None


def test_the_client_sends_the_token_of_the_party_in_the_path() -> None:
    gezien: list[str | None] = []

    def antwoord(request: httpx.Request) -> httpx.Response:
        gezien.append(request.headers.get("authorization"))
        return httpx.Response(200)

    auth = PartijTokens({"12345678": "t1", "87654321": "t2"})
    with httpx.Client(transport=httpx.MockTransport(antwoord), base_url="http://x", auth=auth) as client:
        client.get("/aanbieders/87654321/verzoeken")
        client.get("/aanbieders/12345678")
        client.get("/partijen")
        client.get("/aanbieders/99999999/verzoeken")
    assert gezien == ["Bearer t2", "Bearer t1", "Bearer t1", None]


def test_the_suites_token_file_is_read_when_there(tmp_path: Path) -> None:
    assert lees_tokens(tmp_path / "nergens.json") == {}
    (tmp_path / "t.json").write_text('{"toewijzing": {"m": "x"}, "aanbieder": {"12345678": "y"}}')
    assert lees_tokens(tmp_path / "t.json") == {"toewijzing": {"m": "x"}, "aanbieder": {"12345678": "y"}}
