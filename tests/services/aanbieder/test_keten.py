"""The provider stand-in against the real gemeente service, through the hub: every message it receives
is judged and answered, every message it sends is judged by the gemeente."""

from __future__ import annotations

import dataclasses
import datetime as dt

from iwmo.hub import HANDTEKENING, handtekening
from iwmo.samples import sample
from iwmo.xml import from_xml, to_xml
from services.scenario.waarden import nieuw_bsn
from tests.services.aanbieder.conftest import AANBIEDER, GEMEENTE, ZONDER_CONTRACT, Keten
from tests.services.push import AANBIEDER_TOKENS, GEHEIMEN, push

CLIENT = {"bsn": "999990019", "geboortedatum": "1948-03-14", "geslacht": "2", "achternaam": "Jansen",
          "voorletters": "G", "postcode": "1011AB", "huisnummer": 12}
UREN = {"wijze": "uren", "categorie": "01", "code": "01A01", "aanbieder": AANBIEDER, "ingangsdatum": "2026-12-01",
        "einddatum": "2027-11-30", "omvang": {"volume": 3, "eenheid": "04", "frequentie": "2"}}


def beschik(keten: Keten, *voorzieningen: dict) -> int:  # type: ignore[type-arg]
    r = keten.gemeente.post("/beschikkingen", json={"client": CLIENT, "besluitdatum": "2026-11-20",
                                                    "voorzieningen": list(voorzieningen)})
    assert r.status_code == 201, r.text
    return int(r.json()["toewijzingen"][0]["toewijzingnummer"])


def gemeente_overzicht(keten: Keten) -> dict:  # type: ignore[type-arg]
    return keten.gemeente.get(f"/clienten/{CLIENT['bsn']}").json()  # type: ignore[no-any-return]


def test_a_toewijzing_is_taken_over_and_accepted_with_a_302(keten: Keten) -> None:
    nummer = beschik(keten, UREN)
    keten.rond()
    [t] = keten.get("/toewijzingen")
    assert (t["gemeente"], t["toewijzingnummer"], t["bsn"], t["omvang"]) == (
        GEMEENTE, nummer, CLIENT["bsn"], {"volume": 3, "eenheid": "04", "frequentie": "2", "budget": None})
    berichten = keten.get("/berichten")
    assert [(b["richting"], b["bericht"], b["status"]) for b in berichten] == [
        ("in", "WMO301", "verwerkt"), ("uit", "WMO302", "verzonden")]
    assert berichten[0]["retour_status"] == "goedgekeurd"
    assert gemeente_overzicht(keten)["toewijzingen"][0]["oordeel_aanbieder"] == "geaccepteerd"


def test_start_and_stop_are_judged_by_the_gemeente_and_the_verdict_comes_back(keten: Keten) -> None:
    keten.clock.now = dt.datetime(2026, 12, 20, 9, 0, tzinfo=dt.UTC)
    nummer = beschik(keten, UREN)
    keten.rond()
    start = keten.post("/starts", {"toewijzingnummer": nummer, "begindatum": "2026-12-02"})
    assert start["bericht"] == "WMO305" and start["status"] == "verzonden"
    keten.rond()
    stop = keten.post("/stops", {"toewijzingnummer": nummer, "einddatum": "2026-12-18", "reden": "19"})
    keten.rond()
    [t] = keten.get("/toewijzingen")
    assert [(lev["soort"], lev["begindatum"], lev["oordeel_gemeente"]) for lev in t["leveringen"]] == [
        ("start", "2026-12-02", "goedgekeurd"), ("stop", "2026-12-02", "goedgekeurd")]
    xml = keten.aanbieder.get(f"/aanbieders/{AANBIEDER}/berichten/{stop['id']}").content
    assert from_xml(xml).client.stop_producten[0].reden_beeindiging == "19"  # type: ignore[attr-defined]
    assert gemeente_overzicht(keten)["toewijzingen"][0]["levering"] == "gestopt op 18-12-2026"


def test_a_start_the_gemeente_refuses_shows_its_retourcode(keten: Keten) -> None:
    keten.clock.now = dt.datetime(2026, 12, 20, 9, 0, tzinfo=dt.UTC)
    nummer = beschik(keten, UREN)
    keten.rond()
    keten.post("/starts", {"toewijzingnummer": nummer, "begindatum": "2026-12-02"})
    keten.post("/starts", {"toewijzingnummer": nummer, "begindatum": "2026-12-05"})  # still running: TR326
    keten.rond()
    [t] = keten.get("/toewijzingen")
    assert [lev["oordeel_gemeente"] for lev in t["leveringen"]] == ["goedgekeurd", "afgekeurd"]
    assert t["leveringen"][1]["retourcodes"] == ["0200", "9326"]  # header fine, the StartProduct refused


def test_a_request_within_the_policy_is_granted_and_the_toewijzing_carries_its_reference(keten: Keten) -> None:
    beschik(keten, UREN)
    keten.rond()
    lang = "VOT-" + "7" * 32  # LDT_Referentie allows 36 characters: both services store them whole
    vot = keten.post("/verzoeken/toewijzing", {"gemeente": GEMEENTE, "bsn": CLIENT["bsn"], "producten": [
        {"ingangsdatum": "2027-01-01", "einddatum": "2027-12-31", "categorie": "02", "code": "02A01",
         "volume": 3, "eenheid": "04", "frequentie": "2", "referentie": lang}]})
    [ref] = vot["referenties"]
    assert ref == lang
    keten.rond()
    [verzoek] = keten.get("/verzoeken")
    assert (verzoek["referentie"], verzoek["status"]) == (ref, "toegekend")
    nieuw = [t for t in keten.get("/toewijzingen") if t["referentie_aanbieder"] == ref]
    assert nieuw and nieuw[0]["product"] == {"categorie": "02", "code": "02A01"}


def test_a_request_without_contract_is_refused_with_a_319_that_the_stand_in_answers(keten: Keten) -> None:
    keten.post("/verzoeken/toewijzing", agb=ZONDER_CONTRACT, body={
        "gemeente": GEMEENTE, "bsn": CLIENT["bsn"],
        "client": {"geboortedatum": "1948-03-14", "geslacht": "2", "achternaam": "Jansen"},
        "producten": [{"ingangsdatum": "2027-01-01", "einddatum": "2027-12-31", "categorie": "02", "code": "02A01", "volume": 3,
                       "eenheid": "04", "frequentie": "2"}]})
    keten.rond()
    [verzoek] = keten.get("/verzoeken", agb=ZONDER_CONTRACT)
    assert verzoek["status"] == "afgewezen" and "reden 3" in verzoek["toelichting"]
    soorten = [(b["richting"], b["bericht"]) for b in keten.get("/berichten", agb=ZONDER_CONTRACT)]
    assert soorten == [("uit", "WMO315"), ("in", "WMO316"), ("in", "WMO319"), ("uit", "WMO320")]
    assert keten.get("/berichten", agb=AANBIEDER) == []  # the other aanbieder saw nothing


def test_a_change_request_lists_the_other_toewijzingen_as_unchanged_and_is_granted(keten: Keten) -> None:
    keten.clock.now = dt.datetime(2026, 12, 20, 9, 0, tzinfo=dt.UTC)
    nummer = beschik(keten, UREN)
    keten.rond()
    vow = keten.post("/verzoeken/wijziging", {"gemeente": GEMEENTE, "bsn": CLIENT["bsn"], "wijzigingen": [
        {"toewijzingnummer": nummer, "ingangsdatum": "2026-12-01", "einddatum": "2028-05-31", "volume": 3,
         "eenheid": "04", "frequentie": "2"}]})
    keten.rond()
    [verzoek] = keten.get("/verzoeken")
    assert verzoek["referentie"] == vow["referenties"][0] and verzoek["status"] == "toegekend", verzoek
    [t] = keten.get("/toewijzingen")
    assert (t["toewijzingnummer"], t["einddatum"]) == (nummer, "2028-05-31")  # same number, longer


def test_a_301_that_breaks_a_rule_is_answered_with_0001_and_changes_nothing(keten: Keten) -> None:
    m = sample("WMO301", today=keten.clock.now.date())
    m.header.ontvanger = AANBIEDER
    m.client.toegewezen_producten[0].einddatum = dt.date(2026, 1, 1)  # before its Ingangsdatum
    r = push(keten.aanbieder, to_xml(m), AANBIEDER)
    assert r.status_code == 200, r.text
    assert r.json()["status"] == "afgekeurd"
    assert keten.get("/toewijzingen") == []
    [heen, terug] = keten.get("/berichten")
    assert heen["retourcodes"] == ["0001"] and terug["bericht"] == "WMO302"
    retour = from_xml(keten.aanbieder.get(f"/aanbieders/{AANBIEDER}/berichten/{terug['id']}").content)
    assert retour.header.retourcodes == ["0001"]  # type: ignore[attr-defined]
    again = push(keten.aanbieder, to_xml(m), AANBIEDER)
    assert again.json()["nieuw"] is False and len(keten.get("/berichten")) == 2  # redelivery: no second retour


def test_commands_that_cannot_be_honoured_are_refused_with_a_reason(keten: Keten) -> None:
    r = keten.aanbieder.post(f"/aanbieders/{AANBIEDER}/starts", json={"toewijzingnummer": 99, "begindatum": "2026-12-01"})
    assert r.status_code == 404 and r.json()["fouten"][0]["veld"] == "toewijzingnummer"
    eigen = {"Authorization": f"Bearer {AANBIEDER_TOKENS[AANBIEDER]}"}
    assert keten.aanbieder.get("/aanbieders/11111111/toewijzingen", headers=eigen).status_code == 403  # not ours
    r = keten.aanbieder.post(f"/aanbieders/{AANBIEDER}/verzoeken/toewijzing", json={
        "gemeente": GEMEENTE, "bsn": CLIENT["bsn"], "producten": [{"ingangsdatum": "2027-01-01"}]})
    assert r.status_code == 422 and r.json()["fouten"][0]["veld"] == "client"
    keten.clock.now = dt.datetime(2026, 12, 20, 9, 0, tzinfo=dt.UTC)
    nummer = beschik(keten, UREN)
    keten.rond()
    r = keten.aanbieder.post(f"/aanbieders/{AANBIEDER}/stops", json={  # never started
        "toewijzingnummer": nummer, "einddatum": "2026-12-18", "reden": "19"})
    assert r.status_code == 422 and r.json()["fouten"][0]["veld"] == "begindatum"
    r = keten.aanbieder.post(f"/aanbieders/{AANBIEDER}/stops", json={  # einddatum before begindatum: a rule
        "toewijzingnummer": nummer, "begindatum": "2026-12-10", "einddatum": "2026-12-01", "reden": "19"})
    assert r.status_code == 422 and r.json()["detail"].startswith("WMO307 voldoet niet aan de standaard: TR018"), r.text
    assert [b["bericht"] for b in keten.get("/berichten")] == ["WMO301", "WMO302"]  # nothing queued


def test_a_301_reusing_a_number_for_another_client_is_refused_as_a_whole(keten: Keten) -> None:
    nummer = beschik(keten, UREN)
    keten.rond()
    m = sample("WMO301", today=keten.clock.now.date())
    m.header.ontvanger = AANBIEDER
    m.client.bsn = nieuw_bsn()
    eerste = m.client.toegewezen_producten[0]
    eerste.toewijzing_nummer = nummer  # already names CLIENT's toewijzing at this gemeente
    tweede = dataclasses.replace(eerste, toewijzing_nummer=nummer + 1000,
                                 product=dataclasses.replace(eerste.product, code="01A02"))  # TR302: no overlap
    m.client.toegewezen_producten.append(tweede)
    r = push(keten.aanbieder, to_xml(m), AANBIEDER)
    assert r.status_code == 200 and r.json()["status"] == "verwerkt", r.text
    *_, terug = keten.get("/berichten")
    retour = from_xml(keten.aanbieder.get(f"/aanbieders/{AANBIEDER}/berichten/{terug['id']}").content)
    assert retour.header.retourcodes == ["0200"]  # type: ignore[attr-defined]
    assert [p.retourcodes for p in retour.client.toegewezen_producten] == [["9332"], ["0200"]]  # type: ignore[attr-defined]
    nummers = {t["toewijzingnummer"]: t["bsn"] for t in keten.get("/toewijzingen")}
    assert nummers == {nummer: CLIENT["bsn"]}  # IV032: a fault rejects the whole message, nothing is taken over


def test_a_refused_token_keeps_that_aanbieders_messages_queued_and_the_others_flowing(keten: Keten) -> None:
    from infra.traffic import HubParty
    from iwmo.hub import HubClient
    from tests.services.toewijzing.conftest import ADMIN

    keten.clock.now = dt.datetime(2026, 12, 20, 9, 0, tzinfo=dt.UTC)
    nummer = beschik(keten, UREN)
    keten.rond()
    parties = keten.aanbieder.app.state.traffic.parties  # type: ignore[attr-defined]
    admin = {"Authorization": f"Bearer {ADMIN}"}
    keten.hub.post("/admin/tokens/intrekken", json={"token": parties[AANBIEDER].client.headers["Authorization"][7:]},
                   headers=admin)
    start = keten.post("/starts", {"toewijzingnummer": nummer, "begindatum": "2026-12-02"})
    assert start["status"] == "te-verzenden" and "IB002" in start["fout"]
    keten.post("/verzoeken/toewijzing", agb=ZONDER_CONTRACT, body={  # the other aanbieder is not held up
        "gemeente": GEMEENTE, "bsn": CLIENT["bsn"],
        "client": {"geboortedatum": "1948-03-14", "geslacht": "2", "achternaam": "Jansen"}, "producten": [
            {"ingangsdatum": "2027-01-01", "einddatum": "2027-12-31", "categorie": "02", "code": "02A01",
             "volume": 3, "eenheid": "04", "frequentie": "2"}]})
    keten.rond()
    assert keten.get("/verzoeken", agb=ZONDER_CONTRACT)[0]["status"] == "afgewezen"
    wacht = keten.aanbieder.get(f"/aanbieders/{AANBIEDER}/berichten/{start['id']}",
                                headers={"Accept": "application/json"}).json()
    assert wacht["status"] == "te-verzenden"  # kept, not lost
    nieuw = keten.hub.post(f"/admin/parties/{AANBIEDER}/tokens", headers=admin).json()["token"]
    parties[AANBIEDER] = HubParty(AANBIEDER, HubClient(keten.hub, nieuw))  # the operator configures the new token
    keten.rond()
    [t] = [t for t in keten.get("/toewijzingen") if t["toewijzingnummer"] == nummer]
    assert [(lev["soort"], lev["oordeel_gemeente"]) for lev in t["leveringen"]] == [("start", "goedgekeurd")]


def test_a_stop_defaults_to_the_latest_start_that_still_stands(keten: Keten) -> None:
    keten.clock.now = dt.datetime(2026, 12, 20, 9, 0, tzinfo=dt.UTC)
    nummer = beschik(keten, UREN)
    keten.rond()
    keten.post("/starts", {"toewijzingnummer": nummer, "begindatum": "2026-12-02"})
    keten.rond()
    keten.post("/starts", {"toewijzingnummer": nummer, "begindatum": "2026-12-02", "status_aanlevering": "3"})
    keten.rond()
    r = keten.aanbieder.post(f"/aanbieders/{AANBIEDER}/stops", json={
        "toewijzingnummer": nummer, "einddatum": "2026-12-18", "reden": "19"})
    assert r.status_code == 422 and r.json()["fouten"][0]["veld"] == "begindatum"  # the only start was deleted
    keten.post("/starts", {"toewijzingnummer": nummer, "begindatum": "2026-12-05"})
    keten.post("/starts", {"toewijzingnummer": nummer, "begindatum": "2026-12-06"})  # refused: TR326
    keten.rond()
    stop = keten.post("/stops", {"toewijzingnummer": nummer, "einddatum": "2026-12-18", "reden": "19"})
    xml = keten.aanbieder.get(f"/aanbieders/{AANBIEDER}/berichten/{stop['id']}").content
    assert from_xml(xml).client.stop_producten[0].begindatum == dt.date(2026, 12, 5)  # type: ignore[attr-defined]
    keten.rond()
    [t] = keten.get("/toewijzingen")
    assert t["leveringen"][-1]["oordeel_gemeente"] == "goedgekeurd"


def test_a_push_needs_the_hubs_signature_with_the_receivers_secret(keten: Keten) -> None:
    m = sample("WMO301", today=keten.clock.now.date())
    m.header.ontvanger = AANBIEDER
    xml = to_xml(m)
    zonder = keten.aanbieder.post("/berichten", content=xml, headers={"Content-Type": "application/xml",
                                                                      "X-Iwmo-Bericht-Id": "1"})
    assert zonder.status_code == 401
    assert push(keten.aanbieder, xml, AANBIEDER, geheim="geraden").status_code == 401
    ondertekend_voor_1 = handtekening(GEHEIMEN[AANBIEDER], 1, xml)
    vervalst = keten.aanbieder.post("/berichten", content=xml, headers={
        "Content-Type": "application/xml", "X-Iwmo-Bericht-Id": "2", HANDTEKENING: ondertekend_voor_1})
    assert vervalst.status_code == 401  # a signature holds for one hub id only
    assert keten.get("/berichten") == []  # nothing of it was stored
    assert push(keten.aanbieder, xml, AANBIEDER).status_code == 200  # the hub's own push
    m.header.ontvanger = ZONDER_CONTRACT  # no push secret configured for this aanbieder: no pushes for it
    assert push(keten.aanbieder, to_xml(m), ZONDER_CONTRACT).status_code == 401
    assert push(keten.aanbieder, to_xml(m), AANBIEDER).status_code == 401  # signed for another aanbieder
    assert [b["bericht"] for b in keten.get("/berichten")] == ["WMO301", "WMO302"]
