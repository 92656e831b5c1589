"""Grant in uren and as a resultaat, through the hub to the aanbieder and back (WMO301/WMO302)."""

from __future__ import annotations

from typing import Any

import pytest

from iwmo.berichten.toewijzing import Wmo301
from iwmo.regels import Fout
from tests.services.push import push
from tests.services.toewijzing.conftest import AANBIEDER, Keten

CLIENT = {"bsn": "999990019", "geboortedatum": "1948-03-14", "geslacht": "2", "achternaam": "Jansen",
          "postcode": "1011AB", "huisnummer": 12}
UREN = {"wijze": "uren", "categorie": "01", "code": "01A01", "aanbieder": AANBIEDER, "ingangsdatum": "2026-12-01",
        "einddatum": "2027-11-30", "omvang": {"volume": 3, "eenheid": "04", "frequentie": "2"}}
RESULTAAT = {"wijze": "resultaat", "categorie": "01", "code": "01A02", "aanbieder": AANBIEDER,
             "ingangsdatum": "2026-12-01", "einddatum": "2027-11-30", "resultaat": "Een schoon en leefbaar huis",
             "omvang": {"volume": 1, "eenheid": "82", "frequentie": "2"}}


def beschik(keten: Keten, *voorzieningen: dict[str, Any]) -> Any:
    r = keten.client.post("/beschikkingen", json={"client": CLIENT, "besluitdatum": "2026-11-20",
                                                  "voorzieningen": list(voorzieningen)})
    assert r.status_code == 201, r.text
    return r.json()


def test_grant_in_uren_reaches_the_aanbieder_and_its_acceptance_comes_back(keten: Keten) -> None:
    overzicht = beschik(keten, UREN)
    [t] = overzicht["toewijzingen"]
    assert t["toegewezen"] == "3 uur per week" and t["wijze"] == "uren"
    [bericht] = keten.aanbieder.haal_op(keten.clock.now.date())
    assert isinstance(bericht, Wmo301)
    [product] = bericht.client.toegewezen_producten
    assert (product.toewijzing_nummer, product.omvang.volume, product.omvang.eenheid, product.omvang.frequentie) == (
        t["toewijzingnummer"], 3, "04", "2")
    assert product.reden_wijziging is None and product.budget is None
    keten.aanbieder.beantwoord(bericht, keten.clock.now.date())
    assert keten.sync() == {"ontvangen": 1, "verzonden": 0}
    na = keten.client.get(f"/clienten/{CLIENT['bsn']}").json()
    assert na["toewijzingen"][0]["oordeel_aanbieder"] == "geaccepteerd"
    uit = [b for b in na["berichten"] if b["bericht"] == "WMO301"]
    assert uit[0]["status"] == "verzonden" and uit[0]["retour"] == "goedgekeurd"
    assert [b["bericht"] for b in na["berichten"]] == ["WMO301", "WMO302"]


def test_grant_as_resultaat_carries_output_units_and_the_result_in_words(keten: Keten) -> None:
    overzicht = beschik(keten, RESULTAAT)
    [t] = overzicht["toewijzingen"]
    assert t["toegewezen"] == "resultaat: Een schoon en leefbaar huis (1 stuk per week)"
    [bericht] = keten.aanbieder.haal_op(keten.clock.now.date())
    [product] = bericht.client.toegewezen_producten
    assert (product.omvang.eenheid, product.omvang.frequentie) == ("82", "2")


def test_a_budget_resultaat_has_no_omvang(keten: Keten) -> None:
    budget = {"wijze": "resultaat", "categorie": "10", "aanbieder": AANBIEDER, "ingangsdatum": "2026-12-01",
              "einddatum": "2027-11-30", "resultaat": "Zelfstandig wonen", "omvang": {"budget": 150000}}
    [t] = beschik(keten, budget)["toewijzingen"]
    assert t["toegewezen"] == "resultaat: Zelfstandig wonen (budget € 1.500,00)"
    [bericht] = keten.aanbieder.haal_op(keten.clock.now.date())
    [product] = bericht.client.toegewezen_producten
    assert product.budget == 150000 and product.omvang is None and product.product.code is None


def test_a_rejection_by_the_aanbieder_is_shown_with_its_codes(keten: Keten) -> None:
    beschik(keten, UREN)
    [bericht] = keten.aanbieder.haal_op(keten.clock.now.date())
    fout = Fout("TR332", ["/Bericht/Client/ToegewezenProducten/ToegewezenProduct[1]"], "9332", "niet uniek")
    keten.aanbieder.beantwoord(bericht, keten.clock.now.date(), fouten=[fout])
    keten.sync()
    na = keten.client.get(f"/clienten/{CLIENT['bsn']}").json()
    assert na["toewijzingen"][0]["oordeel_aanbieder"] == "afgewezen"
    assert na["toewijzingen"][0]["retourcodes"] == ["9332"]
    assert na["berichten"][0]["retour"] == "afgekeurd"


def test_a_redelivered_retour_has_no_second_effect(keten: Keten) -> None:
    beschik(keten, UREN)
    [bericht] = keten.aanbieder.haal_op(keten.clock.now.date())
    keten.aanbieder.beantwoord(bericht, keten.clock.now.date(), ident="R1")
    keten.sync()
    xml = keten.hub.get("/berichten/2", headers=keten.aanbieder.hub.headers).content
    again = push(keten.client, xml, "0363", hub_id=2)  # a push
    assert again.status_code == 200 and again.json()["nieuw"] is False
    assert len(keten.client.get(f"/clienten/{CLIENT['bsn']}").json()["berichten"]) == 2


@pytest.mark.parametrize(("wijziging", "veld", "woorden"), [
    ({"code": "01X99"}, "code", "productcatalogus"),
    ({"omvang": {"volume": 3, "eenheid": "16", "frequentie": "1"}}, "frequentie", "per dag"),
    ({"omvang": {"volume": 3, "eenheid": "82", "frequentie": "2"}}, "eenheid", "past niet bij uren"),
    ({"einddatum": None}, "einddatum", "per week vraagt een einddatum"),
    ({"einddatum": "2026-11-30"}, "einddatum", "voor de ingangsdatum"),
    ({"wijze": "resultaat"}, "wijze", "niet als resultaat"),
    ({"omvang": {"volume": 3, "eenheid": "04", "frequentie": "2", "budget": 100}}, "budget", "niet beide"),
])
def test_impossible_voorzieningen_get_a_clear_422_and_nothing_is_stored(keten: Keten, wijziging: dict[str, Any],
                                                                      veld: str, woorden: str) -> None:
    r = keten.client.post("/beschikkingen", json={"client": CLIENT, "besluitdatum": "2026-11-20",
                                                  "voorzieningen": [{**UREN, **wijziging}]})
    assert r.status_code == 422, r.text
    assert r.json()["fouten"][0]["veld"] == veld and woorden in r.json()["detail"]
    assert keten.client.get(f"/clienten/{CLIENT['bsn']}").status_code == 404
    assert keten.aanbieder.haal_op(keten.clock.now.date()) == []


def test_an_invalid_bsn_is_refused(keten: Keten) -> None:
    r = keten.client.post("/beschikkingen", json={"client": {**CLIENT, "bsn": "123456789"},
                                                  "besluitdatum": "2026-11-20", "voorzieningen": [UREN]})
    assert r.status_code == 422 and r.json()["fouten"][0]["veld"] == "bsn" and "11-proef" in r.json()["detail"]


def test_every_endpoint_is_documented_in_openapi(keten: Keten) -> None:
    spec = keten.client.get("/openapi.json").json()
    operaties = [(pad, methode, op) for pad, ops in spec["paths"].items() for methode, op in ops.items()]
    assert {pad for pad, _, _ in operaties} >= {
        "/beschikkingen", "/clienten/{bsn}", "/toewijzingen/{nummer}/einddatum", "/toewijzingen/{nummer}/omvang",
        "/toewijzingen/{nummer}/verwijderen", "/verzoeken", "/verzoeken/{verzoek_id}/toekennen",
        "/verzoeken/{verzoek_id}/afwijzen", "/verzoeken/{verzoek_id}/in-onderzoek", "/berichten", "/hub/ophalen"}
    zonder = [f"{m.upper()} {p}" for p, m, op in operaties if not op.get("summary") and p != "/health"]
    assert zonder == []
    schemas = spec["components"]["schemas"]
    for naam in ("BeschikkingIn", "EinddatumIn", "OmvangWijzigingIn", "ToekennenIn"):
        assert schemas[naam].get("examples"), naam


def test_the_gemeente_brings_its_own_product_catalogue(keten: Keten, tmp_path) -> None:  # type: ignore[no-untyped-def]
    import json

    eigen = {**UREN, "categorie": "03", "code": "03X99"}
    r = keten.client.post("/beschikkingen", json={"client": CLIENT, "besluitdatum": "2026-11-20",
                                                  "voorzieningen": [eigen]})
    assert r.status_code == 422 and r.json()["fouten"][0]["veld"] == "code"  # not in the bundled catalogue
    pad = tmp_path / "producten.json"
    pad.write_text(json.dumps({"producten": [
        {"categorie": "03", "code": "03X99", "omschrijving": "Maatwerk dagbesteding", "wijzen": ["uren"]}]}))
    keten.client.app.state.settings.producten = pad  # type: ignore[attr-defined]  # TOEWIJZING_PRODUCTEN
    [t] = beschik(keten, eigen)["toewijzingen"]
    assert t["product"] == {"categorie": "03", "code": "03X99", "omschrijving": "Maatwerk dagbesteding"}
    r = keten.client.post("/beschikkingen", json={"client": CLIENT, "besluitdatum": "2026-11-20",
                                                  "voorzieningen": [UREN]})
    assert r.status_code == 422  # and what it does not list, it does not grant
