"""Start and stop through the chain: the aanbieder's 305/307 judged by the service, answered with 306/308."""

from __future__ import annotations

import datetime as dt

from iwmo.berichten.basis import BerichtIdentificatie, Product
from iwmo.berichten.start_stop import StartProduct, StopProduct, Wmo306, Wmo307, Wmo308
from iwmo.samples import sample
from tests.services.toewijzing.conftest import AANBIEDER, Keten
from tests.services.toewijzing.test_beschikking import CLIENT, UREN, beschik

TODAY = dt.date(2026, 12, 20)  # the clock below; Begindatum may not lie after the Dagtekening


def _kop(bericht, ident: str) -> None:  # type: ignore[no-untyped-def]
    bericht.header.afzender, bericht.header.ontvanger = AANBIEDER, "0363"
    bericht.header.bericht_identificatie = BerichtIdentificatie(identificatie=ident, dagtekening=TODAY)


def start(keten: Keten, nummer: int, begindatum: dt.date, ident: str, status: str = "1") -> None:
    m = sample("WMO305", today=TODAY)
    _kop(m, ident)
    m.client.bsn = CLIENT["bsn"]
    m.client.start_producten = [StartProduct(toewijzing_nummer=nummer, product=Product(categorie="01", code="01A01"),
                                             toewijzing_ingangsdatum=dt.date(2026, 12, 1), begindatum=begindatum,
                                             status_aanlevering=status)]
    keten.aanbieder.stuur(m)


def stop(keten: Keten, nummer: int, begindatum: dt.date, reden: str, einddatum: dt.date, ident: str) -> None:
    m: Wmo307 = sample("WMO307", today=TODAY)  # type: ignore[assignment]
    _kop(m, ident)
    m.client.bsn = CLIENT["bsn"]
    m.client.stop_producten = [StopProduct(toewijzing_nummer=nummer, product=Product(categorie="01", code="01A01"),
                                           toewijzing_ingangsdatum=dt.date(2026, 12, 1), begindatum=begindatum,
                                           reden_beeindiging=reden, einddatum=einddatum, status_aanlevering="1")]
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
    again = keten.client.post("/berichten", content=xml, headers={"Content-Type": "application/xml"})  # a push
    assert again.status_code == 200 and again.json()["nieuw"] is False
    app = keten.client.app
    keten.sync()
    assert len(keten.aanbieder.haal_op(TODAY)) == 1  # one WMO306
    with app.state.session_factory() as session:  # type: ignore[attr-defined]
        from sqlalchemy import func, select

        from services.toewijzing.models import Levering
        assert session.scalar(select(func.count()).select_from(Levering)) == 1
