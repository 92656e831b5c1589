"""What the dashboard shows: message flows per pair of parties, retours, dead letters, one message with its
validation report. Plain functions over the hub's tables; ``dashboard_api`` renders them.

Personal data is masked unless the viewer is a party to the message (its sender or receiver): the
client's BSN, name, birth date, gender, address, contact details, relations, legal status, referrer and
free text are replaced in the XML, comments are dropped, and the validation report shows rule codes and
locations without the explanation (which can quote a value). The hub operator (admin token) and anonymous viewers see only masked content.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from lxml import etree
from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from gateway.mailbox import GOEDGEKEURD, retour_van
from gateway.models import Bericht
from iwmo.loader import parse_xml
from iwmo.uitleg import betekenis
from iwmo.validation import validate

#: elements whose whole content is personal data of the client or of the people around him: every text
#: below them is masked (the structure and the codes elsewhere stay readable)
PERSOONLIJK = frozenset({
    "Bsn", "Geboortedatum", "Geslacht", "Naam", "Communicatie", "JuridischeStatus", "WettelijkeVertegenwoordiging",
    "Commentaar", "Relaties", "Contactgegevens", "Contact", "Adres", "Telefoon", "Emailadres", "Verwijzer",
    "Organisatie", "ReferentieAanbieder",
})
MASKER = "•••"


def toon(element: str, waarde: str, *, zichtbaar: bool) -> str:
    """A value as the dashboard shows it: masked when its element holds personal data and the viewer is not
    a party to the message (the rule :func:`maskeer` applies to the XML)."""
    return MASKER if element in PERSOONLIJK and not zichtbaar else waarde


@dataclass(frozen=True)
class Kijker:
    """Who looks: a party (code), the hub operator (beheer) or nobody logged in."""

    code: str | None = None
    beheer: bool = False

    @property
    def omschrijving(self) -> str:
        if self.code:
            return f"partij {self.code}"
        return "beheer (persoonsgegevens gemaskeerd)" if self.beheer else "anoniem (persoonsgegevens gemaskeerd)"

    def mag_zien(self, b: Bericht) -> bool:
        return self.code is not None and self.code in (b.afzender, b.ontvanger)


@dataclass
class Stroom:
    """A heenbericht with its retour (if any)."""

    heen: Bericht
    retour: Bericht | None

    @property
    def codes(self) -> list[str]:
        return self.retour.retourcodes.split(",") if self.retour and self.retour.retourcodes else []

    @property
    def oordeel(self) -> str:
        if self.retour is None:
            return "wacht op retour"
        return "goedgekeurd" if set(self.codes) <= GOEDGEKEURD else "afgekeurd"


@dataclass
class Paar:
    gemeente: str
    aanbieder: str
    stromen: list[Stroom] = field(default_factory=list)

    @property
    def sleutel(self) -> str:
        return f"{self.gemeente}-{self.aanbieder}"

    def telling(self) -> dict[str, int]:
        tel: dict[str, int] = defaultdict(int)
        for s in self.stromen:
            tel[s.oordeel] += 1
        return dict(tel)


def _paar(b: Bericht) -> tuple[str, str]:
    a, c = sorted((b.afzender, b.ontvanger), key=len)  # a CBS code has 4 digits, an AGB code 8
    return a, c


def stromen(session: Session, *, paar: str | None = None, voor: int | None = None,
            limit: int = 200) -> tuple[list[Paar], int | None]:
    """The newest ``limit`` heenberichten (older than id ``voor`` when given), grouped per (gemeente,
    aanbieder), each with its retour; and the ``voor`` of the next, older page (None: there is none)."""
    q = select(Bericht).where(Bericht.heen_bericht.is_(None))
    if paar:  # one pair: its own newest messages, however busy the others are
        a, _, c = paar.partition("-")
        q = q.where(or_(and_(Bericht.afzender == a, Bericht.ontvanger == c),
                        and_(Bericht.afzender == c, Bericht.ontvanger == a)))
    if voor is not None:
        q = q.where(Bericht.id < voor)
    heen = list(session.scalars(q.order_by(Bericht.id.desc()).limit(limit)))
    retouren = _retouren(session, heen)
    paren: dict[tuple[str, str], Paar] = {}
    for b in heen:
        sleutel = _paar(b)
        groep = paren.setdefault(sleutel, Paar(*sleutel))
        groep.stromen.append(Stroom(b, retouren.get(b.id)))
    volgende = heen[-1].id if len(heen) == limit else None
    return sorted(paren.values(), key=lambda p: p.sleutel), volgende


def _retouren(session: Session, heen: list[Bericht]) -> dict[int, Bericht]:
    """The retour of each of these heenberichten, by heenbericht id, in one query (not one per row)."""
    if not heen:
        return {}
    q = select(Bericht).where(Bericht.heen_id.in_([b.id for b in heen]))
    return {r.heen_id: r for r in session.scalars(q) if r.heen_id is not None}  # never None: filtered by in_


def _verwijder(node: etree._Element) -> None:
    """Remove a comment or processing instruction, keeping the text after it."""
    parent = node.getparent()
    if parent is None:
        return
    if node.tail:
        prev = node.getprevious()
        if prev is not None:
            prev.tail = (prev.tail or "") + node.tail
        else:
            parent.text = (parent.text or "") + node.tail
    parent.remove(node)


def maskeer(xml: bytes) -> bytes:
    """The message with all personal content replaced by a mask: comments, processing instructions and
    attributes removed, every text below a personal element masked; the structure and the other values
    stay."""
    root = parse_xml(xml).getroot()
    for node in list(root.iter(etree.Comment, etree.ProcessingInstruction)):
        _verwijder(node)
    for el in root.iter():  # attributes (e.g. xsi:*, which any schema lets through) can carry anything
        el.attrib.clear()
    for el in root.iter():
        if etree.QName(el).localname not in PERSOONLIJK:
            continue
        for sub in el.iter():
            if (sub.text or "").strip():
                sub.text = MASKER
            if sub is not el and (sub.tail or "").strip():
                sub.tail = MASKER
    return etree.tostring(root, encoding="UTF-8", xml_declaration=True)


#: retourcodes that say nothing is wrong (a class approved, or not judged because its parent was rejected)
ZONDER_OPMERKING = frozenset({"0200", "8001"})


@dataclass(frozen=True)
class Klasse:
    """A berichtklasse of a retour with its RetourCodes: where it is, which key identifies it, the codes."""

    pad: str  # Header, Client, StopProduct[2] ...
    sleutel: str  # e.g. "ToewijzingNummer 14", "" when the class has none
    codes: list[tuple[str, str]]  # (code, meaning)

    @property
    def afgekeurd(self) -> bool:
        return any(c not in ZONDER_OPMERKING | {"0233"} for c, _ in self.codes)


#: children that identify a class to a reader (never personal data)
_SLEUTELS = ("ToewijzingNummer", "ReferentieAanbieder", "DeclaratieNummer", "Identificatie")


def oordeel_per_klasse(retour_xml: bytes) -> list[Klasse]:
    """Every berichtklasse of a retourbericht that carries RetourCodes, in document order, with the meaning of
    each code: the verdict of the receiver (which may reject a message the validator finds valid)."""
    root = parse_xml(retour_xml).getroot()
    klassen = []
    tellers: dict[str, int] = defaultdict(int)
    for klasse in root.iter():
        codes_el = klasse.find("{*}RetourCodes")  # a class's last child: the class itself in document order
        if codes_el is None:
            continue
        naam = etree.QName(klasse).localname
        tellers[naam] += 1
        sleutel = next((f"{n} {el.text}" for n in _SLEUTELS
                        for el in klasse.iterfind(f"{{*}}{n}") if el.text), "")
        codes = [(c.text or "", betekenis(c.text or "") or "onbekende retourcode")
                 for c in codes_el.iterfind("{*}RetourCode")]
        klassen.append(Klasse(f"{naam}[{tellers[naam]}]" if tellers[naam] > 1 else naam, sleutel, codes))
    return klassen


@dataclass
class Weergave:
    """One message as the viewer may see it."""

    bericht: Bericht
    xml: str
    gemaskeerd: bool
    valide: bool
    fouten: list[dict[str, Any]]
    heen: Bericht | None
    retour: Bericht | None
    #: the receiver's verdict: the retour's classes with their RetourCodes (of this message when it is a retour)
    oordeel: list[Klasse] = field(default_factory=list)


def weergave(session: Session, *, bericht: Bericht, kijker: Kijker) -> Weergave:
    rapport = validate(bericht.xml, today=bericht.received_at.date())
    zichtbaar = kijker.mag_zien(bericht)
    fouten = []
    for f in rapport.fouten:
        d = f.as_dict()
        if not zichtbaar:  # a fault's text may quote the value at fault (a postcode, a name)
            d["details"] = "(de toelichting ziet alleen de afzender of de ontvanger: zij kan gegevens citeren)"
        fouten.append(d)
    xml = bericht.xml if zichtbaar else maskeer(bericht.xml)
    heen = session.get(Bericht, bericht.heen_id) if bericht.heen_id is not None else None
    retour = retour_van(session, bericht=bericht) if bericht.heen_bericht is None else None
    for d in fouten:
        d["betekenis"] = betekenis(d["retourcode"]) if d.get("retourcode") else None
    oordeel_van = bericht if heen is not None else retour
    oordeel = oordeel_per_klasse(oordeel_van.xml) if oordeel_van is not None else []
    return Weergave(bericht, xml.decode("utf-8"), not zichtbaar, rapport.valid, fouten, heen, retour, oordeel)
