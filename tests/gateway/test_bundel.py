"""POST /berichten/bundel: several messages in one request, each judged exactly as POST /berichten would
judge it, in order; what is stored is committed before the answer (issue 12: a service's outbox sends so)."""

from __future__ import annotations

import base64
from collections.abc import Iterator

import httpx
import pytest

from iwmo.exceptions import HubError
from iwmo.hub import HubClient
from iwmo.samples import sample
from iwmo.xml import to_xml
from tests.conftest import TODAY
from tests.gateway.conftest import Hub, make_hub
from tests.gateway.test_intake import stored


def bundel(hub: Hub, code: str, *berichten: bytes) -> httpx.Response:
    return hub.client.post("/berichten/bundel", headers=hub.auth(code),
                           json={"berichten": [base64.b64encode(b).decode() for b in berichten]})


def wmo(naam: str, ident: str, **wijzig: object) -> bytes:
    """A sample message with its own Identificatie (and attributes of its header changed)."""
    m = sample(naam, today=TODAY)
    m.header.bericht_identificatie.identificatie = ident  # type: ignore[attr-defined]
    for attr, value in wijzig.items():
        setattr(m.header, attr, value)
    return to_xml(m)


def test_each_message_gets_its_own_outcome_in_order(hub: Hub) -> None:
    eerste = wmo("WMO301", "B301-0001")
    r = bundel(hub, "0363", eerste, b"<niet-af", eerste, wmo("WMO301", "B301-0002", ontvanger="99999999"),
               wmo("WMO301", "B301-0003"))
    assert r.status_code == 200, r.text
    uitkomsten = r.json()["uitkomsten"]
    assert [u["status"] for u in uitkomsten] == [202, 400, 409, 422, 202]
    assert [u["foutcode"] for u in uitkomsten] == [None, "BRS14", "BRS20", "IB005", None]
    assert [u["identificatie"] for u in uitkomsten] == ["B301-0001", None, None, None, "B301-0003"]
    # stored: the accepted ones, once each, in the bundle's order; the refusals as POST /berichten gives them
    assert [m["id"] for m in stored(hub, "12345678")] == [uitkomsten[0]["id"], uitkomsten[4]["id"]]
    enkel = hub.send("0363", eerste)
    assert enkel.status_code == 409 and enkel.json()["foutcode"] == "BRS20"
    # the unknown receiver is remembered as waiting at its sender, as for a single message
    wacht = hub.client.get("/mailbox/wacht-bij-afzender", headers=hub.auth("0363")).json()
    assert [(w["ontvanger"], w["foutcode"]) for w in wacht] == [("99999999", "IB005")]


def test_a_refusal_after_storing_takes_the_bundle_message_by_message(database_url: str) -> None:
    """BRS28 comes after a message is written (in its transaction): the bundle's transaction is rolled back
    whole and taken again one by one, so the messages before and after it are stored all the same."""
    gen = make_hub(database_url, rules_for=["WMO317"])
    hub = next(gen)
    try:
        fout = sample("WMO317", today=TODAY)
        fout.header.bericht_identificatie.identificatie = "B317-0009"
        fout.client.verzoek.nieuwe_producten[0].gewenste_ingangsdatum = TODAY  # TR380
        goed = [wmo("WMO317", f"B317-000{i}") for i in range(3)]
        r = bundel(hub, "12345678", goed[0], to_xml(fout), goed[1], goed[2], goed[0])
        assert r.status_code == 200, r.text
        uitkomsten = r.json()["uitkomsten"]
        assert [(u["status"], u["foutcode"]) for u in uitkomsten] == [
            (202, None), (422, "BRS28"), (202, None), (202, None), (409, "BRS20")]
        assert any(d.startswith("TR380") for d in uitkomsten[1]["details"])
        assert [m["id"] for m in stored(hub, "0363")] == [u["id"] for u in uitkomsten if u["status"] == 202]
    finally:
        gen.close()


def test_the_request_itself_is_checked(hub: Hub) -> None:
    assert hub.client.post("/berichten/bundel", json={"berichten": ["eA=="]}).status_code == 401
    for fout in ([], ["eA=="] * 101, ["***"]):
        r = hub.client.post("/berichten/bundel", headers=hub.auth("0363"), json={"berichten": fout})
        assert r.status_code == 422, r.text
    onbekend = hub.client.post("/berichten/bundel", headers=hub.auth("0363"), json={"berichten": [], "x": 1})
    assert onbekend.status_code == 422
    assert stored(hub, "12345678") == []


def test_the_hub_client_sends_a_bundle(hub: Hub) -> None:
    client = HubClient(hub.client, hub.tokens["0363"])
    uitkomsten = client.send_many([wmo("WMO301", "B301-0001"), wmo("WMO301", "B301-0001")])
    assert isinstance(uitkomsten[0], int)
    assert isinstance(uitkomsten[1], HubError) and uitkomsten[1].foutcode == "BRS20"
    with pytest.raises(HubError) as exc:
        HubClient(hub.client, "fout").send_many([wmo("WMO301", "B301-0002")])
    assert exc.value.status == 401


@pytest.fixture
def klein(database_url: str) -> Iterator[Hub]:
    yield from make_hub(database_url, max_bytes=20_000)


def test_a_bundle_is_capped_as_one_message_is(klein: Hub) -> None:
    r = bundel(klein, "0363", *[wmo("WMO301", f"B301-{i:04d}") for i in range(10)])
    assert r.status_code == 413, r.text
    assert stored(klein, "12345678") == []
