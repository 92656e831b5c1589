"""The declaratie section of the dashboard as plain functions: amounts, the verdict per Prestatie from the
WMO325, the totals, the meanings of the codes, and the BSN masked for viewers who are no party."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from gateway.dashboard import MASKER, Kijker, toon
from gateway.dashboard_declaratie import (
    AFGEWEZEN,
    GEEN_ANTWOORD,
    TOEGEKEND,
    euro,
    overzicht,
    retourcode,
    uit_xml,
)
from iwmo.regels import Fout
from iwmo.samples import BSN, sample
from iwmo.xml import to_xml
from tests.conftest import TODAY
from tests.gateway.conftest import Hub, make_hub
from tests.gateway.declaratie_berichten import DEELS, PRESTATIE, TWEEDE_BSN, antwoord, declaratie


@pytest.mark.parametrize(("cent", "tekst"), [(0, "€ 0,00"), (5, "€ 0,05"), (123456, "€ 1.234,56"),
                                             (100_000_000, "€ 1.000.000,00"), (-6500, "€ -65,00")])
def test_euro_the_dutch_way(cent: int, tekst: str) -> None:
    assert euro(cent) == tekst


def test_a_retourcode_comes_with_its_meaning_from_the_code_list() -> None:
    assert retourcode("8001").betekenis == "Declaratie is volledig toegewezen."
    assert retourcode("9321").betekenis == "Het ingediende volume overschrijdt het toegewezen volume."
    assert retourcode("X123").betekenis == "onbekende retourcode"


def _oordelen(d) -> dict[str, tuple[str, list[str]]]:  # type: ignore[no-untyped-def]
    return {p.referentienummer: (p.oordeel, [c.code for c in p.retourcodes]) for c in d.clienten for p in c.prestaties}


def test_without_a_wmo325_nothing_is_judged_yet() -> None:
    d = overzicht(declaratie(TODAY), None, bsn_tonen=True)
    assert not d.beantwoord and d.toegekend is None and d.afgewezen is None
    assert {o for o, _ in _oordelen(d).values()} == {GEEN_ANTWOORD}
    assert d.ingediend == 42250 + 65000 - 6500 + 4875


def test_a_prestatie_the_wmo325_does_not_name_is_granted() -> None:
    heen = declaratie(TODAY)
    d = overzicht(heen, antwoord(heen, DEELS, TODAY), bsn_tonen=True)
    assert _oordelen(d) == {"P1": (TOEGEKEND, []), "P2": (AFGEWEZEN, ["9338"]), "C1": (TOEGEKEND, []),
                            "P3": (AFGEWEZEN, ["9321"])}
    assert [c.code for c in d.retourcodes] == []  # 0200 on the DeclaratieAntwoord says nothing
    assert (d.ingediend, d.toegekend, d.afgewezen) == (105625, 105625 - 65000 - 4875, 65000 + 4875)
    assert d.aantal_afgewezen == 2
    p2 = d.clienten[0].prestaties[1]
    assert p2.retourcodes[0].betekenis.startswith("Niet iedere prestatie in een declaratiebericht")
    c1 = d.clienten[0].prestaties[2]
    assert (c1.debet, c1.vorig_referentienummer, c1.bedrag) == (False, "P0", 6500)
    p3 = d.clienten[1].prestaties[0]
    assert (p3.volume, p3.eenheid_naam, p3.categorie_naam) == (90, "Minuut", "Hulp bij het huishouden")


def test_all_granted_is_8001_with_its_meaning() -> None:
    heen = declaratie(TODAY)
    d = overzicht(heen, antwoord(heen, [], TODAY), bsn_tonen=True)
    assert {o for o, _ in _oordelen(d).values()} == {TOEGEKEND}
    assert [(c.code, c.betekenis) for c in d.retourcodes] == [("8001", "Declaratie is volledig toegewezen.")]
    assert (d.toegekend, d.afgewezen) == (d.ingediend, 0)


def test_a_rejected_client_rejects_its_prestaties_with_0233() -> None:
    heen = declaratie(TODAY)
    fout = Fout("TR304", ["/Bericht/Declaratie/Clienten/Client[2]"], "8187", "geen client")
    d = overzicht(heen, antwoord(heen, [fout], TODAY), bsn_tonen=True)
    assert [c.code for c in d.clienten[1].retourcodes] == ["8187"]
    assert _oordelen(d)["P3"] == (AFGEWEZEN, ["0233"])
    assert _oordelen(d)["P1"] == (TOEGEKEND, [])


def test_a_whole_declaratie_rejected() -> None:
    heen = declaratie(TODAY)
    fout = Fout("TR333", ["/Bericht/Declaratie"], "9333", "al gebruikt")
    d = overzicht(heen, antwoord(heen, [fout], TODAY), bsn_tonen=True)
    assert d.geheel_afgewezen and [c.code for c in d.retourcodes] == ["9333"]
    assert {o for o, _ in _oordelen(d).values()} == {AFGEWEZEN}
    assert (d.toegekend, d.afgewezen) == (0, d.ingediend)
    technisch = Fout("TR101", [PRESTATIE.format(c=1, p=1)], "0001", "technisch")  # level 2: the header only
    d = overzicht(heen, antwoord(heen, [technisch], TODAY), bsn_tonen=True)
    assert d.geheel_afgewezen and [c.code for c in d.retourcodes] == ["0001"] and d.toegekend == 0


def test_the_bsn_is_masked_as_the_dashboard_masks_it() -> None:
    assert toon("Bsn", BSN, zichtbaar=False) == MASKER
    assert toon("Bsn", BSN, zichtbaar=True) == BSN
    assert toon("ReferentieNummer", "P1", zichtbaar=False) == "P1"  # not personal data
    heen = declaratie(TODAY)
    d = uit_xml(to_xml(heen), None, bsn_tonen=False)
    assert d is not None and d.gemaskeerd and [c.bsn for c in d.clienten] == [MASKER, MASKER]
    d = uit_xml(to_xml(heen), None, bsn_tonen=True)
    assert d is not None and [c.bsn for c in d.clienten] == [BSN, TWEEDE_BSN]


def test_a_party_sees_its_own_bsn_and_nobody_else_does() -> None:
    class B:  # the two fields Kijker looks at
        afzender, ontvanger = "12345678", "0363"

    assert Kijker(code="0363").mag_zien(B()) and not Kijker(code="87654321").mag_zien(B())  # type: ignore[arg-type]
    assert not Kijker(beheer=True).mag_zien(B())  # type: ignore[arg-type]


def test_unreadable_xml_gives_no_section() -> None:
    assert uit_xml(b"<x/>", None, bsn_tonen=True) is None


# --- the page, through the hub ------------------------------------------------------------------------------

@pytest.fixture
def open_hub(database_url: str) -> Iterator[Hub]:
    yield from make_hub(database_url, dashboard_open=True)


def test_the_page_of_a_wmo323_and_of_its_wmo325(open_hub: Hub) -> None:
    hub = open_hub
    heen = declaratie(TODAY)
    d323 = hub.send("12345678", to_xml(heen)).json()["id"]
    pagina = hub.client.get(f"/dashboard/berichten/{d323}").text
    assert 'id="declaratie"' in pagina and "nog geen antwoord" in pagina
    assert BSN not in pagina  # anonymous: masked, in the section as in the XML
    r = hub.send("0363", to_xml(antwoord(heen, DEELS, TODAY)))
    assert r.status_code == 202, r.text
    d325 = r.json()["id"]
    hub.client.post("/dashboard/inloggen", data={"token": hub.tokens["0363"]})
    for pagina in (hub.client.get(f"/dashboard/berichten/{d323}").text,
                   hub.client.get(f"/dashboard/berichten/{d325}").text):
        assert BSN in pagina and TWEEDE_BSN in pagina
        assert "€ 1.056,25" in pagina and "€ 357,50" in pagina and "€ 698,75" in pagina
        assert "9338" in pagina and "Het ingediende volume overschrijdt het toegewezen volume." in pagina
    assert f'href="/dashboard/berichten/{d323}"' in hub.client.get(f"/dashboard/berichten/{d325}").text
    hub.client.post("/dashboard/uitloggen")
    hub.client.post("/dashboard/inloggen", data={"token": hub.tokens["87654321"]})  # no party to it
    assert BSN not in hub.client.get(f"/dashboard/berichten/{d325}").text


def test_other_messages_have_no_declaratie_section(open_hub: Hub) -> None:
    b = open_hub.send("0363", to_xml(sample("WMO301", today=TODAY))).json()["id"]
    assert 'id="declaratie"' not in open_hub.client.get(f"/dashboard/berichten/{b}").text
