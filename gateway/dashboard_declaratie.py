"""A declaratie on the dashboard: a WMO323 made readable, with the verdict of its WMO325 per Prestatie.

Plain functions over the two messages (no HTTP, no database): :func:`declaratie_overzicht` takes the
WMO323 and, when the hub has it, the WMO325 that answers it, and returns what the page shows. The
WMO325 names only the rejected Prestaties (IV087), so a Prestatie it does not name is granted; a WMO325
without a DeclaratieAntwoord (a technical rejection, 0001) or with codes on the DeclaratieAntwoord and no
Clients rejects the whole declaratie. The client's BSN is masked by the dashboard's own rule
(:func:`gateway.dashboard.toon`) for viewers who are not a party to the message.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict, deque
from dataclasses import dataclass, field

from gateway.dashboard import Kijker, Weergave, toon
from iwmo import codelijsten
from iwmo.berichten.declaratie import Prestatie, Wmo323, Wmo325
from iwmo.exceptions import IwmoError
from iwmo.retour import GEEN_OPMERKING
from iwmo.xml import from_xml

TOEGEKEND = "toegekend"
AFGEWEZEN = "afgewezen"
GEEN_ANTWOORD = "nog geen antwoord"


@dataclass(frozen=True)
class Code:
    """A RetourCode with its meaning from the code list (WJ001)."""

    code: str
    betekenis: str


def retourcode(code: str) -> Code:
    return Code(code, codelijsten.betekenis("WJ001", code) or "onbekende retourcode")


def euro(eurocent: int) -> str:
    """An amount in eurocent the Dutch way: ``€ 1.234,56`` (``€ -12,00`` for a negative one)."""
    teken = "-" if eurocent < 0 else ""
    euros, cent = divmod(abs(eurocent), 100)
    return f"€ {teken}{euros:,}".replace(",", ".") + f",{cent:02d}"


def getekend(bedrag: int, debet_credit: str) -> int:
    """Debet positive, credit negative."""
    return -bedrag if debet_credit == "C" else bedrag


@dataclass
class PrestatieRegel:
    referentienummer: str
    vorig_referentienummer: str | None
    toewijzingnummer: int
    categorie: str
    categorie_naam: str
    code: str
    begindatum: dt.date
    einddatum: dt.date
    volume: int
    eenheid: str
    eenheid_naam: str
    tarief: int | None
    bedrag: int  # eurocent, as in the message (unsigned; see debet_credit)
    debet_credit: str  # D | C
    oordeel: str  # toegekend | afgewezen | nog geen antwoord
    retourcodes: list[Code] = field(default_factory=list)

    @property
    def debet(self) -> bool:
        return self.debet_credit == "D"


@dataclass
class ClientRegel:
    bsn: str  # masked (•••) for a viewer who is not a party to the message
    prestaties: list[PrestatieRegel]
    retourcodes: list[Code] = field(default_factory=list)  # a rejected Client (e.g. 8187)


@dataclass
class DeclaratieOverzicht:
    declaratienummer: str
    periode_begin: dt.date
    periode_eind: dt.date
    dagtekening: dt.date
    clienten: list[ClientRegel]
    ingediend: int  # signed eurocent
    beantwoord: bool
    toegekend: int | None = None  # signed eurocent; None: no WMO325 yet
    retourcodes: list[Code] = field(default_factory=list)  # on the header and the DeclaratieAntwoord
    geheel_afgewezen: bool = False
    gemaskeerd: bool = False  # the BSNs are masked: the viewer is not a party to the message

    @property
    def afgewezen(self) -> int | None:
        return None if self.toegekend is None else self.ingediend - self.toegekend

    @property
    def aantal_afgewezen(self) -> int:
        return sum(p.oordeel == AFGEWEZEN for c in self.clienten for p in c.prestaties)


def _sleutel(bsn: str, p: Prestatie) -> tuple[object, ...]:
    """A Prestatie as the WMO325 copies it (everything but its RetourCodes)."""
    r = p.product_referentie
    return (bsn, r.referentie_nummer, r.vorig_referentie_nummer, p.toewijzing_nummer, p.product_categorie,
            p.product_code, p.product_periode.begindatum, p.product_periode.einddatum, p.geleverd_volume,
            p.eenheid, p.product_tarief, p.ingediend_bedrag.bedrag, p.ingediend_bedrag.debet_credit)


def _eigen(codes: list[str]) -> list[Code]:
    """The codes that say something (0200, 'no remark', left out)."""
    return [retourcode(c) for c in codes if c != GEEN_OPMERKING]


def oordelen(heen: Wmo323, antwoord: Wmo325 | None) -> tuple[list[list[tuple[str, list[Code]]]],
                                                                list[list[Code]], list[Code], bool]:
    """The verdict on each Prestatie of ``heen`` (per Client, in message order: (oordeel, retourcodes)), the
    codes on each Client, the codes on the whole declaratie, and whether the whole declaratie was rejected."""
    decl = heen.declaratie
    if antwoord is None:
        return ([[(GEEN_ANTWOORD, [])] * len(c.prestaties) for c in decl.clienten],
                [[] for _ in decl.clienten], [], False)
    da = antwoord.declaratie_antwoord
    geheel = _eigen(antwoord.header.retourcodes) + (_eigen(da.retourcodes) if da else [])
    if da is None or (not da.clienten and any(c.code != "8001" for c in geheel)):
        return ([[(AFGEWEZEN, [])] * len(c.prestaties) for c in decl.clienten],
                [[] for _ in decl.clienten], geheel, True)
    afgewezen: dict[tuple[object, ...], deque[list[str]]] = defaultdict(deque)
    client_codes: dict[str, list[str]] = {}
    for c in da.clienten:
        client_codes[c.bsn] = c.retourcodes
        for p in c.prestaties:
            afgewezen[_sleutel(c.bsn, p)].append(p.retourcodes)
    per_client, codes_client = [], []
    for c in decl.clienten:
        regels = []
        for p in c.prestaties:
            wachtrij = afgewezen.get(_sleutel(c.bsn, p))
            regels.append((AFGEWEZEN, _eigen(wachtrij.popleft())) if wachtrij else (TOEGEKEND, []))
        per_client.append(regels)
        codes_client.append(_eigen(client_codes.get(c.bsn, [])))
    return per_client, codes_client, geheel, False


def overzicht(heen: Wmo323, antwoord: Wmo325 | None, *, bsn_tonen: bool) -> DeclaratieOverzicht:
    """What the page shows of a WMO323 and its WMO325 (None: not there yet). ``bsn_tonen``: the viewer is a
    party to the message; otherwise each BSN is masked as the dashboard masks the XML."""
    decl = heen.declaratie
    per_client, codes_client, geheel, geheel_afgewezen = oordelen(heen, antwoord)
    clienten = []
    for c, verdicts, ccodes in zip(decl.clienten, per_client, codes_client, strict=True):
        regels = []
        for p, (oordeel, codes) in zip(c.prestaties, verdicts, strict=True):
            r = p.product_referentie
            regels.append(PrestatieRegel(
                referentienummer=r.referentie_nummer, vorig_referentienummer=r.vorig_referentie_nummer,
                toewijzingnummer=p.toewijzing_nummer, categorie=p.product_categorie,
                categorie_naam=codelijsten.betekenis("WMO020", p.product_categorie) or "",
                code=p.product_code, begindatum=p.product_periode.begindatum, einddatum=p.product_periode.einddatum,
                volume=p.geleverd_volume, eenheid=p.eenheid, eenheid_naam=codelijsten.betekenis("WJ756", p.eenheid) or "",
                tarief=p.product_tarief, bedrag=p.ingediend_bedrag.bedrag, debet_credit=p.ingediend_bedrag.debet_credit,
                oordeel=oordeel, retourcodes=codes))
        clienten.append(ClientRegel(toon("Bsn", c.bsn, zichtbaar=bsn_tonen), regels, ccodes))
    t = decl.totaal_ingediend_bedrag
    uit = DeclaratieOverzicht(
        declaratienummer=decl.declaratie_nummer, periode_begin=decl.declaratie_periode.begindatum,
        periode_eind=decl.declaratie_periode.einddatum, dagtekening=decl.declaratie_dagtekening, clienten=clienten,
        ingediend=getekend(t.totaal_bedrag, t.debet_credit), beantwoord=antwoord is not None, retourcodes=geheel,
        geheel_afgewezen=geheel_afgewezen, gemaskeerd=not bsn_tonen)
    if antwoord is not None:
        da = antwoord.declaratie_antwoord
        tk = da.totaal_toegekend_bedrag if da else None
        uit.toegekend = getekend(tk.totaal_bedrag, tk.debet_credit) if tk else 0
    return uit


def uit_xml(heen_xml: bytes, antwoord_xml: bytes | None, *, bsn_tonen: bool) -> DeclaratieOverzicht | None:
    """:func:`overzicht` from the stored messages; None when the WMO323 cannot be read as one (the hub takes
    only schema-valid messages, so this is a safeguard, not a path)."""
    try:
        heen = from_xml(heen_xml)
        antwoord = from_xml(antwoord_xml) if antwoord_xml is not None else None
    except IwmoError:
        return None
    if not isinstance(heen, Wmo323) or not (antwoord is None or isinstance(antwoord, Wmo325)):
        return None
    return overzicht(heen, antwoord, bsn_tonen=bsn_tonen)


def voor_weergave(w: Weergave, *, kijker: Kijker) -> DeclaratieOverzicht | None:
    """The declaratie section of a message's page: for a WMO323 with its WMO325 (when the hub has it), for a
    WMO325 with the WMO323 it answers; None for any other message."""
    if w.bericht.bericht == "WMO323":
        heen, antwoord = w.bericht, w.retour
    elif w.bericht.bericht == "WMO325" and w.heen is not None:
        heen, antwoord = w.heen, w.bericht
    else:
        return None
    return uit_xml(heen.xml, antwoord.xml if antwoord else None, bsn_tonen=kijker.mag_zien(heen))
