"""A beschikking for an aanbieder that is not connected to the hub: stored with a warning (its WMO301 waits,
listed with the hub's reason), or refused when the gemeente's policy says so; and the hub's address book."""

from __future__ import annotations

import pytest

from infra.errors import DomainError
from iwmo.exceptions import HubUnreachable
from services.toewijzing.domain.aansluiting import controleer
from tests.services.toewijzing.conftest import ADMIN, Keten
from tests.services.toewijzing.test_beschikking import CLIENT, UREN

ONBEKEND = "11111111"


def test_the_check_asks_each_aanbieder_once() -> None:
    gevraagd: list[str] = []

    def aangesloten(code: str) -> bool:
        gevraagd.append(code)
        return code != ONBEKEND

    velden = [("voorzieningen.0.aanbieder", ONBEKEND), ("voorzieningen.1.aanbieder", "12345678"),
              ("voorzieningen.2.aanbieder", ONBEKEND)]
    [waarschuwing] = controleer(velden, aangesloten=aangesloten, beleid="waarschuw")
    assert ONBEKEND in waarschuwing and "wacht" in waarschuwing and gevraagd == [ONBEKEND, "12345678"]
    with pytest.raises(DomainError) as exc:
        controleer(velden, aangesloten=aangesloten, beleid="weiger")
    assert [veld for veld, _ in exc.value.fouten] == ["voorzieningen.0.aanbieder", "voorzieningen.2.aanbieder"]
    assert controleer(velden, aangesloten=None, beleid="weiger") == []  # no hub configured: nothing to ask

    def weg(_code: str) -> bool:
        raise HubUnreachable("hub niet bereikbaar")

    [niet_na_te_gaan] = controleer(velden[:1], aangesloten=weg, beleid="weiger")  # no answer: not refused
    assert "niet na te gaan" in niet_na_te_gaan


def test_an_unconnected_aanbieder_gets_a_warning_and_its_wmo301_waits_with_the_reason(keten: Keten) -> None:
    r = keten.client.post("/beschikkingen", json={"client": CLIENT, "besluitdatum": "2026-11-20",
                                                  "voorzieningen": [{**UREN, "aanbieder": ONBEKEND}]})
    assert r.status_code == 201, r.text
    assert [w for w in r.json()["waarschuwingen"] if ONBEKEND in w and "niet aangesloten" in w]
    [bericht] = r.json()["berichten"]
    assert bericht["status"] == "te-verzenden" and bericht["wacht_op"].startswith("IB005")
    wachtend = keten.client.get("/berichten", params={"status": "te-verzenden"}).json()["items"]
    assert [(b["bericht"], b["wacht_op"][:5]) for b in wachtend] == [("WMO301", "IB005")]
    # a connected aanbieder: no warning
    r = keten.client.post("/beschikkingen", json={"client": {**CLIENT, "bsn": "999990032"},
                                                  "besluitdatum": "2026-11-20", "voorzieningen": [UREN]})
    assert r.status_code == 201 and r.json()["waarschuwingen"] == []


def test_the_policy_may_refuse_it_and_then_nothing_is_stored(keten: Keten) -> None:
    keten.client.app.state.settings.onbekende_aanbieder = "weiger"  # type: ignore[attr-defined]
    r = keten.client.post("/beschikkingen", json={"client": CLIENT, "besluitdatum": "2026-11-20",
                                                  "voorzieningen": [UREN, {**UREN, "aanbieder": ONBEKEND}]})
    assert r.status_code == 422, r.text
    assert [f["veld"] for f in r.json()["fouten"]] == ["voorzieningen.1.aanbieder"]
    assert keten.client.get(f"/clienten/{CLIENT['bsn']}").status_code == 404


def test_the_hub_says_who_is_connected(keten: Keten) -> None:
    token = keten.client.app.state.settings.hub_token  # type: ignore[attr-defined]
    kijk = {"Authorization": f"Bearer {token}"}
    assert keten.hub.get("/partijen/12345678", headers=kijk).json() == {"code": "12345678", "aangesloten": True,
                                                                        "rol": "aanbieder"}
    assert keten.hub.get(f"/partijen/{ONBEKEND}", headers=kijk).json()["aangesloten"] is False
    assert keten.hub.get("/partijen/12345678").status_code == 401  # only for parties
    assert keten.hub.get("/partijen/123", headers=kijk).status_code == 422



def test_five_minutes_unreachable_leave_a_bounded_trace_in_the_hubs_log(keten: Keten,
                                                                         caplog: pytest.LogCaptureFixture) -> None:
    """The service polls every second for five minutes (fake clock) while its WMO301's receiver is not
    connected: the hub is offered it a handful of times, so its log holds a handful of refusals, and the
    service logs the reason once."""
    import datetime as dt
    import logging

    r = keten.client.post("/beschikkingen", json={"client": CLIENT, "besluitdatum": "2026-11-20",
                                                  "voorzieningen": [{**UREN, "aanbieder": ONBEKEND}]})
    assert r.status_code == 201
    with caplog.at_level(logging.INFO):
        for _ in range(300):
            keten.clock.now += dt.timedelta(seconds=1)
            assert keten.client.post("/hub/ophalen").status_code == 200
    geweigerd = [rec for rec in caplog.records if rec.name == "gateway.api" and rec.getMessage() == "bericht geweigerd"]
    assert 3 <= len(geweigerd) <= 10, len(geweigerd)  # 2, 4, 8 ... seconds apart instead of 300 times
    eigen = [rec for rec in caplog.records if rec.name == "infra.outbox"]
    assert len(eigen) <= 1 and all(rec.ontvanger == ONBEKEND for rec in eigen)  # type: ignore[attr-defined]
    wacht = keten.hub.get("/admin/wacht-bij-afzender", headers={"Authorization": "Bearer " + ADMIN}).json()
    assert [(w["ontvanger"], w["pogingen"]) for w in wacht] == [(ONBEKEND, len(geweigerd))]


def test_the_same_beschikking_twice_names_the_toewijzing_it_collides_with(keten: Keten) -> None:
    r = keten.client.post("/beschikkingen", json={"client": CLIENT, "besluitdatum": "2026-11-20", "voorzieningen": [UREN]})
    nummer = r.json()["toewijzingen"][0]["toewijzingnummer"]
    r = keten.client.post("/beschikkingen", json={"client": CLIENT, "besluitdatum": "2026-11-20", "voorzieningen": [UREN]})
    assert r.status_code == 422
    [fout] = r.json()["fouten"]
    assert fout["veld"] == "voorzieningen.0" and f"al toewijzing {nummer} voor 01A01" in fout["fout"]
    assert "TR302" in fout["fout"] and "/Bericht" not in r.json()["detail"]  # words, not XPaths
    r = keten.client.post("/beschikkingen", json={"client": {**CLIENT, "bsn": "999990032"}, "besluitdatum": "2026-11-20",
                                                  "voorzieningen": [UREN, UREN]})
    assert r.status_code == 422 and r.json()["fouten"][0]["fout"].startswith("voorziening 0 kent 01A01 al toe")
    later = {**UREN, "ingangsdatum": "2027-12-01", "einddatum": "2028-11-30"}  # after the first one ends: fine
    r = keten.client.post("/beschikkingen", json={"client": CLIENT, "besluitdatum": "2026-11-20", "voorzieningen": [later]})
    assert r.status_code == 201, r.text
