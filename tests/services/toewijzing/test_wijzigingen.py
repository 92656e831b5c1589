"""What the gemeente may change in an afgegeven toewijzing, and what the WMO301 then says.

OP033x1: einddatum and omvang change only in consultation with the aanbieder; a budget or a total within
the period changes on the same ToewijzingNummer from its Ingangsdatum (WMO002 05, IV093). UP031: no change
takes away support already delivered. IV099: RedenWijziging only on a product that changed since it last
went out. WMO002: the reason fits the change.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.services.toewijzing.conftest import Keten
from tests.services.toewijzing.test_beschikking import AANBIEDER, CLIENT
from tests.services.toewijzing.test_casus_keten import (
    EERSTE,
    D,
    eerste_toewijzing,
    ontvang,
    op,
    start,
    stop,
    toegewezen,
)

OVERLEG = {"in_overleg_met_aanbieder": True}


def post(keten: Keten, pad: str, body: dict[str, Any], status: int = 200) -> dict[str, Any]:
    r = keten.client.post(pad, json=body)
    assert r.status_code == status, r.text
    return dict(r.json())


def beschik(keten: Keten, voorziening: dict[str, Any]) -> int:
    r = post(keten, "/beschikkingen", {"client": CLIENT, "besluitdatum": keten.clock.now.date().isoformat(),
                                       "voorzieningen": [voorziening]}, 201)
    return int(r["toewijzingen"][-1]["toewijzingnummer"])


def test_an_unchanged_product_goes_out_again_without_its_old_reason(keten: Keten) -> None:
    nummer = eerste_toewijzing(keten)
    dag = op(keten, D(2026, 3, 1))
    post(keten, f"/toewijzingen/{nummer}/einddatum", {"einddatum": "2026-12-31", **OVERLEG})
    [bericht] = ontvang(keten, dag)
    assert toegewezen(bericht)[nummer].reden_wijziging == "04"
    dag = op(keten, D(2026, 4, 1))  # a second product: the WMO301 repeats the first, unchanged
    tweede = beschik(keten, {**EERSTE, "categorie": "03", "code": "03A01", "ingangsdatum": "2026-04-01",
                             "einddatum": "2026-12-31"})
    [bericht] = ontvang(keten, dag)
    producten = toegewezen(bericht)
    assert producten[nummer].reden_wijziging is None and producten[nummer].toewijzingsdatum == D(2026, 3, 1)
    assert producten[tweede].reden_wijziging is None  # a new toewijzing never has one


def test_every_change_asks_for_the_aanbieders_consent(keten: Keten) -> None:
    nummer = eerste_toewijzing(keten)
    for pad, body in ((f"/toewijzingen/{nummer}/einddatum", {"einddatum": "2026-12-31"}),
                      (f"/toewijzingen/{nummer}/omvang", {"per": "2026-04-01", "omvang": {
                          "volume": 5, "eenheid": "04", "frequentie": "2"}})):
        fout = post(keten, pad, body, 422)
        assert fout["fouten"][0]["veld"] == "in_overleg_met_aanbieder" and "OP033x1" in fout["detail"]
    assert keten.aanbieder.haal_op(keten.clock.now.date()) == []  # nothing went out


@pytest.mark.parametrize(("einddatum", "reden", "melding"), [
    ("2026-12-31", "05", "past niet bij een latere einddatum"),
    ("2026-03-31", "04", "past niet bij een eerdere einddatum"),
    ("2026-12-31", "12", "verzoek om"),
    ("2026-03-31", "13", "past niet"),
    ("2026-03-31", "01", "past niet"),
])
def test_the_reason_must_fit_the_change(keten: Keten, einddatum: str, reden: str, melding: str) -> None:
    nummer = eerste_toewijzing(keten)
    fout = post(keten, f"/toewijzingen/{nummer}/einddatum", {"einddatum": einddatum, "reden": reden, **OVERLEG}, 422)
    assert fout["fouten"][0]["veld"] == "reden" and melding in fout["detail"]
    post(keten, f"/toewijzingen/{nummer}/einddatum", {"einddatum": "2026-03-31", "reden": "07", **OVERLEG})


def test_shortening_may_not_take_away_delivered_support(keten: Keten) -> None:
    nummer = eerste_toewijzing(keten)  # started 05-01-2026, still delivering
    op(keten, D(2026, 2, 10))
    fout = post(keten, f"/toewijzingen/{nummer}/einddatum", {"einddatum": "2026-02-09", **OVERLEG}, 422)
    assert "UP031" in fout["detail"] and "10-02-2026" in fout["detail"]
    post(keten, f"/toewijzingen/{nummer}/einddatum", {"einddatum": "2026-02-10", **OVERLEG})  # from today: fine


def test_shortening_may_not_cut_a_reported_stop_short(keten: Keten) -> None:
    nummer = eerste_toewijzing(keten)
    dag = op(keten, D(2026, 4, 2))
    stop(keten, nummer, D(2026, 1, 5), "19", D(2026, 3, 31), "T1")
    ontvang(keten, dag)
    fout = post(keten, f"/toewijzingen/{nummer}/einddatum", {"einddatum": "2026-03-15", **OVERLEG}, 422)
    assert "31-03-2026" in fout["detail"]
    post(keten, f"/toewijzingen/{nummer}/einddatum", {"einddatum": "2026-03-31", **OVERLEG})


def test_a_started_toewijzing_cannot_be_deleted(keten: Keten) -> None:
    nummer = eerste_toewijzing(keten)
    fout = post(keten, f"/toewijzingen/{nummer}/verwijderen", {}, 422)
    assert "StatusAanlevering 3" in fout["detail"]
    dag = op(keten, D(2026, 1, 7))
    start(keten, nummer, D(2026, 1, 5), "S1-weg", status="3")  # the aanbieder withdraws its start
    ontvang(keten, dag)
    post(keten, f"/toewijzingen/{nummer}/verwijderen", {})


def test_a_budget_changes_on_the_same_number(keten: Keten) -> None:
    op(keten, D(2026, 1, 1))
    nummer = beschik(keten, {"wijze": "resultaat", "categorie": "10", "aanbieder": AANBIEDER,
                             "ingangsdatum": "2026-01-01", "einddatum": "2026-12-31", "resultaat": "Zelfstandig wonen",
                             "omvang": {"budget": 150000}})
    ontvang(keten, D(2026, 1, 1))
    dag = op(keten, D(2026, 3, 1))
    fout = post(keten, f"/toewijzingen/{nummer}/omvang", {"omvang": {"budget": 200000}, **OVERLEG}, 422)
    assert fout["fouten"][0]["veld"] == "reden"
    fout = post(keten, f"/toewijzingen/{nummer}/omvang", {"per": "2026-03-01", "omvang": {"budget": 200000},
                                                          "reden": "14", **OVERLEG}, 422)
    assert fout["fouten"][0]["veld"] == "per" and "IV093" in fout["detail"]
    post(keten, f"/toewijzingen/{nummer}/omvang", {"omvang": {"budget": 200000}, "reden": "14", **OVERLEG})
    [bericht] = ontvang(keten, dag)
    [product] = bericht.client.toegewezen_producten  # one toewijzing, not an ended one and a new one
    assert (product.toewijzing_nummer, product.budget, product.ingangsdatum, product.reden_wijziging) == (
        nummer, 200000, D(2026, 1, 1), "14")


def test_a_total_within_the_period_changes_on_the_same_number(keten: Keten) -> None:
    op(keten, D(2026, 1, 1))
    nummer = beschik(keten, {**EERSTE, "omvang": {"volume": 80, "eenheid": "04", "frequentie": "6"}})
    ontvang(keten, D(2026, 1, 1))
    dag = op(keten, D(2026, 3, 1))
    post(keten, f"/toewijzingen/{nummer}/omvang", {"omvang": {"volume": 100, "eenheid": "04", "frequentie": "6"},
                                                   "reden": "04", **OVERLEG})
    [bericht] = ontvang(keten, dag)
    [product] = bericht.client.toegewezen_producten
    assert (product.toewijzing_nummer, product.omvang.volume, product.ingangsdatum) == (nummer, 100, D(2026, 1, 1))


def test_extending_the_old_part_into_its_successor_is_refused(keten: Keten) -> None:
    nummer = eerste_toewijzing(keten)
    op(keten, D(2026, 3, 15))
    nieuw = post(keten, f"/toewijzingen/{nummer}/omvang", {"per": "2026-04-01", "omvang": {
        "volume": 5, "eenheid": "04", "frequentie": "2"}, **OVERLEG})
    assert len(nieuw["toewijzingen"]) == 2
    fout = post(keten, f"/toewijzingen/{nummer}/einddatum", {"einddatum": "2026-05-31", **OVERLEG}, 422)
    assert "TR302" in fout["detail"]


def test_a_blank_commentaar_is_refused_before_anything_is_stored(keten: Keten) -> None:
    r = keten.client.post("/beschikkingen", json={"client": CLIENT, "besluitdatum": "2026-01-01",
                                                  "voorzieningen": [{**EERSTE, "commentaar": "   "}]})
    assert r.status_code == 422
    assert keten.client.get(f"/clienten/{CLIENT['bsn']}").status_code == 404


def test_a_message_the_standard_would_refuse_answers_422() -> None:
    from fastapi import FastAPI
    from fastapi.testclient import TestClient

    from infra.outbox import InvalidBericht
    from infra.problem import install_problem_handlers
    from iwmo.regels import Fout

    app = FastAPI()
    install_problem_handlers(app)

    @app.get("/x")
    def x() -> None:
        raise InvalidBericht("WMO301", [Fout("TR302", ["/Bericht/Client"], "0001", "overlap")])

    r = TestClient(app).get("/x")
    assert r.status_code == 422 and "TR302" in r.json()["detail"]
    assert r.json()["fouten"] == [{"veld": "/Bericht/Client", "fout": "overlap", "regel": "TR302"}]


def test_giving_an_open_toewijzing_an_einddatum_is_a_shortening(keten: Keten) -> None:
    op(keten, D(2026, 1, 1))
    open_ = {**EERSTE, "einddatum": None, "omvang": {"volume": 12, "eenheid": "04", "frequentie": "4"}}
    nummer = beschik(keten, open_)
    ontvang(keten, D(2026, 1, 1))
    dag = op(keten, D(2026, 1, 6))
    start(keten, nummer, D(2026, 1, 5), "S-OPEN")
    ontvang(keten, dag)
    dag = op(keten, D(2026, 2, 10))
    fout = post(keten, f"/toewijzingen/{nummer}/einddatum", {"einddatum": "2026-01-20", **OVERLEG}, 422)
    assert "UP031" in fout["detail"]  # support was delivered after 20 January
    post(keten, f"/toewijzingen/{nummer}/einddatum", {"einddatum": "2026-03-31", "reden": "07", **OVERLEG})
    ontvang(keten, dag)
    dag = op(keten, D(2026, 2, 11))
    post(keten, f"/toewijzingen/{nummer}/einddatum", {"einddatum": "2026-03-30", **OVERLEG})
    [bericht] = ontvang(keten, dag)
    assert toegewezen(bericht)[nummer].reden_wijziging == "05"  # shorter: 05 by default, not 04
