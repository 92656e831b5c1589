"""POST /toewijzingen/opvragen: by number for one aanbieder (the declaratie service, per WMO323), and all of
one client's, of one aanbieder or of every aanbieder (the declaratie service, per client's delivery)."""

from __future__ import annotations

from typing import Any

from tests.services.toewijzing.conftest import Keten
from tests.services.toewijzing.test_beschikking import CLIENT, UREN, beschik

ANDER = {**CLIENT, "bsn": "999990020", "achternaam": "de Vries"}
PV = {**UREN, "categorie": "03", "code": "03A01", "omvang": {"volume": 2, "eenheid": "04", "frequentie": "2"}}


def _vraag(keten: Keten, **body: Any) -> Any:
    r = keten.client.post("/toewijzingen/opvragen", json=body)
    assert r.status_code == 200, r.text
    return r.json()


def _twee_clienten(keten: Keten) -> tuple[list[int], int]:
    eigen = [t["toewijzingnummer"] for t in beschik(keten, UREN, PV)["toewijzingen"]]
    r = keten.client.post("/beschikkingen", json={"client": ANDER, "besluitdatum": "2026-11-20",
                                                  "voorzieningen": [UREN]})
    assert r.status_code == 201, r.text
    return eigen, r.json()["toewijzingen"][0]["toewijzingnummer"]


def test_all_toewijzingen_of_one_client(keten: Keten) -> None:
    eigen, ander = _twee_clienten(keten)
    data = _vraag(keten, client=CLIENT["bsn"])
    assert [t["toewijzingnummer"] for t in data["toewijzingen"]] == sorted(eigen)
    assert {t["bsn"] for t in data["toewijzingen"]} == {CLIENT["bsn"]}
    assert data["toewijzingen"][0]["omvang"] == {"volume": 3, "eenheid": "04", "frequentie": "2", "budget": None}
    assert [t["toewijzingnummer"] for t in _vraag(keten, client=ANDER["bsn"])["toewijzingen"]] == [ander]
    # the filters given all apply: one client's, of one aanbieder, by number
    assert _vraag(keten, client=CLIENT["bsn"], aanbieder="87654321")["toewijzingen"] == []
    assert [t["toewijzingnummer"] for t in _vraag(keten, client=CLIENT["bsn"], aanbieder="12345678",
                                                  nummers=[eigen[1], ander])["toewijzingen"]] == [eigen[1]]


def test_by_number_without_aanbieder_and_never_the_whole_table(keten: Keten) -> None:
    eigen, ander = _twee_clienten(keten)
    assert [t["toewijzingnummer"] for t in _vraag(keten, nummers=[eigen[0], ander])["toewijzingen"]] == \
        sorted([eigen[0], ander])
    assert _vraag(keten) == {"toewijzingen": [], "clienten": []}
    assert _vraag(keten, bsns=[CLIENT["bsn"], "999990032"])["clienten"] == [CLIENT["bsn"]]
    # as before: one aanbieder's by number
    assert len(_vraag(keten, aanbieder="12345678", nummers=eigen)["toewijzingen"]) == 2


def test_a_bad_bsn_is_a_clear_422(keten: Keten) -> None:
    r = keten.client.post("/toewijzingen/opvragen", json={"client": "123456789"})
    assert r.status_code == 422
    assert "11-proef" in r.text
