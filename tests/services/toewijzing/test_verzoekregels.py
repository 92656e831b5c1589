"""Cross-message checks on WMO315 (verzoek om toewijzing) and WMO317 (verzoek om wijziging), and their retour."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest

from iwmo.berichten.basis import Omvang, Product
from iwmo.berichten.verzoek import (
    AangevraagdProduct,
    NieuwProduct,
    OngewijzigdProduct,
    TeWijzigenProduct,
    Wmo315,
    Wmo317,
)
from iwmo.regels import Fout
from iwmo.retour import RetourOpties, retour
from iwmo.samples import sample
from iwmo.validation import validate
from iwmo.xml import from_xml, to_xml
from services.toewijzing.domain.verzoeken_regels import (
    Stand,
    Toewijzing,
    beoordeel_vot,
    beoordeel_vow,
    is_actueel,
)
from tests.conftest import TODAY

D = dt.date
INGANG = D(2026, 11, 1)  # Ingangsdatum of the toewijzingen (the samples' period starts on the 1st)
EIND = D(2027, 12, 31)
GEWENST = TODAY + dt.timedelta(days=7)  # a GewensteIngangsdatum in the future, as in the sample

CLIENT = "/Bericht/Client"
VERZOEK = "/Bericht/Client/Verzoek"
AANGEVRAAGD = "/Bericht/Client/AangevraagdeProducten/AangevraagdProduct[{}]"
ONGEWIJZIGD = "/Bericht/Client/Verzoek/OngewijzigdeProducten/OngewijzigdProduct[{}]"
TE_WIJZIGEN = "/Bericht/Client/Verzoek/TeWijzigenProducten/TeWijzigenProduct[{}]"
NIEUW = "/Bericht/Client/Verzoek/NieuweProducten/NieuwProduct[{}]"

# the toewijzingen the sample WMO317 refers to: 4711 (changed) and 4712 (unchanged)
T4711 = Toewijzing(4711, "01", "01A01", INGANG, EIND, volume=3, eenheid="04", frequentie="2")
T4712 = Toewijzing(4712, "02", None, INGANG, EIND, budget=250_000)
STAND = Stand(vandaag=TODAY, toewijzingen=(T4711, T4712), referenties=frozenset({"VOT-2025-0007"}))


def codes(fouten: list[Fout]) -> list[tuple[str, str | None, str]]:
    return [(f.code, f.retourcode, f.locaties[0]) for f in fouten]


# --- builders ---------------------------------------------------------------------------------------

def aangevraagd(ref: str, code: str = "01A01") -> AangevraagdProduct:
    proto = sample("WMO315", today=TODAY).client.aangevraagde_producten[0]  # type: ignore[attr-defined]
    return replace(proto, referentie_aanbieder=ref, product=Product(categorie=code[:2], code=code))


def wmo315(*refs: str) -> Wmo315:
    """The sample WMO315 with one AangevraagdProduct per reference (each another product)."""
    bericht = sample("WMO315", today=TODAY)
    assert isinstance(bericht, Wmo315)
    if refs:
        bericht.client.aangevraagde_producten = [aangevraagd(r, f"0{i}A01") for i, r in enumerate(refs, start=1)]
    return bericht


def wijzig(nummer: int, gewenst: dt.date = GEWENST, eind: dt.date | None = EIND, *,
           omvang: tuple[int, str, str] | None = (5, "04", "2"), budget: int | None = None) -> TeWijzigenProduct:
    return TeWijzigenProduct(toewijzing_nummer=nummer, gewenste_ingangsdatum=gewenst, einddatum=eind,
                             omvang=Omvang(volume=omvang[0], eenheid=omvang[1], frequentie=omvang[2])
                             if omvang else None, budget=budget)


def nieuw(categorie: str | None, code: str | None = None, begin: dt.date = GEWENST, eind: dt.date | None = EIND, *,
          budget: int | None = None) -> NieuwProduct:
    product = Product(categorie=categorie, code=code) if categorie else None
    omvang = Omvang(volume=2, eenheid="04", frequentie="2") if code else None
    return NieuwProduct(product=product, gewenste_ingangsdatum=begin, einddatum=eind, omvang=omvang,
                        budget=budget if budget is not None or code else 100_000)


def wmo317(*, ongewijzigd: list[int] | None = None, te_wijzigen: list[TeWijzigenProduct] | None = None,
           nieuwe: list[NieuwProduct] | None = None, ref: str | None = None) -> Wmo317:
    """The sample WMO317 (keep 4712, change 4711 from GEWENST, new 07A01); None keeps the sample's part."""
    bericht = sample("WMO317", today=TODAY)
    assert isinstance(bericht, Wmo317)
    verzoek = bericht.client.verzoek
    if ongewijzigd is not None:
        verzoek.ongewijzigde_producten = [OngewijzigdProduct(toewijzing_nummer=n) for n in ongewijzigd]
    if te_wijzigen is not None:
        verzoek.te_wijzigen_producten = te_wijzigen
    if nieuwe is not None:
        verzoek.nieuwe_producten = nieuwe
    if ref is not None:
        verzoek.referentie_aanbieder = ref
    return bericht


def stand(*extra: Toewijzing, **kwargs: object) -> Stand:
    return replace(STAND, toewijzingen=STAND.toewijzingen + extra, **kwargs)  # type: ignore[arg-type]


# --- is_actueel -------------------------------------------------------------------------------------

@pytest.mark.parametrize(("ingang", "eind", "reden", "verwacht"), [
    (D(2025, 1, 1), None, None, True),  # open end
    (D(2025, 1, 1), TODAY, None, True),  # ends today
    (D(2025, 1, 1), TODAY - dt.timedelta(days=1), None, False),  # ended yesterday
    (TODAY + dt.timedelta(days=30), D(2027, 6, 30), None, True),  # starts in the future
    (TODAY + dt.timedelta(days=30), TODAY + dt.timedelta(days=30), "13", False),  # removed before it started
    (TODAY, TODAY, "01", False),  # administrative correction: withdrawn
    (TODAY, TODAY, "02", True),  # a one-day toewijzing for another reason is current
    (D(2025, 1, 1), EIND, "13", True),  # reason 13, but not a zero-length period
])
def test_is_actueel(ingang: dt.date, eind: dt.date | None, reden: str | None, verwacht: bool) -> None:
    t = Toewijzing(1, "01", "01A01", ingang, eind, reden_wijziging=reden)
    assert is_actueel(t, TODAY) is verwacht


# --- WMO315 -----------------------------------------------------------------------------------------

def test_vot_with_new_references_and_nothing_open_passes() -> None:
    assert beoordeel_vot(wmo315("VOT-2026-0101", "VOT-2026-0102"), stand=STAND) == []


def test_tr347_vot_reference_used_before() -> None:
    fouten = beoordeel_vot(wmo315("VOT-2026-0101", "VOT-2025-0007"), stand=STAND)
    assert codes(fouten) == [("TR347", "9347", AANGEVRAAGD.format(2))]
    assert "VOT-2025-0007" in fouten[0].details


def test_tr347_vot_reference_twice_in_the_message() -> None:
    fouten = beoordeel_vot(wmo315("VOT-2026-0101", "VOT-2026-0102", "VOT-2026-0101"), stand=STAND)
    assert codes(fouten) == [("TR347", "9347", AANGEVRAAGD.format(3))]
    assert fouten[0].locaties == [AANGEVRAAGD.format(3), AANGEVRAAGD.format(1)]


def test_tr374_vot_while_a_request_is_open() -> None:
    fouten = beoordeel_vot(wmo315("VOT-2026-0101"), stand=stand(onderhanden=("VOW-2026-0050",)))
    assert codes(fouten) == [("TR374", "9374", CLIENT)]
    assert "VOW-2026-0050" in fouten[0].details


def test_vot_sent_twice_fails_tr374_and_tr347() -> None:
    fouten = beoordeel_vot(wmo315("VOT-2026-0101"), stand=stand(onderhanden=("VOT-2026-0101",)))
    assert codes(fouten) == [("TR374", "9374", CLIENT), ("TR347", "9347", AANGEVRAAGD.format(1))]


# --- WMO317: client, reference, open requests -------------------------------------------------------

def test_the_sample_vow_passes() -> None:
    assert beoordeel_vow(wmo317(), stand=STAND) == []


def test_tr304_unknown_client_is_the_only_fault() -> None:
    onbekend = Stand(vandaag=TODAY, client_bekend=False, onderhanden=("X",))
    fouten = beoordeel_vow(wmo317(), stand=onbekend)
    assert codes(fouten) == [("TR304", "8187", CLIENT)]
    assert "999990019" in fouten[0].details


def test_tr347_vow_reference_used_before() -> None:
    assert codes(beoordeel_vow(wmo317(ref="VOT-2025-0007"), stand=STAND)) == [("TR347", "9347", VERZOEK)]
    assert beoordeel_vow(wmo317(ref="VOW-2026-0099"), stand=STAND) == []


def test_tr374_vow_while_a_request_is_open() -> None:
    fouten = beoordeel_vow(wmo317(), stand=stand(onderhanden=("VOT-2026-0031",)))
    assert codes(fouten) == [("TR374", "9374", VERZOEK)]


# --- TR349, TR350, TR351 ----------------------------------------------------------------------------

def test_tr349_a_current_toewijzing_is_missing() -> None:
    t4713 = Toewijzing(4713, "03", "03A01", INGANG, None, volume=1, eenheid="04", frequentie="2")
    toekomst = Toewijzing(4714, "04", "04A01", TODAY + dt.timedelta(days=40), EIND, volume=1, eenheid="04",
                          frequentie="2")
    fouten = beoordeel_vow(wmo317(), stand=stand(t4713, toekomst))
    assert codes(fouten) == [("TR349", "9349", VERZOEK)]
    assert "toewijzing 4713" in fouten[0].details and "toewijzing 4714" in fouten[0].details
    assert "toewijzing 4711" not in fouten[0].details


def test_tr349_ended_and_removed_toewijzingen_need_not_be_in_the_request() -> None:
    afgelopen = Toewijzing(4713, "03", "03A01", D(2025, 1, 1), TODAY - dt.timedelta(days=1))
    verwijderd = Toewijzing(4714, "04", "04A01", EIND, EIND, reden_wijziging="13")
    assert beoordeel_vow(wmo317(), stand=stand(afgelopen, verwijderd)) == []


def test_tr349_without_the_unchanged_product() -> None:
    fouten = beoordeel_vow(wmo317(ongewijzigd=[]), stand=STAND)
    assert codes(fouten) == [("TR349", "9349", VERZOEK)]
    assert "toewijzing 4712" in fouten[0].details


def test_tr350_unchanged_product_must_be_a_current_toewijzing() -> None:
    afgelopen = Toewijzing(4713, "03", "03A01", D(2025, 1, 1), D(2026, 6, 30))
    fouten = beoordeel_vow(wmo317(ongewijzigd=[4712, 9999, 4713]), stand=stand(afgelopen))
    assert codes(fouten) == [("TR350", "9350", ONGEWIJZIGD.format(2)), ("TR350", "9350", ONGEWIJZIGD.format(3))]
    assert "9999 is geen toewijzing" in fouten[0].details
    assert "niet meer actueel" in fouten[1].details


def test_tr351_product_to_change_must_be_a_current_toewijzing() -> None:
    verwijderd = Toewijzing(4713, "03", "03A01", GEWENST, GEWENST, reden_wijziging="01")
    # the faulty products get no further checks: a GewensteIngangsdatum in the past would be TR357
    te_wijzigen = [wijzig(4711), wijzig(9999, TODAY - dt.timedelta(days=3)), wijzig(4713)]
    fouten = beoordeel_vow(wmo317(te_wijzigen=te_wijzigen), stand=stand(verwijderd))
    assert codes(fouten) == [("TR351", "9351", TE_WIJZIGEN.format(2)), ("TR351", "9351", TE_WIJZIGEN.format(3))]
    assert "ingetrokken" in fouten[1].details


# --- TR357, TR373 -----------------------------------------------------------------------------------

@pytest.mark.parametrize(("gewenst", "fout"), [
    (TODAY - dt.timedelta(days=5), True),  # in the past, not the Ingangsdatum
    (TODAY, True),  # the Dagtekening itself counts as "not in the future"
    (INGANG, False),  # the whole period
    (TODAY + dt.timedelta(days=1), False),  # in the future
])
def test_tr357_gewenste_ingangsdatum_in_the_past(gewenst: dt.date, fout: bool) -> None:
    fouten = beoordeel_vow(wmo317(te_wijzigen=[wijzig(4711, gewenst)]), stand=STAND)
    assert codes(fouten) == ([("TR357", "9357", TE_WIJZIGEN.format(1))] if fout else [])


def test_tr373_budget_change_must_cover_the_whole_period() -> None:
    anders = wmo317(ongewijzigd=[], te_wijzigen=[wijzig(4711), wijzig(4712, omvang=None, budget=300_000)])
    fouten = beoordeel_vow(anders, stand=STAND)
    assert codes(fouten) == [("TR373", "9373", TE_WIJZIGEN.format(2))]
    assert "€ 2500,00 wordt € 3000,00" in fouten[0].details

    # leaving the Budget out also changes it
    weg = wmo317(ongewijzigd=[], te_wijzigen=[wijzig(4711), wijzig(4712, omvang=None, budget=None)])
    fouten = beoordeel_vow(weg, stand=STAND)
    assert codes(fouten) == [("TR373", "9373", TE_WIJZIGEN.format(2))]
    assert "€ 2500,00 wordt leeg" in fouten[0].details

    hele_periode = wmo317(ongewijzigd=[], te_wijzigen=[
        wijzig(4711), wijzig(4712, INGANG, D(2028, 6, 30), omvang=None, budget=300_000)])
    assert beoordeel_vow(hele_periode, stand=STAND) == []


def test_tr373_same_budget_with_a_later_end_date_is_no_budget_change() -> None:
    verlengd = wmo317(ongewijzigd=[], te_wijzigen=[wijzig(4711), wijzig(4712, eind=D(2028, 6, 30), omvang=None,
                                                                            budget=250_000)])
    assert beoordeel_vow(verlengd, stand=STAND) == []


T_TOTAAL = Toewijzing(4711, "01", "01A01", INGANG, EIND, volume=80, eenheid="01", frequentie="6")


@pytest.mark.parametrize(("omvang", "toewijzing", "fout"), [
    ((100, "01", "6"), T_TOTAAL, True),  # a higher total
    ((3, "04", "2"), T_TOTAAL, True),  # from a total to hours per week
    ((120, "01", "6"), T4711, True),  # from hours per week to a total
    ((80, "01", "6"), T_TOTAAL, False),  # the same total, only a new end date
    ((6, "04", "2"), T4711, False),  # hours per week: no total involved
])
def test_tr373_total_over_the_period(omvang: tuple[int, str, str], toewijzing: Toewijzing, fout: bool) -> None:
    bericht = wmo317(te_wijzigen=[wijzig(4711, eind=D(2028, 3, 31), omvang=omvang)])
    fouten = beoordeel_vow(bericht, stand=replace(STAND, toewijzingen=(toewijzing, T4712)))
    assert codes(fouten) == ([("TR373", "9373", TE_WIJZIGEN.format(1))] if fout else [])
    # starting on the toewijzing's Ingangsdatum is always allowed
    bericht.client.verzoek.te_wijzigen_producten[0].gewenste_ingangsdatum = INGANG
    assert beoordeel_vow(bericht, stand=replace(STAND, toewijzingen=(toewijzing, T4712))) == []


# --- TR375, TR411, TR412 ----------------------------------------------------------------------------

T_ZONDER_PRODUCT = Toewijzing(4712, None, None, INGANG, EIND, budget=250_000)


def test_tr375_no_omvang_when_the_toewijzing_has_no_product() -> None:
    # alone: without a category it may not overlap any other product (TR361)
    s = replace(STAND, toewijzingen=(T_ZONDER_PRODUCT,))
    met_omvang = wmo317(ongewijzigd=[], te_wijzigen=[wijzig(4712, INGANG, budget=None)], nieuwe=[])
    fouten = beoordeel_vow(met_omvang, stand=s)
    assert codes(fouten) == [("TR375", "9375", TE_WIJZIGEN.format(1))]  # and not also TR412
    met_budget = wmo317(ongewijzigd=[], te_wijzigen=[wijzig(4712, INGANG, omvang=None, budget=300_000)], nieuwe=[])
    assert beoordeel_vow(met_budget, stand=s) == []


def test_tr412_no_omvang_when_the_toewijzing_has_no_product_code() -> None:
    met_omvang = wmo317(ongewijzigd=[], te_wijzigen=[wijzig(4711), wijzig(4712, INGANG, budget=None)])
    assert codes(beoordeel_vow(met_omvang, stand=STAND)) == [("TR412", "9412", TE_WIJZIGEN.format(2))]
    met_budget = wmo317(ongewijzigd=[], te_wijzigen=[wijzig(4711), wijzig(4712, INGANG, omvang=None,
                                                                              budget=250_000)])
    assert beoordeel_vow(met_budget, stand=STAND) == []


def test_tr375_and_tr412_only_for_end_dates_after_2020() -> None:
    # a requested Einddatum in 2020 (nonsense, but it is what the rules test) lifts the restriction
    oud = wmo317(ongewijzigd=[], te_wijzigen=[wijzig(4711), wijzig(4712, INGANG, D(2020, 12, 31), budget=None)])
    assert codes(beoordeel_vow(oud, stand=STAND)) == []
    open_eind = wmo317(ongewijzigd=[], te_wijzigen=[wijzig(4711), wijzig(4712, INGANG, None, budget=None)])
    assert codes(beoordeel_vow(open_eind, stand=STAND)) == [("TR412", "9412", TE_WIJZIGEN.format(2))]


def test_tr411_omvang_required_when_the_toewijzing_has_a_product_code() -> None:
    fouten = beoordeel_vow(wmo317(te_wijzigen=[wijzig(4711, omvang=None)]), stand=STAND)
    assert codes(fouten) == [("TR411", "9411", TE_WIJZIGEN.format(1))]
    assert "01/01A01" in fouten[0].details
    assert beoordeel_vow(wmo317(te_wijzigen=[wijzig(4711, omvang=(3, "04", "2"))]), stand=STAND) == []


# --- TR361 ------------------------------------------------------------------------------------------

def test_tr361_new_product_overlaps_the_product_being_changed() -> None:
    bericht = wmo317(nieuwe=[nieuw("07", "07A01"), nieuw("01", "01A01", D(2027, 6, 1), None)])
    fouten = beoordeel_vow(bericht, stand=STAND)
    assert codes(fouten) == [("TR361", "9361", NIEUW.format(2))]
    assert fouten[0].locaties == [NIEUW.format(2), TE_WIJZIGEN.format(1)]


def test_tr361_new_period_after_the_changed_end_date_is_fine() -> None:
    bericht = wmo317(te_wijzigen=[wijzig(4711, eind=D(2026, 12, 31))],
                     nieuwe=[nieuw("01", "01A01", D(2027, 1, 1), D(2027, 12, 31))])
    assert beoordeel_vow(bericht, stand=STAND) == []


def test_tr361_product_being_changed_covers_its_period_from_the_original_ingangsdatum() -> None:
    # the new product ends before the GewensteIngangsdatum, but toewijzing 4711 still runs then
    bericht = wmo317(nieuwe=[nieuw("01", "01A01", TODAY + dt.timedelta(days=1), TODAY + dt.timedelta(days=5))])
    assert codes(beoordeel_vow(bericht, stand=STAND)) == [("TR361", "9361", NIEUW.format(1))]


@pytest.mark.parametrize(("product", "botst_met"), [
    (("02", None), [ONGEWIJZIGD.format(1)]),  # category level: 4712 is category 02 without a code
    (("02", "02A01"), [ONGEWIJZIGD.format(1)]),  # a code against 4712's category
    ((None, None), [ONGEWIJZIGD.format(1), TE_WIJZIGEN.format(1)]),  # no product: collides outside 11-14
    (("03", None), []),  # another category
    (("01", "01A02"), []),  # another code in 4711's category
])
def test_tr361_compares_products_by_code_or_category(product: tuple[str | None, str | None],
                                                     botst_met: list[str]) -> None:
    bericht = wmo317(nieuwe=[nieuw(product[0], product[1], D(2027, 1, 1))])
    fouten = beoordeel_vow(bericht, stand=STAND)
    assert [(f.code, f.retourcode, f.locaties) for f in fouten] == [
        ("TR361", "9361", [NIEUW.format(1), ander]) for ander in botst_met]


def test_tr361_hulpmiddelen_may_overlap() -> None:
    scootmobiel = Toewijzing(4720, "12", "12A01", INGANG, EIND, volume=1, eenheid="82", frequentie="4")
    s = replace(STAND, toewijzingen=(scootmobiel,))
    bericht = wmo317(ongewijzigd=[4720], te_wijzigen=[], nieuwe=[nieuw("12", "12A01", D(2027, 1, 1)),
                                                                  nieuw(None, budget=50_000)])
    assert beoordeel_vow(bericht, stand=s) == []


def test_tr361_the_same_toewijzing_twice_always_overlaps() -> None:
    scootmobiel = Toewijzing(4720, "12", "12A01", INGANG, EIND, volume=1, eenheid="82", frequentie="4")
    s = stand(scootmobiel)
    bericht = wmo317(ongewijzigd=[4712, 4720, 4711],
                     te_wijzigen=[wijzig(4711), wijzig(4720, omvang=(2, "82", "4"))])
    fouten = beoordeel_vow(bericht, stand=s)
    assert codes(fouten) == [("TR361", "9361", TE_WIJZIGEN.format(1)), ("TR361", "9361", TE_WIJZIGEN.format(2))]
    assert fouten[0].locaties[1] == ONGEWIJZIGD.format(3)
    assert "staat al in OngewijzigdProduct 3" in fouten[0].details


def test_tr361_leaves_two_new_products_to_tr410() -> None:
    bericht = wmo317(nieuwe=[nieuw("07", "07A01"), nieuw("07", "07A01", D(2027, 1, 1))])
    assert beoordeel_vow(bericht, stand=STAND) == []


# --- from faults to a retour ------------------------------------------------------------------------

OPTIES = RetourOpties(identificatie="R-VZ-0001", dagtekening=TODAY)


def ontvang(bericht: Wmo315 | Wmo317) -> Wmo315 | Wmo317:
    """The message as a gemeente receives it: valid XML, parsed back."""
    data = to_xml(bericht)
    rapport = validate(data, today=TODAY)
    assert rapport.valid, [f.as_dict() for f in rapport.fouten]
    ontvangen = from_xml(data)
    assert isinstance(ontvangen, (Wmo315, Wmo317))
    return ontvangen


def geldig(antwoord: object) -> None:
    rapport = validate(to_xml(antwoord), today=TODAY)  # type: ignore[arg-type]
    assert rapport.valid, [f.as_dict() for f in rapport.fouten]


def test_vot_faults_become_a_wmo316() -> None:
    heen = ontvang(wmo315("VOT-2026-0101", "VOT-2025-0007", "VOT-2026-0103"))
    assert isinstance(heen, Wmo315)
    fouten = beoordeel_vot(heen, stand=STAND)
    antwoord = retour(heen, fouten, OPTIES)
    assert antwoord.BERICHT == "WMO316"
    assert antwoord.header.retourcodes == ["0200"]  # type: ignore[attr-defined]
    client = antwoord.client  # type: ignore[attr-defined]
    assert client.retourcodes == ["0200"]
    assert [(p.referentie_aanbieder, p.retourcodes) for p in client.aangevraagde_producten] == [
        ("VOT-2026-0101", ["0200"]), ("VOT-2025-0007", ["9347"]), ("VOT-2026-0103", ["0200"])]
    geldig(antwoord)

    open_verzoek = retour(heen, beoordeel_vot(heen, stand=stand(onderhanden=("VOW-2026-0050",))), OPTIES)
    client = open_verzoek.client  # type: ignore[attr-defined]
    assert client.retourcodes == ["9374"]
    # below the rejected Client: not assessed (0233), except where a fault was found all the same (IV028)
    assert [p.retourcodes for p in client.aangevraagde_producten] == [["0233"], ["9347"], ["0233"]]
    geldig(open_verzoek)


def test_vow_product_faults_become_a_wmo318() -> None:
    heen = ontvang(wmo317(te_wijzigen=[wijzig(4711, TODAY - dt.timedelta(days=2), omvang=None)],
                          nieuwe=[nieuw("07", "07A01"), nieuw("01", "01A01", D(2027, 1, 1))]))
    assert isinstance(heen, Wmo317)
    fouten = beoordeel_vow(heen, stand=STAND)
    assert codes(fouten) == [("TR357", "9357", TE_WIJZIGEN.format(1)), ("TR411", "9411", TE_WIJZIGEN.format(1)),
                             ("TR361", "9361", NIEUW.format(2))]
    antwoord = retour(heen, fouten, OPTIES)
    assert antwoord.BERICHT == "WMO318"
    assert antwoord.header.retourcodes == ["0200"]  # type: ignore[attr-defined]
    client = antwoord.client  # type: ignore[attr-defined]
    verzoek = client.verzoek
    assert (client.retourcodes, verzoek.retourcodes) == (["0200"], ["0200"])
    assert [p.retourcodes for p in verzoek.ongewijzigde_producten] == [["0200"]]
    assert [p.retourcodes for p in verzoek.te_wijzigen_producten] == [["9357", "9411"]]
    assert [p.retourcodes for p in verzoek.nieuwe_producten] == [["0200"], ["9361"]]
    geldig(antwoord)


@pytest.mark.parametrize(("s", "client_code", "verzoek_code"), [
    (Stand(vandaag=TODAY, client_bekend=False), ["8187"], ["0233"]),
    (stand(Toewijzing(4713, "03", "03A01", INGANG, None)), ["0200"], ["9349"]),
    (stand(onderhanden=("VOT-2026-0031",)), ["0200"], ["9374"]),
])
def test_vow_client_and_verzoek_faults_become_a_wmo318(s: Stand, client_code: list[str],
                                                        verzoek_code: list[str]) -> None:
    heen = ontvang(wmo317())
    assert isinstance(heen, Wmo317)
    antwoord = retour(heen, beoordeel_vow(heen, stand=s), OPTIES)
    assert antwoord.header.retourcodes == ["0200"]  # type: ignore[attr-defined]
    client = antwoord.client  # type: ignore[attr-defined]
    assert (client.retourcodes, client.verzoek.retourcodes) == (client_code, verzoek_code)
    producten = [*client.verzoek.ongewijzigde_producten, *client.verzoek.te_wijzigen_producten,
                 *client.verzoek.nieuwe_producten]
    assert [p.retourcodes for p in producten] == [["0233"]] * 3
    geldig(antwoord)
