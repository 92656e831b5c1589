"""The cross-message rules the stand-in applies as an aanbieder, and what it refuses to send.

On a WMO301: TR332, TR379, whole rejection (IV032) and the latest Toewijzingsdatum/-tijd (IV013). On a
WMO319: TR355, TR359, TR360, TR365. Before a request goes out: TR374, TR351, TR411, OP087.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from iwmo.berichten.toewijzing import Wmo301
from iwmo.berichten.verzoek import Wmo319
from iwmo.samples import sample
from iwmo.xml import from_xml, to_xml
from services.scenario.waarden import nieuw_bsn
from tests.services.aanbieder.conftest import AANBIEDER, GEMEENTE, Keten
from tests.services.aanbieder.test_keten import CLIENT, UREN, beschik
from tests.services.push import push


def stuur(keten: Keten, bericht: Any) -> Any:
    """Push ``bericht`` to the stand-in as the hub would; returns the retour it queued."""
    r = push(keten.aanbieder, to_xml(bericht), AANBIEDER, hub_id=int(dt.datetime.now().timestamp() * 1e6) % 10**9)
    assert r.status_code == 200 and r.json()["nieuw"], r.text
    *_, terug = keten.get("/berichten")
    return from_xml(keten.aanbieder.get(f"/aanbieders/{AANBIEDER}/berichten/{terug['id']}").content)


def wmo301(keten: Keten, *, bsn: str, ident: str, **product: Any) -> Wmo301:
    m = sample("WMO301", today=keten.clock.now.date())
    m.header.ontvanger = AANBIEDER
    m.header.bericht_identificatie.identificatie = ident
    m.client.bsn = bsn
    m.client.toegewezen_producten = m.client.toegewezen_producten[:1]
    for veld, waarde in product.items():
        setattr(m.client.toegewezen_producten[0], veld, waarde)
    return m


def wmo319(keten: Keten, ref: str, antwoord: str, ident: str) -> Wmo319:
    m = sample("WMO319", today=keten.clock.now.date())
    m.header.ontvanger = AANBIEDER
    m.header.bericht_identificatie.identificatie = ident
    m.antwoord.referentie_aanbieder = ref
    m.antwoord.verzoek_antwoord = antwoord
    m.antwoord.reden_afwijzing_verzoek = "7" if antwoord == "1" else None
    return m


def vot(keten: Keten, bsn: str = CLIENT["bsn"], status: int = 201) -> Any:
    return keten.post("/verzoeken/toewijzing", {"gemeente": GEMEENTE, "bsn": bsn, "producten": [
        {"ingangsdatum": "2027-01-01", "einddatum": "2027-12-31", "categorie": "02", "code": "02A01", "volume": 3,
         "eenheid": "04", "frequentie": "2"}]}, status=status)


def test_tr379_a_reference_of_no_request_rejects_the_301(keten: Keten) -> None:
    bsn = nieuw_bsn()
    terug = stuur(keten, wmo301(keten, bsn=bsn, ident="G379", referentie_aanbieder="ONBEKEND-1"))
    assert [p.retourcodes for p in terug.client.toegewezen_producten] == [["9379"]]
    assert keten.get("/toewijzingen") == []  # nothing taken over


def test_iv013_an_older_state_arriving_late_does_not_undo_a_newer_one(keten: Keten) -> None:
    bsn, vandaag = nieuw_bsn(), keten.clock.now.date()
    nieuw = wmo301(keten, bsn=bsn, ident="G-NIEUW", toewijzing_nummer=777, einddatum=dt.date(2027, 12, 31),
                   toewijzingsdatum=vandaag, toewijzingstijd=dt.time(12, 0))
    oud = wmo301(keten, bsn=bsn, ident="G-OUD", toewijzing_nummer=777, einddatum=dt.date(2027, 6, 30),
                 toewijzingsdatum=vandaag, toewijzingstijd=dt.time(9, 0))
    assert stuur(keten, nieuw).header.retourcodes == []
    assert stuur(keten, oud).header.retourcodes == []  # accepted, but not the current state
    [t] = [t for t in keten.get("/toewijzingen") if t["bsn"] == bsn]
    assert t["einddatum"] == "2027-12-31"


def test_answers_to_a_request_follow_tr355_tr359_tr360_tr365(keten: Keten) -> None:
    beschik(keten, UREN)
    keten.rond()
    assert stuur(keten, wmo319(keten, "GEEN-VERZOEK", "1", "A1")).antwoord.retourcodes == ["9355"]
    ref = vot(keten)["referenties"][0]
    assert stuur(keten, wmo319(keten, ref, "2", "A2")).header.retourcodes == []  # in onderzoek: fine
    assert stuur(keten, wmo319(keten, ref, "2", "A3")).antwoord.retourcodes == ["9360"]  # not twice
    assert keten.get(f"/verzoeken/{ref}")["status"] == "in-onderzoek"
    assert stuur(keten, wmo319(keten, ref, "1", "A4")).header.retourcodes == []  # then refused: fine
    assert stuur(keten, wmo319(keten, ref, "1", "A5")).antwoord.retourcodes == ["9365"]  # nothing after a 1
    assert keten.get(f"/verzoeken/{ref}")["status"] == "afgewezen"


def test_tr359_no_answer_after_the_request_was_honoured(keten: Keten) -> None:
    beschik(keten, UREN)
    keten.rond()
    ref = vot(keten)["referenties"][0]
    honoreer = wmo301(keten, bsn=CLIENT["bsn"], ident="G359", toewijzing_nummer=9001, referentie_aanbieder=ref)
    honoreer.client.toegewezen_producten[0].product.code = "01A02"  # no overlap with the beschikking's
    assert stuur(keten, honoreer).header.retourcodes == []
    assert keten.get(f"/verzoeken/{ref}")["status"] == "toegekend"
    assert stuur(keten, wmo319(keten, ref, "1", "B1")).antwoord.retourcodes == ["9359"]
    assert keten.get(f"/verzoeken/{ref}")["status"] == "toegekend"


def test_tr374_one_request_per_client_at_a_time(keten: Keten) -> None:
    beschik(keten, UREN)
    keten.rond()
    ref = vot(keten)["referenties"][0]
    fout = vot(keten, status=422)
    assert "TR374" in fout["detail"] and ref in fout["detail"]


def test_a_317_names_only_current_toewijzingen_and_keeps_their_omvang(keten: Keten) -> None:
    nummer = beschik(keten, UREN)
    keten.rond()
    weg = wmo301(keten, bsn=CLIENT["bsn"], ident="G-WEG", toewijzing_nummer=8123, ingangsdatum=dt.date(2026, 12, 1),
                 einddatum=dt.date(2026, 12, 1), reden_wijziging="13")
    weg.client.toegewezen_producten[0].product.code = "01A02"
    assert stuur(keten, weg).header.retourcodes == []
    ander = wmo301(keten, bsn=nieuw_bsn(), ident="G-ANDER", toewijzing_nummer=8124)
    assert stuur(keten, ander).header.retourcodes == []
    fout = keten.post("/verzoeken/wijziging", {"gemeente": GEMEENTE, "bsn": CLIENT["bsn"], "wijzigingen": [
        {"toewijzingnummer": 8124, "ingangsdatum": "2026-12-01", "einddatum": "2028-05-31"}]}, status=422)
    assert "TR351" in fout["detail"]  # another client's toewijzing
    r = keten.post("/verzoeken/wijziging", {"gemeente": GEMEENTE, "bsn": CLIENT["bsn"], "wijzigingen": [
        {"toewijzingnummer": nummer, "ingangsdatum": "2026-12-01", "einddatum": "2028-05-31"}]})
    verzoek = from_xml(keten.aanbieder.get(f"/aanbieders/{AANBIEDER}/berichten/{r['id']}").content).client.verzoek
    assert verzoek.ongewijzigde_producten == []  # the deleted 8123 is no current toewijzing (OP087)
    [te_wijzigen] = verzoek.te_wijzigen_producten
    assert (te_wijzigen.omvang.volume, te_wijzigen.omvang.eenheid) == (3, "04")  # its own omvang (TR411)


def test_a_316_rejecting_the_client_rejects_each_request_with_that_code(keten: Keten) -> None:
    from iwmo.regels import Fout
    from iwmo.retour import RetourOpties, retour

    beschik(keten, UREN)
    keten.rond()
    r = keten.post("/verzoeken/toewijzing", {"gemeente": GEMEENTE, "bsn": CLIENT["bsn"], "producten": [
        {"ingangsdatum": "2027-01-01", "einddatum": "2027-12-31", "categorie": cat, "code": code, "volume": 3,
         "eenheid": "04", "frequentie": "2"} for cat, code in (("02", "02A01"), ("03", "03A01"))]})
    heen = from_xml(keten.aanbieder.get(f"/aanbieders/{AANBIEDER}/berichten/{r['id']}").content)
    antwoord = retour(heen, [Fout("TR374", ["/Bericht/Client"], "9374", "al een verzoek")],
                      RetourOpties("R374", keten.clock.now.date()))
    stuur(keten, antwoord)
    for ref in r["referenties"]:
        verzoek = keten.get(f"/verzoeken/{ref}")
        assert verzoek["status"] == "afgekeurd" and "9374" in verzoek["toelichting"], verzoek


def test_a_request_the_hub_refused_does_not_block_the_next(keten: Keten, monkeypatch: Any) -> None:
    from iwmo.hub import HubClient, HubError

    beschik(keten, UREN)
    keten.rond()
    echt = HubClient.send

    def weiger(self: HubClient, xml: bytes) -> int:
        if b"wmo315" in xml[:400]:
            raise HubError(400, "IB014", "Payload voldoet niet aan de XSD.")
        return echt(self, xml)

    monkeypatch.setattr(HubClient, "send", weiger)
    vot(keten)
    assert keten.get("/berichten")[-1]["status"] == "geweigerd"
    monkeypatch.setattr(HubClient, "send", echt)
    vot(keten)  # not blocked by TR374: the refused one never reached the gemeente


def test_tr379_a_reference_to_another_gemeente_is_no_own_request(keten: Keten) -> None:
    bsn = nieuw_bsn()
    r = keten.post("/verzoeken/toewijzing", {"gemeente": "0384", "bsn": bsn, "client": {
        "geboortedatum": "1950-01-01", "geslacht": "1", "achternaam": "Elders"}, "producten": [
        {"ingangsdatum": "2027-01-01", "einddatum": "2027-12-31", "categorie": "02", "code": "02A01", "volume": 3,
         "eenheid": "04", "frequentie": "2"}]})
    ref = r["referenties"][0]  # a request to gemeente 0384
    terug = stuur(keten, wmo301(keten, bsn=bsn, ident="G-ANDERE", referentie_aanbieder=ref))  # from 0363
    assert [p.retourcodes for p in terug.client.toegewezen_producten] == [["9379"]]
    assert keten.get(f"/verzoeken/{ref}")["status"] != "toegekend"
