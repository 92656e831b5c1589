"""A WMO323 with two clients and four Prestaties (a debet, a credit, one in minutes) and the WMO325s that can
answer it: for the dashboard's declaratie section, its unit tests and its browser test."""

from __future__ import annotations

import copy
import datetime as dt

from iwmo.berichten.basis import BedragMetDC, Referentie, TotaalBedragMetDC
from iwmo.berichten.declaratie import DeclaratieClient, Prestatie, Wmo323, Wmo325
from iwmo.regels import Fout
from iwmo.retour import RetourOpties, retour
from iwmo.samples import BSN, sample

TWEEDE_BSN = "999990020"
PRESTATIE = "/Bericht/Declaratie/Clienten/Client[{c}]/Prestaties/Prestatie[{p}]"


def _prestatie(basis: Prestatie, ref: str, *, volume: int, eenheid: str = "04", tarief: int = 3_250,
               credit: bool = False, vorig: str | None = None, nummer: int | None = None) -> Prestatie:
    p = copy.deepcopy(basis)
    p.product_referentie = Referentie(referentie_nummer=ref, vorig_referentie_nummer=vorig)
    p.geleverd_volume, p.eenheid, p.product_tarief = volume, eenheid, tarief
    per = volume / 60 if eenheid == "01" else volume
    p.ingediend_bedrag = BedragMetDC(bedrag=round(per * tarief), debet_credit="C" if credit else "D")
    if nummer is not None:
        p.toewijzing_nummer = nummer
    return p


def declaratie(today: dt.date) -> Wmo323:
    """Client 1: P1 (13 uur, € 422,50), P2 (20 uur, € 650,00), C1 (credit of an earlier 2 uur, € 65,00);
    client 2: P3 (90 minuten on an hours tariff, € 48,75). Submitted: € 1.056,25 debet."""
    heen = sample("WMO323", today=today)
    assert isinstance(heen, Wmo323)
    basis = heen.declaratie.clienten[0].prestaties[0]
    heen.declaratie.clienten = [
        DeclaratieClient(bsn=BSN, prestaties=[
            _prestatie(basis, "P1", volume=13),
            _prestatie(basis, "P2", volume=20, nummer=4712),
            _prestatie(basis, "C1", volume=2, credit=True, vorig="P0")]),
        DeclaratieClient(bsn=TWEEDE_BSN, prestaties=[_prestatie(basis, "P3", volume=90, eenheid="01", nummer=4713)]),
    ]
    totaal = sum(-p.ingediend_bedrag.bedrag if p.ingediend_bedrag.debet_credit == "C" else p.ingediend_bedrag.bedrag
                 for c in heen.declaratie.clienten for p in c.prestaties)
    heen.declaratie.totaal_ingediend_bedrag = TotaalBedragMetDC(totaal_bedrag=totaal, debet_credit="D")
    return heen


def antwoord(heen: Wmo323, fouten: list[Fout], today: dt.date, ident: str = "R325-1") -> Wmo325:
    uit = retour(heen, fouten, RetourOpties(ident, today))
    assert isinstance(uit, Wmo325)
    return uit


#: P2 on a toewijzing that is not this aanbieder's (TR338), P3 more than the toewijzing allows (TR321)
DEELS = [Fout("TR338", [PRESTATIE.format(c=1, p=2)], "9338", "geen toewijzing"),
         Fout("TR321", [PRESTATIE.format(c=2, p=1)], "9321", "te veel")]
