"""Build the retourbericht a receiver owes for a heenbericht (IV028; IV087 for the WMO325).

* No faults: the retour holds only the Header, without RetourCodes (WMO325: Header 0200 and a
  DeclaratieAntwoord with 8001 and the full amount granted).
* Faults in the message itself (conditions, constraints, XSLT rules; "controleniveau 2"): only the
  Header, with RetourCode 0001 and the XsltVersie.
* Faults found against earlier messages or an external source ("controleniveau 3/4", e.g. 8848,
  9063): a fault in the Header gives only the Header with that code; otherwise every berichtklasse is
  echoed with its status: the rule's retourcode where a fault was found, else 0233 (not assessed,
  because a class above it was rejected) or 0200 (no remark). A fault's location must lead to a part
  of the message (:class:`OnbekendeLocatie` otherwise).
* XSD faults: no retourbericht; the hub refuses the message (:class:`NoRetour`).
"""

from __future__ import annotations

import copy
import datetime as dt
import re
from dataclasses import dataclass, fields

from iwmo.berichten import MODELS, Bericht
from iwmo.berichten.basis import BerichtIdentificatie, TotaalBedragMetDC
from iwmo.berichten.declaratie import DeclaratieAntwoord, DeclaratieClient, Wmo323, Wmo325
from iwmo.berichten.header import DeclaratieAntwoordHeader, Header, RetourHeader
from iwmo.catalogue import bericht as bericht_type
from iwmo.exceptions import NoRetour, OnbekendeLocatie
from iwmo.model import Berichtklasse, Klasse, spec
from iwmo.regels import Fout

XSLT_VERSIE = "1.0.0"
GEEN_OPMERKING = "0200"
AFGEKEURD = "0001"
NIET_BEOORDEELD = "0233"
VOLLEDIG_TOEGEKEND = "8001"

_STEP = re.compile(r"([A-Za-z]+)(?:\[(\d+)\])?")


@dataclass
class RetourOpties:
    identificatie: str
    dagtekening: dt.date
    xslt_versie: str = XSLT_VERSIE


def is_niveau2(fout: Fout) -> bool:
    """True for a fault in the message itself (XSLT level, retourcode 0001): it rejects the whole message."""
    return fout.retourcode == AFGEKEURD


_PREFIX = re.compile(r"^[A-Za-z_][\w.-]*:")


def _path_objects(root: Klasse, path: str) -> list[Klasse]:
    """The objects along an XPath like ``/Bericht/Client/ToegewezenProducten/ToegewezenProduct[2]`` (namespace
    prefixes allowed). A path may end in a simple element or a wrapper of the last class
    (``.../StartProduct/Begindatum``, ``/Bericht/Client/Contactgegevens``);
    any step that leads nowhere raises :class:`OnbekendeLocatie`: a fault must never land on another class."""
    steps = [_PREFIX.sub("", s) for s in path.split("/") if s]
    if not steps or steps[0] != "Bericht":
        raise OnbekendeLocatie(f"locatie {path!r} begint niet bij /Bericht")
    steps = steps[1:]
    out: list[Klasse] = []
    node: Klasse = root

    def fout(reden: str) -> OnbekendeLocatie:
        return OnbekendeLocatie(f"locatie {path!r}: {reden}")

    i = 0
    while i < len(steps):
        m = _STEP.fullmatch(steps[i])
        if m is None:
            raise fout(f"{steps[i]!r} is geen elementnaam")
        f = next((f for f in spec(type(node)) if f.xml == m.group(1)), None)
        if f is None:
            raise fout(f"{type(node).__name__} heeft geen {m.group(1)}")
        if f.kind in ("value", "retour"):
            if i != len(steps) - 1:
                raise fout(f"{m.group(1)} heeft geen onderdelen")
            return out  # a simple element: the fault belongs to the class that holds it
        if f.kind == "child":
            nxt = getattr(node, f.name)
            if nxt is None:
                raise fout(f"{m.group(1)} komt in het bericht niet voor")
            node = nxt
        else:  # wrapper, next step is the item
            i += 1
            if i >= len(steps):
                return out  # the wrapper itself (e.g. TR061 on Contactgegevens): the class that holds it
            m2 = _STEP.fullmatch(steps[i])
            if m2 is None or m2.group(1) != f.item:
                raise fout(f"in {m.group(1)} staat alleen {f.item}")
            items = getattr(node, f.name)
            index = int(m2.group(2)) - 1 if m2.group(2) else 0
            if not 0 <= index < len(items):
                raise fout(f"{f.item}[{index + 1}] komt in het bericht niet voor ({len(items)} stuks)")
            node = items[index]
        out.append(node)
        i += 1
    return out


def _berichtklassen(node: Klasse) -> list[Berichtklasse]:
    """``node`` and every berichtklasse below it."""
    out: list[Berichtklasse] = [node] if isinstance(node, Berichtklasse) else []
    for f in spec(type(node)):
        v = getattr(node, f.name)
        if f.kind == "child" and v is not None:
            out.extend(_berichtklassen(v))
        elif f.kind == "children":
            for item in v:
                out.extend(_berichtklassen(item))
    return out


def retourcodes(bericht: Bericht) -> list[str]:
    """Every RetourCode in a retourbericht, header first, each once."""
    return list(dict.fromkeys(c for klasse in _berichtklassen(bericht) for c in klasse.retourcodes))


def goedgekeurd(bericht: Bericht) -> bool:
    """Whether a retourbericht approves its heenbericht entirely: no code other than 0200 (and, in a
    WMO325, 8001: the declaratie is granted in full)."""
    return set(retourcodes(bericht)) <= {GEEN_OPMERKING, VOLLEDIG_TOEGEKEND}


def _retour_header(heen: Bericht, opties: RetourOpties, retourcodes: list[str], xslt: bool) -> RetourHeader:
    h = heen.header
    base = {f.name: copy.deepcopy(getattr(h, f.name)) for f in fields(Header) if f.name != "retourcodes"}
    base["bericht_code"] = bericht_type(heen.type().partner).code
    return RetourHeader(
        **base,
        identificatie_retour=opties.identificatie,
        dagtekening_retour=opties.dagtekening,
        xslt_versie=opties.xslt_versie if xslt else None,
        retourcodes=retourcodes,
    )


def _body_field(heen: Bericht) -> str:
    return next(f.name for f in spec(type(heen)) if f.xml != "Header")


def retour(heen: Bericht, fouten: list[Fout], opties: RetourOpties) -> Bericht:
    """The retourbericht for ``heen`` given the faults found in it (from validation or elsewhere)."""
    if any(f.code in ("XSD", "XML") for f in fouten):
        raise NoRetour("het bericht voldoet niet aan het XSD: de hub weigert het, er komt geen retourbericht")
    if isinstance(heen, Wmo323):
        return _declaratie_antwoord(heen, fouten, opties)
    model = MODELS[heen.type().partner]
    body = _body_field(heen)
    niveau2 = [f for f in fouten if is_niveau2(f)]
    if niveau2:
        return model(header=_retour_header(heen, opties, [AFGEKEURD], xslt=True))
    if not fouten:
        return model(header=_retour_header(heen, opties, [], xslt=False))
    codes = _codes_per_klasse(heen, fouten)
    header_codes = codes.get(id(heen.header), [])
    if header_codes:
        return model(header=_retour_header(heen, opties, header_codes, xslt=False))
    content = copy.deepcopy(getattr(heen, body))
    original = _berichtklassen(getattr(heen, body))
    _apply(content, original, codes)
    return model(header=_retour_header(heen, opties, [GEEN_OPMERKING], xslt=False),
                 **{body: content})


def _codes_per_klasse(heen: Bericht, fouten: list[Fout]) -> dict[int, list[str]]:
    codes: dict[int, list[str]] = {}
    for fout in fouten:
        objects = _path_objects(heen, fout.locaties[0]) if fout.locaties else []
        klassen = [o for o in objects if isinstance(o, Berichtklasse)]
        target: Klasse = klassen[-1] if klassen else heen.header
        lijst = codes.setdefault(id(target), [])
        code = fout.retourcode or AFGEKEURD
        if code not in lijst:
            lijst.append(code)
    return codes


def _apply(copy_root: Klasse, original_root: Klasse | list[Berichtklasse], codes: dict[int, list[str]]) -> None:
    """Set retourcodes on the copied classes, walking copy and original in parallel."""
    originals = original_root if isinstance(original_root, list) else _berichtklassen(original_root)
    copies = _berichtklassen(copy_root)
    rejected_above: list[Klasse] = []
    for orig, kopie in zip(originals, copies, strict=True):
        own = codes.get(id(orig))
        if own:  # a fault found in this class: its own code, also below a rejected class (IV028)
            kopie.retourcodes = list(own)
            rejected_above.append(orig)
        elif any(_contains(parent, orig) for parent in rejected_above):
            kopie.retourcodes = [NIET_BEOORDEELD]
        else:
            kopie.retourcodes = [GEEN_OPMERKING]


def _contains(parent: Klasse, node: Klasse) -> bool:
    return parent is not node and any(k is node for k in _berichtklassen(parent))


# --- WMO325 ------------------------------------------------------------------------------------

def _antwoord_header(heen: Wmo323, opties: RetourOpties, retourcodes: list[str], xslt: bool) -> DeclaratieAntwoordHeader:
    h = heen.header
    return DeclaratieAntwoordHeader(
        bericht_code=bericht_type("WMO325").code,
        afzender=h.ontvanger,
        ontvanger=h.afzender,
        bericht_identificatie=BerichtIdentificatie(identificatie=opties.identificatie, dagtekening=opties.dagtekening),
        declaratie_identificatie=copy.deepcopy(h.bericht_identificatie),
        xslt_versie=opties.xslt_versie if xslt else None,
        xsd_versie_declaratie=copy.deepcopy(h.xsd_versie),
        retourcodes=retourcodes,
    )


def _bedrag(signed: int) -> TotaalBedragMetDC:
    return TotaalBedragMetDC(totaal_bedrag=abs(signed), debet_credit="C" if signed < 0 else "D")


def _declaratie_antwoord(heen: Wmo323, fouten: list[Fout], opties: RetourOpties) -> Wmo325:
    if any(is_niveau2(f) for f in fouten):
        return Wmo325(header=_antwoord_header(heen, opties, [AFGEKEURD], xslt=True))
    decl = heen.declaratie
    ingediend = copy.deepcopy(decl.totaal_ingediend_bedrag)
    codes = _codes_per_klasse(heen, fouten)
    if codes.get(id(heen.header)):
        return Wmo325(header=_antwoord_header(heen, opties, codes[id(heen.header)], xslt=False))
    header = _antwoord_header(heen, opties, [GEEN_OPMERKING], xslt=False)
    if codes.get(id(decl)):
        return Wmo325(header=header, declaratie_antwoord=DeclaratieAntwoord(
            declaratie_nummer=decl.declaratie_nummer, totaal_ingediend_bedrag=ingediend,
            totaal_toegekend_bedrag=_bedrag(0), retourcodes=codes[id(decl)]))
    clienten: list[DeclaratieClient] = []
    afgewezen = 0
    for client in decl.clienten:
        client_codes = codes.get(id(client))
        rejected = [p for p in client.prestaties if client_codes or codes.get(id(p))]
        if not rejected:
            continue
        kopie = DeclaratieClient(bsn=client.bsn, retourcodes=list(client_codes or [GEEN_OPMERKING]))
        for p in rejected:
            pk = copy.deepcopy(p)
            pk.retourcodes = [NIET_BEOORDEELD] if client_codes else list(codes[id(p)])
            bedrag = p.ingediend_bedrag.bedrag
            afgewezen += -bedrag if p.ingediend_bedrag.debet_credit == "C" else bedrag
            kopie.prestaties.append(pk)
        clienten.append(kopie)
    totaal = -ingediend.totaal_bedrag if ingediend.debet_credit == "C" else ingediend.totaal_bedrag
    return Wmo325(header=header, declaratie_antwoord=DeclaratieAntwoord(
        declaratie_nummer=decl.declaratie_nummer, totaal_ingediend_bedrag=ingediend,
        totaal_toegekend_bedrag=_bedrag(totaal - afgewezen), clienten=clienten,
        retourcodes=[GEEN_OPMERKING] if clienten else [VOLLEDIG_TOEGEKEND]))


def prestatie_oordelen(heen: Wmo323, fouten: list[Fout]) -> list[list[str]] | None:
    """What the WMO325 for ``heen`` says of each Prestatie, in message order: its RetourCodes when it is
    rejected (0233 under a rejected Client), ``[]`` when it is granted; None when the whole declaratie is
    rejected (the WMO325 then names no Prestatie). The same judgement :func:`retour` answers with, so a
    receiver can store a verdict per Prestatie that matches its answer."""
    if any(is_niveau2(f) for f in fouten):
        return None
    codes = _codes_per_klasse(heen, fouten)
    if codes.get(id(heen.header)) or codes.get(id(heen.declaratie)):
        return None
    uit: list[list[str]] = []
    for client in heen.declaratie.clienten:
        client_codes = codes.get(id(client))
        for p in client.prestaties:
            uit.append([NIET_BEOORDEELD] if client_codes else list(codes.get(id(p), [])))
    return uit


def sample_retour(heen: Bericht, today: dt.date | None = None) -> Bericht:
    """A retour that echoes ``heen`` with RetourCode 0200 on every berichtklasse (to show the structure).

    For a WMO323 it is the answer to a fully granted declaratie.
    """
    today = today or dt.date.today()
    opties = RetourOpties(identificatie="R-0001", dagtekening=today)
    if isinstance(heen, Wmo323):
        return _declaratie_antwoord(heen, [], opties)
    body = _body_field(heen)
    content = copy.deepcopy(getattr(heen, body))
    for klasse in _berichtklassen(content):
        klasse.retourcodes = [GEEN_OPMERKING]
    model = MODELS[heen.type().partner]
    return model(header=_retour_header(heen, opties, [GEEN_OPMERKING], xslt=False), **{body: content})
