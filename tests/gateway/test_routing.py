"""Delivery per party and message type: routes, filtered and batched collection, what waits for its owner."""

from __future__ import annotations

import base64
from collections.abc import Iterator

import httpx
import pytest

from gateway.push import deliver_round
from iwmo.samples import sample
from iwmo.xml import to_xml
from tests.conftest import TODAY
from tests.gateway.conftest import ADMIN_TOKEN, Hub, make_hub
from tests.gateway.test_push import Clock, Receiver

ADMIN = {"Authorization": f"Bearer {ADMIN_TOKEN}"}
TOEWIJZING = "http://toewijzing.test/berichten"


@pytest.fixture
def hub(database_url: str) -> Iterator[Hub]:
    yield from make_hub(database_url, push_enabled=False)


def stuur(hub: Hub, bericht: str, ident: str) -> int:
    m = sample(bericht, today=TODAY)
    m.header.bericht_identificatie.identificatie = ident  # type: ignore[attr-defined]
    r = hub.send("12345678", to_xml(m))
    assert r.status_code == 202, r.text
    return int(r.json()["id"])


def routes(hub: Hub, code: str, berichten: list[str], endpoint: str | None) -> httpx.Response:
    return hub.client.put(f"/admin/parties/{code}/routes", json={"berichten": berichten, "endpoint": endpoint},
                          headers=ADMIN)


def push_round(hub: Hub, receiver: Receiver) -> int:
    app = hub.client.app
    with httpx.Client(transport=httpx.MockTransport(receiver)) as client:
        return deliver_round(app.state.session_factory, client, app.state.settings, Clock())  # type: ignore[attr-defined]


def test_routes_are_set_per_message_type_and_checked_against_the_role(hub: Hub) -> None:
    r = routes(hub, "0363", ["WMO305", "WMO307"], TOEWIJZING)
    assert r.status_code == 200, r.text
    body = r.json()
    assert [(x["bericht"], x["endpoint"]) for x in body["routes"]] == [("WMO305", TOEWIJZING), ("WMO307", TOEWIJZING)]
    assert body["push_geheim"]  # the first push endpoint brings a secret to check the hub's signature with
    assert routes(hub, "0363", ["WMO323"], None).json()["routes"][-1] == {"bericht": "WMO323", "endpoint": None}
    fout = routes(hub, "0363", ["WMO301"], TOEWIJZING)  # a gemeente receives no WMO301
    assert fout.status_code == 422 and fout.json()["foutcode"] == "ADM01" and "WMO305" in fout.json()["omschrijving"]
    assert routes(hub, "0363", ["WMO305"], "ftp://x").status_code == 422
    assert routes(hub, "9999", ["WMO305"], None).status_code == 404
    assert hub.client.put("/admin/parties/0363/routes", json={"berichten": ["WMO305"]}).status_code == 401
    weg = hub.client.delete("/admin/parties/0363/routes/WMO307", headers=ADMIN).json()
    assert [x["bericht"] for x in weg["routes"]] == ["WMO305", "WMO323"]


def test_a_type_without_an_owner_waits_visibly_and_never_holds_up_the_pair(hub: Hub) -> None:
    routes(hub, "0363", ["WMO305"], TOEWIJZING)
    eerst = stuur(hub, "WMO323", "D1")  # no route: waits to be collected by its owner
    start = stuur(hub, "WMO305", "S1")  # routed: pushed, although an older message of the pair waits
    receiver = Receiver()
    assert push_round(hub, receiver) == 1
    assert [int(i) for i, _ in receiver.received] == [start]
    assert push_round(hub, receiver) == 0  # nothing pushable is left; the WMO323 is not tried
    wachtend = hub.client.get("/mailbox/wachtend", headers=hub.auth("0363")).json()
    assert [(w["bericht"], w["aantal"], w["aflevering"]) for w in wachtend] == [("WMO323", 1, "ophalen")]
    assert hub.client.get("/admin/wachtend", headers=ADMIN).json() == wachtend
    assert hub.client.get("/mailbox/wachtend", headers=hub.auth("12345678")).json() == []
    # its owner collects it when it comes
    [meta] = hub.client.get("/mailbox", params={"bericht": "WMO323"}, headers=hub.auth("0363")).json()
    assert meta["id"] == eerst


def test_a_route_set_later_delivers_what_waited(hub: Hub) -> None:
    d = stuur(hub, "WMO323", "D1")
    receiver = Receiver()
    assert push_round(hub, receiver) == 0
    routes(hub, "0363", ["WMO323"], "http://declaratie.test/berichten")
    assert push_round(hub, receiver) == 1 and [int(i) for i, _ in receiver.received] == [d]
    assert hub.client.get("/mailbox/wachtend", headers=hub.auth("0363")).json() == []


def test_a_route_without_endpoint_keeps_a_type_from_the_partys_own_endpoint(database_url: str) -> None:
    gen = make_hub(database_url, push_enabled=False)
    hub = next(gen)
    hub.add_party("gemeente", "0014", endpoint="http://gemeente.test/alles")
    try:
        routes(hub, "0014", ["WMO323"], None)
        for bericht, ident in (("WMO323", "D1"), ("WMO305", "S1")):
            m = sample(bericht, today=TODAY)
            m.header.ontvanger, m.header.bericht_identificatie.identificatie = "0014", ident  # type: ignore[attr-defined]
            assert hub.send("12345678", to_xml(m)).status_code == 202
        receiver = Receiver()
        assert push_round(hub, receiver) == 1  # the WMO305 by the party's endpoint; the WMO323 waits
        assert [w["bericht"] for w in hub.client.get("/admin/wachtend", headers=ADMIN).json()] == ["WMO323"]
    finally:
        gen.close()


def test_collection_is_filtered_by_type_paged_and_carries_the_content(hub: Hub) -> None:
    ids = [stuur(hub, "WMO305", f"S{i}") for i in range(3)] + [stuur(hub, "WMO323", "D1")]
    auth = hub.auth("0363")
    alleen = hub.client.get("/mailbox", params={"bericht": ["WMO305", "WMO307"], "limit": 2, "inhoud": "true"},
                            headers=auth).json()
    assert [m["id"] for m in alleen] == ids[:2]
    assert all(m["bericht"] == "WMO305" for m in alleen)
    xml = hub.client.get(f"/berichten/{ids[0]}", headers=auth).content
    assert base64.b64decode(alleen[0]["xml"]) == xml
    volgende = hub.client.get("/mailbox", params={"bericht": "WMO305", "na": alleen[-1]["id"]}, headers=auth).json()
    assert [m["id"] for m in volgende] == [ids[2]] and "xml" not in volgende[0]
    assert hub.client.get("/mailbox", params={"bericht": "305"}, headers=auth).json()["foutcode"] == "IB018"


def test_many_messages_are_acknowledged_in_one_request_and_only_the_callers(hub: Hub) -> None:
    ids = [stuur(hub, "WMO305", f"S{i}") for i in range(3)]
    m = sample("WMO301", today=TODAY)
    ander = int(hub.send("0363", to_xml(m)).json()["id"])  # for 12345678, not for 0363
    r = hub.client.post("/mailbox/ontvangen", json={"ids": [*ids[:2], ander, 999_999]}, headers=hub.auth("0363"))
    assert r.status_code == 200 and r.json() == {"afgeleverd": ids[:2]}
    assert [x["id"] for x in hub.client.get("/mailbox", headers=hub.auth("0363")).json()] == [ids[2]]
    assert [x["id"] for x in hub.client.get("/mailbox", headers=hub.auth("12345678")).json()] == [ander]
    again = hub.client.post("/mailbox/ontvangen", json={"ids": ids[:2]}, headers=hub.auth("0363"))
    assert again.json() == {"afgeleverd": ids[:2]}  # repeating it is harmless
    assert hub.client.post("/mailbox/ontvangen", json={"ids": []}, headers=hub.auth("0363")).status_code == 422


def test_the_hub_root_leads_a_browser_to_the_dashboard(hub: Hub) -> None:
    r = hub.client.get("/", follow_redirects=False)
    assert r.status_code == 307 and r.headers["location"] == "/dashboard"


def test_a_hub_of_the_previous_version_upgrades_and_delivers_as_before(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """A database at 0006 (before routes): after the upgrade a party's own endpoint still takes all its
    types, and what waited is listed as before."""
    from sqlalchemy import create_engine, text

    from gateway.db import migrate

    url = f"sqlite:///{tmp_path}/hub.db"
    migrate(url, "0006")
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO party (id, rol, code, endpoint, push_geheim, created_at) VALUES "
                          "(99, 'gemeente', '0014', 'http://gemeente.test/alles', 'geheim', '2026-11-20 10:00:00')"))
        for i, bericht in enumerate(("WMO305", "WMO323"), start=1):
            conn.execute(text("INSERT INTO bericht (id, bericht, berichtcode, afzender, ontvanger, identificatie, xml, "
                              "size, status, received_at, attempts) VALUES (:id, :b, '416', '12345678', '0014', :i, "
                              "x'00', 1, 'ontvangen', '2026-11-20 10:00:00', 0)"), {"id": i, "b": bericht, "i": f"X{i}"})
            conn.execute(text("INSERT INTO push_pair (afzender, ontvanger) SELECT '12345678', '0014' "
                              "WHERE NOT EXISTS (SELECT 1 FROM push_pair)"))
    engine.dispose()
    gen = make_hub(url, push_enabled=False)  # migrates to the newest version on start
    hub = next(gen)
    try:
        wachtend = hub.client.get("/admin/wachtend", headers=ADMIN).json()
        assert [(w["bericht"], w["aflevering"]) for w in wachtend] == [
            ("WMO305", "push naar http://gemeente.test/alles"), ("WMO323", "push naar http://gemeente.test/alles")]
        receiver = Receiver()
        assert push_round(hub, receiver) == 2 and [i for i, _ in receiver.received] == ["1", "2"]
    finally:
        gen.close()


def test_routes_from_the_command_line(tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    import io

    from iwmo import cli

    monkeypatch.setenv("GATEWAY_DATABASE_URL", f"sqlite:///{tmp_path}/hub.db")

    def iwmo(*args: str) -> tuple[int, str, str]:
        out, err = io.StringIO(), io.StringIO()
        return cli.main(["gateway", *args], out=out, err=err), out.getvalue(), err.getvalue()

    code, out, _ = iwmo("add-party", "--gemeente", "0363")
    eerste = out.splitlines()[-1]
    assert code == 0 and len(eerste) > 30
    code, out, _ = iwmo("add-party", "--gemeente", "0363")  # again (a script run twice): a usable new token
    assert code == 0 and "was al geregistreerd" in out and len(out.splitlines()[-1]) > 30
    assert out.splitlines()[-1] != eerste
    code, _, err = iwmo("add-party", "--aanbieder", "0363")  # another role under the same code: refused
    assert code == 2 and "0363" in err
    code, out, _ = iwmo("route", "0363", "--bericht", "WMO305", "--bericht", "WMO307", "--endpoint", TOEWIJZING)
    assert code == 0 and f"WMO305 -> {TOEWIJZING}" in out and "overige typen -> ophalen" in out and "Push-geheim" in out
    code, _, err = iwmo("route", "0363", "--bericht", "WMO301", "--ophalen")
    assert code == 2 and "niet WMO301" in err
    assert iwmo("route", "0363", "--bericht", "WMO305")[0] == 2  # where to? (endpoint, ophalen or weg)
    code, out, _ = iwmo("route", "0363", "--bericht", "WMO307", "--weg")
    assert code == 0 and "WMO307" not in out and "WMO305" in out
    assert iwmo("route", "9999")[0] == 2
    assert iwmo("wachtend") == (0, "", "")


def test_one_partys_routes_never_steer_anothers_messages(database_url: str) -> None:
    """0363 keeps WMO305 for collection and pushes WMO307; 0014 has an endpoint of its own and no routes:
    its WMO305 is pushed there, and nothing of 0363's routes applies to it."""
    gen = make_hub(database_url, push_enabled=False)
    hub = next(gen)
    hub.add_party("gemeente", "0014", endpoint="http://0014.test/alles")
    try:
        routes(hub, "0363", ["WMO305"], None)
        routes(hub, "0363", ["WMO307"], TOEWIJZING)
        ids = {}
        for ontvanger in ("0363", "0014"):
            m = sample("WMO305", today=TODAY)
            m.header.ontvanger, m.header.bericht_identificatie.identificatie = ontvanger, f"S{ontvanger}"  # type: ignore[attr-defined]
            ids[ontvanger] = int(hub.send("12345678", to_xml(m)).json()["id"])
        receiver = Receiver()
        assert push_round(hub, receiver) == 1
        assert [int(i) for i, _ in receiver.received] == [ids["0014"]]
        assert push_round(hub, receiver) == 0  # 0363's WMO305 waits to be collected
        wachtend = hub.client.get("/admin/wachtend", headers=ADMIN).json()
        assert [(w["ontvanger"], w["bericht"], w["aflevering"]) for w in wachtend] == [("0363", "WMO305", "ophalen")]
    finally:
        gen.close()


def test_an_endpoint_that_does_not_own_a_type_leaves_it_for_collection_and_the_pair_goes_on(database_url: str) -> None:
    """A gemeente with one endpoint of its own (set up before routes existed): the toewijzing service
    there answers 421 to a WMO323. The hub then keeps WMO323 for collection (a route, audited) instead of
    retrying it and holding up the WMO305 behind it, and counts no failed attempt."""
    gen = make_hub(database_url, push_enabled=False)
    hub = next(gen)
    hub.add_party("gemeente", "0518", endpoint="http://toewijzing.test/berichten")
    try:
        ids = {}
        for bericht in ("WMO323", "WMO305"):
            m = sample(bericht, today=TODAY)
            m.header.ontvanger, m.header.bericht_identificatie.identificatie = "0518", f"X{bericht}"  # type: ignore[attr-defined]
            ids[bericht] = int(hub.send("12345678", to_xml(m)).json()["id"])
        receiver = Receiver([421])
        push_round(hub, receiver)
        push_round(hub, receiver)
        assert [int(i) for i, _ in receiver.received] == [ids["WMO305"]]
        assert routes(hub, "0518", ["WMO305"], "http://toewijzing.test/berichten").json()["routes"][-1] == {
            "bericht": "WMO323", "endpoint": None}
        [w] = hub.client.get("/admin/wachtend", headers=ADMIN).json()
        assert (w["bericht"], w["aflevering"], w["laatste_fout"]) == ("WMO323", "ophalen", None)
        [meta] = hub.client.get("/mailbox", params={"bericht": "WMO323"}, headers=hub.auth("0518")).json()
        assert meta["id"] == ids["WMO323"] and meta["status"] == "ontvangen"  # waits for its owner, not dead
    finally:
        gen.close()


def test_acknowledging_many_checks_the_caller_before_the_body_and_caps_it(hub: Hub) -> None:
    groot = b'{"ids": [' + b"1, " * 40_000 + b"1]}"  # about 120 kB
    assert hub.client.post("/mailbox/ontvangen", content=groot, headers={"Content-Type": "application/json"}
                           ).json()["foutcode"] == "IB002"  # no token: refused before the body is read
    r = hub.client.post("/mailbox/ontvangen", content=groot,
                        headers={**hub.auth("0363"), "Content-Type": "application/json"})
    assert r.status_code == 413 and r.json()["foutcode"] == "IB003"
    for fout in (b'{"ids": [100000000000000000000000000000]}', b'{"ids": "x"}', b"geen json"):
        r = hub.client.post("/mailbox/ontvangen", content=fout, headers={**hub.auth("0363"),
                                                                         "Content-Type": "application/json"})
        assert r.status_code == 422 and r.json()["foutcode"] == "IB018", fout
    assert hub.client.get("/mailbox", params={"na": 10**30}, headers=hub.auth("0363")).status_code == 422
    assert hub.client.get(f"/berichten/{10**30}", headers=hub.auth("0363")).status_code == 422


def test_an_empty_endpoint_is_no_endpoint(hub: Hub) -> None:
    r = hub.client.post("/admin/parties", json={"rol": "gemeente", "code": "0014", "endpoint": ""}, headers=ADMIN)
    assert r.status_code == 201 and r.json()["endpoint"] is None and r.json()["push_geheim"] is None
    r = hub.client.post("/admin/parties", json={"rol": "gemeente", "code": "0518", "endpoint": "ftp://x"}, headers=ADMIN)
    assert r.status_code == 422 and "http(s)" in r.json()["omschrijving"]


def test_a_page_with_content_stays_within_its_size() -> None:
    from types import SimpleNamespace

    from gateway.mailbox import tot_omvang

    berichten = [SimpleNamespace(size=n) for n in (6, 3, 2, 1)]
    assert [b.size for b in tot_omvang(berichten, 10)] == [6, 3]  # type: ignore[arg-type, attr-defined]
    assert [b.size for b in tot_omvang(berichten, 1)] == [6]  # type: ignore[arg-type, attr-defined]  # one always


def test_a_dead_letter_acknowledged_after_all_is_delivered_and_the_newest_error_is_shown(hub: Hub) -> None:
    from sqlalchemy import update

    from gateway.models import Bericht

    ids = [stuur(hub, "WMO305", f"S{i}") for i in range(2)]
    with hub.client.app.state.session_factory() as session:  # type: ignore[attr-defined]
        session.execute(update(Bericht).where(Bericht.id == ids[0]).values(last_error="B: ouder"))
        session.execute(update(Bericht).where(Bericht.id == ids[1]).values(last_error="A: nieuwer"))
        session.commit()
    [w] = hub.client.get("/mailbox/wachtend", headers=hub.auth("0363")).json()
    assert w["laatste_fout"] == "A: nieuwer"  # the newest message's, not the largest text
    with hub.client.app.state.session_factory() as session:  # type: ignore[attr-defined]
        session.execute(update(Bericht).where(Bericht.id == ids[0]).values(status="dead"))
        session.commit()
    r = hub.client.post("/mailbox/ontvangen", json={"ids": ids}, headers=hub.auth("0363"))
    assert r.json() == {"afgeleverd": ids}
    assert hub.client.get("/admin/dead-letters", headers=ADMIN).json() == []
