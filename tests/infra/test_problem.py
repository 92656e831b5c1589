"""The one error shape (infra.problem): what each kind of error answers, and that no answer quotes the input."""

from __future__ import annotations

from fastapi import FastAPI, HTTPException
from fastapi.testclient import TestClient
from pydantic import BaseModel, Field

from infra.errors import Conflict, DomainError, NotFound
from infra.problem import install_problem_handlers, invoer_fouten, regel_in, veldpad
from infra.problem_text import describe
from infra.schemas import RequestModel
from iwmo.exceptions import HubError


class Adres(RequestModel):
    postcode: str = Field(pattern=r"^[0-9]{4}[A-Z]{2}$")


class Invoer(RequestModel):
    bsn: str
    aantal: int = Field(ge=1)
    adres: Adres


class Antwoord(BaseModel):
    ok: bool


def _app(**invoer: str) -> TestClient:
    app = FastAPI()
    install_problem_handlers(app, invoer=invoer or None)

    @app.post("/invoer")
    def post(body: Invoer) -> Antwoord:
        return Antwoord(ok=True)

    @app.get("/fout/{soort}")
    def fout(soort: str) -> Antwoord:
        raise {"domein": DomainError("Dat kan niet (OP033x1).", "reden"),
               "meer": DomainError("Twee fouten.", "a", [("a[0].b", "mis"), ("c", "ook mis", "TR018")]),
               "weg": NotFound("Geen toewijzing 7.", "toewijzingnummer"), "al": Conflict("Al gedaan."),
               "http": HTTPException(403, "dit token hoort niet bij 12345678"),
               "hub": HubError(409, "BRS20", "Identificatie moet uniek zijn.", ["WMO301 T1 is al ontvangen"])}[soort]

    return TestClient(app)


def test_request_validation_names_the_field_and_the_reason_never_the_input() -> None:
    r = _app().post("/invoer", json={"bsn": "999990019", "aantal": 0, "adres": {"postcode": "9999 zz"}, "x": "geheim"})
    assert r.status_code == 422 and r.headers["content-type"] == "application/problem+json"
    body = r.json()
    assert body["type"] == "urn:iwmo-suite:fout:ongeldige-invoer" and body["status"] == 422
    assert body["fouten"] == [
        {"veld": "aantal", "fout": "moet minstens 1 zijn", "regel": None},
        {"veld": "adres.postcode", "fout": "heeft niet de goede vorm (patroon ^[0-9]{4}[A-Z]{2}$)", "regel": None},
        {"veld": "x", "fout": "onbekend veld", "regel": None}]
    assert "geheim" not in r.text and "9999 zz" not in r.text and "999990019" not in r.text
    assert body["detail"].startswith("De invoer past niet: aantal: moet minstens 1 zijn;")


def test_a_body_that_is_no_json_or_no_object() -> None:
    client = _app()
    geen_json = client.post("/invoer", content=b'{"bsn": "999990019",', headers={"Content-Type": "application/json"})
    assert geen_json.status_code == 422 and "999990019" not in geen_json.text
    assert geen_json.json()["fouten"] == [{"veld": None, "fout": "geen geldige JSON", "regel": None}]
    lijst = client.post("/invoer", json=["999990019"])
    assert lijst.json()["fouten"] == [{"veld": None, "fout": "moet een object zijn", "regel": None}]


def test_domain_errors_give_their_message_and_faults() -> None:
    client = _app()
    domein = client.get("/fout/domein").json()
    assert domein == {"type": "urn:iwmo-suite:fout:geweigerd", "title": "Verzoek geweigerd", "status": 422,
                      "detail": "Dat kan niet (OP033x1).",
                      "fouten": [{"veld": "reden", "fout": "Dat kan niet (OP033x1).", "regel": "OP033x1"}]}
    assert client.get("/fout/meer").json()["fouten"] == [{"veld": "a.0.b", "fout": "mis", "regel": None},
                                                         {"veld": "c", "fout": "ook mis", "regel": "TR018"}]
    weg = client.get("/fout/weg")
    assert weg.status_code == 404 and weg.json()["type"] == "urn:iwmo-suite:fout:niet-gevonden"
    al = client.get("/fout/al")
    assert al.status_code == 409 and al.json()["fouten"] == [] and al.json()["detail"] == "Al gedaan."


def test_http_errors_and_the_hub_in_the_same_shape() -> None:
    client = _app()
    verboden = client.get("/fout/http").json()
    assert verboden["type"] == "urn:iwmo-suite:fout:geen-toegang" and verboden["detail"].startswith("dit token")
    onbekend = client.get("/nergens")
    assert onbekend.status_code == 404 and onbekend.json()["detail"] == "Hier is niets: geen route op dit adres."
    assert client.put("/invoer").json()["type"] == "urn:iwmo-suite:fout:methode-niet-toegestaan"
    hub = client.get("/fout/hub").json()
    assert hub["type"] == "urn:iwmo-suite:fout:hub" and hub["status"] == 409 and hub["foutcode"] == "BRS20"
    assert hub["detail"] == hub["omschrijving"] == "Identificatie moet uniek zijn."
    assert hub["details"] == ["WMO301 T1 is al ontvangen"]
    assert hub["fouten"] == [{"veld": None, "fout": "WMO301 T1 is al ontvangen", "regel": None}]


def test_the_hub_gives_its_code_to_input_that_does_not_fit() -> None:
    body = _app(foutcode="IB018").post("/invoer", json={}).json()
    assert body["foutcode"] == "IB018" and body["type"] == "urn:iwmo-suite:fout:ongeldige-invoer"
    assert body["details"] == ["bsn: verplicht veld ontbreekt", "aantal: verplicht veld ontbreekt",
                               "adres: verplicht veld ontbreekt"]


def test_the_helpers() -> None:
    assert veldpad("activiteiten[0].reden") == "activiteiten.0.reden" and veldpad(None) is None
    assert veldpad("/Bericht/Client/ToegewezenProduct[2]") == "/Bericht/Client/ToegewezenProduct[2]"
    assert regel_in("TR302: overlap") == "TR302" and regel_in("geen regel") is None
    assert invoer_fouten([{"type": "value_error", "loc": ("query", "bsn"), "msg": "Value error, BSN is ongeldig",
                           "input": "123", "ctx": {"error": ValueError("123")}}]) == [
        {"veld": "bsn", "fout": "BSN is ongeldig", "regel": None}]


def test_a_problem_as_text_for_the_command_lines() -> None:
    probleem = {"type": "urn:iwmo-suite:fout:ongeldige-invoer", "title": "Ongeldige invoer", "status": 422,
                "detail": "De invoer past niet.", "fouten": [{"veld": "reden", "fout": "geen code", "regel": None},
                                                             {"veld": None, "fout": "TR018 mis", "regel": "TR018"}]}
    assert describe(422, probleem) == ["422 Ongeldige invoer: De invoer past niet.", "  reden: geen code",
                                       "  TR018 mis"]
    assert describe(502, "Bad Gateway") == ["502 Bad Gateway"]
