"""The retourbericht a receiver owes (IV028, IV087 for the WMO325)."""

from __future__ import annotations

import datetime as dt

import pytest

from iwmo.berichten.basis import BedragMetDC, GeslotenPeriode, Referentie, TotaalBedragMetDC
from iwmo.berichten.declaratie import DeclaratieClient, Prestatie, Wmo325
from iwmo.regels import Fout
from iwmo.retour import NoRetour, OnbekendeLocatie, RetourOpties, goedgekeurd, retour
from iwmo.samples import sample
from iwmo.validation import validate
from iwmo.xml import from_xml, to_xml
from tests.conftest import TODAY

OPTIES = RetourOpties(identificatie="R-TEST-1", dagtekening=TODAY)


def fout(code: str, path: str) -> Fout:
    return Fout(f"RC{code}", [path], code, "berichtoverstijgende fout")


def assert_valid(bericht: object) -> None:
    rapport = validate(to_xml(bericht), today=TODAY)  # type: ignore[arg-type]
    assert rapport.valid, [f.as_dict() for f in rapport.fouten]


@pytest.mark.parametrize("naam", ["WMO301", "WMO305", "WMO307", "WMO315", "WMO317", "WMO319"])
def test_no_faults_gives_header_only_without_codes(naam: str) -> None:
    heen = sample(naam, today=TODAY)
    antwoord = retour(heen, [], OPTIES)
    assert antwoord.BERICHT == heen.type().partner
    h = antwoord.header  # type: ignore[attr-defined]
    assert h.bericht_code == antwoord.type().code
    assert (h.afzender, h.ontvanger) == (heen.header.afzender, heen.header.ontvanger)  # type: ignore[attr-defined]
    assert h.bericht_identificatie == heen.header.bericht_identificatie  # type: ignore[attr-defined]
    assert h.identificatie_retour == "R-TEST-1" and h.dagtekening_retour == TODAY
    assert h.retourcodes == [] and h.xslt_versie is None
    body = [getattr(antwoord, n) for n in ("client", "antwoord") if hasattr(antwoord, n)]
    assert body == [None]
    assert_valid(antwoord)


def test_in_message_fault_rejects_whole_message_with_0001_and_xslt_version() -> None:
    heen = sample("WMO317", today=TODAY)
    heen.client.verzoek.nieuwe_producten[0].gewenste_ingangsdatum = TODAY  # TR380
    data = to_xml(heen)
    fouten = validate(data, today=TODAY).fouten
    assert [f.code for f in fouten] == ["TR380"]
    antwoord = retour(from_xml(data), fouten, OPTIES)
    assert antwoord.header.retourcodes == ["0001"]  # type: ignore[attr-defined]
    assert antwoord.header.xslt_versie == "1.0.0"  # type: ignore[attr-defined]
    assert antwoord.client is None  # type: ignore[attr-defined]
    assert_valid(antwoord)


def test_cross_message_fault_marks_only_its_class() -> None:
    heen = sample("WMO305", today=TODAY)
    heen.client.start_producten.append(
        type(heen.client.start_producten[0])(**{**heen.client.start_producten[0].__dict__, "toewijzing_nummer": 99})
    )
    antwoord = retour(heen, [fout("9063", "/Bericht/Client/StartProducten/StartProduct[2]/Begindatum")], OPTIES)
    assert antwoord.header.retourcodes == ["0200"]  # type: ignore[attr-defined]
    client = antwoord.client  # type: ignore[attr-defined]
    assert client.retourcodes == ["0200"]
    assert [p.retourcodes for p in client.start_producten] == [["0200"], ["9063"]]
    assert heen.client.start_producten[1].retourcodes == []  # the heenbericht is not touched
    assert_valid(antwoord)


def test_fault_on_a_class_leaves_the_classes_below_not_assessed() -> None:
    heen = sample("WMO301", "resultaat", today=TODAY)
    antwoord = retour(heen, [fout("9332", "/Bericht/Client/Bsn")], OPTIES)
    client = antwoord.client  # type: ignore[attr-defined]
    assert client.retourcodes == ["9332"]
    assert all(p.retourcodes == ["0233"] for p in client.toegewezen_producten)
    assert all(c.retourcodes == ["0233"] for c in client.contactgegevens)
    assert_valid(antwoord)


def test_a_fault_below_a_rejected_class_keeps_its_own_code() -> None:
    heen = sample("WMO317", today=TODAY)
    verzoek = "/Bericht/Client/Verzoek"
    antwoord = retour(heen, [fout("9349", verzoek), fout("9351", f"{verzoek}/NieuweProducten/NieuwProduct[1]")],
                      OPTIES)
    v = antwoord.client.verzoek  # type: ignore[attr-defined]
    assert v.retourcodes == ["9349"]
    assert [p.retourcodes for p in v.nieuwe_producten] == [["9351"]]  # IV028: the code of the rule
    assert all(p.retourcodes == ["0233"] for p in v.te_wijzigen_producten + v.ongewijzigde_producten)
    assert_valid(antwoord)


@pytest.mark.parametrize("pad", [
    "/Bericht/Client/StartProducten/StartProduct[2]",  # there is one
    "/Bericht/Client/StartProducten/Iets",
    "/Bericht/Client/Onbekend",
    "/Bericht/Client/Bsn/Meer",
    "/Client/StartProducten/StartProduct",
])
def test_a_location_that_leads_nowhere_is_refused_not_moved(pad: str) -> None:
    heen = sample("WMO305", today=TODAY)
    with pytest.raises(OnbekendeLocatie, match="locatie"):
        retour(heen, [fout("9063", pad)], OPTIES)


def test_a_location_may_end_in_a_wrapper_of_its_class() -> None:
    heen = sample("WMO305", today=TODAY)
    antwoord = retour(heen, [fout("9063", "/Bericht/Client/StartProducten")], OPTIES)
    assert antwoord.client.retourcodes == ["9063"]  # type: ignore[attr-defined]


def test_a_location_may_carry_prefixes_or_end_in_a_simple_element() -> None:
    heen = sample("WMO305", today=TODAY)
    for pad in ("/wmo305:Bericht/wmo305:Client/wmo305:StartProducten/wmo305:StartProduct[1]",
                "/Bericht/Client/StartProducten/StartProduct/Begindatum"):
        antwoord = retour(heen, [fout("9063", pad)], OPTIES)
        assert [p.retourcodes for p in antwoord.client.start_producten] == [["9063"]], pad  # type: ignore[attr-defined]


def test_header_fault_gives_header_with_that_code() -> None:
    heen = sample("WMO305", today=TODAY + dt.timedelta(days=3))
    fouten = validate(to_xml(heen), today=TODAY).fouten
    assert [(f.code, f.retourcode) for f in fouten] == [("TR135", "8848")]
    antwoord = retour(heen, fouten, OPTIES)
    assert antwoord.header.retourcodes == ["8848"]  # type: ignore[attr-defined]
    assert antwoord.client is None  # type: ignore[attr-defined]


def test_xsd_fault_gives_no_retour() -> None:
    with pytest.raises(NoRetour):
        retour(sample("WMO301", today=TODAY), [Fout("XSD", ["/Bericht"], None, "x")], OPTIES)


# --- WMO325 ---------------------------------------------------------------------------------

def declaratie_met_twee_clienten():  # type: ignore[no-untyped-def]
    heen = sample("WMO323", today=TODAY)
    proto = heen.declaratie.clienten[0].prestaties[0]
    periode = proto.product_periode
    tweede = DeclaratieClient(bsn="999990032", prestaties=[
        Prestatie(product_referentie=Referentie(referentie_nummer=f"X{i}"), toewijzing_nummer=500 + i,
                  product_categorie="01", product_code="01A01",
                  product_periode=GeslotenPeriode(begindatum=periode.begindatum, einddatum=periode.einddatum),
                  geleverd_volume=2, eenheid="04", product_tarief=1000,
                  ingediend_bedrag=BedragMetDC(bedrag=2000, debet_credit="D"))
        for i in range(2)
    ])
    heen.declaratie.clienten.append(tweede)
    totaal = sum(p.ingediend_bedrag.bedrag for c in heen.declaratie.clienten for p in c.prestaties)
    heen.declaratie.totaal_ingediend_bedrag = TotaalBedragMetDC(totaal_bedrag=totaal, debet_credit="D")
    assert validate(to_xml(heen), today=TODAY).valid
    return heen, totaal


def test_declaratie_fully_granted() -> None:
    heen, totaal = declaratie_met_twee_clienten()
    antwoord = retour(heen, [], OPTIES)
    assert isinstance(antwoord, Wmo325)
    h = antwoord.header
    assert (h.afzender, h.ontvanger) == (heen.header.ontvanger, heen.header.afzender)
    assert h.declaratie_identificatie == heen.header.bericht_identificatie
    assert h.retourcodes == ["0200"]
    da = antwoord.declaratie_antwoord
    assert da is not None and da.retourcodes == ["8001"] and da.clienten == []
    assert da.totaal_toegekend_bedrag.totaal_bedrag == totaal
    assert_valid(antwoord)


def test_a_fully_granted_declaratie_counts_as_approved() -> None:
    heen, _ = declaratie_met_twee_clienten()
    assert goedgekeurd(retour(heen, [], OPTIES))  # Header 0200, DeclaratieAntwoord 8001
    deels = retour(heen, [fout("9307", "/Bericht/Declaratie/Clienten/Client[2]/Prestaties/Prestatie[1]")], OPTIES)
    assert not goedgekeurd(deels)


def test_declaratie_rejected_prestatie_is_returned_and_subtracted() -> None:
    heen, totaal = declaratie_met_twee_clienten()
    antwoord = retour(heen, [fout("9307", "/Bericht/Declaratie/Clienten/Client[2]/Prestaties/Prestatie[1]")], OPTIES)
    da = antwoord.declaratie_antwoord  # type: ignore[attr-defined]
    assert da.retourcodes == ["0200"]
    assert [c.bsn for c in da.clienten] == ["999990032"]
    assert da.clienten[0].retourcodes == ["0200"]
    assert [(p.product_referentie.referentie_nummer, p.retourcodes) for p in da.clienten[0].prestaties] == [
        ("X0", ["9307"])]
    assert da.totaal_toegekend_bedrag.totaal_bedrag == totaal - 2000
    assert_valid(antwoord)


def test_declaratie_client_fault_rejects_its_prestaties_unassessed() -> None:
    heen, totaal = declaratie_met_twee_clienten()
    antwoord = retour(heen, [fout("8187", "/Bericht/Declaratie/Clienten/Client[2]/Bsn")], OPTIES)
    da = antwoord.declaratie_antwoord  # type: ignore[attr-defined]
    assert da.clienten[0].retourcodes == ["8187"]
    assert [p.retourcodes for p in da.clienten[0].prestaties] == [["0233"], ["0233"]]
    assert da.totaal_toegekend_bedrag.totaal_bedrag == totaal - 4000
    assert_valid(antwoord)


def test_declaratie_level_fault_grants_nothing() -> None:
    heen, _ = declaratie_met_twee_clienten()
    antwoord = retour(heen, [fout("9333", "/Bericht/Declaratie/DeclaratieNummer")], OPTIES)
    da = antwoord.declaratie_antwoord  # type: ignore[attr-defined]
    assert da.retourcodes == ["9333"] and da.clienten == []
    assert da.totaal_toegekend_bedrag.totaal_bedrag == 0
    assert_valid(antwoord)


def test_declaratie_in_message_fault_gives_header_0001() -> None:
    heen, _ = declaratie_met_twee_clienten()
    heen.declaratie.totaal_ingediend_bedrag.totaal_bedrag += 1  # TR358
    data = to_xml(heen)
    fouten = validate(data, today=TODAY).fouten
    assert [f.code for f in fouten] == ["TR358"]
    antwoord = retour(from_xml(data), fouten, OPTIES)
    assert antwoord.header.retourcodes == ["0001"]  # type: ignore[attr-defined]
    assert antwoord.declaratie_antwoord is None  # type: ignore[attr-defined]
    assert_valid(antwoord)
