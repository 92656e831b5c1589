"""A message to a receiver that is not connected is refused (IB005/IB010) and waits at its sender: the hub
keeps per sender, receiver and type since when and how often, shows it on the dashboard and in the API,
and forgets it once the receiver is registered."""

from __future__ import annotations

from tests.gateway.conftest import ADMIN_TOKEN, Hub
from tests.gateway.test_intake import assert_refused, xml

ADMIN = {"Authorization": f"Bearer {ADMIN_TOKEN}"}
ONBEKEND = "11111111"


def test_what_waits_at_its_sender_is_listed_until_the_receiver_is_registered(hub: Hub) -> None:
    for ident in ("T1", "T2", "T3"):  # the sender tries again (the outbox backs off; here three times)
        assert_refused(hub.send("0363", xml(ontvanger=ONBEKEND, identificatie=ident)), 422, "IB005")
    assert_refused(hub.send("12345678", xml("WMO305", ontvanger="0999")), 422, "IB010")
    lijst = hub.client.get("/admin/wacht-bij-afzender", headers=ADMIN).json()
    assert [(w["afzender"], w["ontvanger"], w["bericht"], w["foutcode"], w["pogingen"]) for w in lijst] == [
        ("0363", ONBEKEND, "WMO301", "IB005", 3), ("12345678", "0999", "WMO305", "IB010", 1)]
    assert lijst[0]["sinds"] <= lijst[0]["laatste_poging"]
    eigen = hub.client.get("/mailbox/wacht-bij-afzender", headers=hub.auth("0363")).json()
    assert [w["ontvanger"] for w in eigen] == [ONBEKEND]  # a party sees its own only
    assert hub.client.get("/mailbox/wacht-bij-afzender", headers=hub.auth("87654321")).json() == []

    hub.client.post("/dashboard/inloggen", data={"token": hub.tokens["0363"]}, follow_redirects=False)
    pagina = hub.client.get("/dashboard?ververs=0")
    assert pagina.status_code == 200 and 'id="onbekend"' in pagina.text and ONBEKEND in pagina.text
    assert "niet aangesloten" in pagina.text

    hub.add_party("aanbieder", ONBEKEND)  # registered: the next attempt goes through
    assert [w["ontvanger"] for w in hub.client.get("/admin/wacht-bij-afzender", headers=ADMIN).json()] == ["0999"]
    assert hub.send("0363", xml(ontvanger=ONBEKEND, identificatie="T4")).status_code == 202
