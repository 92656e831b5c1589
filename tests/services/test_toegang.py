"""Who may call the services' own APIs (infra.auth): a bearer token per caller, one per
aanbieder on the stand-in, nobody when none is configured; /health and the signed push stay open."""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from infra.auth import PartyTokens, identify_token
from infra.tokenfile import read_tokens
from iwmo import cli
from iwmo.samples import sample
from iwmo.xml import to_xml
from services.aanbieder.app import create_app as create_aanbieder
from services.aanbieder.settings import AanbiederSettings
from services.toewijzing import overzicht
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
                                             push_geheimen={"12345678": GEHEIMEN["12345678"]},
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


def test_the_push_stays_open_to_the_hubs_signature_alone(gemeente: TestClient, standin: TestClient) -> None:
    xml = to_xml(sample("WMO305"))
    assert push(gemeente, xml, "0363").status_code == 200  # no API token: the signature is the credential
    assert push(gemeente, xml, "0363", hub_id=2, geheim="niet-het-geheim").status_code == 401
    toewijzing = sample("WMO301")
    toewijzing.header.ontvanger = "12345678"
    assert push(standin, to_xml(toewijzing), "12345678").status_code == 200
    assert push(standin, to_xml(toewijzing), "12345678", hub_id=2, geheim="niet-het-geheim").status_code == 401


OPEN = {("GET", "/health"), ("POST", "/berichten")}
VOORBEELD = {"bsn": "999990019", "nummer": "1", "verzoek_id": "1", "agb": "12345678", "referentie": "R1",
             "bericht_id": "1"}


def _routes(client: TestClient) -> list[tuple[str, str]]:
    """Every operation the service offers, as its OpenAPI document lists them."""
    paden = client.get("/openapi.json").json()["paths"]
    return sorted((methode.upper(), pad) for pad, ops in paden.items() for methode in ops)


@pytest.mark.parametrize("dienst", ["gemeente", "standin"])
def test_every_route_but_health_and_push_asks_for_a_token(dienst: str, request: pytest.FixtureRequest) -> None:
    client: TestClient = request.getfixturevalue(dienst)
    routes = _routes(client)
    assert len(routes) >= 12
    for methode, pad in routes:
        echt = pad.format(**VOORBEELD)
        r = client.request(methode, echt, content=b"{kapot", headers={"Content-Type": "application/json"})
        if (methode, pad) in OPEN:  # /health answers; the push judges its signature, not an API token
            assert "www-authenticate" not in r.headers, (methode, pad)
        else:  # refused before the (broken) body is looked at
            assert r.status_code == 401 and r.headers["www-authenticate"] == "Bearer", (methode, pad, r.text)
        if "{agb}" in pad:  # another aanbieder's token: 403, also before the body
            r = client.request(methode, echt, content=b"{kapot", headers={
                "Content-Type": "application/json", **_bearer(AANBIEDER_TOKENS["87654321"])})
            assert r.status_code == 403, (methode, pad, r.text)


def test_a_caller_with_a_token_still_cannot_send_a_huge_body(gemeente: TestClient) -> None:
    r = gemeente.post("/beschikkingen", content=b"x" * (1024 * 1024 + 1), headers={
        "Content-Type": "application/json", **_bearer(GEMEENTE_TOKENS["wijkteam"])})
    assert r.status_code == 413


@pytest.mark.parametrize(("tokens", "melding"), [
    ({"a": "x7Q2zz"}, "korter dan 16"),
    ({"a": "   "}, "leeg of bevat tekens"),
    ({"a": ""}, "leeg of bevat tekens"),
    ({"a": "tök-tök-tök-tök-tök"}, "leeg of bevat tekens"),
    ({"a": "met spatie-0123456789"}, "leeg of bevat tekens"),
    ({"a": "hetzelfde-token-0123", "b": "hetzelfde-token-0123"}, "'a' en 'b' hebben hetzelfde token"),
])
def test_tokens_that_could_never_work_are_refused_at_start(tokens: dict[str, str], melding: str) -> None:
    with pytest.raises(ValueError, match=melding) as fout:
        ToewijzingSettings(api_tokens=tokens)
    for token in tokens.values():
        assert not token.strip() or token not in str(fout.value)  # the token is never echoed
    assert AanbiederSettings(api_tokens={"12345678": "Ab0-._~+/" + "x" * 10 + "=="}).api_tokens


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
    assert identify_token(tokens, "geheim-2") == "c"
    assert identify_token(tokens, "geheim") is None and identify_token(tokens, "geheim-12") is None
    assert identify_token(tokens, "") is None


def test_the_client_sends_the_token_of_the_party_in_the_path() -> None:
    gezien: list[str | None] = []

    def antwoord(request: httpx.Request) -> httpx.Response:
        gezien.append(request.headers.get("authorization"))
        return httpx.Response(200)

    auth = PartyTokens({"12345678": "t1", "87654321": "t2"})
    with httpx.Client(transport=httpx.MockTransport(antwoord), base_url="http://x", auth=auth) as client:
        client.get("/aanbieders/87654321/verzoeken")
        client.get("/aanbieders/12345678")
        client.get("/partijen")
        client.get("/aanbieders/99999999/verzoeken")
        client.get("/aanbieders/12345678/verzoeken", headers={"Authorization": "Bearer eigen"})
    assert gezien == ["Bearer t2", "Bearer t1", "Bearer t1", None, "Bearer eigen"]


def test_the_suites_token_file_is_read_when_there(tmp_path: Path) -> None:
    assert read_tokens(tmp_path / "nergens.json") == {}
    (tmp_path / "t.json").write_text('{"toewijzing": {"m": "x"}, "aanbieder": {"12345678": "y"}}')
    assert read_tokens(tmp_path / "t.json") == {"toewijzing": {"m": "x"}, "aanbieder": {"12345678": "y"}}
    for kapot in ("{kapot", "[1, 2]", '{"toewijzing": "x"}'):
        (tmp_path / "k.json").write_text(kapot)
        with pytest.raises(ValueError, match="geen bestand met API-tokens"):
            read_tokens(tmp_path / "k.json")


def test_the_commands_say_in_one_line_when_the_token_file_is_broken(tmp_path: Path) -> None:
    (tmp_path / "k.json").write_text("{kapot")
    for argv in (["scenario", "run", "scenarios/uren.yaml", "--tokens", str(tmp_path / "k.json")],
                 ["aanbieder", "--tokens", str(tmp_path / "k.json"), "toewijzingen", "12345678"]):
        out, err = io.StringIO(), io.StringIO()
        assert cli.main(argv, out=out, err=err) == 2
        assert "geen bestand met API-tokens" in err.getvalue() and "Traceback" not in err.getvalue()


def _stroom(n: int) -> Iterator[bytes]:  # no Content-Length: the cap must hold on the stream itself
    for _ in range(n):
        yield b" " * 65536


def test_a_streamed_body_is_capped_as_it_arrives(gemeente: TestClient) -> None:
    r = gemeente.post("/beschikkingen", content=_stroom(40), headers={  # 2.5 MB, chunked
        "Content-Type": "application/json", **_bearer(GEMEENTE_TOKENS["wijkteam"])})
    assert r.status_code == 413


def test_an_unexpected_error_is_logged_without_its_message(gemeente: TestClient, monkeypatch: pytest.MonkeyPatch,
                                                           caplog: pytest.LogCaptureFixture) -> None:
    from sqlalchemy.exc import IntegrityError


    def kapot(*_a: object, **_k: object) -> None:
        raise ValueError("client 999990019 Jansen")

    monkeypatch.setattr(overzicht, "overzicht", kapot)
    with caplog.at_level(logging.DEBUG):
        r = gemeente.get("/clienten/999990019", headers=_bearer(GEMEENTE_TOKENS["wijkteam"]))
    assert r.status_code == 500 and "999990019" not in r.text
    dienst = "\n".join(r.getMessage() for r in caplog.records if not r.name.startswith("httpx"))  # the test's client
    assert "ValueError" in dienst and "999990019" not in dienst and "Jansen" not in dienst

    def botsing(*_a: object, **_k: object) -> None:
        raise IntegrityError("INSERT ...", {"bsn": "999990019"}, Exception("unique"))

    monkeypatch.setattr(overzicht, "overzicht", botsing)
    r = gemeente.get("/clienten/999990019", headers=_bearer(GEMEENTE_TOKENS["wijkteam"]))
    assert r.status_code == 409 and "opnieuw" in r.json()["detail"]


def test_database_errors_never_carry_the_values() -> None:
    from infra.db import make_engine

    for url in ("sqlite://", "postgresql+psycopg://nobody@127.0.0.1:1/x"):
        assert make_engine(url).hide_parameters


def test_client_details_stay_within_the_standards_lengths(gemeente: TestClient) -> None:
    client = {"bsn": "999990019", "geboortedatum": "1950-01-01", "geslacht": "1", "achternaam": "Pietersen",
              "postcode": "1011AB", "huisnummer": 7, "straatnaam": "Burgemeester van Walsumweg Oost"}
    r = gemeente.post("/beschikkingen", headers=_bearer(GEMEENTE_TOKENS["wijkteam"]), json={
        "client": client, "besluitdatum": "2026-11-20", "voorzieningen": []})
    assert r.status_code == 422 and "straatnaam" in r.text  # LDT_Straatnaam: 24 characters
