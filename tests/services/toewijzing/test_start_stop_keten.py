"""Start and stop through the chain: the aanbieder's 305/307 judged by the service, answered with 306/308."""

from __future__ import annotations

import datetime as dt

import pytest
from stdnum.nl import bsn

from iwmo.berichten.basis import BerichtIdentificatie, Product
from iwmo.berichten.start_stop import StartProduct, StopProduct, Wmo306, Wmo307, Wmo308
from iwmo.samples import sample
from tests.services.push import push
from tests.services.toewijzing.conftest import AANBIEDER, Keten
from tests.services.toewijzing.test_beschikking import CLIENT, UREN, beschik
from tests.sql import selects, statements

TODAY = dt.date(2026, 12, 20)  # the clock below; Begindatum may not lie after the Dagtekening
INGANG = dt.date(2026, 12, 1)  # the toewijzing's Ingangsdatum in UREN


def _kop(bericht, ident: str, vandaag: dt.date = TODAY) -> None:  # type: ignore[no-untyped-def]
    bericht.header.afzender, bericht.header.ontvanger = AANBIEDER, "0363"
    bericht.header.bericht_identificatie = BerichtIdentificatie(identificatie=ident, dagtekening=vandaag)


def start(keten: Keten, nummer: int, begindatum: dt.date, ident: str, status: str = "1", *,
          ingang: dt.date = INGANG) -> None:
    """The aanbieder sends a WMO305 with one StartProduct, dated by the chain's clock."""
    m = sample("WMO305", today=TODAY)
    _kop(m, ident, keten.clock.now.date())
    m.client.bsn = CLIENT["bsn"]
    m.client.start_producten = [StartProduct(toewijzing_nummer=nummer, product=Product(categorie="01", code="01A01"),
                                             toewijzing_ingangsdatum=ingang, begindatum=begindatum,
                                             status_aanlevering=status)]
    keten.aanbieder.stuur(m)


def stop(keten: Keten, nummer: int, begindatum: dt.date, reden: str, einddatum: dt.date, ident: str,
         status: str = "1", *, ingang: dt.date = INGANG) -> None:
    """The aanbieder sends a WMO307 with one StopProduct, dated by the chain's clock."""
    m: Wmo307 = sample("WMO307", today=TODAY)  # type: ignore[assignment]
    _kop(m, ident, keten.clock.now.date())
    m.client.bsn = CLIENT["bsn"]
    m.client.stop_producten = [StopProduct(toewijzing_nummer=nummer, product=Product(categorie="01", code="01A01"),
                                           toewijzing_ingangsdatum=ingang, begindatum=begindatum,
                                           reden_beeindiging=reden, einddatum=einddatum, status_aanlevering=status)]
    keten.aanbieder.stuur(m)


def retour_codes(bericht) -> list[list[str]]:  # type: ignore[no-untyped-def]
    producten = (bericht.client.start_producten if isinstance(bericht, Wmo306) else bericht.client.stop_producten) \
        if bericht.client else []
    return [bericht.header.retourcodes, *[p.retourcodes for p in producten]]


def test_start_temporary_stop_restart_and_definitive_stop(keten: Keten) -> None:
    keten.clock.now = dt.datetime(2026, 12, 20, 9, 0, tzinfo=dt.UTC)
    nummer = beschik(keten, UREN)["toewijzingen"][0]["toewijzingnummer"]
    keten.aanbieder.haal_op(TODAY)  # the 301
    d = dt.date
    start(keten, nummer, d(2026, 12, 2), "S1")
    stop(keten, nummer, d(2026, 12, 2), "20", d(2026, 12, 10), "T1")  # temporary
    start(keten, nummer, d(2026, 12, 15), "S2")  # restart
    stop(keten, nummer, d(2026, 12, 15), "23", d(2026, 12, 18), "T2")  # definitive
    assert keten.sync()["ontvangen"] == 4
    retouren = keten.aanbieder.haal_op(TODAY)
    assert [type(r) for r in retouren] == [Wmo306, Wmo308, Wmo306, Wmo308]
    assert all(retour_codes(r) == [[]] for r in retouren)  # all approved: no RetourCode at all
    overzicht = keten.client.get(f"/clienten/{CLIENT['bsn']}").json()
    assert overzicht["toewijzingen"][0]["levering"] == "gestopt op 18-12-2026"


def test_a_start_without_toewijzing_and_a_second_start_are_refused_with_their_codes(keten: Keten) -> None:
    keten.clock.now = dt.datetime(2026, 12, 20, 9, 0, tzinfo=dt.UTC)
    nummer = beschik(keten, UREN)["toewijzingen"][0]["toewijzingnummer"]
    keten.aanbieder.haal_op(TODAY)
    start(keten, nummer + 100, dt.date(2026, 12, 2), "S1")  # no such toewijzing: TR019
    start(keten, nummer, dt.date(2026, 12, 2), "S2")
    start(keten, nummer, dt.date(2026, 12, 5), "S3")  # the first is still running: TR326
    keten.sync()
    r1, r2, r3 = keten.aanbieder.haal_op(TODAY)
    assert retour_codes(r1) == [["0200"], ["9019"]]
    assert retour_codes(r2) == [[]]
    assert retour_codes(r3) == [["0200"], ["9326"]]
    assert r1.client.retourcodes == ["0200"]
    overzicht = keten.client.get(f"/clienten/{CLIENT['bsn']}").json()
    assert overzicht["toewijzingen"][0]["levering"] == "gestart op 02-12-2026"  # the refused ones changed nothing


def test_redelivery_of_a_start_has_no_second_effect_and_no_second_retour(keten: Keten) -> None:
    keten.clock.now = dt.datetime(2026, 12, 20, 9, 0, tzinfo=dt.UTC)
    nummer = beschik(keten, UREN)["toewijzingen"][0]["toewijzingnummer"]
    keten.aanbieder.haal_op(TODAY)
    start(keten, nummer, dt.date(2026, 12, 2), "S1")
    keten.sync()
    xml = keten.hub.get("/berichten/2", headers=keten.aanbieder.hub.headers).content
    again = push(keten.client, xml, "0363", hub_id=2)  # a push
    assert again.status_code == 200 and again.json()["nieuw"] is False
    app = keten.client.app
    keten.sync()
    assert len(keten.aanbieder.haal_op(TODAY)) == 1  # one WMO306
    with app.state.session_factory() as session:  # type: ignore[attr-defined]
        from sqlalchemy import func, select

        from services.toewijzing.models import Levering
        assert session.scalar(select(func.count()).select_from(Levering)) == 1


# Every cross-message rule for 305/307, through the chain: the steps before the last are accepted, the
# last one gets exactly the rule's retourcode on its product and changes nothing.
d = dt.date
S1, S2 = d(2026, 12, 2), d(2026, 12, 15)
REGELS = {
    "TR019 start for a toewijzing the gemeente never sent": [("start", 100, S1, "1", None, None, "9019")],
    "TR063 deleting a start that was never delivered": [("start", 0, S1, "3", None, None, "9063")],
    "TR063 deleting a stop that was never delivered": [
        ("start", 0, S1, "1", None, None, None), ("stop", 0, S1, "3", "23", d(2026, 12, 10), "9063")],
    "TR071 deleting a start that has a stop": [
        ("start", 0, S1, "1", None, None, None), ("stop", 0, S1, "1", "23", d(2026, 12, 10), None),
        ("start", 0, S1, "3", None, None, "9071")],
    "TR074 the same start twice": [("start", 0, S1, "1", None, None, None), ("start", 0, S1, "1", None, None, "9074")],
    "TR326 a second start while the first runs": [
        ("start", 0, S1, "1", None, None, None), ("start", 0, S2, "1", None, None, "9326")],
    "TR382/TR069 a stop without its start": [("stop", 0, S1, "1", "23", d(2026, 12, 10), "9069")],
    "TR413 a second temporary stop": [
        ("start", 0, S1, "1", None, None, None), ("stop", 0, S1, "1", "20", d(2026, 12, 10), None),
        ("stop", 0, S1, "1", "20", d(2026, 12, 12), "9413")],
    "TR414 a stop ending before the earlier stop": [
        ("start", 0, S1, "1", None, None, None), ("stop", 0, S1, "1", "20", d(2026, 12, 10), None),
        ("stop", 0, S1, "1", "23", d(2026, 12, 8), "9414")],
    "TR415 a stop after a definitive stop": [
        ("start", 0, S1, "1", None, None, None), ("stop", 0, S1, "1", "23", d(2026, 12, 10), None),
        ("stop", 0, S1, "1", "23", d(2026, 12, 12), "9415")],
}


@pytest.mark.parametrize("stappen", list(REGELS.values()), ids=list(REGELS))
def test_each_start_stop_rule_through_the_chain(keten: Keten, stappen: list[tuple]) -> None:  # type: ignore[type-arg]
    keten.clock.now = dt.datetime(2026, 12, 20, 9, 0, tzinfo=dt.UTC)
    nummer = beschik(keten, UREN)["toewijzingen"][0]["toewijzingnummer"]
    keten.aanbieder.haal_op(TODAY)
    for i, (soort, extra, begin, status, reden, eind, verwacht) in enumerate(stappen):
        if soort == "start":
            start(keten, nummer + extra, begin, f"X{i}", status)
        else:
            stop(keten, nummer + extra, begin, reden, eind, f"X{i}", status)
        keten.sync()
        [antwoord] = keten.aanbieder.haal_op(TODAY)
        assert retour_codes(antwoord) == ([[]] if verwacht is None else [["0200"], [verwacht]]), (i, antwoord)
    voor = keten.client.get(f"/clienten/{CLIENT['bsn']}").json()
    assert voor["berichten"][-2]["status"] == "afgekeurd"  # the refused message is kept, marked, and answered


def test_correcting_and_deleting_a_start(keten: Keten) -> None:
    keten.clock.now = dt.datetime(2026, 12, 20, 9, 0, tzinfo=dt.UTC)
    nummer = beschik(keten, UREN)["toewijzingen"][0]["toewijzingnummer"]
    keten.aanbieder.haal_op(TODAY)
    start(keten, nummer, S1, "S1")
    start(keten, nummer, S1, "S2", status="3")  # delete the wrong start ...
    start(keten, nummer, d(2026, 12, 3), "S3")  # ... and deliver the right one
    keten.sync()
    assert all(retour_codes(r) == [[]] for r in keten.aanbieder.haal_op(TODAY))
    levering = keten.client.get(f"/clienten/{CLIENT['bsn']}").json()["toewijzingen"][0]["levering"]
    assert levering == "gestart op 03-12-2026"
    start(keten, nummer, d(2026, 12, 3), "S4", status="3")  # deleted altogether
    keten.sync()
    keten.aanbieder.haal_op(TODAY)
    assert keten.client.get(f"/clienten/{CLIENT['bsn']}").json()["toewijzingen"][0]["levering"] == "niet gestart"


def test_a_start_that_fails_midway_in_a_collected_batch_leaves_nothing_and_stays_in_the_hub(
        keten: Keten, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    """A batch is one transaction with a SAVEPOINT per message: the message whose processing fails after it
    wrote (its row, its leveringen, its queued retour) is rolled back entirely, the others are kept and
    acknowledged, and the failed one is collected again later: after a pause that grows with every failure
    (not at every collection), logged once while the reason stays the same."""
    from services.toewijzing import hub
    from services.toewijzing.models import Bericht as Rij
    from services.toewijzing.models import Levering

    keten.clock.now = dt.datetime(2026, 12, 20, 9, 0, tzinfo=dt.UTC)
    nummers = [beschik(keten, UREN)["toewijzingen"][0]["toewijzingnummer"]]
    keten.aanbieder.haal_op(TODAY)
    echt = hub.HANDLERS["WMO305"]

    def faalt_bij_s2(session, model, row, omg, fouten):  # type: ignore[no-untyped-def]
        echt(session, model, row, omg, fouten)
        session.flush()  # everything of S2 written, then it fails
        if row.identificatie == "S2":
            raise RuntimeError("stuk")

    monkeypatch.setitem(hub.HANDLERS, "WMO305", faalt_bij_s2)
    start(keten, nummers[0], dt.date(2026, 12, 2), "S1")
    start(keten, nummers[0], dt.date(2026, 12, 2), "S2")  # would be refused (TR074) if it got through
    start(keten, nummers[0] + 100, dt.date(2026, 12, 2), "S3")  # refused: TR019
    assert keten.sync()["ontvangen"] == 2
    with keten.client.app.state.session_factory() as session:  # type: ignore[attr-defined]
        rijen = session.query(Rij.richting, Rij.bericht, Rij.identificatie).order_by(Rij.id).all()
        assert [r for r in rijen if r.richting == "in"] == [("in", "WMO305", "S1"), ("in", "WMO305", "S3")]
        assert [r.bericht for r in rijen if r.richting == "uit"] == ["WMO301", "WMO306", "WMO306"]
        assert session.query(Levering).count() == 1
    assert len(keten.aanbieder.haal_op(TODAY)) == 2
    pogingen: list[str] = []
    monkeypatch.setitem(hub.HANDLERS, "WMO305", lambda *a: (pogingen.append("S2"), faalt_bij_s2(*a)))
    for _ in range(5):  # collected again and again within two seconds: S2 is not tried again yet
        assert keten.sync()["ontvangen"] == 0
    assert pogingen == []
    for seconden in (2, 4, 8):  # due again after 2 s, then 4, then 8: it fails each time
        keten.clock.now += dt.timedelta(seconds=seconden)
        keten.sync()
        na_poging = len(pogingen)
        assert na_poging > 0  # tried (in the batch, then on its own)
        keten.clock.now += dt.timedelta(seconds=seconden - 1)  # not yet due again
        keten.sync()
        assert len(pogingen) == na_poging
        keten.clock.now -= dt.timedelta(seconds=seconden - 1)
        pogingen.clear()
    regels = [r for r in caplog.records if r.name == "infra.traffic" and r.levelname == "ERROR"]
    assert len(regels) == 1 and regels[0].__dict__["fout"] == "RuntimeError"  # once: the reason stayed the same
    assert "S2" not in regels[0].getMessage() and CLIENT["bsn"] not in str(regels[0].__dict__)  # without content
    monkeypatch.setitem(hub.HANDLERS, "WMO305", echt)
    keten.clock.now += dt.timedelta(seconds=16)
    assert keten.sync()["ontvangen"] == 1  # S2 waited in the hub
    (r2,) = keten.aanbieder.haal_op(TODAY)
    assert retour_codes(r2) == [["0200"], ["9074"]]
    assert any(r.getMessage() == "bericht alsnog verwerkt" for r in caplog.records)


def test_a_collected_batch_about_two_clients_judges_each_message_as_one_by_one(keten: Keten) -> None:
    """Issue 12: a collected batch is written to the database together; a message about a client whose
    earlier message in the batch is not written yet writes it first, so every judgement sees what came
    before it, and the same message twice in one batch is taken once."""
    keten.clock.now = dt.datetime(2026, 12, 20, 9, 0, tzinfo=dt.UTC)
    a = beschik(keten, UREN)["toewijzingen"][0]["toewijzingnummer"]
    ander = {**CLIENT, "bsn": "999990020", "achternaam": "Pietersen"}
    r = keten.client.post("/beschikkingen", json={"client": ander, "besluitdatum": "2026-11-20", "voorzieningen": [UREN]})
    assert r.status_code == 201, r.text
    b = r.json()["toewijzingen"][0]["toewijzingnummer"]
    keten.aanbieder.haal_op(TODAY)

    def start_b(ident: str) -> None:
        m = sample("WMO305", today=TODAY)
        _kop(m, ident, keten.clock.now.date())
        m.client.bsn = ander["bsn"]
        m.client.start_producten = [StartProduct(toewijzing_nummer=b, product=Product(categorie="01", code="01A01"),
                                                 toewijzing_ingangsdatum=INGANG, begindatum=S1, status_aanlevering="1")]
        keten.aanbieder.stuur(m)

    start(keten, a, S1, "A1")
    start_b("B1")  # the other client: A1 need not be written for it
    start(keten, a, S2, "A2")  # A1 is running: TR326, seen only when A1 is written first
    start_b("B2")  # the same start again: TR074, judged against B1
    traffic = keten.client.app.state.traffic  # type: ignore[attr-defined]
    client = traffic.client("0363")
    berichten = client.mailbox(limit=10, berichten=sorted(traffic.owned), inhoud=True)
    assert len(berichten) == 4
    genomen, nieuw = traffic.receive_batch(berichten, party="0363")
    assert nieuw == 4 and genomen == [int(b["id"]) for b in berichten]
    client.acknowledge_many(genomen)
    traffic.send_now(wait=True)
    codes = {r.header.bericht_identificatie.identificatie: retour_codes(r) for r in keten.aanbieder.haal_op(TODAY)}
    assert codes == {"A1": [[]], "B1": [[]], "A2": [["0200"], ["9326"]], "B2": [["0200"], ["9074"]]}
    # the same message twice in one batch: taken once, answered once
    start(keten, a, S2, "A3")
    [a3] = client.mailbox(limit=10, berichten=sorted(traffic.owned), inhoud=True)
    assert traffic.receive_batch([a3, a3], party="0363") == ([int(a3["id"])] * 2, 1)
    client.acknowledge_many([int(a3["id"])])
    traffic.send_now(wait=True)
    assert [retour_codes(r) for r in keten.aanbieder.haal_op(TODAY)] == [[["0200"], ["9326"]]]


def test_a_collected_batch_reads_for_all_its_clients_at_once(keten: Keten) -> None:
    """Issue 12: what a batch of starts reads (redeliveries, the clients' toewijzingen and deliveries, the ids
    of its rows) is read for the whole batch in a few statements, not once per message; the judgements are
    those one by one would give (a start on another client's toewijzing is refused)."""
    keten.clock.now = dt.datetime(2026, 12, 20, 9, 0, tzinfo=dt.UTC)
    bsns = [str(n) for n in range(999990000, 999999999) if bsn.is_valid(str(n))][:8]
    nummers = []
    for i, nummer in enumerate(bsns):
        client = {**CLIENT, "bsn": nummer, "achternaam": f"Batch{i}"}
        r = keten.client.post("/beschikkingen", json={"client": client, "besluitdatum": "2026-11-20",
                                                     "voorzieningen": [UREN]})
        assert r.status_code == 201, r.text
        nummers.append(r.json()["toewijzingen"][0]["toewijzingnummer"])
    keten.aanbieder.haal_op(TODAY)
    for i, (nummer, toewijzing) in enumerate(zip(bsns, nummers, strict=True)):
        m = sample("WMO305", today=TODAY)
        _kop(m, f"S{i}", keten.clock.now.date())
        m.client.bsn = nummer
        eigen = toewijzing if i != 3 else nummers[4]  # the fourth names the fifth client's toewijzing
        m.client.start_producten = [StartProduct(toewijzing_nummer=eigen, product=Product(categorie="01", code="01A01"),
                                                 toewijzing_ingangsdatum=INGANG, begindatum=S1, status_aanlevering="1")]
        keten.aanbieder.stuur(m)
    traffic = keten.client.app.state.traffic  # type: ignore[attr-defined]
    client = traffic.client("0363")
    berichten = client.mailbox(limit=20, berichten=sorted(traffic.owned), inhoud=True)
    assert len(berichten) == 8
    engine = keten.client.app.state.engine  # type: ignore[attr-defined]
    with statements(engine) as gezien:
        assert traffic.receive_batch(berichten, party="0363")[1] == 8
    gelezen = selects(gezien)
    assert len(gelezen) <= 5, gelezen  # before: four or more per message
    client.acknowledge_many([int(b["id"]) for b in berichten])
    traffic.send_now(wait=True)
    codes = {r.header.bericht_identificatie.identificatie: retour_codes(r) for r in keten.aanbieder.haal_op(TODAY)}
    assert codes == {f"S{i}": [[]] for i in range(8) if i != 3} | {"S3": [["0200"], ["9019"]]}, codes
