"""The message catalogue and the code lists."""

from __future__ import annotations

import pytest

from iwmo import codelijsten
from iwmo.catalogue import BERICHTEN, UnknownBericht, bericht, by_code, by_namespace
from iwmo.datatypes import DATATYPES


def test_fourteen_messages_in_seven_pairs() -> None:
    assert len(BERICHTEN) == 14
    for b in BERICHTEN.values():
        partner = bericht(b.partner)
        assert partner.partner == b.naam
        assert {b.soort, partner.soort} == {"heen", "retour"}
        assert by_code(b.code) is b and by_namespace(b.namespace) is b


@pytest.mark.parametrize(("naam", "code", "verzender", "afzender"), [
    ("WMO301", "414", "gemeente", "gemeente"),
    ("WMO302", "415", "aanbieder", "gemeente"),  # a retour copies the heenbericht's header
    ("WMO323", "484", "aanbieder", "aanbieder"),
    ("WMO325", "485", "gemeente", "gemeente"),  # the declaratie-antwoord has its own header
])
def test_direction_and_header_roles(naam: str, code: str, verzender: str, afzender: str) -> None:
    b = bericht(naam)
    assert (b.code, b.verzender, b.header_afzender) == (code, verzender, afzender)
    assert b.namespace == f"http://www.istandaarden.nl/iwmo/3_2/{naam.lower()}/schema"


def test_lookup_accepts_short_names_and_rejects_unknown() -> None:
    assert bericht("301") is bericht("wmo301") is BERICHTEN["WMO301"]
    with pytest.raises(UnknownBericht):
        bericht("WMO999")


def test_every_coded_datatype_has_its_code_list() -> None:
    for t in DATATYPES.values():
        if t.codelijst:
            assert t.enumeration, t.name
    assert codelijsten.betekenis("WJ756", "04") == "Uur"
    assert codelijsten.betekenis("WJ756", "99") is None
    assert codelijsten.retourcode_regel("9063") == "TR063"
    assert len(codelijsten.codes("WJ001")) == 59
    assert "0363" in codelijsten.codes("CBS")
