"""The inbound pipeline's keys: who sent a message, under which identificatie, and for whom it is, for
heenberichten, the retours that copy their heenbericht's header, and the WMO325 with a header of its own."""

from __future__ import annotations

import datetime as dt

from infra.inbound import addressee, origin
from iwmo.retour import RetourOpties, retour
from iwmo.samples import sample

TODAY = dt.date(2026, 11, 23)


def test_a_heenbericht_is_from_its_afzender_for_its_ontvanger() -> None:
    heen = sample("WMO305", today=TODAY)
    assert origin(heen) == (heen.header.afzender, heen.header.bericht_identificatie.identificatie)
    assert addressee(heen) == heen.header.ontvanger


def test_a_retour_copies_the_header_of_its_heenbericht() -> None:
    heen = sample("WMO305", today=TODAY)
    r = retour(heen, [], RetourOpties("R1", TODAY))
    assert origin(r) == (heen.header.ontvanger, "R1")  # sent by the heenbericht's receiver
    assert addressee(r) == heen.header.afzender


def test_a_wmo325_has_a_header_of_its_own() -> None:
    heen = sample("WMO323", today=TODAY)
    r = retour(heen, [], RetourOpties("R325", TODAY))
    assert r.header.afzender == heen.header.ontvanger  # the gemeente answers
    assert origin(r) == (heen.header.ontvanger, "R325")
    assert addressee(r) == heen.header.afzender  # the aanbieder that declared
