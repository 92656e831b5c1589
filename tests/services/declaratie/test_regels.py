"""Each cross-message rule of the WMO323, broken and kept, on the pure rules (no database, no HTTP)."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import Any

import pytest

from iwmo.berichten.declaratie import Wmo323
from services.declaratie.domain.contracten import ContractProduct, laad
from services.declaratie.domain.declaratie_regels import Eerder, Geboekt, Toewijzing, beoordeel
from tests.services.declaratie.conftest import prestatie, wmo323

D = dt.date
BSN = "999990019"
#: huishoudelijke hulp, 3 hours a week, 1 December 2026 to 30 November 2027
HH = Toewijzing(nummer=1, bsn=BSN, wijze="uren", categorie="01", code="01A01", ingangsdatum=D(2026, 12, 1),
                einddatum=D(2027, 11, 30), volume=3, eenheid="04", frequentie="2", budget=None, reden_wijziging=None)
#: persoonlijke verzorging, 2 hours a week, 10 December 2026 to 20 January 2027
PV = Toewijzing(nummer=2, bsn=BSN, wijze="uren", categorie="03", code="03A01", ingangsdatum=D(2026, 12, 10),
                einddatum=D(2027, 1, 20), volume=2, eenheid="04", frequentie="2", budget=None, reden_wijziging=None)
#: begeleiding as a resultaat with a budget of 500 euro
BUDGET = Toewijzing(nummer=3, bsn=BSN, wijze="resultaat", categorie="02", code="02A02", ingangsdatum=D(2026, 12, 1),
                    einddatum=None, volume=None, eenheid=None, frequentie=None, budget=50000, reden_wijziging=None)
CONTRACTEN = laad()


def codes(bericht: Wmo323, *, toewijzingen: tuple[Toewijzing, ...] = (HH, PV, BUDGET),
          eerder: Eerder | None = None) -> list[str]:
    fouten = beoordeel(bericht, toewijzingen={t.nummer: t for t in toewijzingen}, contracten=CONTRACTEN,
                       eerder=eerder or Eerder())
    return [f.code for f in fouten]


def een(**kwargs: Any) -> Wmo323:
    """A declaratie for December 2026 with one prestatie."""
    nummer = kwargs.pop("nummer", HH.nummer)
    bsn = kwargs.pop("bsn", BSN)
    return wmo323("D1", {bsn: [prestatie(nummer, "P1", **kwargs)]})


PV_KW = {"nummer": 2, "categorie": "03", "code": "03A01", "tarief": 5600, "begin": D(2026, 12, 10)}
GEBOEKT_P0 = Geboekt("P0", None, 1, "01", "01A01", D(2026, 12, 1), D(2026, 12, 31), 12, "04", True)


def test_a_good_prestatie_breaks_no_rule() -> None:
    assert codes(een()) == []
    assert codes(een(**PV_KW, volume=8)) == []
    assert codes(een(nummer=3, categorie="02", code="02A02", eenheid="83", tarief=None, volume=20000,
                     bedrag=20000)) == []


@pytest.mark.parametrize(("wat", "bericht", "eerder", "code"), [
    ("TR333 a DeclaratieNummer used before", een(), Eerder(declaratienummers={"D1"}), "TR333"),
    ("TR318 a period before the latest", een(), Eerder(laatste_periode=D(2027, 1, 1)), "TR318"),
    ("TR304 a BSN of no client of this aanbieder", een(bsn="999990032"), None, "TR304"),
    ("TR338 a ToewijzingNummer that is not the aanbieder's", een(nummer=9), None, "TR338"),
    ("TR339 another ProductCategorie", een(categorie="02"), None, "TR339"),
    ("TR340 another ProductCode", een(code="01A02"), None, "TR340"),
    ("TR341 another Eenheid", een(eenheid="14"), None, "TR341"),
    ("TR307 before the Ingangsdatum", een(**{**PV_KW, "begin": D(2026, 12, 1)}), None, "TR307"),
    ("TR308 after the Einddatum", wmo323("D1", {BSN: [prestatie(2, "P1", categorie="03", code="03A01", tarief=5600,
                                                                begin=D(2027, 1, 1), eind=D(2027, 1, 31))]},
                                         periode=D(2027, 1, 1), dagtekening=D(2027, 2, 3)), None, "TR308"),
    ("TR387 not from the 1st", een(begin=D(2026, 12, 2)), None, "TR387"),
    ("TR387 not from the Ingangsdatum in that month", een(**{**PV_KW, "begin": D(2026, 12, 11)}), None, "TR387"),
    ("TR388 not to the last day", een(eind=D(2026, 12, 30)), None, "TR388"),
    ("TR418 not the contract tariff", een(tarief=3500), None, "TR418"),
    ("TR321 more than the Omvang allows in the period", een(**PV_KW, volume=9), None, "TR321"),
    ("TR322 more than the Omvang over the toewijzing",
     wmo323("D1", {BSN: [prestatie(2, "P1", categorie="03", code="03A01", tarief=5600, begin=D(2027, 1, 1),
                                   eind=D(2027, 1, 20), volume=7)]}, periode=D(2027, 1, 1), dagtekening=D(2027, 2, 3)),
     # 10-12-2026 to 20-01-2027 touches 7 calendar weeks (2026 has a week 53): 14 hours in all; 8 + 7 > 14
     Eerder(geboekt=[Geboekt("P0", None, 2, "03", "03A01", D(2026, 12, 10), D(2026, 12, 31), 8, "04", True)]),
     "TR322"),
    ("TR369 more than the Budget", een(nummer=3, categorie="02", code="02A02", eenheid="83", tarief=None,
                                       volume=50001, bedrag=50001), None, "TR369"),
    ("TR314 a ReferentieNummer used before", een(), Eerder(referenties={"P1"}), "TR314"),
    ("TR323 a credit of no accepted debet", een(credit=True, vorig="P0"), None, "TR323"),
    ("TR390 a credit of a debet credited before", een(credit=True, vorig="P0"),
     Eerder(geboekt=[GEBOEKT_P0, Geboekt("C0", "P0", 1, "01", "01A01", D(2026, 12, 1), D(2026, 12, 31), 12, "04",
                                         False)]), "TR390"),
    ("TR389 a second debet for the same period", een(), Eerder(geboekt=[GEBOEKT_P0]), "TR389"),
])
def test_each_rule_broken(wat: str, bericht: Wmo323, eerder: Eerder | None, code: str) -> None:
    assert code in codes(bericht, eerder=eerder), wat


def test_each_rule_kept_where_the_standard_allows() -> None:
    assert codes(een(volume=18 * 60, eenheid="01")) == []  # minutes on hours; HH up to 6 weeks a month (TR321)
    assert codes(een(**{**PV_KW, "begin": D(2026, 12, 10)}, volume=8)) == []  # begins on the Ingangsdatum (TR387)
    pv_januari = wmo323("D1", {BSN: [prestatie(2, "P1", categorie="03", code="03A01", tarief=5600, begin=D(2027, 1, 1),
                                               eind=D(2027, 1, 20), volume=6)]},
                        periode=D(2027, 1, 1), dagtekening=D(2027, 2, 3))
    assert codes(pv_januari) == []  # ends on the Einddatum in that month (TR388); 6 of at most 4 weeks x 2 hours
    assert codes(een(credit=True, vorig="P0"), eerder=Eerder(geboekt=[GEBOEKT_P0])) == []  # TR323 kept
    gecrediteerd = [GEBOEKT_P0, Geboekt("C0", "P0", 1, "01", "01A01", D(2026, 12, 1), D(2026, 12, 31), 12, "04", False)]
    assert codes(een(), eerder=Eerder(geboekt=gecrediteerd)) == []  # a new debet after the credit (TR389 kept)
    # TR318 kept: a later period after a gap, and a second declaratie for the latest period (IV090)
    assert codes(een(), eerder=Eerder(laatste_periode=D(2026, 10, 1))) == []
    assert codes(een(), eerder=Eerder(laatste_periode=D(2026, 12, 1))) == []
    assert codes(een(), eerder=Eerder(laatste_periode=D(2026, 10, 1))) == []  # a gap in the periods is allowed
    # a credit and its corrected debet in one message: the credit is judged first
    beide = wmo323("D1", {BSN: [prestatie(1, "P2", volume=10), prestatie(1, "C1", credit=True, vorig="P0")]})
    assert codes(beide, eerder=Eerder(geboekt=[GEBOEKT_P0])) == []


def test_a_deleted_toewijzing_takes_no_declaratie() -> None:
    assert codes(een(), toewijzingen=(replace(HH, reden_wijziging="13"),)) == ["TR384"]


def test_a_toewijzingnummer_of_another_client() -> None:
    assert codes(een(), toewijzingen=(replace(HH, bsn="999990032"), PV)) == ["TR338"]


def test_tr304_is_about_the_client_and_tr338_about_the_number() -> None:
    fout = een(nummer=9)  # a known client, a number that is not his
    assert [f.code for f in beoordeel(fout, toewijzingen={}, clienten={BSN}, contracten=CONTRACTEN,
                                      eerder=Eerder())] == ["TR338"]
    assert [f.code for f in beoordeel(fout, toewijzingen={}, clienten=set(), contracten=CONTRACTEN,
                                      eerder=Eerder())] == ["TR304"]


def test_a_product_contracted_taakgericht_is_not_declared_per_prestatie() -> None:
    taak = CONTRACTEN.model_copy(update={"contracten": [
        *CONTRACTEN.contracten[1:],
        CONTRACTEN.contracten[0].model_copy(update={"producten": [
            ContractProduct(categorie="01", code="01A01", bekostiging="taakgericht", van=D(2026, 1, 1))]})]})
    fouten = beoordeel(een(), toewijzingen={HH.nummer: HH}, contracten=taak, eerder=Eerder())
    assert [(f.code, f.retourcode) for f in fouten] == [("IV074", "0611")]
    assert "taakgericht" in fouten[0].details
    assert codes(een()) == []  # per prestatie, as the demonstration contract has it
    with pytest.raises(ValueError, match="eenheid en een tarief"):
        ContractProduct(categorie="01", code="01A01", van=D(2026, 1, 1))
