"""Every registered rule (``iwmo.regels.REGELS``), for every message it is registered for, is tested
with at least one message that breaks it and at least one message that complies with it.

The tests are table driven. Each :class:`Case` starts from a valid sample message (``sample(bericht,
variant, today=TODAY)``, or a WMO325 that rejects a prestatie), edits its XML tree with a small
mutation (the helpers ``zet``, ``weg``, ``voeg``, ``kopie`` and ``samen`` below) and validates the
result. Mutations keep the document XSD-valid (otherwise validation stops at the XSD and no rule
runs); the helper asserts that. ``test_dekking`` fails when a rule or a message is added to the
registry without a violating and a complying case here.
"""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache

import pytest
from lxml import etree

from iwmo.catalogue import BASIS_NS
from iwmo.catalogue import bericht as bericht_type
from iwmo.regels import REGELS, Fout, Regel
from iwmo.retour import RetourOpties, retour
from iwmo.samples import sample
from iwmo.validation import check_tree, validate
from iwmo.xml import to_xml
from tests.conftest import TODAY

Mutatie = Callable[[etree._Element], None]
#: (local name, text) or (local name, [child specs]): an element to insert.
Spec = tuple[str, "str | Sequence[Spec]"]

MORGEN = (TODAY + dt.timedelta(days=1)).isoformat()
VANDAAG = TODAY.isoformat()
GELDIG_BSN = "111222333"  # passes the 11-proef (the samples use 999990019)
ONGELDIG_BSN = "123456789"  # does not

# --- paths (local names, "[n]" for the n-th sibling of that name) ----------------------------------

DAG = "Header/BerichtIdentificatie/Dagtekening"
GEB = "Client/Geboortedatum"
NAAM = "Client/Naam"
CONTACT = "Client/Contactgegevens/Contact"
ADRES = f"{CONTACT}/Adres"
TP = "Client/ToegewezenProducten/ToegewezenProduct"
SP = "Client/StartProducten/StartProduct"
STP = "Client/StopProducten/StopProduct"
AP = "Client/AangevraagdeProducten/AangevraagdProduct"
VERW = f"{AP}/Verwijzer"
VZ = "Client/Verzoek"
WP = f"{VZ}/TeWijzigenProducten/TeWijzigenProduct"
NP = f"{VZ}/NieuweProducten/NieuwProduct"
ANTW = "Antwoord"
DECL = "Declaratie"
TOTAAL = f"{DECL}/TotaalIngediendBedrag"
PR = f"{DECL}/Clienten/Client/Prestaties/Prestatie"
DA = "DeclaratieAntwoord"
PR325 = f"{DA}/Clienten/Client/Prestaties/Prestatie"

#: Elements of a composite datatype (CDT_...): their children are in the basisschema namespace.
COMPOSIET = {
    "BerichtIdentificatie", "XsdVersie", "DeclaratieIdentificatie", "XsdVersieDeclaratie", "Geboortedatum",
    "Naam", "Communicatie", "Adres", "Telefoon", "Periode", "Product", "Omvang", "Verwijzer",
    "ProductReferentie", "ProductPeriode", "DeclaratiePeriode", "IngediendBedrag", "TotaalIngediendBedrag",
    "TotaalToegekendBedrag",
}


# --- tree helpers --------------------------------------------------------------------------------

def _local(el: etree._Element) -> str:
    return etree.QName(el).localname


def _kinderen(parent: etree._Element, naam: str) -> list[etree._Element]:
    return [c for c in parent if isinstance(c.tag, str) and _local(c) == naam]


def vind(root: etree._Element, pad: str) -> etree._Element:
    """The element at ``pad`` (e.g. ``Client/ToegewezenProducten/ToegewezenProduct[2]/Budget``)."""
    el = root
    for stap in pad.split("/"):
        naam, _, index = stap.partition("[")
        n = int(index.rstrip("]")) if index else 1
        kandidaten = _kinderen(el, naam)
        if len(kandidaten) < n:
            raise LookupError(f"{pad}: geen {stap} onder {_local(el)}")
        el = kandidaten[n - 1]
    return el


def _kind_ns(parent: etree._Element) -> str:
    ns = etree.QName(parent).namespace or ""
    return BASIS_NS if ns == BASIS_NS or _local(parent) in COMPOSIET else ns


def _maak(parent: etree._Element, spec: Spec) -> etree._Element:
    naam, inhoud = spec
    el = etree.Element(f"{{{_kind_ns(parent)}}}{naam}")
    if isinstance(inhoud, str):
        el.text = inhoud
    else:
        for kind in inhoud:
            el.append(_maak(el, kind))
    return el


# --- mutations ---------------------------------------------------------------------------------

def zet(pad: str, tekst: str) -> Mutatie:
    """Set the text of an existing element."""
    def m(root: etree._Element) -> None:
        vind(root, pad).text = tekst
    return m


def weg(*paden: str) -> Mutatie:
    """Remove elements."""
    def m(root: etree._Element) -> None:
        for pad in paden:
            el = vind(root, pad)
            el.getparent().remove(el)
    return m


def voeg(ouder: str, spec: Spec, *, na: str | None = None, voor: str | None = None) -> Mutatie:
    """Insert a new element under ``ouder``: after the last ``na``, before the first ``voor``, or last."""
    def m(root: etree._Element) -> None:
        parent = vind(root, ouder)
        el = _maak(parent, spec)
        if na is not None:
            vorige = _kinderen(parent, na)
            if not vorige:
                raise LookupError(f"{ouder}: geen {na} om na in te voegen")
            vorige[-1].addnext(el)
        elif voor is not None:
            vind(parent, voor).addprevious(el)
        else:
            parent.append(el)
    return m


def kopie(pad: str, wijzig: dict[str, str | None] | None = None) -> Mutatie:
    """Insert a copy of the element right after it; ``wijzig`` sets (or, with None, removes) parts of the copy."""
    def m(root: etree._Element) -> None:
        origineel = vind(root, pad)
        dubbel = copy.deepcopy(origineel)
        for sub, tekst in (wijzig or {}).items():
            el = vind(dubbel, sub)
            if tekst is None:
                el.getparent().remove(el)
            else:
                el.text = tekst
        origineel.addnext(dubbel)
    return m


def samen(*mutaties: Mutatie) -> Mutatie:
    def m(root: etree._Element) -> None:
        for mutatie in mutaties:
            mutatie(root)
    return m


def omvang(volume: str, eenheid: str, frequentie: str) -> Spec:
    return ("Omvang", [("Volume", volume), ("Eenheid", eenheid), ("Frequentie", frequentie)])


def budget_ipv_omvang(pad: str, *, voor: str | None = None) -> Mutatie:
    """Replace the Omvang of a product by a Budget (at the Budget's place in the sequence).

    A budget is assigned on category level, so a product code (which would demand an Omvang, CD041)
    is dropped too.
    """
    def zonder_code(root: etree._Element) -> None:
        for product in _kinderen(vind(root, pad), "Product"):
            for code in _kinderen(product, "Code"):
                product.remove(code)
    return samen(weg(f"{pad}/Omvang"), zonder_code, voeg(pad, ("Budget", "100000"), voor=voor))


def geboortedatum(datum: str, gebruik: str | None = None) -> Mutatie:
    zet_datum = zet(f"{GEB}/Datum", datum)
    if gebruik is None:
        return zet_datum
    return samen(zet_datum, voeg(GEB, ("DatumGebruik", gebruik), na="Datum"))


def periode(pad: str, begin: str, eind: str) -> Mutatie:
    return samen(zet(f"{pad}/Begindatum", begin), zet(f"{pad}/Einddatum", eind))


def credit(prestatie: str, vorig: str) -> Mutatie:
    """Turn a prestatie into a creditprestatie for ``vorig`` (ReferentieNummer of an earlier prestatie)."""
    return samen(zet(f"{prestatie}/IngediendBedrag/DebetCredit", "C"),
                 voeg(f"{prestatie}/ProductReferentie", ("VorigReferentieNummer", vorig), na="ReferentieNummer"))


def tweede_prestatie(wijzig: dict[str, str | None] | None = None) -> Mutatie:
    """A second prestatie: a copy of the first with ReferentieNummer P202610-0002 (the total is not adjusted)."""
    return kopie(PR, {"ProductReferentie/ReferentieNummer": "P202610-0002", **(wijzig or {})})


def tweede_contact(soort: str, *extra: Spec) -> Mutatie:
    """A second Contact of the client (copy of the first) with another Soort and extra elements at the end."""
    return samen(kopie(CONTACT, {"Soort": soort}), *(voeg(f"{CONTACT}[2]", spec) for spec in extra))


RELATIE_ORGANISATIE = voeg("Client", ("Relaties", [("Relatie", [
    ("Nummer", "R-0001"),
    ("Soort", "03"),
    ("Naam", [("Geslachtsnaam", [("Achternaam", "Stichting Thuishulp")]), ("NaamGebruik", "6")]),
    ("Contact", [("Soort", "02"), ("Telefoon", [("Telefoon01", [("Telefoonnummer", "0207654321"),
                                                                  ("Landnummer", "0031")])])]),
])]), voor="Contactgegevens")
PARTNERNAAM = voeg(NAAM, ("Partnernaam", [("Achternaam", "Vries"), ("Voorvoegsel", "de")]), na="Geslachtsnaam")


# --- the starting documents -------------------------------------------------------------------------

@cache
def wmo325_afgewezen() -> bytes:
    """A WMO325 answering a declaratie of two prestaties, the second rejected (0611): toegekend is half."""
    heen = sample("WMO323", "uren", today=TODAY)
    prestaties = heen.declaratie.clienten[0].prestaties
    tweede = copy.deepcopy(prestaties[0])
    tweede.product_referentie.referentie_nummer = "P202610-0002"
    tweede.product_code = "01A02"
    prestaties.append(tweede)
    heen.declaratie.totaal_ingediend_bedrag.totaal_bedrag *= 2
    afkeur = Fout("TR418", ["/Bericht/Declaratie/Clienten/Client/Prestaties/Prestatie[2]"], "0611",
                  "tarief wijkt af van het contracttarief")
    return to_xml(retour(heen, [afkeur], RetourOpties(identificatie="R-0002", dagtekening=TODAY)))


@cache
def start_xml(bericht: str, basis: str) -> bytes:
    if basis == "afgewezen":
        assert bericht == "WMO325"
        return wmo325_afgewezen()
    return to_xml(sample(bericht, basis, today=TODAY))  # type: ignore[arg-type]


# --- the case table -------------------------------------------------------------------------------

@dataclass(frozen=True)
class Case:
    code: str
    bericht: str
    beschrijving: str
    mutatie: Mutatie | None
    schending: bool
    locatie: str | None = None  # for a violation: the expected end of one of the fault's locations
    basis: str = "uren"  # sample variant, or "afgewezen" (WMO325 with a rejected prestatie)
    xfail: str | None = None

    @property
    def id(self) -> str:
        return f"{self.code}-{self.bericht}-{'fout' if self.schending else 'ok'}-{self.beschrijving}"


def fout(code: str, bericht: str, beschrijving: str, mutatie: Mutatie | None, locatie: str, **kw: str) -> Case:
    return Case(code, bericht, beschrijving, mutatie, True, locatie, **kw)


def ok(code: str, bericht: str, beschrijving: str, mutatie: Mutatie | None = None, **kw: str) -> Case:
    return Case(code, bericht, beschrijving, mutatie, False, **kw)


CASES: list[Case] = []

# --- external sources: system date (TR135) and CBS list (TR378); BSN (CS002) -----------------------

VERLEDEN = "2026-11-02"
#: Dates that may not lie after the Dagtekening (TR134), moved along with it.
_MEE_MET_DAGTEKENING = {"WMO301": [zet(f"{TP}/Toewijzingsdatum", VERLEDEN)], "WMO307": [zet(f"{STP}/Einddatum", VERLEDEN)]}

for _b in ("WMO301", "WMO305", "WMO307", "WMO315", "WMO317", "WMO319", "WMO323", "WMO325"):
    _gemeenteveld = "Header/Afzender" if bericht_type(_b).header_afzender == "gemeente" else "Header/Ontvanger"
    _agbveld = "Header/Ontvanger" if _gemeenteveld == "Header/Afzender" else "Header/Afzender"
    CASES += [
        fout("TR135", _b, "dagtekening morgen", zet(DAG, MORGEN), "BerichtIdentificatie/Dagtekening"),
        ok("TR135", _b, "dagtekening gelijk aan systeemdatum"),
        ok("TR135", _b, "dagtekening in het verleden", samen(zet(DAG, VERLEDEN), *_MEE_MET_DAGTEKENING.get(_b, []))),
        fout("TR378", _b, "gemeentecode 9999", zet(_gemeenteveld, "9999"), _gemeenteveld.split("/")[-1]),
        ok("TR378", _b, "gemeentecode 0344 Utrecht", zet(_gemeenteveld, "0344")),
        ok("TR378", _b, "AGB-code aanbieder niet in CBS-lijst", zet(_agbveld, "99999999")),
    ]

_BSN = {"WMO301": "Client/Bsn", "WMO305": "Client/Bsn", "WMO307": "Client/Bsn", "WMO315": "Client/Bsn",
        "WMO317": "Client/Bsn", "WMO323": f"{DECL}/Clienten/Client/Bsn", "WMO325": f"{DA}/Clienten/Client/Bsn"}
for _b, _pad in _BSN.items():
    _basis = "afgewezen" if _b == "WMO325" else "uren"
    CASES += [
        fout("CS002", _b, "bsn faalt 11-proef", zet(_pad, ONGELDIG_BSN), "Client/Bsn", basis=_basis),
        ok("CS002", _b, "andere bsn die 11-proef doorstaat", zet(_pad, GELDIG_BSN), basis=_basis),
    ]

# --- persons: CS139, TR002 (301, 305, 307, 315), CS050, CS318, CD007 (301) ------------------------

for _b in ("WMO301", "WMO305", "WMO307", "WMO315"):
    CASES += [
        fout("CS139", _b, "DatumGebruik 1 maar dag niet 01", geboortedatum("1948-03-14", "1"), "Geboortedatum/Datum"),
        ok("CS139", _b, "DatumGebruik 1 met dag 01", geboortedatum("1948-03-01", "1")),
        fout("CS139", _b, "DatumGebruik 2 maar maand niet 01", geboortedatum("1948-03-01", "2"),
             "Geboortedatum/DatumGebruik"),
        ok("CS139", _b, "DatumGebruik 2 met 01-01", geboortedatum("1948-01-01", "2")),
        fout("CS139", _b, "DatumGebruik 3 maar niet 1900-01-01", geboortedatum("1948-01-01", "3"),
             "Geboortedatum/Datum"),
        ok("CS139", _b, "DatumGebruik 3 met 1900-01-01", geboortedatum("1900-01-01", "3")),
        fout("TR002", _b, "geboren een dag meer dan 120 jaar voor dagtekening", geboortedatum("1906-11-22"),
             "Geboortedatum/Datum"),
        fout("TR002", _b, "1900-01-01 met DatumGebruik 2 is een bekend jaar", geboortedatum("1900-01-01", "2"),
             "Geboortedatum/Datum"),
        ok("TR002", _b, "precies 120 jaar voor dagtekening", geboortedatum("1906-11-23")),
        ok("TR002", _b, "onbekende geboortedatum 1900-01-01 met DatumGebruik 3", geboortedatum("1900-01-01", "3")),
    ]

CASES += [
    fout("CS050", "WMO301", "Partnernaam met NaamGebruik 5", samen(PARTNERNAAM, zet(f"{NAAM}/NaamGebruik", "5")),
         "Client/Naam/NaamGebruik"),
    fout("CS050", "WMO301", "geen Partnernaam met NaamGebruik 2", zet(f"{NAAM}/NaamGebruik", "2"),
         "Client/Naam/NaamGebruik"),
    ok("CS050", "WMO301", "Partnernaam met NaamGebruik 2", samen(PARTNERNAAM, zet(f"{NAAM}/NaamGebruik", "2"))),
    ok("CS050", "WMO301", "Partnernaam met NaamGebruik 4", samen(PARTNERNAAM, zet(f"{NAAM}/NaamGebruik", "4"))),
    ok("CS050", "WMO301", "relatie zonder Partnernaam met NaamGebruik 6", RELATIE_ORGANISATIE),
    fout("CS318", "WMO301", "client met NaamGebruik 6", zet(f"{NAAM}/NaamGebruik", "6"), "Client/Naam/NaamGebruik"),
    ok("CS318", "WMO301", "relatie (organisatie) met NaamGebruik 6", RELATIE_ORGANISATIE),
    fout("CD007", "WMO301", "Vorm 1 zonder Taal", voeg("Client", ("Communicatie", [("Vorm", "1")]), na="Naam"),
         "Communicatie/Vorm"),
    fout("CD007", "WMO301", "Vorm 2 met Taal",
         voeg("Client", ("Communicatie", [("Vorm", "2"), ("Taal", "Pools")]), na="Naam"), "Communicatie/Taal"),
    ok("CD007", "WMO301", "Vorm 1 met Taal",
       voeg("Client", ("Communicatie", [("Vorm", "1"), ("Taal", "Pools")]), na="Naam")),
    ok("CD007", "WMO301", "Vorm 3 zonder Taal", voeg("Client", ("Communicatie", [("Vorm", "3")]), na="Naam")),
]

# --- contact data and addresses (301) --------------------------------------------------------------

ZONDER_POSTCODE = weg(f"{ADRES}/Postcode", f"{ADRES}/LandCode")
BUITENLANDS = samen(zet(f"{ADRES}/Postcode", "1000"), zet(f"{ADRES}/LandCode", "BE"))
PERIODE = ("Periode", [("Begindatum", "2026-11-01"), ("Einddatum", "2026-12-31")])

CASES += [
    fout("CD025", "WMO301", "NL-adres zonder Huis", weg(f"{ADRES}/Huis"), "Adres/LandCode"),
    ok("CD025", "WMO301", "buitenlands adres zonder Huis", samen(weg(f"{ADRES}/Huis"), BUITENLANDS)),
    ok("CD025", "WMO301", "NL-adres met Huis"),
    fout("CD034", "WMO301", "BRP-adres (01) zonder Postcode", ZONDER_POSTCODE, "Contact/Soort"),
    fout("CD034", "WMO301", "verblijfadres (03) zonder Postcode", samen(zet(f"{CONTACT}/Soort", "03"), ZONDER_POSTCODE),
         "Contact/Soort"),
    ok("CD034", "WMO301", "correspondentieadres (02) zonder Postcode",
       samen(zet(f"{CONTACT}/Soort", "02"), ZONDER_POSTCODE)),
    fout("CS089", "WMO301", "NL-postcode met spatie", zet(f"{ADRES}/Postcode", "1011 AB"), "Adres/Postcode"),
    fout("CS089", "WMO301", "NL-postcode met voorloopnul", zet(f"{ADRES}/Postcode", "0123AB"), "Adres/Postcode"),
    fout("CS089", "WMO301", "NL-postcode met kleine letters", zet(f"{ADRES}/Postcode", "1011ab"), "Adres/Postcode"),
    ok("CS089", "WMO301", "buitenlandse postcode bij LandCode BE", BUITENLANDS),
    ok("CS089", "WMO301", "NL-postcode 9999ZZ", zet(f"{ADRES}/Postcode", "9999ZZ")),
    fout("CD005", "WMO301", "Postcode zonder LandCode", weg(f"{ADRES}/LandCode"), "Adres/Postcode"),
    fout("CD005", "WMO301", "LandCode zonder Postcode",
         samen(zet(f"{CONTACT}/Soort", "02"), weg(f"{ADRES}/Postcode")), "Adres/LandCode"),
    ok("CD005", "WMO301", "Postcode en LandCode beide leeg", samen(zet(f"{CONTACT}/Soort", "02"), ZONDER_POSTCODE)),
    ok("CD005", "WMO301", "buitenlandse Postcode met LandCode", BUITENLANDS),
    fout("CD009", "WMO301", "Periode bij BRP-adres", voeg(CONTACT, PERIODE), "Contact/Periode"),
    fout("CD009", "WMO301", "Periode bij correspondentieadres (02)", tweede_contact("02", PERIODE),
         "Contact[2]/Periode"),
    ok("CD009", "WMO301", "Periode bij tijdelijk adres (04)", tweede_contact("04", PERIODE)),
    fout("TR006", "WMO301", "geen Telefoon en geen Huis",
         weg(f"{CONTACT}/Telefoon", f"{ADRES}/Huis"), "Contactgegevens/Contact"),
    fout("TR006", "WMO301", "geen Telefoon en geen Postcode",
         samen(zet(f"{CONTACT}/Soort", "02"), weg(f"{CONTACT}/Telefoon"), ZONDER_POSTCODE), "Contactgegevens/Contact"),
    ok("TR006", "WMO301", "geen Telefoon maar wel Huis en Postcode", weg(f"{CONTACT}/Telefoon")),
    ok("TR006", "WMO301", "alleen Telefoon, geen Adres", samen(zet(f"{CONTACT}/Soort", "02"), weg(ADRES))),
    fout("TR061", "WMO301", "alleen een tijdelijk adres (04)", zet(f"{CONTACT}/Soort", "04"), "Client/Contactgegevens"),
    ok("TR061", "WMO301", "alleen een correspondentieadres (02)", zet(f"{CONTACT}/Soort", "02")),
    ok("TR061", "WMO301", "tijdelijk adres naast een verblijfadres",
       samen(zet(f"{CONTACT}/Soort", "03"), tweede_contact("04"))),
]

# --- dates against the Dagtekening: TR134, TR137 ----------------------------------------------------

CASES += [
    fout("TR134", "WMO301", "Toewijzingsdatum na dagtekening", zet(f"{TP}/Toewijzingsdatum", MORGEN),
         "ToegewezenProduct/Toewijzingsdatum"),
    fout("TR134", "WMO301", "Geboortedatum na dagtekening", geboortedatum(MORGEN), "Geboortedatum/Datum"),
    ok("TR134", "WMO301", "Toewijzingsdatum eerder, Ingangsdatum in de toekomst",
       samen(zet(f"{TP}/Toewijzingsdatum", "2026-11-20"), zet(f"{TP}/Ingangsdatum", "2027-01-01"))),
    fout("TR134", "WMO305", "Begindatum na dagtekening", zet(f"{SP}/Begindatum", MORGEN), "StartProduct/Begindatum"),
    fout("TR134", "WMO305", "Geboortedatum na dagtekening", geboortedatum(MORGEN), "Geboortedatum/Datum"),
    ok("TR134", "WMO305", "Begindatum gelijk aan dagtekening", zet(f"{SP}/Begindatum", VANDAAG)),
    fout("TR134", "WMO307", "Einddatum na dagtekening", zet(f"{STP}/Einddatum", MORGEN), "StopProduct/Einddatum"),
    fout("TR134", "WMO307", "Begindatum na dagtekening", periode(STP, MORGEN, MORGEN), "StopProduct/Begindatum"),
    ok("TR134", "WMO307", "Begin- en Einddatum gelijk aan dagtekening", periode(STP, VANDAAG, VANDAAG)),
    fout("TR134", "WMO315", "Geboortedatum na dagtekening", geboortedatum(MORGEN), "Geboortedatum/Datum"),
    ok("TR134", "WMO315", "gevraagde ToewijzingIngangsdatum in de toekomst",
       zet(f"{AP}/ToewijzingIngangsdatum", "2027-01-01")),
    fout("TR134", "WMO323", "ProductPeriode begint na dagtekening", periode(f"{PR}/ProductPeriode", MORGEN, "2026-11-30"),
         "ProductPeriode/Begindatum"),
    fout("TR134", "WMO323", "DeclaratiePeriode begint na dagtekening",
         periode(f"{DECL}/DeclaratiePeriode", "2026-12-01", "2026-12-31"), "DeclaratiePeriode/Begindatum"),
    ok("TR134", "WMO323", "ProductPeriode op de dagtekening", periode(f"{PR}/ProductPeriode", VANDAAG, VANDAAG)),
    fout("TR134", "WMO325", "ProductPeriode begint na dagtekening",
         periode(f"{PR325}/ProductPeriode", MORGEN, "2026-11-30"), "ProductPeriode/Begindatum", basis="afgewezen"),
    ok("TR134", "WMO325", "ProductPeriode op de dagtekening", periode(f"{PR325}/ProductPeriode", VANDAAG, VANDAAG),
       basis="afgewezen"),
    fout("TR137", "WMO323", "ProductPeriode eindigt voor begin",
         periode(f"{PR}/ProductPeriode", "2026-10-20", "2026-10-10"), "ProductPeriode/Einddatum"),
    fout("TR137", "WMO323", "DeclaratiePeriode eindigt na dagtekening",
         periode(f"{DECL}/DeclaratiePeriode", "2026-11-01", "2026-11-30"), "DeclaratiePeriode/Einddatum"),
    ok("TR137", "WMO323", "ProductPeriode van een dag", periode(f"{PR}/ProductPeriode", "2026-10-10", "2026-10-10")),
    ok("TR137", "WMO323", "ProductPeriode eindigt op de dagtekening",
       periode(f"{PR}/ProductPeriode", "2026-11-01", VANDAAG)),
    fout("TR137", "WMO325", "ProductPeriode eindigt voor begin",
         periode(f"{PR325}/ProductPeriode", "2026-10-20", "2026-10-10"), "ProductPeriode/Einddatum", basis="afgewezen"),
    fout("TR137", "WMO325", "ProductPeriode eindigt na dagtekening",
         periode(f"{PR325}/ProductPeriode", "2026-11-01", "2026-11-30"), "ProductPeriode/Einddatum", basis="afgewezen"),
    ok("TR137", "WMO325", "ProductPeriode eindigt op de dagtekening",
       periode(f"{PR325}/ProductPeriode", "2026-11-01", VANDAAG), basis="afgewezen"),
]

# --- TR101: no duplicate lines (logical key, within the parent) -----------------------------------

NIET_OVERLAPPEND_301 = {"Ingangsdatum": "2028-01-01", "Einddatum": "2028-12-31"}
NIET_OVERLAPPEND_315 = {"ToewijzingIngangsdatum": "2028-01-01", "ToewijzingEinddatum": "2028-12-31"}
NIET_OVERLAPPEND_317 = {"GewensteIngangsdatum": "2028-01-01", "Einddatum": "2028-12-31"}

CASES += [
    fout("TR101", "WMO301", "ToegewezenProduct met hetzelfde ToewijzingNummer", kopie(TP, NIET_OVERLAPPEND_301),
         "ToegewezenProduct[2]"),
    fout("TR101", "WMO301", "twee Contacten met dezelfde Soort", kopie(CONTACT), "Contact[2]"),
    ok("TR101", "WMO301", "tweede ToegewezenProduct met ander ToewijzingNummer",
       kopie(TP, {"ToewijzingNummer": "4713", **NIET_OVERLAPPEND_301})),
    ok("TR101", "WMO301", "tweede Contact met andere Soort", tweede_contact("02")),
    fout("TR101", "WMO305", "StartProduct dubbel", kopie(SP), "StartProduct[2]"),
    ok("TR101", "WMO305", "tweede StartProduct met andere Begindatum", kopie(SP, {"Begindatum": "2026-11-15"})),
    fout("TR101", "WMO307", "StopProduct dubbel", kopie(STP), "StopProduct[2]"),
    ok("TR101", "WMO307", "tweede StopProduct met andere RedenBeeindiging", kopie(STP, {"RedenBeeindiging": "02"})),
    fout("TR101", "WMO315", "AangevraagdProduct met dezelfde ReferentieAanbieder", kopie(AP, NIET_OVERLAPPEND_315),
         "AangevraagdProduct[2]"),
    ok("TR101", "WMO315", "tweede AangevraagdProduct met andere ReferentieAanbieder",
       kopie(AP, {"ReferentieAanbieder": "VOT-2026-0002", **NIET_OVERLAPPEND_315})),
    fout("TR101", "WMO317", "NieuwProduct met zelfde product en GewensteIngangsdatum",
         kopie(NP, {"Einddatum": "2027-06-30"}), "NieuwProduct[2]"),
    fout("TR101", "WMO317", "TeWijzigenProduct met hetzelfde ToewijzingNummer", kopie(WP), "TeWijzigenProduct[2]"),
    ok("TR101", "WMO317", "tweede NieuwProduct met andere GewensteIngangsdatum", kopie(NP, NIET_OVERLAPPEND_317)),
    fout("TR101", "WMO323", "Prestatie dubbel", kopie(PR), "Prestatie[2]"),
    fout("TR101", "WMO323", "Client met dezelfde Bsn dubbel", kopie(f"{DECL}/Clienten/Client"), "Client[2]"),
    ok("TR101", "WMO323", "tweede Prestatie met ander ReferentieNummer",
       samen(tweede_prestatie({"ProductCode": "01A02"}), zet(f"{TOTAAL}/TotaalBedrag", "84500"))),
    ok("TR101", "WMO323", "zelfde ReferentieNummer bij een andere client",
       samen(kopie(f"{DECL}/Clienten/Client", {"Bsn": GELDIG_BSN, "Prestaties/Prestatie/ToewijzingNummer": "4800"}),
             zet(f"{TOTAAL}/TotaalBedrag", "84500"))),
    fout("TR101", "WMO325", "afgewezen Prestatie dubbel", kopie(PR325), "Prestatie[2]", basis="afgewezen"),
    ok("TR101", "WMO325", "twee afgewezen Prestaties met ander ReferentieNummer",
       samen(kopie(PR325, {"ProductReferentie/ReferentieNummer": "P202610-0001", "ProductCode": "01A01"}),
             zet(f"{DA}/TotaalToegekendBedrag/TotaalBedrag", "0")), basis="afgewezen"),
]

# --- products: 301 / 315 / 317 ---------------------------------------------------------------------

OUDE_TOEWIJZING = samen(zet(f"{TP}/Ingangsdatum", "2020-11-01"), zet(f"{TP}/Einddatum", "2020-12-31"))
OUD_VERZOEK = samen(zet(f"{AP}/ToewijzingIngangsdatum", "2020-11-01"), zet(f"{AP}/ToewijzingEinddatum", "2020-12-31"))
OUD_NIEUW_PRODUCT = samen(zet(f"{NP}/GewensteIngangsdatum", "2020-12-01"), zet(f"{NP}/Einddatum", "2020-12-31"))
BUDGET_301 = voeg(TP, ("Budget", "100000"), voor="Commentaar")
BUDGET_315 = voeg(AP, ("Budget", "100000"), voor="Verwijzer")

CASES += [
    # CD079: Product verplicht als Budget leeg is
    fout("CD079", "WMO301", "geen Product en geen Budget", weg(f"{TP}/Product"), "ToegewezenProduct"),
    ok("CD079", "WMO301", "aspecifieke toewijzing met Budget zonder Product",
       samen(weg(f"{TP}/Product"), budget_ipv_omvang(TP, voor="Commentaar"))),
    fout("CD079", "WMO315", "geen Product en geen Budget", weg(f"{AP}/Product"), "AangevraagdProduct"),
    ok("CD079", "WMO315", "Budget zonder Product", samen(weg(f"{AP}/Product"), budget_ipv_omvang(AP, voor="Verwijzer"))),
    fout("CD079", "WMO317", "NieuwProduct zonder Product en Budget", weg(f"{NP}/Product"), "NieuwProduct"),
    ok("CD079", "WMO317", "NieuwProduct met Budget zonder Product", samen(weg(f"{NP}/Product"), budget_ipv_omvang(NP))),
    ok("CD079", "WMO317", "TeWijzigenProduct heeft geen Product en geen Budget"),
    # CD075: Einddatum verplicht als Budget gevuld is
    fout("CD075", "WMO301", "Budget zonder Einddatum", weg(f"{TP}[2]/Einddatum"), "ToegewezenProduct[2]/Budget",
         basis="resultaat"),
    ok("CD075", "WMO301", "Budget met Einddatum", basis="resultaat"),
    fout("CD075", "WMO315", "Budget zonder ToewijzingEinddatum",
         samen(budget_ipv_omvang(AP, voor="Verwijzer"), weg(f"{AP}/ToewijzingEinddatum")), "AangevraagdProduct/Budget"),
    ok("CD075", "WMO315", "Budget met ToewijzingEinddatum", budget_ipv_omvang(AP, voor="Verwijzer")),
    fout("CD075", "WMO317", "TeWijzigenProduct met Budget zonder Einddatum",
         samen(budget_ipv_omvang(WP), weg(f"{WP}/Einddatum")), "TeWijzigenProduct/Budget"),
    fout("CD075", "WMO317", "NieuwProduct met Budget zonder Einddatum",
         samen(budget_ipv_omvang(NP), weg(f"{NP}/Einddatum")), "NieuwProduct/Budget"),
    ok("CD075", "WMO317", "TeWijzigenProduct met Budget en Einddatum", budget_ipv_omvang(WP)),
    # CD076: Einddatum verplicht bij Frequentie 2 (per week)
    fout("CD076", "WMO301", "per week zonder Einddatum", weg(f"{TP}/Einddatum"), "ToegewezenProduct/Omvang/Frequentie"),
    ok("CD076", "WMO301", "per maand zonder Einddatum", weg(f"{TP}[1]/Einddatum"), basis="resultaat"),
    fout("CD076", "WMO315", "per week zonder ToewijzingEinddatum", weg(f"{AP}/ToewijzingEinddatum"),
         "AangevraagdProduct/Omvang/Frequentie"),
    ok("CD076", "WMO315", "per maand zonder ToewijzingEinddatum",
       samen(zet(f"{AP}/Omvang/Frequentie", "4"), weg(f"{AP}/ToewijzingEinddatum"))),
    fout("CD076", "WMO317", "TeWijzigenProduct per week zonder Einddatum", weg(f"{WP}/Einddatum"),
         "TeWijzigenProduct/Omvang/Frequentie"),
    fout("CD076", "WMO317", "NieuwProduct per week zonder Einddatum", weg(f"{NP}/Einddatum"),
         "NieuwProduct/Omvang/Frequentie"),
    ok("CD076", "WMO317", "NieuwProduct per maand zonder Einddatum",
       samen(zet(f"{NP}/Omvang/Frequentie", "4"), weg(f"{NP}/Einddatum"))),
    # CS003: Einddatum niet voor de (begin/ingangs)datum
    fout("CS003", "WMO301", "Einddatum voor Ingangsdatum", zet(f"{TP}/Einddatum", "2026-10-31"),
         "ToegewezenProduct/Einddatum"),
    fout("CS003", "WMO301", "Periode van contact eindigt voor begin",
         tweede_contact("04", ("Periode", [("Begindatum", "2026-12-31"), ("Einddatum", "2026-11-01")])),
         "Periode/Einddatum"),
    ok("CS003", "WMO301", "Einddatum gelijk aan Ingangsdatum", zet(f"{TP}/Einddatum", "2026-11-01")),
    ok("CS003", "WMO301", "Periode van een dag", tweede_contact("04", ("Periode", [
        ("Begindatum", "2026-12-01"), ("Einddatum", "2026-12-01")]))),
    fout("CS003", "WMO315", "ToewijzingEinddatum voor ToewijzingIngangsdatum",
         zet(f"{AP}/ToewijzingEinddatum", "2026-10-31"), "AangevraagdProduct/ToewijzingEinddatum"),
    ok("CS003", "WMO315", "ToewijzingEinddatum gelijk aan ToewijzingIngangsdatum",
       zet(f"{AP}/ToewijzingEinddatum", "2026-11-01")),
    fout("CS003", "WMO317", "TeWijzigenProduct eindigt voor GewensteIngangsdatum", zet(f"{WP}/Einddatum", "2026-11-29"),
         "TeWijzigenProduct/Einddatum"),
    fout("CS003", "WMO317", "NieuwProduct eindigt voor GewensteIngangsdatum", zet(f"{NP}/Einddatum", "2026-11-29"),
         "NieuwProduct/Einddatum"),
    ok("CS003", "WMO317", "Einddatum gelijk aan GewensteIngangsdatum",
       samen(zet(f"{WP}/Einddatum", "2026-11-30"), zet(f"{NP}/Einddatum", "2026-11-30"))),
    # CD041: Omvang verplicht als Code in Product gevuld is
    fout("CD041", "WMO301", "productcode zonder Omvang", weg(f"{TP}/Omvang"), "Product/Code"),
    ok("CD041", "WMO301", "alleen categorie, zonder Omvang", weg(f"{TP}/Product/Code", f"{TP}/Omvang")),
    fout("CD041", "WMO315", "productcode zonder Omvang", weg(f"{AP}/Omvang"), "Product/Code"),
    ok("CD041", "WMO315", "alleen categorie, zonder Omvang", weg(f"{AP}/Product/Code", f"{AP}/Omvang")),
    fout("CD041", "WMO317", "NieuwProduct met productcode zonder Omvang", weg(f"{NP}/Omvang"), "NieuwProduct/Product/Code"),
    ok("CD041", "WMO317", "NieuwProduct alleen categorie, zonder Omvang", weg(f"{NP}/Product/Code", f"{NP}/Omvang")),
    # CD077 (Omvang leeg bij Budget) and CD078 (Budget leeg bij Omvang)
    fout("CD077", "WMO301", "Budget en Omvang", voeg(f"{TP}[2]", omvang("1", "82", "4"), voor="Budget"),
         "ToegewezenProduct[2]/Omvang", basis="resultaat"),
    ok("CD077", "WMO301", "Budget zonder Omvang", basis="resultaat"),
    fout("CD077", "WMO315", "Budget en Omvang", BUDGET_315, "AangevraagdProduct/Omvang"),
    ok("CD077", "WMO315", "Budget zonder Omvang", budget_ipv_omvang(AP, voor="Verwijzer")),
    fout("CD077", "WMO317", "TeWijzigenProduct met Budget en Omvang", voeg(WP, ("Budget", "100000")),
         "TeWijzigenProduct/Omvang"),
    fout("CD077", "WMO317", "NieuwProduct met Budget en Omvang", voeg(NP, ("Budget", "100000")), "NieuwProduct/Omvang"),
    ok("CD077", "WMO317", "TeWijzigenProduct met Budget zonder Omvang", budget_ipv_omvang(WP)),
    fout("CD078", "WMO301", "Omvang en Budget", BUDGET_301, "ToegewezenProduct/Budget"),
    ok("CD078", "WMO301", "Omvang en Budget bij verschillende producten", basis="resultaat"),
    fout("CD078", "WMO315", "Omvang en Budget", BUDGET_315, "AangevraagdProduct/Budget"),
    ok("CD078", "WMO315", "Budget zonder Omvang", budget_ipv_omvang(AP, voor="Verwijzer")),
    fout("CD078", "WMO317", "TeWijzigenProduct met Omvang en Budget", voeg(WP, ("Budget", "100000")),
         "TeWijzigenProduct/Budget"),
    fout("CD078", "WMO317", "NieuwProduct met Omvang en Budget", voeg(NP, ("Budget", "100000")), "NieuwProduct/Budget"),
    ok("CD078", "WMO317", "NieuwProduct met Budget zonder Omvang", budget_ipv_omvang(NP)),
    # CD080 / CD095 / CD096: geen Omvang zonder productcode (na 2020)
    fout("CD080", "WMO301", "Omvang zonder productcode", weg(f"{TP}/Product/Code"), "ToegewezenProduct/Omvang"),
    fout("CD080", "WMO301", "Omvang zonder productcode en zonder Einddatum",
         weg(f"{TP}/Product/Code", f"{TP}/Einddatum"), "ToegewezenProduct/Omvang"),
    ok("CD080", "WMO301", "Omvang zonder productcode, Einddatum 31-12-2020",
       samen(weg(f"{TP}/Product/Code"), OUDE_TOEWIJZING)),
    ok("CD080", "WMO301", "geen productcode en geen Omvang", weg(f"{TP}/Product/Code", f"{TP}/Omvang")),
    fout("CD095", "WMO315", "Omvang zonder productcode", weg(f"{AP}/Product/Code"), "AangevraagdProduct/Omvang"),
    ok("CD095", "WMO315", "Omvang zonder productcode, ToewijzingEinddatum 31-12-2020",
       samen(weg(f"{AP}/Product/Code"), OUD_VERZOEK)),
    fout("CD096", "WMO317", "NieuwProduct met Omvang zonder productcode", weg(f"{NP}/Product/Code"),
         "NieuwProduct/Omvang"),
    # (a NieuwProduct ending in 2020 always breaks TR380 today; that does not matter for CD096)
    ok("CD096", "WMO317", "NieuwProduct met Omvang zonder productcode, Einddatum 31-12-2020",
       samen(weg(f"{NP}/Product/Code"), OUD_NIEUW_PRODUCT)),
    ok("CD096", "WMO317", "TeWijzigenProduct met Omvang (heeft geen Product)"),
    # CS338 / CS343: Frequentie 2, 4 of 6 bij Eenheid 14, 16, 83, 84 (na 2020)
    fout("CS338", "WMO301", "Eenheid 14 per dag", samen(zet(f"{TP}/Omvang/Eenheid", "14"), zet(f"{TP}/Omvang/Frequentie", "1")),
         "ToegewezenProduct/Omvang/Frequentie"),
    ok("CS338", "WMO301", "Eenheid 14 per dag, Einddatum 31-12-2020",
       samen(zet(f"{TP}/Omvang/Eenheid", "14"), zet(f"{TP}/Omvang/Frequentie", "1"), OUDE_TOEWIJZING)),
    ok("CS338", "WMO301", "Eenheid 83 totaal binnen geldigheidsduur",
       samen(zet(f"{TP}/Omvang/Eenheid", "83"), zet(f"{TP}/Omvang/Frequentie", "6"))),
    ok("CS338", "WMO301", "Eenheid 04 per dag", zet(f"{TP}/Omvang/Frequentie", "1")),
    fout("CS338", "WMO317", "NieuwProduct Eenheid 16 per dag", zet(f"{NP}/Omvang/Frequentie", "1"),
         "NieuwProduct/Omvang/Frequentie"),
    fout("CS338", "WMO317", "TeWijzigenProduct Eenheid 84 per dag",
         samen(zet(f"{WP}/Omvang/Eenheid", "84"), zet(f"{WP}/Omvang/Frequentie", "1")),
         "TeWijzigenProduct/Omvang/Frequentie"),
    ok("CS338", "WMO317", "NieuwProduct Eenheid 16 totaal", zet(f"{NP}/Omvang/Frequentie", "6")),
    ok("CS338", "WMO317", "TeWijzigenProduct Eenheid 84 per dag, Einddatum 31-12-2020",
       samen(zet(f"{WP}/Omvang/Eenheid", "84"), zet(f"{WP}/Omvang/Frequentie", "1"),
             zet(f"{WP}/GewensteIngangsdatum", "2020-12-01"), zet(f"{WP}/Einddatum", "2020-12-31"))),
    fout("CS343", "WMO315", "Eenheid 84 per dag", samen(zet(f"{AP}/Omvang/Eenheid", "84"), zet(f"{AP}/Omvang/Frequentie", "1")),
         "AangevraagdProduct/Omvang/Frequentie"),
    ok("CS343", "WMO315", "Eenheid 84 per dag, ToewijzingEinddatum 31-12-2020",
       samen(zet(f"{AP}/Omvang/Eenheid", "84"), zet(f"{AP}/Omvang/Frequentie", "1"), OUD_VERZOEK)),
    ok("CS343", "WMO315", "Eenheid 84 per maand",
       samen(zet(f"{AP}/Omvang/Eenheid", "84"), zet(f"{AP}/Omvang/Frequentie", "4"))),
    # CS335 / CS336: RedenWijziging
    fout("CS335", "WMO301", "RedenWijziging 13 met Einddatum na Ingangsdatum",
         voeg(TP, ("RedenWijziging", "13"), na="Einddatum"), "ToegewezenProduct/RedenWijziging"),
    fout("CS335", "WMO301", "RedenWijziging 13 zonder Einddatum",
         samen(zet(f"{TP}/Omvang/Frequentie", "4"), weg(f"{TP}/Einddatum"),
               voeg(TP, ("RedenWijziging", "13"), na="Ingangsdatum")), "ToegewezenProduct/RedenWijziging"),
    ok("CS335", "WMO301", "RedenWijziging 13 met Einddatum gelijk aan Ingangsdatum",
       samen(zet(f"{TP}/Einddatum", "2026-11-01"), voeg(TP, ("RedenWijziging", "13"), na="Einddatum"))),
    ok("CS335", "WMO301", "RedenWijziging 02 met langere periode", voeg(TP, ("RedenWijziging", "02"), na="Einddatum")),
    fout("CS336", "WMO301", "RedenWijziging 01", voeg(TP, ("RedenWijziging", "01"), na="Einddatum"),
         "ToegewezenProduct/RedenWijziging"),
    ok("CS336", "WMO301", "RedenWijziging 02", voeg(TP, ("RedenWijziging", "02"), na="Einddatum")),
    # TR302 / TR386 / TR410: geen overlappende periodes voor hetzelfde product
    fout("TR302", "WMO301", "zelfde product, overlappende periode", kopie(TP, {"ToewijzingNummer": "4713"}),
         "ToegewezenProduct[2]"),
    fout("TR302", "WMO301", "zelfde categorie, een zonder productcode",
         kopie(TP, {"ToewijzingNummer": "4713", "Product/Code": None}), "ToegewezenProduct[2]"),
    fout("TR302", "WMO301", "toewijzing zonder Product overlapt met elk product",
         kopie(TP, {"ToewijzingNummer": "4713", "Product": None}), "ToegewezenProduct[2]"),
    ok("TR302", "WMO301", "zelfde product, aansluitende periodes",
       kopie(TP, {"ToewijzingNummer": "4713", **NIET_OVERLAPPEND_301})),
    ok("TR302", "WMO301", "andere productcode in dezelfde categorie",
       kopie(TP, {"ToewijzingNummer": "4713", "Product/Code": "01A02"})),
    ok("TR302", "WMO301", "hulpmiddelen (categorie 11) mogen stapelen",
       samen(zet(f"{TP}/Product/Categorie", "11"), zet(f"{TP}/Product/Code", "11X01"),
             kopie(TP, {"ToewijzingNummer": "4713"}))),
    ok("TR302", "WMO301", "verwijderde toewijzing (13, een dag) telt niet mee",
       samen(kopie(TP, {"ToewijzingNummer": "4713", "Einddatum": "2026-11-01"}),
             voeg(f"{TP}[2]", ("RedenWijziging", "13"), na="Einddatum"))),
    fout("TR386", "WMO315", "zelfde product, overlappende periode", kopie(AP, {"ReferentieAanbieder": "VOT-2026-0002"}),
         "AangevraagdProduct[2]"),
    ok("TR386", "WMO315", "zelfde product, aansluitende periodes",
       kopie(AP, {"ReferentieAanbieder": "VOT-2026-0002", **NIET_OVERLAPPEND_315})),
    ok("TR386", "WMO315", "andere productcode, overlappende periode",
       kopie(AP, {"ReferentieAanbieder": "VOT-2026-0002", "Product/Code": "01A02"})),
    fout("TR410", "WMO317", "twee NieuwProducten, overlappende periode",
         kopie(NP, {"GewensteIngangsdatum": "2026-12-15"}), "NieuwProduct[2]"),
    ok("TR410", "WMO317", "twee NieuwProducten, aansluitende periodes", kopie(NP, NIET_OVERLAPPEND_317)),
    ok("TR410", "WMO317", "twee NieuwProducten, ander product", kopie(NP, {"Product/Code": "07A02"})),
]

# --- WMO315: beschikking, verwijzer, referentie ----------------------------------------------------

BESCHIKKINGNUMMER = voeg(AP, ("BeschikkingNummer", "20260001"), na="ReferentieAanbieder")
BESCHIKKINGINGANG = voeg(AP, ("BeschikkingIngangsdatum", "2026-11-01"), na="Product")
ZORGVERLENER = voeg(VERW, ("ZorgverlenerCode", "01234567"))

CASES += [
    fout("CD043", "WMO315", "BeschikkingNummer zonder BeschikkingIngangsdatum", BESCHIKKINGNUMMER,
         "AangevraagdProduct/BeschikkingNummer"),
    fout("CD043", "WMO315", "BeschikkingIngangsdatum zonder BeschikkingNummer", BESCHIKKINGINGANG,
         "AangevraagdProduct/BeschikkingIngangsdatum"),
    ok("CD043", "WMO315", "BeschikkingNummer met BeschikkingIngangsdatum", samen(BESCHIKKINGNUMMER, BESCHIKKINGINGANG)),
    fout("CD066", "WMO315", "huisarts met ZorgverlenerCode en Naam", ZORGVERLENER, "Verwijzer/Naam"),
    ok("CD066", "WMO315", "huisarts met ZorgverlenerCode zonder Naam", samen(weg(f"{VERW}/Naam"), ZORGVERLENER)),
    ok("CD066", "WMO315", "zelfverwijzer (06) met Naam", zet(f"{VERW}/Type", "06")),
    fout("CD067", "WMO315", "medisch specialist zonder ZorgverlenerCode en Naam",
         samen(zet(f"{VERW}/Type", "05"), weg(f"{VERW}/Naam")), "AangevraagdProduct/Verwijzer"),
    ok("CD067", "WMO315", "huisarts met ZorgverlenerCode zonder Naam", samen(weg(f"{VERW}/Naam"), ZORGVERLENER)),
    ok("CD067", "WMO315", "gemeente (01) zonder Naam", samen(zet(f"{VERW}/Type", "01"), weg(f"{VERW}/Naam"))),
    fout("CD068", "WMO315", "gemeente (01) met ZorgverlenerCode", samen(zet(f"{VERW}/Type", "01"), ZORGVERLENER),
         "Verwijzer/ZorgverlenerCode"),
    fout("CD068", "WMO315", "zelfverwijzer (06) met ZorgverlenerCode", samen(zet(f"{VERW}/Type", "06"), ZORGVERLENER),
         "Verwijzer/ZorgverlenerCode"),
    ok("CD068", "WMO315", "medisch specialist (05) met ZorgverlenerCode",
       samen(zet(f"{VERW}/Type", "05"), weg(f"{VERW}/Naam"), ZORGVERLENER)),
    fout("TR383", "WMO315", "twee AangevraagdProducten met dezelfde ReferentieAanbieder",
         kopie(AP, NIET_OVERLAPPEND_315), "AangevraagdProduct[2]/ReferentieAanbieder"),
    ok("TR383", "WMO315", "twee AangevraagdProducten met verschillende ReferentieAanbieder",
       kopie(AP, {"ReferentieAanbieder": "VOT-2026-0002", **NIET_OVERLAPPEND_315})),
]

# --- WMO317: verzoek om wijziging -------------------------------------------------------------------

CASES += [
    fout("TR352", "WMO317", "alleen NieuweProducten",
         weg(f"{VZ}/OngewijzigdeProducten", f"{VZ}/TeWijzigenProducten"), "Client/Verzoek"),
    ok("TR352", "WMO317", "OngewijzigdeProducten en NieuweProducten", weg(f"{VZ}/TeWijzigenProducten")),
    ok("TR352", "WMO317", "alleen TeWijzigenProducten", weg(f"{VZ}/OngewijzigdeProducten", f"{VZ}/NieuweProducten")),
    fout("TR353", "WMO317", "alleen OngewijzigdeProducten",
         weg(f"{VZ}/TeWijzigenProducten", f"{VZ}/NieuweProducten"), "Client/Verzoek"),
    ok("TR353", "WMO317", "OngewijzigdeProducten en TeWijzigenProducten", weg(f"{VZ}/NieuweProducten")),
    ok("TR353", "WMO317", "OngewijzigdeProducten en NieuweProducten", weg(f"{VZ}/TeWijzigenProducten")),
    fout("TR380", "WMO317", "GewensteIngangsdatum gelijk aan dagtekening", zet(f"{NP}/GewensteIngangsdatum", VANDAAG),
         "NieuwProduct/GewensteIngangsdatum"),
    fout("TR380", "WMO317", "GewensteIngangsdatum in het verleden",
         zet(f"{NP}/GewensteIngangsdatum", "2026-11-01"), "NieuwProduct/GewensteIngangsdatum"),
    ok("TR380", "WMO317", "GewensteIngangsdatum de dag na dagtekening", zet(f"{NP}/GewensteIngangsdatum", MORGEN)),
    ok("TR380", "WMO317", "TeWijzigenProduct met GewensteIngangsdatum in het verleden",
       zet(f"{WP}/GewensteIngangsdatum", "2026-11-01")),
]

# --- WMO319: antwoord ------------------------------------------------------------------------------

CASES += [
    fout("CD085", "WMO319", "afgewezen zonder reden", weg(f"{ANTW}/RedenAfwijzingVerzoek"), "Antwoord/VerzoekAntwoord"),
    ok("CD085", "WMO319", "afgewezen met reden"),
    ok("CD085", "WMO319", "in onderzoek zonder reden",
       samen(zet(f"{ANTW}/VerzoekAntwoord", "2"), weg(f"{ANTW}/RedenAfwijzingVerzoek"))),
    fout("CD086", "WMO319", "in onderzoek met reden", zet(f"{ANTW}/VerzoekAntwoord", "2"),
         "Antwoord/RedenAfwijzingVerzoek"),
    ok("CD086", "WMO319", "in onderzoek zonder reden",
       samen(zet(f"{ANTW}/VerzoekAntwoord", "2"), weg(f"{ANTW}/RedenAfwijzingVerzoek"))),
    ok("CD086", "WMO319", "afgewezen met reden"),
]

# --- WMO305 / WMO307: start and stop ---------------------------------------------------------------

for _b, _pad, _klasse in (("WMO305", SP, "StartProduct"), ("WMO307", STP, "StopProduct")):
    CASES += [
        fout("CS058", _b, "StatusAanlevering 2 (gewijzigde aanlevering)", zet(f"{_pad}/StatusAanlevering", "2"),
             f"{_klasse}/StatusAanlevering"),
        fout("CS058", _b, "StatusAanlevering 9", zet(f"{_pad}/StatusAanlevering", "9"), f"{_klasse}/StatusAanlevering"),
        ok("CS058", _b, "StatusAanlevering 1 (eerste aanlevering)"),
        ok("CS058", _b, "StatusAanlevering 3 (verwijderen)", zet(f"{_pad}/StatusAanlevering", "3")),
    ]

CASES += [
    fout("TR018", "WMO307", "Einddatum voor Begindatum", periode(STP, "2026-11-10", "2026-11-09"),
         "StopProduct/Einddatum"),
    ok("TR018", "WMO307", "Einddatum gelijk aan Begindatum", periode(STP, "2026-11-10", "2026-11-10")),
]

# --- WMO323: declaratie ---------------------------------------------------------------------------

EURO = samen(zet(f"{PR}/Eenheid", "83"), weg(f"{PR}/ProductTarief"))  # 42250 cent ingediend
NUL_DEBET = samen(zet(f"{PR}/GeleverdVolume", "0"), zet(f"{PR}/IngediendBedrag/Bedrag", "0"),
                  zet(f"{TOTAAL}/TotaalBedrag", "0"))

CASES += [
    # CS100: datums op of na 01-01-2021
    fout("CS100", "WMO323", "ProductPeriode in december 2020", periode(f"{PR}/ProductPeriode", "2020-12-01", "2020-12-31"),
         "ProductPeriode/Begindatum"),
    fout("CS100", "WMO323", "DeclaratiePeriode in december 2020",
         periode(f"{DECL}/DeclaratiePeriode", "2020-12-01", "2020-12-31"), "DeclaratiePeriode/Begindatum"),
    fout("CS100", "WMO323", "ProductPeriode met Einddatum in 2020",
         periode(f"{PR}/ProductPeriode", "2021-01-05", "2020-12-31"), "ProductPeriode/Einddatum"),
    ok("CS100", "WMO323", "ProductPeriode vanaf 01-01-2021",
       samen(periode(f"{PR}/ProductPeriode", "2021-01-01", "2021-01-31"),
             zet(f"{DECL}/DeclaratieDagtekening", "2026-01-01"))),
    ok("CS100", "WMO323", "DeclaratiePeriode januari 2021",
       samen(periode(f"{DECL}/DeclaratiePeriode", "2021-01-01", "2021-01-31"),
             zet(f"{DECL}/DeclaratieDagtekening", "2026-01-01"))),
    # CS340: DeclaratiePeriode is een hele kalendermaand
    fout("CS340", "WMO323", "DeclaratiePeriode begint op de 2e", zet(f"{DECL}/DeclaratiePeriode/Begindatum", "2026-10-02"),
         "Declaratie/DeclaratiePeriode"),
    fout("CS340", "WMO323", "DeclaratiePeriode eindigt op de 30e", zet(f"{DECL}/DeclaratiePeriode/Einddatum", "2026-10-30"),
         "Declaratie/DeclaratiePeriode"),
    fout("CS340", "WMO323", "februari schrikkeljaar tot de 28e",
         periode(f"{DECL}/DeclaratiePeriode", "2024-02-01", "2024-02-28"), "Declaratie/DeclaratiePeriode"),
    ok("CS340", "WMO323", "februari schrikkeljaar", periode(f"{DECL}/DeclaratiePeriode", "2024-02-01", "2024-02-29")),
    ok("CS340", "WMO323", "december (jaarwisseling)", periode(f"{DECL}/DeclaratiePeriode", "2025-12-01", "2025-12-31")),
    # CS337: ProductPeriode binnen een kalendermaand
    fout("CS337", "WMO323", "ProductPeriode over twee maanden",
         periode(f"{PR}/ProductPeriode", "2026-09-15", "2026-10-15"), "Prestatie/ProductPeriode"),
    fout("CS337", "WMO323", "ProductPeriode zelfde maand ander jaar",
         periode(f"{PR}/ProductPeriode", "2025-10-01", "2026-10-31"), "Prestatie/ProductPeriode"),
    ok("CS337", "WMO323", "ProductPeriode deel van een maand",
       periode(f"{PR}/ProductPeriode", "2026-10-05", "2026-10-20")),
    # CS325: bedrag 0 is debet
    fout("CS325", "WMO323", "IngediendBedrag 0 credit",
         samen(NUL_DEBET, credit(PR, "P202609-0001")), "IngediendBedrag/DebetCredit"),
    fout("CS325", "WMO323", "TotaalIngediendBedrag 0 credit",
         samen(NUL_DEBET, zet(f"{TOTAAL}/DebetCredit", "C")), "TotaalIngediendBedrag/DebetCredit"),
    ok("CS325", "WMO323", "bedragen 0 debet", NUL_DEBET),
    ok("CS325", "WMO323", "creditprestatie met bedrag ongelijk aan 0",
       samen(credit(PR, "P202609-0001"), zet(f"{TOTAAL}/DebetCredit", "C"))),
    fout("CS325", "WMO325", "TotaalToegekendBedrag 0 credit",
         samen(zet(f"{DA}/TotaalToegekendBedrag/TotaalBedrag", "0"), zet(f"{DA}/TotaalToegekendBedrag/DebetCredit", "C")),
         "TotaalToegekendBedrag/DebetCredit"),
    fout("CS325", "WMO325", "afgewezen prestatie met bedrag 0 credit",
         samen(zet(f"{PR325}/IngediendBedrag/Bedrag", "0"), zet(f"{PR325}/IngediendBedrag/DebetCredit", "C")),
         "IngediendBedrag/DebetCredit", basis="afgewezen"),
    ok("CS325", "WMO325", "afgekeurd DeclaratieAntwoord, TotaalToegekendBedrag 0 debet",
       samen(zet(f"{DA}/RetourCodes/RetourCode", "9333"), zet(f"{DA}/TotaalToegekendBedrag/TotaalBedrag", "0"))),
    # CD060: VorigReferentieNummer alleen en altijd bij credit
    fout("CD060", "WMO323", "creditprestatie zonder VorigReferentieNummer",
         samen(zet(f"{PR}/IngediendBedrag/DebetCredit", "C"), zet(f"{TOTAAL}/DebetCredit", "C")),
         "Prestatie/ProductReferentie"),
    fout("CD060", "WMO323", "debetprestatie met VorigReferentieNummer",
         voeg(f"{PR}/ProductReferentie", ("VorigReferentieNummer", "P202609-0001"), na="ReferentieNummer"),
         "ProductReferentie/VorigReferentieNummer"),
    ok("CD060", "WMO323", "creditprestatie met VorigReferentieNummer",
       samen(credit(PR, "P202609-0001"), zet(f"{TOTAAL}/DebetCredit", "C"))),
    fout("CD060", "WMO325", "creditprestatie zonder VorigReferentieNummer",
         zet(f"{PR325}/IngediendBedrag/DebetCredit", "C"), "Prestatie/ProductReferentie", basis="afgewezen"),
    fout("CD060", "WMO325", "debetprestatie met VorigReferentieNummer",
         voeg(f"{PR325}/ProductReferentie", ("VorigReferentieNummer", "P202609-0002"), na="ReferentieNummer"),
         "ProductReferentie/VorigReferentieNummer", basis="afgewezen"),
    ok("CD060", "WMO325", "creditprestatie met VorigReferentieNummer",
       samen(credit(PR325, "P202609-0002"), zet(f"{DA}/TotaalToegekendBedrag/TotaalBedrag", "126750")),
       basis="afgewezen"),
    # CD087 / CS339: ProductTarief en Eenheid 83 (euro's)
    fout("CD087", "WMO323", "Eenheid uren zonder ProductTarief", weg(f"{PR}/ProductTarief"), "Prestatie/Eenheid"),
    fout("CD087", "WMO323", "Eenheid euro's met ProductTarief", zet(f"{PR}/Eenheid", "83"), "Prestatie/ProductTarief"),
    ok("CD087", "WMO323", "Eenheid euro's zonder ProductTarief", samen(EURO, zet(f"{PR}/GeleverdVolume", "42250"))),
    fout("CS339", "WMO323", "Eenheid euro's, bedrag ongelijk aan volume", EURO, "Prestatie/GeleverdVolume"),
    ok("CS339", "WMO323", "Eenheid euro's, bedrag gelijk aan volume", samen(EURO, zet(f"{PR}/GeleverdVolume", "42250"))),
    ok("CS339", "WMO323", "Eenheid uren, bedrag ongelijk aan volume"),
    # TR315 / TR316: VorigReferentieNummer
    fout("TR315", "WMO323", "twee creditprestaties op dezelfde vorige prestatie",
         samen(tweede_prestatie(), credit(f"{PR}[1]", "P202609-0001"), credit(f"{PR}[2]", "P202609-0001"),
               zet(f"{TOTAAL}/DebetCredit", "C"), zet(f"{TOTAAL}/TotaalBedrag", "84500")),
         "Prestatie[2]/ProductReferentie/VorigReferentieNummer"),
    ok("TR315", "WMO323", "twee creditprestaties op verschillende vorige prestaties",
       samen(tweede_prestatie(), credit(f"{PR}[1]", "P202609-0001"), credit(f"{PR}[2]", "P202609-0002"),
             zet(f"{TOTAAL}/DebetCredit", "C"), zet(f"{TOTAAL}/TotaalBedrag", "84500"))),
    fout("TR316", "WMO323", "credit van een debetprestatie uit hetzelfde bericht",
         samen(tweede_prestatie(), credit(f"{PR}[2]", "P202610-0001"), zet(f"{TOTAAL}/TotaalBedrag", "0")),
         "Prestatie[2]/ProductReferentie/VorigReferentieNummer"),
    ok("TR316", "WMO323", "credit van een prestatie uit een eerder bericht, naast een debet",
       samen(tweede_prestatie(), credit(f"{PR}[2]", "P202609-0001"), zet(f"{TOTAAL}/TotaalBedrag", "0"))),
    # TR135 also on the DeclaratieDagtekening
    fout("TR135", "WMO323", "declaratiedagtekening morgen", zet(f"{DECL}/DeclaratieDagtekening", MORGEN),
         "Declaratie/DeclaratieDagtekening"),
    ok("TR135", "WMO323", "declaratiedagtekening vandaag", zet(f"{DECL}/DeclaratieDagtekening", TODAY.isoformat())),
    # TR335: ProductPeriode niet meer dan 5 jaar voor DeclaratieDagtekening
    fout("TR335", "WMO323", "Einddatum 5 jaar en een dag voor DeclaratieDagtekening",
         periode(f"{PR}/ProductPeriode", "2021-11-01", "2021-11-22"), "Prestatie/ProductPeriode"),
    ok("TR335", "WMO323", "Einddatum precies 5 jaar voor DeclaratieDagtekening",
       periode(f"{PR}/ProductPeriode", "2021-11-01", "2021-11-23")),
    ok("TR335", "WMO323", "gemeten vanaf DeclaratieDagtekening, niet de header",
       samen(zet(f"{DECL}/DeclaratieDagtekening", "2026-11-01"),
             periode(f"{PR}/ProductPeriode", "2021-11-01", "2021-11-05"))),
    # TR358: TotaalIngediendBedrag is de som van de prestaties
    fout("TR358", "WMO323", "totaal een cent te hoog", zet(f"{TOTAAL}/TotaalBedrag", "42251"), "Declaratie/TotaalIngediendBedrag"),
    fout("TR358", "WMO323", "totaal credit bij debetprestatie", zet(f"{TOTAAL}/DebetCredit", "C"),
         "Declaratie/TotaalIngediendBedrag"),
    ok("TR358", "WMO323", "debet min credit",
       samen(tweede_prestatie({"IngediendBedrag/Bedrag": "10000", "ProductCode": "01A02"}), credit(f"{PR}[2]", "P202609-0001"),
             zet(f"{TOTAAL}/TotaalBedrag", "32250"))),
    ok("TR358", "WMO323", "alleen credit, totaal credit", samen(credit(PR, "P202609-0001"), zet(f"{TOTAAL}/DebetCredit", "C"))),
    # TR416: een debetprestatie per toewijzing, product en periode
    fout("TR416", "WMO323", "twee debetprestaties voor dezelfde periode",
         samen(tweede_prestatie(), zet(f"{TOTAAL}/TotaalBedrag", "84500")), "Prestatie[2]"),
    ok("TR416", "WMO323", "debet en credit voor dezelfde periode",
       samen(tweede_prestatie(), credit(f"{PR}[2]", "P202609-0001"), zet(f"{TOTAAL}/TotaalBedrag", "0"))),
    ok("TR416", "WMO323", "twee debetprestaties voor verschillende periodes",
       samen(tweede_prestatie({"ProductPeriode/Begindatum": "2026-10-16"}), zet(f"{PR}[1]/ProductPeriode/Einddatum", "2026-10-15"),
             zet(f"{TOTAAL}/TotaalBedrag", "84500"))),
    # TR416 is judged per Client (as the official module does): the same key under two clients is no fault
    ok("TR416", "WMO323", "dezelfde debetprestatie bij twee clienten",
       samen(kopie(f"{DECL}/Clienten/Client", {"Bsn": GELDIG_BSN, "Prestaties/Prestatie/ProductReferentie/ReferentieNummer":
                                               "P202610-0002"}),
             zet(f"{TOTAAL}/TotaalBedrag", "84500"))),
    fout("TR416", "WMO323", "twee debetprestaties voor dezelfde periode bij de tweede client",
         samen(kopie(f"{DECL}/Clienten/Client", {"Bsn": GELDIG_BSN, "Prestaties/Prestatie/ProductReferentie/ReferentieNummer":
                                                 "P202610-0002"}),
               kopie(f"{DECL}/Clienten/Client[2]/Prestaties/Prestatie",
                     {"ProductReferentie/ReferentieNummer": "P202610-0003"}),
               zet(f"{TOTAAL}/TotaalBedrag", "126750")),
         "Client[2]/Prestaties/Prestatie[2]"),
    # TR319, the in-message part: the ProductPeriode does not lie after the DeclaratiePeriode's Einddatum
    fout("TR319", "WMO323", "ProductPeriode in de maand na de DeclaratiePeriode",
         periode(f"{PR}/ProductPeriode", "2026-11-01", "2026-11-02"), "ProductPeriode/Begindatum"),
    fout("TR319", "WMO323", "Einddatum van de ProductPeriode na de DeclaratiePeriode",
         periode(f"{PR}/ProductPeriode", "2026-10-30", "2026-11-01"), "ProductPeriode/Einddatum"),
    ok("TR319", "WMO323", "ProductPeriode eindigt op de Einddatum van de DeclaratiePeriode",
       periode(f"{PR}/ProductPeriode", "2026-10-31", "2026-10-31")),
    ok("TR319", "WMO323", "ProductPeriode in een eerdere declaratieperiode",
       periode(f"{PR}/ProductPeriode", "2026-09-01", "2026-09-30")),
]

# --- WMO325: declaratie-antwoord ---------------------------------------------------------------------

CASES += [
    fout("TR342", "WMO325", "goedgekeurde prestatie meegestuurd", zet(f"{PR325}/RetourCodes/RetourCode", "0200"),
         "Prestatie/RetourCodes", basis="afgewezen"),
    fout("TR342", "WMO325", "som afgewezen prestaties verklaart verschil niet",
         kopie(PR325, {"ProductReferentie/ReferentieNummer": "P202610-0003"}), "DeclaratieAntwoord/TotaalToegekendBedrag",
         basis="afgewezen"),
    fout("TR342", "WMO325", "afgekeurd DeclaratieAntwoord met toegekend bedrag",
         zet(f"{DA}/RetourCodes/RetourCode", "9333"), "DeclaratieAntwoord/TotaalToegekendBedrag"),
    ok("TR342", "WMO325", "volledig toegekend zonder prestaties"),
    ok("TR342", "WMO325", "afgewezen prestatie verklaart het verschil", basis="afgewezen"),
    ok("TR342", "WMO325", "afgekeurd DeclaratieAntwoord met toegekend 0",
       samen(zet(f"{DA}/RetourCodes/RetourCode", "9333"), zet(f"{DA}/TotaalToegekendBedrag/TotaalBedrag", "0"))),
]


# --- the tests -------------------------------------------------------------------------------------

REGEL: dict[tuple[str, str], Regel] = {(r.code, b): r for r in REGELS for b in r.berichten}


def _param(case: Case) -> object:
    marks = [pytest.mark.xfail(reason=case.xfail, strict=True)] if case.xfail else []
    return pytest.param(case, id=case.id, marks=marks)


def fouten_van(case: Case) -> list[Fout]:
    """Build the case's message, validate it, and return its faults (never XSD faults)."""
    root = etree.fromstring(start_xml(case.bericht, case.basis))
    if case.mutatie is not None:
        case.mutatie(root)
    data = etree.tostring(root, xml_declaration=True, encoding="UTF-8")
    rapport = validate(data, today=TODAY)
    schema = [f for f in rapport.fouten if f.code in ("XSD", "XML")]
    assert not schema, f"de mutatie maakt het bericht XSD-ongeldig: {[f.as_dict() for f in schema]}"
    assert rapport.bericht == case.bericht
    return rapport.fouten


@pytest.mark.parametrize("case", [_param(c) for c in CASES])
def test_regel(case: Case) -> None:
    fouten = fouten_van(case)
    eigen = [f for f in fouten if f.code == case.code]
    if not case.schending:
        assert not eigen, f"{case.code} onterecht gemeld: {[f.as_dict() for f in eigen]}"
        return
    assert eigen, f"{case.code} niet gemeld; wel: {[f.code for f in fouten]}"
    verwacht = REGEL[(case.code, case.bericht)].retourcode
    assert {f.retourcode for f in eigen} == {verwacht}
    assert case.locatie is not None
    locaties = [loc for f in eigen for loc in f.locaties]
    assert any(loc.endswith("/" + case.locatie) for loc in locaties), \
        f"geen locatie eindigt op {case.locatie!r}: {locaties}"


def test_cases_horen_bij_geregistreerde_regels() -> None:
    onbekend = {(c.code, c.bericht) for c in CASES} - set(REGEL)
    assert not onbekend, f"cases voor regels die niet (voor dat bericht) geregistreerd zijn: {sorted(onbekend)}"


def test_case_ids_uniek() -> None:
    ids = [c.id for c in CASES]
    assert len(ids) == len(set(ids)), sorted({i for i in ids if ids.count(i) > 1})


def test_dekking() -> None:
    """Every (rule, message) pair has a violating and a complying case that are expected to pass."""
    paren = set(REGEL)
    telt = [c for c in CASES if c.xfail is None]
    zonder_schending = paren - {(c.code, c.bericht) for c in telt if c.schending}
    zonder_naleving = paren - {(c.code, c.bericht) for c in telt if not c.schending}
    assert not zonder_schending, f"geen schendende case voor: {sorted(zonder_schending)}"
    assert not zonder_naleving, f"geen nalevende case voor: {sorted(zonder_naleving)}"


# --- comments and processing instructions carry nothing --------------------------------------------

def _met_commentaar(root: etree._Element) -> None:
    """A comment and a processing instruction before every element but the root, and after every last child."""
    for el in list(root.iter()):
        if el is root:
            continue
        el.addprevious(etree.Comment("0200"))  # text a careless reader could take for a code
        el.addprevious(etree.ProcessingInstruction("iwmo", "x"))
        if el.getnext() is None:
            el.addnext(etree.Comment("D"))


@pytest.mark.parametrize("case", [_param(c) for c in CASES if c.xfail is None])
def test_comments_and_pis_change_no_verdict(case: Case) -> None:
    """Schema-valid either way, so the rules must see the same elements: the same faults at the same
    places, through validate() (the parser drops them) and through check_tree() on a tree that keeps them."""
    verwacht = [(f.code, f.locaties) for f in fouten_van(case)]
    root = etree.fromstring(start_xml(case.bericht, case.basis))
    if case.mutatie is not None:
        case.mutatie(root)
    _met_commentaar(root)
    data = etree.tostring(root, xml_declaration=True, encoding="UTF-8")
    assert [(f.code, f.locaties) for f in validate(data, today=TODAY).fouten] == verwacht
    bewaard = etree.fromstring(data, etree.XMLParser(remove_comments=False)).getroottree()
    assert [(f.code, f.locaties) for f in check_tree(bewaard, today=TODAY).fouten] == verwacht
    assert next(bewaard.getroot().iter(etree.Comment), None) is not None  # the caller's tree is left as it was
