"""The receiver's verdict on a message's page: every berichtklasse of the retour with its RetourCodes and
their meaning, in document order, with the key that identifies it (never personal data)."""

from __future__ import annotations

import copy

from gateway.dashboard import oordeel_per_klasse
from iwmo.codelijsten import betekenis
from iwmo.regels import Fout
from iwmo.retour import RetourOpties, retour
from iwmo.samples import BSN, sample
from iwmo.xml import to_xml
from tests.conftest import TODAY


def test_each_class_with_its_codes_and_their_meaning() -> None:
    stop = sample("WMO307", today=TODAY)
    antwoord = to_xml(retour(stop, [Fout("TR069", ["/Bericht/Client/StopProducten/StopProduct[1]"], "9069", "x")],
                             RetourOpties("R1", TODAY)))
    klassen = oordeel_per_klasse(antwoord)
    assert [k.pad for k in klassen] == ["Header", "Client", "StopProduct"]
    kop, client, product = klassen
    assert kop.codes == [("0200", betekenis("WJ001", "0200"))] and not kop.afgekeurd and not client.afgekeurd
    nummer = stop.client.stop_producten[0].toewijzing_nummer
    assert product.sleutel == f"ToewijzingNummer {nummer}" and product.afgekeurd
    assert product.codes == [("9069", betekenis("WJ001", "9069"))]
    assert all(BSN not in k.sleutel for k in klassen)


def test_several_classes_of_a_kind_are_numbered() -> None:
    toewijzing = sample("WMO301", today=TODAY)
    toewijzing.client.toegewezen_producten.append(copy.deepcopy(toewijzing.client.toegewezen_producten[0]))
    fout = Fout("TR332", ["/Bericht/Client/ToegewezenProducten/ToegewezenProduct[2]"], "9332", "x")
    klassen = oordeel_per_klasse(to_xml(retour(toewijzing, [fout], RetourOpties("R1", TODAY))))
    producten = [k for k in klassen if k.pad.startswith("ToegewezenProduct")]
    assert [(k.pad, k.afgekeurd) for k in producten] == [("ToegewezenProduct", False), ("ToegewezenProduct[2]", True)]
