"""Pull delivery, the authorization matrix, acknowledgement and retour correlation."""

from __future__ import annotations

from iwmo.regels import Fout
from iwmo.retour import RetourOpties, retour
from iwmo.samples import sample
from iwmo.xml import to_xml
from tests.conftest import TODAY
from tests.gateway.conftest import Hub

JSON = {"Accept": "application/json"}


def send_301(hub: Hub, ident: str = "T301-0001") -> int:
    m = sample("WMO301", today=TODAY)
    m.header.bericht_identificatie.identificatie = ident
    r = hub.send("0363", to_xml(m))
    assert r.status_code == 202, r.text
    return int(r.json()["id"])


def test_mailbox_lists_oldest_first_and_only_own(hub: Hub) -> None:
    ids = [send_301(hub, f"T{i}") for i in range(3)]
    box = hub.client.get("/mailbox", headers=hub.auth("12345678")).json()
    assert [m["id"] for m in box] == ids
    assert {m["afzender"] for m in box} == {"0363"}
    assert hub.client.get("/mailbox", headers=hub.auth("87654321")).json() == []


def test_sender_and_receiver_may_read_nobody_else(hub: Hub) -> None:
    bid = send_301(hub)
    original = to_xml(sample("WMO301", today=TODAY))
    for code in ("0363", "12345678"):
        r = hub.client.get(f"/berichten/{bid}", headers=hub.auth(code))
        assert r.status_code == 200 and r.headers["content-type"].startswith("application/xml")
        assert r.content == original
    for code in ("0384", "87654321"):
        r = hub.client.get(f"/berichten/{bid}", headers=hub.auth(code))
        assert r.status_code == 404 and r.json()["foutcode"] == "IB404"
    assert hub.client.get("/berichten/99999", headers=hub.auth("12345678")).status_code == 404
    assert hub.client.get(f"/berichten/{bid}").status_code == 401


def test_only_the_receiver_acknowledges(hub: Hub) -> None:
    bid = send_301(hub)
    for code in ("0363", "0384", "87654321"):
        assert hub.client.post(f"/berichten/{bid}/ontvangen", headers=hub.auth(code)).status_code == 404
    r = hub.client.post(f"/berichten/{bid}/ontvangen", headers=hub.auth("12345678"))
    assert r.json() == {"id": bid, "status": "afgeleverd"}
    again = hub.client.post(f"/berichten/{bid}/ontvangen", headers=hub.auth("12345678"))
    assert again.status_code == 200  # idempotent
    assert hub.client.get("/mailbox", headers=hub.auth("12345678")).json() == []
    meta = hub.client.get(f"/berichten/{bid}", headers={**hub.auth("0363"), **JSON}).json()
    assert meta["status"] == "afgeleverd" and meta["afgeleverd_op"]


def test_metadata_has_no_personal_data(hub: Hub) -> None:
    bid = send_301(hub)
    text = hub.client.get(f"/berichten/{bid}", headers={**hub.auth("0363"), **JSON}).text
    assert "999990019" not in text and "Jansen" not in text


def test_retour_is_correlated_and_judged(hub: Hub) -> None:
    heen = sample("WMO301", today=TODAY)
    bid = send_301(hub)
    meta = hub.client.get(f"/berichten/{bid}", headers={**hub.auth("0363"), **JSON}).json()
    assert meta["retour"] is None

    goed = retour(heen, [], RetourOpties("R1", TODAY))
    r = hub.send("12345678", to_xml(goed))
    assert r.status_code == 202, r.text
    meta = hub.client.get(f"/berichten/{bid}", headers={**hub.auth("0363"), **JSON}).json()
    assert meta["retour"]["bericht"] == "WMO302" and meta["retour"]["oordeel"] == "goedgekeurd"
    assert meta["retour"]["retourcodes"] == []
    retour_meta = hub.client.get(f"/berichten/{r.json()['id']}", headers={**hub.auth("0363"), **JSON}).json()
    assert retour_meta["antwoord_op"] == {"afzender": "0363", "bericht": "WMO301", "identificatie": "T301-0001"}


def test_rejecting_retour_shows_its_codes(hub: Hub) -> None:
    heen = sample("WMO301", today=TODAY)
    bid = send_301(hub)
    fout = Fout("X", ["/Bericht/Client/ToegewezenProducten/ToegewezenProduct"], "9332", "niet uniek")
    r = hub.send("12345678", to_xml(retour(heen, [fout], RetourOpties("R2", TODAY))))
    assert r.status_code == 202, r.text
    meta = hub.client.get(f"/berichten/{bid}", headers={**hub.auth("0363"), **JSON}).json()
    assert meta["retour"]["oordeel"] == "afgekeurd"
    assert "9332" in meta["retour"]["retourcodes"]


def test_retour_must_come_from_the_heenbericht_receiver(hub: Hub) -> None:
    heen = sample("WMO301", today=TODAY)
    send_301(hub)
    r = hub.send("87654321", to_xml(retour(heen, [], RetourOpties("R3", TODAY))))
    assert r.status_code == 403 and r.json()["foutcode"] == "IB009"


def test_declaratie_antwoord_correlates_with_the_declaratie(hub: Hub) -> None:
    decl = sample("WMO323", today=TODAY)
    r = hub.send("12345678", to_xml(decl))
    assert r.status_code == 202, r.text
    antwoord = retour(decl, [], RetourOpties("A1", TODAY))
    assert hub.send("0363", to_xml(antwoord)).status_code == 202
    meta = hub.client.get(f"/berichten/{r.json()['id']}", headers={**hub.auth("12345678"), **JSON}).json()
    assert meta["retour"]["bericht"] == "WMO325" and meta["retour"]["oordeel"] == "goedgekeurd"


def test_admin_api_requires_the_admin_token(hub: Hub) -> None:
    r = hub.client.post("/admin/parties", json={"rol": "aanbieder", "code": "11112222"},
                        headers={"Authorization": "Bearer wrong"})
    assert r.status_code == 401
    r = hub.client.post("/admin/parties", json={"rol": "gemeente", "code": "12"},
                        headers={"Authorization": "Bearer test-admin-token"})
    assert r.status_code == 422 and r.json()["foutcode"] == "ADM01"


def test_openapi_describes_every_endpoint(hub: Hub) -> None:
    spec = hub.client.get("/openapi.json").json()
    paths = spec["paths"]
    for path in ("/berichten", "/mailbox", "/berichten/{bericht_id}", "/berichten/{bericht_id}/ontvangen",
                 "/health", "/admin/parties", "/admin/tokens/intrekken"):
        assert path in paths, path
    post = paths["/berichten"]["post"]
    assert post["requestBody"]["content"]["application/xml"]["example"]
