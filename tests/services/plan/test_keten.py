"""The gate end to end: a resultaat WMO301 waits, visibly, until a besluit establishes its plan; then it goes."""

from __future__ import annotations

import datetime as dt
from typing import Any

from tests.services.plan.conftest import PlanKeten
from tests.services.toewijzing.test_beschikking import CLIENT, RESULTAAT, UREN, beschik

BSN = CLIENT["bsn"]
ALLE = ["stofzuigen-dweilen", "sanitair", "keuken", "opruimen-afval", "afstoffen", "bed-verschonen", "ramen-binnen",
        "grote-schoonmaak"]


def inhoud(**extra: Any) -> dict[str, Any]:
    return {"normenkader": {"naam": "hh-demo", "versie": "2026.1"}, "voorziening": {"categorie": "01", "code": "01A02"},
            "activiteiten": [{"activiteit": a} for a in ALLE], "deelnemers": [{"rol": "client"}, {"rol": "consulent"}],
            **extra}


def maak_plan(pk: PlanKeten, toewijzingnummer: int | None, **extra: Any) -> Any:
    r = pk.plan.post("/plannen", json={"bsn": BSN, "toewijzingnummer": toewijzingnummer, **inhoud(**extra)})
    assert r.status_code == 201, r.text
    return r.json()


def besluit(pk: PlanKeten, nummers: list[int], plannen: list[tuple[int, int]], **extra: Any) -> Any:
    return pk.plan.post("/besluiten", json={
        "bsn": BSN, "toewijzingnummers": nummers, "plannen": [{"plan": p, "versie": v} for p, v in plannen],
        "besluitdatum": "2026-11-20", "bekendmaking": "2026-11-23", "instemming": "client", **extra})


def wacht_op(pk: PlanKeten) -> str | None:
    overzicht = pk.keten.client.get(f"/clienten/{BSN}").json()
    return next(b["wacht_op"] for b in overzicht["berichten"] if b["bericht"] == "WMO301")


def test_a_resultaat_waits_for_its_plan_and_goes_once_a_besluit_establishes_it(plan_keten: PlanKeten) -> None:
    pk, vandaag = plan_keten, plan_keten.keten.clock.now.date()
    pk.publiceer_demo()
    nummer = beschik(pk.keten, RESULTAAT)["toewijzingen"][0]["toewijzingnummer"]
    assert pk.keten.aanbieder.haal_op(vandaag) == []
    assert "nog geen ondersteuningsplan" in (wacht_op(pk) or "")  # the overview says why it waits

    plan = maak_plan(pk, nummer)
    [versie] = plan["versies"]
    assert versie["status"] == "concept" and versie["berekening"]["totaal"]["in_woorden"] == \
        "2 uur en 5 minuten per week, 108 uur per jaar"
    pk.keten.sync()
    assert pk.keten.aanbieder.haal_op(vandaag) == []
    assert "is nog een concept" in (wacht_op(pk) or "")

    r = besluit(pk, [nummer], [(plan["id"], 1)])
    assert r.status_code == 201, r.text
    assert r.json()["einde_bezwaartermijn"] == "2027-01-04"  # 23-11 + 6 weeks = Mon 4 January 2027
    assert pk.keten.sync()["verzonden"] == 1
    [wmo301] = pk.keten.aanbieder.haal_op(vandaag)
    assert [p.toewijzing_nummer for p in wmo301.client.toegewezen_producten] == [nummer]
    plan = pk.plan.get(f"/plannen/{plan['id']}").json()
    assert plan["geldende_versie"] == 1 and plan["versies"][0]["status"] == "vastgesteld"

    assert besluit(pk, [nummer], [(plan["id"], 1)]).json()["detail"].startswith(f"plan {plan['id']} versie 1 is al "
                                                                               "vastgesteld")


def test_a_besluit_on_a_resultaat_without_a_plan_is_refused(plan_keten: PlanKeten) -> None:
    pk = plan_keten
    pk.publiceer_demo()
    overzicht = beschik(pk.keten, UREN, RESULTAAT)
    uren, resultaat = (t["toewijzingnummer"] for t in overzicht["toewijzingen"])
    r = besluit(pk, [uren, resultaat], [])
    assert r.status_code == 422 and r.json()["fouten"][0]["veld"] == "plannen" and "resultaat zonder" in r.json()["detail"]
    assert besluit(pk, [uren], []).status_code == 201  # uren needs no plan


def test_refusals_store_nothing(plan_keten: PlanKeten) -> None:
    pk = plan_keten
    pk.publiceer_demo()
    nummer = beschik(pk.keten, RESULTAAT)["toewijzingen"][0]["toewijzingnummer"]
    r = pk.plan.post("/plannen", json={"bsn": BSN, **inhoud(activiteiten=[{"activiteit": "ramen-buiten"}])})
    assert r.status_code == 422 and r.json()["fouten"][0]["veld"] == "activiteiten.0.activiteit"
    assert {f["veld"] for f in r.json()["fouten"]} == {"activiteiten.0.activiteit", "activiteiten"}
    r = pk.plan.post("/plannen", json={"bsn": BSN, **inhoud(activiteiten=[
        {"activiteit": "keuken", "frequentie": "1 keer per 2 weken"}, *({"activiteit": a} for a in ALLE if a != "keuken")])})
    assert r.status_code == 422 and r.json()["fouten"][0]["veld"] == "activiteiten.0.reden"
    assert pk.plan.get("/plannen", params={"bsn": BSN}).json() == []
    plan = maak_plan(pk, nummer)
    assert besluit(pk, [nummer], [(plan["id"], 1)], bekendmaking="2026-11-19").json()["fouten"][0]["veld"] == "bekendmaking"
    assert besluit(pk, [nummer], [(plan["id"], 1)], instemming="college").json()["fouten"][0]["veld"] == "motivering"
    assert besluit(pk, [nummer + 99], [(plan["id"], 1)]).json()["fouten"][0]["veld"] == "toewijzingnummers"
    assert pk.plan.get(f"/plannen/{plan['id']}").json()["versies"][0]["status"] == "concept"
    b = besluit(pk, [nummer], [(plan["id"], 1)], instemming="college", motivering="de client wil meer; de norm "
                                                                                     "volstaat na huisbezoek")
    assert b.status_code == 201, b.text
    r = pk.plan.post(f"/besluiten/{b.json()['id']}/bezwaar", json={"ontvangen": "2026-11-22"})
    assert r.status_code == 422 and r.json()["fouten"][0]["veld"] == "ontvangen"


def test_later_versions_compare_and_bezwaar_shows(plan_keten: PlanKeten) -> None:
    pk = plan_keten
    pk.publiceer_demo()
    nummer = beschik(pk.keten, RESULTAAT)["toewijzingen"][0]["toewijzingnummer"]
    plan = maak_plan(pk, nummer)
    b = besluit(pk, [nummer], [(plan["id"], 1)]).json()
    r = pk.plan.post(f"/besluiten/{b['id']}/bezwaar", json={"ontvangen": "2027-01-04"})
    assert r.status_code == 201 and r.json()["bezwaar"]["tijdig"] is True
    r = pk.plan.post(f"/besluiten/{b['id']}/bezwaar", json={"ontvangen": "2027-01-04"})
    assert r.status_code == 409
    assert pk.plan.get(f"/plannen/{plan['id']}").json()["versies"][0]["in_bezwaar"] is True

    activiteiten = [{"activiteit": a} for a in ALLE if a != "ramen-binnen"]
    r = pk.plan.post(f"/plannen/{plan['id']}/versies", json={
        **inhoud(activiteiten=activiteiten, vervallen=[{"activiteit": "ramen-binnen", "reden": "de dochter lapt ze",
                                                        "grond": "gesprek met de dochter"}]),
        "reden": "na het bezwaar: de dochter helpt"})
    assert r.status_code == 201, r.text
    tweede = r.json()["versies"][1]
    assert tweede["status"] == "concept" and tweede["toewijzingnummer"] == nummer and tweede["berekening"]["verlaagd"]
    v = pk.plan.get(f"/plannen/{plan['id']}/vergelijk", params={"van": 1, "naar": 2}).json()
    [wijziging] = v["wijzigingen"]
    assert wijziging["code"] == "ramen-binnen" and wijziging["na"] is None and wijziging["reden"] == "de dochter lapt ze"
    assert v["verschil_minuten_per_jaar"] == -300 and v["voor"]["minuten_per_jaar"] == 6480
    b2 = besluit(pk, [nummer], [(plan["id"], 2)], besluitdatum="2027-01-10", bekendmaking="2027-01-11")
    assert b2.status_code == 201, b2.text
    versies = pk.plan.get(f"/plannen/{plan['id']}").json()["versies"]
    assert [x["status"] for x in versies] == ["vervangen", "vastgesteld"]


def test_a_draft_normenkader_cannot_establish_a_plan(plan_keten: PlanKeten) -> None:
    import yaml

    from services.plan.domain.normenkader import DEMO

    pk = plan_keten
    document = yaml.safe_load(DEMO.read_text(encoding="utf-8"))
    del document["onderbouwing"]
    document["versie"] = "concept-1"
    tekst = yaml.safe_dump(document).encode()
    r = pk.plan.post("/normenkaders", content=tekst, headers={"Content-Type": "application/yaml"})
    assert r.status_code == 201 and r.json()["bruikbaar"] is False
    assert pk.plan.post("/normenkaders", content=tekst).status_code == 409  # a version never changes
    nummer = beschik(pk.keten, RESULTAAT)["toewijzingen"][0]["toewijzingnummer"]
    plan = maak_plan(pk, nummer, normenkader={"naam": "hh-demo", "versie": "concept-1"})
    r = besluit(pk, [nummer], [(plan["id"], 1)])
    assert r.status_code == 422 and "geen onderbouwing" in r.json()["detail"]


def test_the_term_is_asked_without_a_besluit(plan_keten: PlanKeten) -> None:
    r = plan_keten.plan.get("/termijn", params={"bekendmaking": "2026-11-23"})
    assert r.json() == {"bekendmaking": "2026-11-23", "einde_bezwaartermijn": "2027-01-04"}
    assert dt.date(2027, 1, 4).weekday() == 0
