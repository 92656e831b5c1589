"""Judging WMO315 (verzoek om toewijzing) and WMO317 (verzoek om wijziging) against what this gemeente knows.

These are the cross-message ("berichtoverstijgende") checks a gemeente runs on a schema-valid and
in-message-valid request before it answers with a WMO316/WMO318. The functions are pure: the caller
supplies a :class:`Stand` (the client's toewijzingen at this aanbieder, the references the aanbieder
used before and its requests still open) and gets back the faults. Any fault rejects the message.

Rules (rule code, retourcode, where the code goes in the retour):

WMO315

* TR347 (9347)  ReferentieAanbieder of each AangevraagdProduct is new for this aanbieder.  AangevraagdProduct
* TR374 (9374)  no earlier request of this aanbieder for this client is still open.      Client

WMO317

* TR304 (8187)  Bsn is a client known to this gemeente.                                   Client
* TR347 (9347)  ReferentieAanbieder is new for this aanbieder.                            Verzoek
* TR374 (9374)  no earlier request of this aanbieder for this client is still open.      Verzoek
* TR349 (9349)  every current toewijzing is in the request (unchanged or to be changed).  Verzoek
* TR350 (9350)  an OngewijzigdProduct names a current toewijzing.                         OngewijzigdProduct
* TR351 (9351)  a TeWijzigenProduct names a current toewijzing.                           TeWijzigenProduct
* TR357 (9357)  a GewensteIngangsdatum on or before the Dagtekening is the toewijzing's Ingangsdatum.
* TR373 (9373)  a changed budget or total over the period starts at the toewijzing's Ingangsdatum.
* TR375 (9375)  toewijzing without Product, Einddatum after 2020 or open: Omvang stays empty.
* TR411 (9411)  toewijzing with a product Code: Omvang is required.
* TR412 (9412)  toewijzing without product Code, Einddatum after 2020 or open: Omvang stays empty.
                (TR357 up to TR412 go on the TeWijzigenProduct.)
* TR361 (9361)  a product occurs more than once only with periods that do not overlap. On the product.

Choices where the standard leaves room:

1. Current ("actueel", TR349/TR350/TR351): a toewijzing whose Einddatum equals its Ingangsdatum with
   RedenWijziging 13 or 01 never is; any other is current when it has no Einddatum, its Einddatum is
   today or later, or its Ingangsdatum lies after today. ``Stand.vandaag`` is "today". If
   ``Stand.toewijzingen`` holds several entries with one ToewijzingNummer, the last one counts.
2. TR304: the retourcode comes from WJ001 (8187, listed for TR304 and WMO317). When the client is
   unknown, only that fault is reported: every other WMO317 rule compares with the client's
   toewijzingen and would only repeat it (the retour marks everything below Client 0233 anyway).
3. TR347: "used before" means listed in ``Stand.referenties`` or in ``Stand.onderhanden``. In a WMO315
   every AangevraagdProduct is a request with its own ReferentieAanbieder; a reference that an earlier
   product in the same message already uses is also a fault, on the later product (TR383 checks the
   same inside the message; here it is kept so the rule stands on its own).
4. TR374: a WMO315 has no berichtklasse for the request as a whole, so 9374 goes on Client there (and
   the products become 0233). Any open request blocks, also one with the same ReferentieAanbieder (a
   message sent twice); that one then also fails TR347.
5. TR349 is one fault on Verzoek naming every current toewijzing that is missing. A toewijzing counts
   as present once its ToewijzingNummer appears in OngewijzigdProduct or TeWijzigenProduct, even when
   that product has faults of its own.
6. TR350/TR351 fail both for an unknown ToewijzingNummer and for a toewijzing that is not current.
   A TeWijzigenProduct failing TR351 is not checked further (TR357 up to TR412 need the toewijzing),
   and a product failing TR350 or TR351 is left out of TR361.
7. TR357 compares with the Dagtekening in the Header's BerichtIdentificatie.
8. TR373, "changed": the requested Budget differs from the toewijzing's (filled on one side and empty
   on the other counts); a total over the period is Omvang with Frequentie 6, and it changes when
   (Volume, Eenheid) of such an Omvang differ between toewijzing and request, Frequentie 6 on one side
   only included. A TeWijzigenProduct that leaves budget and total as they are (for instance only a
   new Einddatum) is not bound by TR373; TR357 still applies to it.
9. TR375/TR412 test the Einddatum of the TeWijzigenProduct (the requested new situation; empty = open),
   not the toewijzing's. A toewijzing without Product gets TR375 only, not also TR412.
10. TR361, the period a product covers: OngewijzigdProduct the toewijzing's own Ingangsdatum to
    Einddatum; TeWijzigenProduct the toewijzing's Ingangsdatum to the requested Einddatum (until the
    GewensteIngangsdatum the old terms keep running, so the product covers the whole span); NieuwProduct
    GewensteIngangsdatum to Einddatum. An empty Einddatum is open-ended. Products compare by code, by
    category when either has no code; without category a product collides with every product outside
    categories 11-14; products of categories 11-14 never collide. The same ToewijzingNummer twice in one
    request always collides, whatever its category. Two NieuwProducts are left to TR410 (an in-message
    rule). The fault goes on the later product in document order (Ongewijzigd, TeWijzigen, Nieuw); its
    second location is the product it collides with.

Faults come in document order: Client, Verzoek, then product by product.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TypeGuard

from iwmo.berichten.basis import Omvang
from iwmo.berichten.verzoek import TeWijzigenProduct, Wmo315, Wmo317
from iwmo.regels import Fout
from iwmo.regels.producten import GRENS_2020, STAPELBAAR, is_verwijderd

TOTAAL_IN_PERIODE = "6"  # Frequentie: total within the toewijzingsperiode

CLIENT = "/Bericht/Client"
VERZOEK = "/Bericht/Client/Verzoek"
AANGEVRAAGD = "/Bericht/Client/AangevraagdeProducten/AangevraagdProduct[{}]"
ONGEWIJZIGD = "/Bericht/Client/Verzoek/OngewijzigdeProducten/OngewijzigdProduct[{}]"
TE_WIJZIGEN = "/Bericht/Client/Verzoek/TeWijzigenProducten/TeWijzigenProduct[{}]"
NIEUW = "/Bericht/Client/Verzoek/NieuweProducten/NieuwProduct[{}]"


@dataclass(frozen=True)
class Toewijzing:
    """One ToegewezenProduct of this gemeente for this client and aanbieder."""

    nummer: int
    categorie: str | None
    code: str | None
    ingangsdatum: dt.date
    einddatum: dt.date | None
    volume: int | None = None
    eenheid: str | None = None
    frequentie: str | None = None
    budget: int | None = None
    reden_wijziging: str | None = None


@dataclass(frozen=True)
class Stand:
    """What the gemeente knows about this client and aanbieder when the message arrives."""

    vandaag: dt.date  # "today" for TR349/TR350/TR351 (which toewijzingen are current)
    client_bekend: bool = True  # TR304
    toewijzingen: tuple[Toewijzing, ...] = ()  # all of them, also ended and removed ones
    referenties: frozenset[str] = frozenset()  # every ReferentieAanbieder of earlier requests (TR347)
    onderhanden: tuple[str, ...] = ()  # ReferentieAanbieder of this aanbieder's open requests (TR374)


def is_actueel(t: Toewijzing, vandaag: dt.date) -> bool:
    """Whether ``t`` is a current toewijzing on ``vandaag`` (TR349; choice 1)."""
    if is_verwijderd(t.reden_wijziging, t.ingangsdatum, t.einddatum):
        return False
    return t.einddatum is None or t.einddatum >= vandaag or t.ingangsdatum > vandaag


def beoordeel_vot(bericht: Wmo315, *, stand: Stand) -> list[Fout]:
    """The cross-message faults in a WMO315 from this aanbieder (TR347, TR374)."""
    fouten: list[Fout] = []
    if stand.onderhanden:
        fouten.append(_tr374(CLIENT, stand))
    gebruikt = stand.referenties | set(stand.onderhanden)
    in_bericht: dict[str, int] = {}
    for index, product in enumerate(bericht.client.aangevraagde_producten, start=1):
        ref = product.referentie_aanbieder
        pad = AANGEVRAAGD.format(index)
        if ref in gebruikt:
            fouten.append(Fout("TR347", [pad], "9347", f"AangevraagdProduct {index}: {_al_gebruikt(ref)}"))
        elif ref in in_bericht:
            eerste = in_bericht[ref]
            fouten.append(Fout(
                "TR347", [pad, AANGEVRAAGD.format(eerste)], "9347",
                f"AangevraagdProduct {index}: ReferentieAanbieder {ref!r} staat ook bij AangevraagdProduct "
                f"{eerste}. Elk aangevraagd product is een eigen verzoek en krijgt een eigen, nieuwe referentie."))
        in_bericht.setdefault(ref, index)
    return fouten


def beoordeel_vow(bericht: Wmo317, *, stand: Stand) -> list[Fout]:
    """The cross-message faults in a WMO317 from this aanbieder (TR304, TR347, TR349-TR412)."""
    client = bericht.client
    if not stand.client_bekend:
        return [Fout("TR304", [CLIENT], "8187",
                     f"Client: BSN {client.bsn} is geen cliënt van deze gemeente. Een verzoek om wijziging kan "
                     "alleen gaan over een cliënt met toewijzingen bij deze gemeente; controleer het BSN of stuur "
                     "het verzoek naar de gemeente die verantwoordelijk is.")]
    verzoek = client.verzoek
    toewijzingen = {t.nummer: t for t in stand.toewijzingen}
    actueel = {n: t for n, t in toewijzingen.items() if is_actueel(t, stand.vandaag)}
    fouten: list[Fout] = []

    ref = verzoek.referentie_aanbieder
    if ref in stand.referenties or ref in stand.onderhanden:
        fouten.append(Fout("TR347", [VERZOEK], "9347", f"Verzoek: {_al_gebruikt(ref)}"))
    if stand.onderhanden:
        fouten.append(_tr374(VERZOEK, stand))
    genoemd = ({p.toewijzing_nummer for p in verzoek.ongewijzigde_producten}
               | {p.toewijzing_nummer for p in verzoek.te_wijzigen_producten})
    ontbreekt = [t for n, t in sorted(actueel.items()) if n not in genoemd]
    if ontbreekt:
        fouten.append(Fout(
            "TR349", [VERZOEK], "9349",
            "Verzoek: niet alle actuele toewijzingen van de cliënt staan in het verzoek. Ontbrekend: "
            + "; ".join(_toewijzing(t) for t in ontbreekt)
            + ". Neem elke actuele toewijzing op: als OngewijzigdProduct als zij blijft zoals zij is, "
              "anders als TeWijzigenProduct."))

    dagtekening = bericht.header.bericht_identificatie.dagtekening
    regels: list[_Regel] = []
    per_pad: dict[str, list[Fout]] = {}
    for index, ongewijzigd in enumerate(verzoek.ongewijzigde_producten, start=1):
        pad, naam = ONGEWIJZIGD.format(index), f"OngewijzigdProduct {index}"
        t = actueel.get(ongewijzigd.toewijzing_nummer)
        if t is None:
            per_pad[pad] = [Fout("TR350", [pad], "9350", f"{naam}: " + _niet_actueel(
                ongewijzigd.toewijzing_nummer, toewijzingen, stand.vandaag))]
            continue
        per_pad[pad] = []
        regels.append(_Regel(pad, naam, t.nummer, t.categorie, t.code, t.ingangsdatum, t.einddatum))
    for index, te_wijzigen in enumerate(verzoek.te_wijzigen_producten, start=1):
        pad, naam = TE_WIJZIGEN.format(index), f"TeWijzigenProduct {index}"
        t = actueel.get(te_wijzigen.toewijzing_nummer)
        if t is None:
            per_pad[pad] = [Fout("TR351", [pad], "9351", f"{naam}: " + _niet_actueel(
                te_wijzigen.toewijzing_nummer, toewijzingen, stand.vandaag))]
            continue
        per_pad[pad] = [Fout(code, [pad], retourcode, f"{naam}: {tekst}")
                        for code, retourcode, tekst in _wijziging(te_wijzigen, t, dagtekening)]
        regels.append(_Regel(pad, naam, t.nummer, t.categorie, t.code, t.ingangsdatum, te_wijzigen.einddatum))
    for index, nieuw in enumerate(verzoek.nieuwe_producten, start=1):
        pad = NIEUW.format(index)
        per_pad[pad] = []
        product = nieuw.product
        regels.append(_Regel(pad, f"NieuwProduct {index}", None, product.categorie if product else None,
                             product.code if product else None, nieuw.gewenste_ingangsdatum, nieuw.einddatum))
    for fout in _tr361(regels):
        per_pad[fout.locaties[0]].append(fout)
    for lijst in per_pad.values():  # insertion order is document order
        fouten.extend(lijst)
    return fouten


# --- rules on one TeWijzigenProduct ---------------------------------------------------------------

Bevinding = tuple[str, str, str]  # rule code, retourcode, explanation


def _wijziging(p: TeWijzigenProduct, t: Toewijzing, dagtekening: dt.date) -> list[Bevinding]:
    """TR357, TR373, TR375/TR412 and TR411 for a TeWijzigenProduct of the current toewijzing ``t``."""
    uit: list[Bevinding] = []
    gewenst = p.gewenste_ingangsdatum
    if gewenst <= dagtekening and gewenst != t.ingangsdatum:
        uit.append(("TR357", "9357",
                    f"GewensteIngangsdatum {_datum(gewenst)} ligt niet na de dagtekening ({_datum(dagtekening)}) "
                    f"en is dan ook niet de Ingangsdatum {_datum(t.ingangsdatum)} van toewijzing {t.nummer}. "
                    "Een wijziging gaat in de toekomst in, of geldt voor de hele looptijd: vul dan de "
                    "Ingangsdatum van de toewijzing in."))
    gewijzigd = _totaal_gewijzigd(p, t)
    if gewijzigd and gewenst != t.ingangsdatum:
        uit.append(("TR373", "9373",
                    f"U wijzigt {gewijzigd}, maar GewensteIngangsdatum {_datum(gewenst)} is niet de Ingangsdatum "
                    f"{_datum(t.ingangsdatum)} van toewijzing {t.nummer}. Zo'n wijziging geldt voor de hele "
                    "looptijd: vul die Ingangsdatum in (de Einddatum mag wel mee veranderen)."))
    na_2020 = p.einddatum is None or p.einddatum > GRENS_2020
    if p.omvang is not None and na_2020 and t.categorie is None:
        uit.append(("TR375", "9375",
                    f"Omvang is gevuld, maar toewijzing {t.nummer} heeft geen Product en de Einddatum is "
                    f"{_eind(p.einddatum)}. Laat Omvang leeg; wijzig zo nodig het Budget."))
    elif p.omvang is not None and na_2020 and t.code is None:
        uit.append(("TR412", "9412",
                    f"Omvang is gevuld, maar toewijzing {t.nummer} heeft geen productcode (alleen categorie "
                    f"{t.categorie}) en de Einddatum is {_eind(p.einddatum)}. Laat Omvang leeg; wijzig zo nodig "
                    "het Budget."))
    if p.omvang is None and t.code is not None:
        uit.append(("TR411", "9411",
                    f"Omvang ontbreekt, maar toewijzing {t.nummer} is voor product {t.categorie}/{t.code}. Vul "
                    "Omvang (Volume, Eenheid, Frequentie) zoals die na de wijziging moet zijn, ook als zij gelijk "
                    "blijft."))
    return uit


def _totaal_gewijzigd(p: TeWijzigenProduct, t: Toewijzing) -> str | None:
    """What of budget or total over the period the request changes, in words (None: neither; choice 8)."""
    if p.budget != t.budget:
        return f"het Budget ({_bedrag(t.budget)} wordt {_bedrag(p.budget)})"
    oud = (t.volume, t.eenheid) if t.frequentie == TOTAAL_IN_PERIODE else None
    nieuw = (p.omvang.volume, p.omvang.eenheid) if _is_totaal(p.omvang) else None
    if oud != nieuw:
        was = _omvang(t.volume, t.eenheid, t.frequentie)
        wordt = _omvang(p.omvang.volume, p.omvang.eenheid, p.omvang.frequentie) if p.omvang else "leeg"
        return f"het totaal over de toewijzingsperiode (Omvang {was} wordt {wordt})"
    return None


def _is_totaal(omvang: Omvang | None) -> TypeGuard[Omvang]:
    return omvang is not None and omvang.frequentie == TOTAAL_IN_PERIODE


# --- TR361: overlap within the request ------------------------------------------------------------

@dataclass(frozen=True)
class _Regel:
    """One product of the request with the period it covers (choice 10)."""

    pad: str
    naam: str
    nummer: int | None  # ToewijzingNummer; None for a NieuwProduct
    categorie: str | None
    code: str | None
    begin: dt.date
    eind: dt.date | None

    @property
    def nieuw(self) -> bool:
        return self.nummer is None

    def omschrijving(self) -> str:
        bron = f", toewijzing {self.nummer}" if self.nummer is not None else ""
        return f"{self.naam} ({_product(self.categorie, self.code)}{bron}, {_periode(self.begin, self.eind)})"


def _tr361(regels: list[_Regel]) -> list[Fout]:
    fouten: list[Fout] = []
    for j, later in enumerate(regels):
        for eerder in regels[:j]:
            if eerder.nieuw and later.nieuw:
                continue  # TR410
            if _botst(eerder, later) and _overlapt(eerder, later):
                zelfde = eerder.nummer is not None and eerder.nummer == later.nummer
                reden = (f"toewijzing {later.nummer} staat al in {eerder.naam}; noem elke toewijzing één keer, "
                         "als OngewijzigdProduct of als TeWijzigenProduct" if zelfde else
                         "hetzelfde product mag alleen vaker voorkomen voor periodes die elkaar niet overlappen; "
                         "pas de periodes aan of laat een van beide weg")
                fouten.append(Fout("TR361", [later.pad, eerder.pad], "9361",
                                   f"{later.naam}: {later.omschrijving()} overlapt met {eerder.omschrijving()}: "
                                   f"{reden}."))
    return fouten


def _botst(a: _Regel, b: _Regel) -> bool:
    """Whether ``a`` and ``b`` count as the same product for TR361 (periods aside)."""
    if a.nummer is not None and a.nummer == b.nummer:
        return True
    if a.categorie is None or b.categorie is None:
        ander = b.categorie if a.categorie is None else a.categorie
        return ander not in STAPELBAAR
    if a.categorie in STAPELBAAR or b.categorie in STAPELBAAR:
        return False
    if a.code is None or b.code is None:
        return a.categorie == b.categorie
    return (a.categorie, a.code) == (b.categorie, b.code)


def _overlapt(a: _Regel, b: _Regel) -> bool:
    a_eind, b_eind = a.eind or dt.date.max, b.eind or dt.date.max
    return a.begin <= b_eind and b.begin <= a_eind


# --- shared findings and texts -------------------------------------------------------------------

def _tr374(pad: str, stand: Stand) -> Fout:
    open_ = ", ".join(repr(r) for r in stand.onderhanden)
    return Fout("TR374", [pad], "9374",
                f"{pad.rsplit('/', 1)[-1]}: er is voor deze cliënt al een verzoek van u in behandeling "
                f"(ReferentieAanbieder {open_}). Wacht op het antwoord (toewijzing of afwijzing) voordat u een "
                "nieuw verzoek stuurt.")


def _al_gebruikt(ref: str) -> str:
    return (f"ReferentieAanbieder {ref!r} heeft u al eerder voor een verzoek gebruikt. Geef elk verzoek een "
            "referentie die u nog niet eerder bij deze gemeente hebt gebruikt.")


def _niet_actueel(nummer: int, toewijzingen: dict[int, Toewijzing], vandaag: dt.date) -> str:
    t = toewijzingen.get(nummer)
    if t is None:
        waarom = "is geen toewijzing van deze gemeente voor deze cliënt bij u"
    elif is_verwijderd(t.reden_wijziging, t.ingangsdatum, t.einddatum):
        waarom = f"is ingetrokken (RedenWijziging {t.reden_wijziging})"
    else:
        waarom = f"is niet meer actueel (Einddatum {_datum(t.einddatum)}, vandaag is {_datum(vandaag)})"
    return (f"ToewijzingNummer {nummer} {waarom}. Noem hier alleen actuele toewijzingen; vraag een product "
            "dat niet (meer) is toegewezen aan als NieuwProduct.")


def _toewijzing(t: Toewijzing) -> str:
    return f"toewijzing {t.nummer} ({_product(t.categorie, t.code)}, {_periode(t.ingangsdatum, t.einddatum)})"


def _datum(d: dt.date | None) -> str:
    return d.strftime("%d-%m-%Y") if d else "(leeg)"


def _eind(d: dt.date | None) -> str:
    return f"{_datum(d)}, na 31-12-2020" if d else "leeg"


def _periode(begin: dt.date, eind: dt.date | None) -> str:
    return f"{_datum(begin)} t/m {_datum(eind)}" if eind else f"vanaf {_datum(begin)}, zonder einddatum"


def _product(categorie: str | None, code: str | None) -> str:
    if categorie is None:
        return "zonder product"
    return f"product {categorie}/{code}" if code else f"productcategorie {categorie}"


def _bedrag(cent: int | None) -> str:
    return "leeg" if cent is None else f"€ {cent // 100},{cent % 100:02d}"


def _omvang(volume: int | None, eenheid: str | None, frequentie: str | None) -> str:
    if volume is None:
        return "leeg"
    return f"{volume} (Eenheid {eenheid}, Frequentie {frequentie})"
