"""Cross-message checks on start (WMO305) and stop (WMO307) messages, and the retour they lead to."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace

import pytest

from iwmo.berichten.basis import Product
from iwmo.berichten.start_stop import StartProduct, StopProduct, Wmo305, Wmo307
from iwmo.retour import RetourOpties, retour
from iwmo.samples import sample
from iwmo.validation import validate
from iwmo.xml import from_xml, to_xml
from services.toewijzing.domain.startstop_regels import (
    Beoordeling,
    Levering,
    Toewijzing,
    beoordeel_start,
    beoordeel_stop,
)
from tests.conftest import TODAY

AANBIEDER = "12345678"
ANDERE_AANBIEDER = "87654321"
BSN = "999990019"
ANDERE_BSN = "999990032"
D = dt.date
INGANG = D(2023, 1, 1)

START_PAD = "/Bericht/Client/StartProducten/StartProduct[{}]"
STOP_PAD = "/Bericht/Client/StopProducten/StopProduct[{}]"


# --- builders ---------------------------------------------------------------------------------------

def toewijzing(nummer: int, categorie: str = "02", code: str | None = "02A01", *, bsn: str = BSN,
               aanbieder: str = AANBIEDER, ingang: dt.date = INGANG) -> Toewijzing:
    return Toewijzing(nummer, bsn, aanbieder, categorie, code, ingang, None)


def start(nummer: int | None, begin: dt.date, *, product: tuple[str, str | None] = ("02", "02A01"),
          status: str = "1") -> StartProduct:
    return StartProduct(toewijzing_nummer=nummer, product=Product(categorie=product[0], code=product[1]),
                        toewijzing_ingangsdatum=None, begindatum=begin, status_aanlevering=status)


def stop(nummer: int | None, begin: dt.date, reden: str, eind: dt.date, *,
         product: tuple[str, str | None] = ("02", "02A01"), status: str = "1") -> StopProduct:
    return StopProduct(toewijzing_nummer=nummer, product=Product(categorie=product[0], code=product[1]),
                       toewijzing_ingangsdatum=None, begindatum=begin, reden_beeindiging=reden, einddatum=eind,
                       status_aanlevering=status)


def wmo305(*producten: StartProduct, bsn: str = BSN) -> Wmo305:
    bericht = sample("WMO305", today=TODAY)
    assert isinstance(bericht, Wmo305)
    bericht.client.bsn = bsn
    bericht.client.start_producten = list(producten)
    return bericht


def wmo307(*producten: StopProduct, bsn: str = BSN) -> Wmo307:
    bericht = sample("WMO307", today=TODAY)
    assert isinstance(bericht, Wmo307)
    bericht.client.bsn = bsn
    bericht.client.stop_producten = list(producten)
    return bericht


def gestart(nummer: int, begin: dt.date, *, product: tuple[str, str | None] = ("02", "02A01"),
            bsn: str = BSN, aanbieder: str = AANBIEDER, verwijderd: bool = False) -> Levering:
    return Levering("start", bsn, aanbieder, nummer, product[0], product[1], begin, verwijderd=verwijderd)


def gestopt(nummer: int, begin: dt.date, reden: str, eind: dt.date, *,
            product: tuple[str, str | None] = ("02", "02A01"), verwijderd: bool = False) -> Levering:
    return Levering("stop", BSN, AANBIEDER, nummer, product[0], product[1], begin, reden, eind, verwijderd)


def fouten(b: Beoordeling) -> list[tuple[str, str | None, str]]:
    return [(f.code, f.retourcode, f.locaties[0]) for f in b.fouten]


TOEWIJZINGEN = {t.nummer: t for t in (toewijzing(4711), toewijzing(4712, "07", "07A01"))}


def start_oordeel(*producten: StartProduct, eerder: list[Levering] | None = None) -> Beoordeling:
    return beoordeel_start(wmo305(*producten), aanbieder=AANBIEDER, toewijzingen=TOEWIJZINGEN, eerder=eerder or [])


def stop_oordeel(*producten: StopProduct, eerder: list[Levering] | None = None) -> Beoordeling:
    return beoordeel_stop(wmo307(*producten), aanbieder=AANBIEDER, toewijzingen=TOEWIJZINGEN, eerder=eerder or [])


@dataclass
class Dossier:
    """The gemeente's records for one aanbieder, updated with every accepted message (for replays)."""

    toewijzingen: dict[int, Toewijzing]
    eerder: list[Levering] = field(default_factory=list)

    def ontvang(self, bericht: Wmo305 | Wmo307) -> Beoordeling:
        beoordeel = beoordeel_start if isinstance(bericht, Wmo305) else beoordeel_stop
        uitkomst = beoordeel(bericht, aanbieder=AANBIEDER, toewijzingen=self.toewijzingen,  # type: ignore[arg-type]
                             eerder=list(self.eerder))
        if uitkomst.geaccepteerd:
            self.eerder = [replace(e, verwijderd=True) if any(e is v for v in uitkomst.verwijderd) else e
                           for e in self.eerder] + uitkomst.nieuw
        return uitkomst


# --- TR019 ------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("nummer", "bsn", "woord"), [
    (None, BSN, "ontbreekt"),
    (9999, BSN, "geen toewijzing"),
    (4711, ANDERE_BSN, "andere cliënt"),
])
def test_tr019_start_without_own_toewijzing(nummer: int | None, bsn: str, woord: str) -> None:
    b = beoordeel_start(wmo305(start(nummer, D(2023, 2, 1)), bsn=bsn), aanbieder=AANBIEDER,
                        toewijzingen=TOEWIJZINGEN, eerder=[])
    assert fouten(b) == [("TR019", "9019", START_PAD.format(1))]
    assert woord in b.fouten[0].details
    assert b.nieuw == [] and not b.geaccepteerd


def test_tr019_toewijzing_of_another_aanbieder() -> None:
    b = beoordeel_start(wmo305(start(4711, D(2023, 2, 1))), aanbieder=ANDERE_AANBIEDER,
                        toewijzingen=TOEWIJZINGEN, eerder=[])
    assert fouten(b) == [("TR019", "9019", START_PAD.format(1))]
    assert "andere aanbieder" in b.fouten[0].details


def test_tr019_stop_without_toewijzing_is_not_checked_further() -> None:
    b = stop_oordeel(stop(8888, D(2023, 2, 1), "19", D(2023, 3, 1)))
    assert fouten(b) == [("TR019", "9019", STOP_PAD.format(1))]


def test_tr019_start_on_own_toewijzing_is_accepted() -> None:
    b = start_oordeel(start(4711, D(2023, 2, 1)))
    assert b.geaccepteerd and b.fouten == []
    assert b.nieuw == [gestart(4711, D(2023, 2, 1))] and b.verwijderd == []


# --- TR063 ------------------------------------------------------------------------------------------

@pytest.mark.parametrize("eerder", [
    [],
    [gestart(4711, D(2023, 2, 2))],  # other Begindatum
    [gestart(4711, D(2023, 2, 1), product=("02", "02A02"))],  # other product code
    [gestart(4711, D(2023, 2, 1), verwijderd=True)],  # already deleted
    [gestart(4711, D(2023, 2, 1), bsn=ANDERE_BSN)],  # another client
    [gestart(4711, D(2023, 2, 1), aanbieder=ANDERE_AANBIEDER)],  # another aanbieder
], ids=["niets", "begindatum", "code", "verwijderd", "client", "aanbieder"])
def test_tr063_deleting_a_start_that_is_not_there(eerder: list[Levering]) -> None:
    b = start_oordeel(start(4711, D(2023, 2, 1), status="3"), eerder=eerder)
    assert fouten(b) == [("TR063", "9063", START_PAD.format(1))]
    assert "4711" in b.fouten[0].details and b.fouten[0].details.startswith("StartProduct 1: ")


def test_tr063_deleting_a_stop_needs_the_whole_stop_key() -> None:
    eerder = [gestart(4711, D(2023, 2, 1)), gestopt(4711, D(2023, 2, 1), "22", D(2023, 6, 17))]
    b = stop_oordeel(stop(4711, D(2023, 2, 1), "19", D(2023, 6, 17), status="3"), eerder=eerder)
    assert fouten(b) == [("TR063", "9063", STOP_PAD.format(1))]


def test_tr063_deleting_a_present_start_is_accepted() -> None:
    eerder = [gestart(4711, D(2023, 2, 1)), gestart(4712, D(2023, 2, 1), product=("07", "07A01"))]
    b = start_oordeel(start(4711, D(2023, 2, 1), status="3"), eerder=eerder)
    assert b.geaccepteerd
    assert b.nieuw == [] and len(b.verwijderd) == 1 and b.verwijderd[0] is eerder[0]


def test_tr063_a_deletion_is_not_checked_against_the_toewijzingen() -> None:
    eerder = [gestart(5555, D(2023, 2, 1)), gestopt(5555, D(2023, 2, 1), "19", D(2023, 3, 1))]
    b = stop_oordeel(stop(5555, D(2023, 2, 1), "19", D(2023, 3, 1), status="3"), eerder=eerder)
    assert b.geaccepteerd and b.verwijderd == [eerder[1]]


def test_tr063_the_same_deletion_twice_in_one_message() -> None:
    eerder = [gestart(4711, D(2023, 2, 1))]
    b = start_oordeel(start(4711, D(2023, 2, 1), status="3"), start(4711, D(2023, 2, 1), status="3"),
                      eerder=eerder)
    assert fouten(b) == [("TR063", "9063", START_PAD.format(2))]


def test_tr063_a_deletion_does_not_reach_a_start_sent_earlier_in_the_same_message() -> None:
    b = start_oordeel(start(4711, D(2023, 2, 1)), start(4711, D(2023, 2, 1), status="3"))
    assert fouten(b) == [("TR063", "9063", START_PAD.format(2))]


# --- TR071 ------------------------------------------------------------------------------------------

def test_tr071_a_stopped_start_cannot_be_deleted() -> None:
    eerder = [gestart(4711, D(2023, 2, 1)), gestopt(4711, D(2023, 2, 1), "20", D(2023, 3, 1))]
    b = start_oordeel(start(4711, D(2023, 2, 1), status="3"), eerder=eerder)
    assert fouten(b) == [("TR071", "9071", START_PAD.format(1))]
    assert "01-03-2023" in b.fouten[0].details


def test_tr071_a_start_can_be_deleted_after_its_stop_was_deleted() -> None:
    dossier = Dossier(TOEWIJZINGEN, [gestart(4711, D(2023, 2, 1)),
                                     gestopt(4711, D(2023, 2, 1), "20", D(2023, 3, 1))])
    assert dossier.ontvang(wmo307(stop(4711, D(2023, 2, 1), "20", D(2023, 3, 1), status="3"))).geaccepteerd
    b = dossier.ontvang(wmo305(start(4711, D(2023, 2, 1), status="3")))
    assert b.geaccepteerd and b.verwijderd == [gestart(4711, D(2023, 2, 1))]
    assert all(e.verwijderd for e in dossier.eerder)


# --- TR074 ------------------------------------------------------------------------------------------

def test_tr074_a_start_key_received_before() -> None:
    eerder = [gestart(4711, D(2023, 2, 1)), gestopt(4711, D(2023, 2, 1), "19", D(2023, 3, 1))]
    b = start_oordeel(start(4711, D(2023, 2, 1)), eerder=eerder)
    assert fouten(b) == [("TR074", "9074", START_PAD.format(1))]
    assert "al eerder ontvangen" in b.fouten[0].details


def test_tr074_a_start_key_twice_in_one_message() -> None:
    b = start_oordeel(start(4711, D(2023, 2, 1)), start(4711, D(2023, 2, 1)))
    assert fouten(b) == [("TR074", "9074", START_PAD.format(2))]
    assert "in dit bericht" in b.fouten[0].details


def test_tr074_a_stop_key_received_before() -> None:
    eerder = [gestart(4711, D(2023, 2, 1)), gestopt(4711, D(2023, 2, 1), "20", D(2023, 3, 1))]
    b = stop_oordeel(stop(4711, D(2023, 2, 1), "20", D(2023, 3, 1)), eerder=eerder)
    assert fouten(b) == [("TR074", "9074", STOP_PAD.format(1))]


def test_tr074_a_deleted_key_may_be_sent_again() -> None:
    eerder = [gestart(4711, D(2023, 2, 1), verwijderd=True)]
    assert start_oordeel(start(4711, D(2023, 2, 1)), eerder=eerder).geaccepteerd


def test_tr074_delete_and_resend_the_same_start_in_one_message() -> None:
    eerder = [gestart(4711, D(2023, 2, 1))]
    b = start_oordeel(start(4711, D(2023, 2, 1), status="3"), start(4711, D(2023, 2, 1)), eerder=eerder)
    assert b.geaccepteerd
    assert b.verwijderd == eerder and b.nieuw == [gestart(4711, D(2023, 2, 1))]


# --- TR326 ------------------------------------------------------------------------------------------

def test_tr326_no_new_start_while_one_is_running() -> None:
    b = start_oordeel(start(4711, D(2023, 3, 1)), eerder=[gestart(4711, D(2023, 2, 1))])
    assert fouten(b) == [("TR326", "9326", START_PAD.format(1))]
    assert "01-02-2023" in b.fouten[0].details


def test_tr326_two_new_starts_for_one_toewijzing_in_one_message() -> None:
    b = start_oordeel(start(4711, D(2023, 2, 1)), start(4711, D(2023, 3, 1)))
    assert fouten(b) == [("TR326", "9326", START_PAD.format(2))]


def test_tr326_a_start_on_another_toewijzing_may_run_alongside() -> None:
    b = start_oordeel(start(4712, D(2023, 3, 1), product=("07", "07A01")), eerder=[gestart(4711, D(2023, 2, 1))])
    assert b.geaccepteerd


def test_tr326_a_start_after_a_deleted_start_is_accepted() -> None:
    b = start_oordeel(start(4711, D(2023, 2, 1), status="3"), start(4711, D(2023, 2, 3)),
                      eerder=[gestart(4711, D(2023, 2, 1))])
    assert b.geaccepteerd and b.nieuw == [gestart(4711, D(2023, 2, 3))]


def test_tr326_deliveries_of_other_aanbieders_do_not_count() -> None:
    b = start_oordeel(start(4711, D(2023, 3, 1)), eerder=[gestart(4711, D(2023, 2, 1), aanbieder=ANDERE_AANBIEDER)])
    assert b.geaccepteerd


# --- TR382 (9069) -----------------------------------------------------------------------------------

@pytest.mark.parametrize("eerder", [
    [],
    [gestart(4711, D(2023, 2, 2))],  # other Begindatum
    [gestart(4711, D(2023, 2, 1), product=("02", "02A02"))],  # other product
    [gestart(4711, D(2023, 2, 1), verwijderd=True)],  # deleted start
], ids=["geen-start", "begindatum", "product", "verwijderd"])
def test_tr382_stop_without_matching_start(eerder: list[Levering]) -> None:
    b = stop_oordeel(stop(4711, D(2023, 2, 1), "19", D(2023, 3, 1)), eerder=eerder)
    assert fouten(b) == [("TR382", "9069", STOP_PAD.format(1))]


def test_tr382_fault_names_the_starts_that_were_received() -> None:
    b = stop_oordeel(stop(4711, D(2023, 2, 1), "19", D(2023, 3, 1)), eerder=[gestart(4711, D(2023, 2, 2))])
    assert "Begindatum 02-02-2023" in b.fouten[0].details


def test_tr382_stop_that_copies_the_start_is_accepted() -> None:
    b = stop_oordeel(stop(4711, D(2023, 2, 1), "19", D(2023, 3, 1)), eerder=[gestart(4711, D(2023, 2, 1))])
    assert b.geaccepteerd and b.nieuw == [gestopt(4711, D(2023, 2, 1), "19", D(2023, 3, 1))]


def test_tr382_start_and_stop_in_sequence_within_one_dossier() -> None:
    dossier = Dossier(TOEWIJZINGEN)
    stopbericht = wmo307(stop(4711, D(2023, 2, 1), "19", D(2023, 3, 1)))
    assert fouten(dossier.ontvang(stopbericht)) == [("TR382", "9069", STOP_PAD.format(1))]
    assert dossier.ontvang(wmo305(start(4711, D(2023, 2, 1)))).geaccepteerd
    assert dossier.ontvang(stopbericht).geaccepteerd


# --- TR413 / TR414 / TR415 --------------------------------------------------------------------------

GESTART = gestart(4711, D(2023, 2, 1))
TIJDELIJK = gestopt(4711, D(2023, 2, 1), "20", D(2023, 3, 1))
DEFINITIEF = gestopt(4711, D(2023, 2, 1), "19", D(2023, 3, 1))


def test_tr413_second_temporary_stop() -> None:
    b = stop_oordeel(stop(4711, D(2023, 2, 1), "20", D(2023, 3, 5)), eerder=[GESTART, TIJDELIJK])
    assert fouten(b) == [("TR413", "9413", STOP_PAD.format(1))]


def test_tr413_definitive_stop_after_temporary_stop_is_accepted() -> None:
    b = stop_oordeel(stop(4711, D(2023, 2, 1), "23", D(2023, 3, 5)), eerder=[GESTART, TIJDELIJK])
    assert b.geaccepteerd


def test_tr414_end_before_the_existing_stop() -> None:
    b = stop_oordeel(stop(4711, D(2023, 2, 1), "23", D(2023, 2, 28)), eerder=[GESTART, TIJDELIJK])
    assert fouten(b) == [("TR414", "9414", STOP_PAD.format(1))]
    assert "28-02-2023" in b.fouten[0].details and "01-03-2023" in b.fouten[0].details


def test_tr414_same_end_as_the_existing_stop_is_accepted() -> None:
    b = stop_oordeel(stop(4711, D(2023, 2, 1), "23", D(2023, 3, 1)), eerder=[GESTART, TIJDELIJK])
    assert b.geaccepteerd


def test_tr413_and_tr414_together() -> None:
    b = stop_oordeel(stop(4711, D(2023, 2, 1), "20", D(2023, 2, 20)), eerder=[GESTART, TIJDELIJK])
    assert fouten(b) == [("TR413", "9413", STOP_PAD.format(1)), ("TR414", "9414", STOP_PAD.format(1))]


@pytest.mark.parametrize("reden", ["20", "23"])
def test_tr415_no_stop_after_a_definitive_stop(reden: str) -> None:
    b = stop_oordeel(stop(4711, D(2023, 2, 1), reden, D(2023, 3, 5)), eerder=[GESTART, DEFINITIEF])
    assert fouten(b) == [("TR415", "9415", STOP_PAD.format(1))]


def test_status_2_is_judged_as_a_new_delivery() -> None:
    # StatusAanlevering 2 is refused in the message itself (CS058); should it get here, TR413 still applies
    b = stop_oordeel(stop(4711, D(2023, 2, 1), "20", D(2023, 3, 5), status="2"), eerder=[GESTART, TIJDELIJK])
    assert fouten(b) == [("TR413", "9413", STOP_PAD.format(1))]


def test_tr415_stops_of_another_start_do_not_count() -> None:
    eerder = [GESTART, DEFINITIEF, gestart(4711, D(2023, 4, 1))]
    b = stop_oordeel(stop(4711, D(2023, 4, 1), "19", D(2023, 5, 1)), eerder=eerder)
    assert b.geaccepteerd


def test_rejected_message_stores_nothing() -> None:
    b = stop_oordeel(stop(4711, D(2023, 2, 1), "19", D(2023, 3, 1), status="3"),
                     stop(9999, D(2023, 2, 1), "19", D(2023, 3, 1)), eerder=[GESTART, DEFINITIEF])
    assert fouten(b) == [("TR019", "9019", STOP_PAD.format(2))]
    assert not b.geaccepteerd and b.nieuw == [] and b.verwijderd == []


# --- replays of the worked scenarios ----------------------------------------------------------------

def test_casus2_temporary_stop_then_definitive_stop_on_the_same_date() -> None:
    bsn, nummer, product, begin = "999996770", 668877, ("07", "07A12"), D(2023, 5, 17)
    dossier = Dossier({nummer: toewijzing(nummer, *product, bsn=bsn, ingang=D(2023, 5, 15))})

    b = dossier.ontvang(wmo305(start(nummer, begin, product=product), bsn=bsn))
    assert b.geaccepteerd and [e.soort for e in b.nieuw] == ["start"]

    b = dossier.ontvang(wmo307(stop(nummer, begin, "20", D(2023, 6, 20), product=product), bsn=bsn))
    assert b.geaccepteerd and b.nieuw[0].tijdelijk

    b = dossier.ontvang(wmo307(stop(nummer, begin, "23", D(2023, 6, 20), product=product), bsn=bsn))
    assert b.geaccepteerd and b.nieuw[0].reden_beeindiging == "23"

    # after the definitive stop, the start cannot be stopped again
    b = dossier.ontvang(wmo307(stop(nummer, begin, "19", D(2023, 6, 30), product=product), bsn=bsn))
    assert fouten(b) == [("TR415", "9415", STOP_PAD.format(1))]
    assert len(dossier.eerder) == 3


def test_casus3_temporary_stop_then_definitive_stop_later() -> None:
    bsn, nummer, product, begin = "999996782", 12563, ("07", "07A01"), D(2020, 3, 30)
    dossier = Dossier({nummer: toewijzing(nummer, *product, bsn=bsn, ingang=D(2020, 3, 16))},
                      [gestart(nummer, begin, product=product, bsn=bsn)])

    assert dossier.ontvang(wmo307(stop(nummer, begin, "20", D(2023, 6, 7), product=product), bsn=bsn)).geaccepteerd
    b = dossier.ontvang(wmo307(stop(nummer, begin, "23", D(2023, 6, 29), product=product), bsn=bsn))
    assert b.geaccepteerd
    assert [(e.reden_beeindiging, e.einddatum) for e in dossier.eerder if e.soort == "stop"] == [
        ("20", D(2023, 6, 7)), ("23", D(2023, 6, 29))]


CASUS4 = ("999900006", 667899, D(2023, 1, 5))  # CASUS 4 uses iJw product 45A04; a WMO product here


def casus4_dossier() -> Dossier:
    bsn, nummer, begin = CASUS4
    dossier = Dossier({nummer: toewijzing(nummer, bsn=bsn)})
    assert dossier.ontvang(wmo305(start(nummer, begin), bsn=bsn)).geaccepteerd
    assert dossier.ontvang(wmo307(stop(nummer, begin, "22", D(2023, 6, 17)), bsn=bsn)).geaccepteerd
    return dossier


def test_casus4_correct_a_stop_with_delete_and_new_in_one_message() -> None:
    bsn, nummer, begin = CASUS4
    dossier = casus4_dossier()
    oude_stop = dossier.eerder[1]
    b = dossier.ontvang(wmo307(stop(nummer, begin, "22", D(2023, 6, 17), status="3"),
                               stop(nummer, begin, "19", D(2023, 6, 17)), bsn=bsn))
    assert b.fouten == []
    assert len(b.verwijderd) == 1 and b.verwijderd[0] is oude_stop
    assert [(e.reden_beeindiging, e.einddatum) for e in b.nieuw] == [("19", D(2023, 6, 17))]
    assert [(e.reden_beeindiging, e.verwijderd) for e in dossier.eerder if e.soort == "stop"] == [
        ("22", True), ("19", False)]
    # the corrected stop is now the definitive one
    b = dossier.ontvang(wmo307(stop(nummer, begin, "23", D(2023, 6, 20)), bsn=bsn))
    assert fouten(b) == [("TR415", "9415", STOP_PAD.format(1))]


def test_casus4_new_stop_before_the_deletion_is_judged_in_document_order() -> None:
    bsn, nummer, begin = CASUS4
    dossier = casus4_dossier()
    b = dossier.ontvang(wmo307(stop(nummer, begin, "19", D(2023, 6, 17)),
                               stop(nummer, begin, "22", D(2023, 6, 17), status="3"), bsn=bsn))
    assert fouten(b) == [("TR415", "9415", STOP_PAD.format(1))]
    assert not any(e.verwijderd for e in dossier.eerder)


def test_d6_temporary_stop_then_restart() -> None:
    dossier = Dossier(TOEWIJZINGEN)
    b1, e1, b2 = D(2026, 2, 1), D(2026, 3, 15), D(2026, 5, 1)
    assert dossier.ontvang(wmo305(start(4711, b1))).geaccepteerd

    # a restart while the first start is still running
    assert fouten(dossier.ontvang(wmo305(start(4711, b2)))) == [("TR326", "9326", START_PAD.format(1))]

    assert dossier.ontvang(wmo307(stop(4711, b1, "20", e1))).geaccepteerd
    assert dossier.ontvang(wmo305(start(4711, b2))).geaccepteerd

    # the second start runs: no third start, and a stop must refer to Begindatum b2
    assert fouten(dossier.ontvang(wmo305(start(4711, D(2026, 6, 1))))) == [("TR326", "9326", START_PAD.format(1))]
    b = dossier.ontvang(wmo307(stop(4711, b2, "19", D(2026, 7, 31))))
    assert b.geaccepteerd and b.nieuw[0].begindatum == b2
    # the first start's temporary stop does not block a temporary stop of the second start
    assert fouten(dossier.ontvang(wmo307(stop(4711, b2, "20", D(2026, 8, 1))))) == [
        ("TR415", "9415", STOP_PAD.format(1))]
    assert [(e.soort, e.begindatum) for e in dossier.eerder] == [
        ("start", b1), ("stop", b1), ("start", b2), ("stop", b2)]


# --- from faults to a retour ------------------------------------------------------------------------

OPTIES = RetourOpties(identificatie="R-SS-0001", dagtekening=TODAY)


def test_faults_become_a_wmo306_with_the_code_on_the_faulty_start() -> None:
    heen = sample("WMO305", today=TODAY)
    assert isinstance(heen, Wmo305)
    begin = heen.client.start_producten[0].begindatum
    heen.client.start_producten = [start(4711, begin, product=("02", "02A01")),
                                   start(4713, begin, product=("02", "02A01")),
                                   start(4712, begin, product=("07", "07A01"))]
    data = to_xml(heen)
    assert validate(data, today=TODAY).valid
    ontvangen = from_xml(data)
    assert isinstance(ontvangen, Wmo305)

    b = beoordeel_start(ontvangen, aanbieder=AANBIEDER, eerder=[],
                        toewijzingen={t.nummer: t for t in (toewijzing(4711), toewijzing(4712, "07", "07A01"))})
    assert fouten(b) == [("TR019", "9019", START_PAD.format(2))]

    antwoord = retour(ontvangen, b.fouten, OPTIES)
    assert antwoord.BERICHT == "WMO306"
    assert antwoord.header.retourcodes == ["0200"]  # type: ignore[attr-defined]
    client = antwoord.client  # type: ignore[attr-defined]
    assert client.retourcodes == ["0200"]
    assert [(p.toewijzing_nummer, p.retourcodes) for p in client.start_producten] == [
        (4711, ["0200"]), (4713, ["9019"]), (4712, ["0200"])]
    rapport = validate(to_xml(antwoord), today=TODAY)
    assert rapport.valid, [f.as_dict() for f in rapport.fouten]


def test_faults_become_a_wmo308_with_several_codes_on_one_stop() -> None:
    heen = sample("WMO307", today=TODAY)
    assert isinstance(heen, Wmo307)
    proto = heen.client.stop_producten[0]
    begin, eind = proto.begindatum, proto.einddatum
    heen.client.stop_producten = [stop(4712, begin, "19", eind, product=("07", "07A01")),
                                  stop(4711, begin, "20", eind)]
    eerder = [gestart(4711, begin), gestart(4712, begin, product=("07", "07A01")),
              gestopt(4711, begin, "20", eind + dt.timedelta(days=1))]
    b = beoordeel_stop(heen, aanbieder=AANBIEDER, toewijzingen=TOEWIJZINGEN, eerder=eerder)
    assert fouten(b) == [("TR413", "9413", STOP_PAD.format(2)), ("TR414", "9414", STOP_PAD.format(2))]

    antwoord = retour(heen, b.fouten, OPTIES)
    assert antwoord.BERICHT == "WMO308"
    assert antwoord.header.retourcodes == ["0200"]  # type: ignore[attr-defined]
    assert [p.retourcodes for p in antwoord.client.stop_producten] == [  # type: ignore[attr-defined]
        ["0200"], ["9413", "9414"]]
    rapport = validate(to_xml(antwoord), today=TODAY)
    assert rapport.valid, [f.as_dict() for f in rapport.fouten]


# --- OP155: a stop refers to the latest start ------------------------------------------------------

def test_op155_a_stop_of_a_start_that_a_later_start_replaced_is_refused() -> None:
    dossier = Dossier(TOEWIJZINGEN)
    eerste, tweede = dt.date(2026, 2, 1), dt.date(2026, 5, 1)
    assert dossier.ontvang(wmo305(start(4711, eerste))).geaccepteerd
    assert dossier.ontvang(wmo307(stop(4711, eerste, "20", dt.date(2026, 3, 15)))).geaccepteerd  # paused
    assert dossier.ontvang(wmo305(start(4711, tweede))).geaccepteerd  # resumed: the second start is the latest
    oud = dossier.ontvang(wmo307(stop(4711, eerste, "23", dt.date(2026, 6, 30))))
    assert fouten(oud) == [("TR382", "9069", STOP_PAD.format(1))]
    assert "niet de laatste start" in oud.fouten[0].details and not oud.nieuw
    assert dossier.ontvang(wmo307(stop(4711, tweede, "23", dt.date(2026, 6, 30)))).geaccepteerd
