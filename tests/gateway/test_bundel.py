"""POST /berichten/bundel: several messages in one request, each judged exactly as POST /berichten would
judge it, in order; what is stored is committed before the answer (issue 12: a service's outbox sends so)."""

from __future__ import annotations

import base64
import contextlib
import re
from collections.abc import Iterator

import httpx
import pytest

from iwmo.exceptions import HubError
from iwmo.hub import HubClient
from iwmo.retour import RetourOpties, retour
from iwmo.samples import sample
from iwmo.xml import to_xml
from tests import sql
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


# --- the usual bundle in a few statements ---------------------------------------------------------

def _heen(hub: Hub, ident: str) -> object:
    heen = sample("WMO301", today=TODAY)  # 0363 -> 12345678
    heen.header.bericht_identificatie.identificatie = ident
    assert hub.send("0363", to_xml(heen)).status_code == 202
    return heen


def _meta(hub: Hub, code: str, bericht_id: int) -> dict:  # type: ignore[type-arg]
    return hub.client.get(f"/berichten/{bericht_id}", headers={**hub.auth(code), "Accept": "application/json"}).json()


def _retour(heen: object, ident: str) -> bytes:
    return to_xml(retour(heen, [], RetourOpties(ident, TODAY)))  # type: ignore[arg-type]


def statements(hub: Hub) -> contextlib.AbstractContextManager[list[str]]:
    """The SQL the hub runs meanwhile."""
    return sql.statements(hub.client.app.state.engine)  # type: ignore[attr-defined]


def test_retours_in_a_bundle_are_linked_and_stored_in_a_few_statements(hub: Hub) -> None:
    """Twenty retours: their heenberichten read in one statement, the messages written in one and their audit
    rows in one more; each retour linked to its own heenbericht, the one without a heenbericht refused
    (IB021) and the others stored all the same, as one by one."""
    heen = [_heen(hub, f"H301-{i:04d}") for i in range(20)]
    nooit = sample("WMO301", today=TODAY)
    nooit.header.bericht_identificatie.identificatie = "NOOIT-VERST"
    retouren = [_retour(h, f"R302-{i:04d}") for i, h in enumerate(heen)]
    with statements(hub) as gezien:
        r = bundel(hub, "12345678", *retouren[:10], _retour(nooit, "R302-NOOIT"), *retouren[10:])
    assert r.status_code == 200, r.text
    uitkomsten = r.json()["uitkomsten"]
    assert [u["foutcode"] for u in uitkomsten] == [None] * 10 + ["IB021"] + [None] * 10
    # the push worker runs beside: only the statements on the messages and their audit rows count
    berichten = [s for s in gezien if re.search(r"\b(bericht|audit)\b", s.split("WHERE")[0])]
    if "postgresql" in str(hub.client.app.state.engine.url):  # type: ignore[attr-defined]
        # the heenberichten read, the messages written, their audit rows (SQLite writes a message a statement)
        assert len(berichten) <= 3, berichten
    assert len(berichten) < 3 + len(retouren), berichten
    heen_ids = {m["identificatie"]: m["id"] for m in stored(hub, "12345678")}
    retour_ids = {m["identificatie"]: m["id"] for m in stored(hub, "0363")}
    assert sorted(retour_ids) == [f"R302-{i:04d}" for i in range(20)]
    for i in (0, 10, 19):  # each heenbericht knows its own retour
        assert _meta(hub, "0363", heen_ids[f"H301-{i:04d}"])["retour"]["id"] == retour_ids[f"R302-{i:04d}"]


def test_retours_that_meet_in_a_bundle_are_judged_as_one_by_one(hub: Hub) -> None:
    """Two retours on one heenbericht (IB021 for the second), the same retour twice (BRS20), and a retour on
    a heenbericht answered before (IB021): the answers one by one would give."""
    a, b, c = _heen(hub, "H301-A"), _heen(hub, "H301-B"), _heen(hub, "H301-C")
    assert hub.send("12345678", _retour(c, "R302-C")).status_code == 202
    r = bundel(hub, "12345678", _retour(a, "R302-A1"), _retour(a, "R302-A2"), _retour(b, "R302-B"),
               _retour(b, "R302-B"), _retour(c, "R302-C2"))
    assert r.status_code == 200, r.text
    assert [(u["status"], u["foutcode"]) for u in r.json()["uitkomsten"]] == [
        (202, None), (409, "IB021"), (202, None), (409, "BRS20"), (409, "IB021")]
    assert sorted(m["identificatie"] for m in stored(hub, "0363")) == ["R302-A1", "R302-B", "R302-C"]
