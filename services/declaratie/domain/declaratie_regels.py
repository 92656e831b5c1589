"""The cross-message rules of the WMO323: each Prestatie judged against the toewijzing it names, the
contract, and every earlier declaratie of the aanbieder. Pure functions: no database, no HTTP.

Each fault is a :class:`iwmo.regels.Fout` with the rule's code, its retourcode and the place it is about
(the Declaratie, a Client, or a Prestatie): :func:`iwmo.retour.retour` builds the WMO325 from them, with
only the rejected Prestaties in it. Credits are judged before debets (a credit and its corrected debet may
come in one message), and a Prestatie accepted earlier in the same message counts for the ones after it.

The rules (docs/declaratie.md lists them with the ones that cannot apply here):

=======  ====  ================================================================================
TR333    9333  the DeclaratieNummer is new for this aanbieder
TR318    8214  the DeclaratiePeriode does not lie before the latest one (IV090: a second one for it may follow)
TR304    8187  the Client's BSN is the BSN of a client with a toewijzing of this aanbieder
TR338    9338  the ToewijzingNummer is a toewijzing of this aanbieder for this client
TR384    9384  not on a toewijzing that was deleted (RedenWijziging 13)
TR339    9339  ProductCategorie as in the toewijzing
TR340    9340  ProductCode as in the toewijzing, when it has one
TR341    9341  Eenheid as in the toewijzing (minutes on hours allowed); without one, as in the contract
TR307    9307  ProductPeriode begins on or after the toewijzing's Ingangsdatum
TR308    9308  ProductPeriode ends on or before the toewijzing's Einddatum, when it has one
TR387    9387  ProductPeriode begins on the 1st of its month, or on the Ingangsdatum later in that month
TR388    9388  ProductPeriode ends on the last day of its month, or on the Einddatum earlier in it
TR418    0611  ProductTarief is the contract tariff of the product on the Begindatum
IV074    0611  not a product contracted taakgericht (paid for the task, outside the declaratie)
TR321    9321  GeleverdVolume fits the Omvang for the ProductPeriode (IV077, with the HH allowance)
TR322    9322  all volume declared on the toewijzing fits its Omvang over its whole period
TR369    9369  all volume declared on a budget toewijzing fits the Budget
TR314    8021  ReferentieNummer unique for the aanbieder, in this message and before
TR323    8017  a credit names (VorigReferentieNummer) an earlier accepted debet with the same key fields
TR390    9390  that debet was not credited before
TR389    9389  a debet for a period, product and toewijzing that has an accepted debet only after its credit
=======  ====  ================================================================================
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from iwmo.berichten.declaratie import Prestatie, Wmo323
from iwmo.regels import Fout
from services.declaratie.domain.contracten import Contracten
from services.declaratie.domain.volume import Omvang, in_basis, max_in_periode, max_over_toewijzing

VERWIJDERD = "13"


@dataclass(frozen=True)
class Toewijzing:
    """A toewijzing as the toewijzing service granted it (for a WMO323 only its aanbieder's; ``aanbieder`` is
    filled in when the toewijzing service says it)."""

    nummer: int
    bsn: str
    wijze: str
    categorie: str
    code: str | None
    ingangsdatum: dt.date
    einddatum: dt.date | None
    volume: int | None
    eenheid: str | None
    frequentie: str | None
    budget: int | None
    reden_wijziging: str | None
    aanbieder: str | None = None

    @property
    def omvang(self) -> Omvang:
        return Omvang(self.categorie, self.ingangsdatum, self.einddatum, self.volume, self.eenheid, self.frequentie)


@dataclass(frozen=True)
class Geboekt:
    """An accepted Prestatie (earlier, or earlier in this message): what later ones are judged against."""

    referentie: str
    vorig: str | None
    toewijzingnummer: int
    categorie: str
    code: str
    begindatum: dt.date
    einddatum: dt.date
    volume: int
    eenheid: str
    debet: bool


@dataclass
class Eerder:
    """What the aanbieder declared before: its declaratienummers, its last declaratieperiode, every
    ReferentieNummer it used, and its accepted Prestaties."""

    declaratienummers: set[str] = field(default_factory=set)
    laatste_periode: dt.date | None = None  # the begindatum of the latest DeclaratiePeriode
    referenties: set[str] = field(default_factory=set)
    geboekt: list[Geboekt] = field(default_factory=list)


def _sleutel(p: Geboekt) -> tuple[int, str, str, dt.date, dt.date]:
    return (p.toewijzingnummer, p.categorie, p.code, p.begindatum, p.einddatum)


class Boek:
    """The accepted Prestaties, indexed for the rules: by ReferentieNummer, by toewijzing (the volume
    declared on it, in minutes or the toewijzing's unit), the debets per key and the debets credited. Every
    look-up is a dictionary access, so a message of 10,000 Prestaties costs 10,000 steps, not 10,000 squared."""

    def __init__(self, geboekt: Iterable[Geboekt]) -> None:
        self.debet_op_referentie: dict[str, Geboekt] = {}
        self.gecrediteerd: set[str] = set()
        self.volume_op_toewijzing: dict[int, int] = {}
        self.debets_op_sleutel: dict[tuple[int, str, str, dt.date, dt.date], set[str]] = {}
        for g in geboekt:
            self.boek(g)

    def boek(self, g: Geboekt) -> None:
        teken = 1 if g.debet else -1
        self.volume_op_toewijzing[g.toewijzingnummer] = (self.volume_op_toewijzing.get(g.toewijzingnummer, 0)
                                                         + teken * in_basis(g.volume, g.eenheid))
        if g.debet:
            self.debet_op_referentie[g.referentie] = g
            self.debets_op_sleutel.setdefault(_sleutel(g), set()).add(g.referentie)
        elif g.vorig:
            self.gecrediteerd.add(g.vorig)

    def open_debet(self, sleutel: tuple[int, str, str, dt.date, dt.date]) -> bool:
        """Whether an accepted debet with this key has no credit."""
        return any(r not in self.gecrediteerd for r in self.debets_op_sleutel.get(sleutel, ()))


def _laatste_dag(d: dt.date) -> dt.date:
    return d.replace(day=calendar.monthrange(d.year, d.month)[1])


@dataclass
class _Oordeel:
    fouten: list[Fout]
    pad: str

    def fout(self, code: str, retourcode: str, tekst: str) -> None:
        self.fouten.append(Fout(code, [self.pad], retourcode, tekst))


def _product(o: _Oordeel, p: Prestatie, t: Toewijzing, contracten: Contracten, aanbieder: str) -> None:
    """TR339, TR340, TR341, TR307, TR308, TR387, TR388, TR418: the Prestatie against its toewijzing."""
    if p.product_categorie != t.categorie:
        o.fout("TR339", "9339", f"ProductCategorie {p.product_categorie}; de toewijzing is {t.categorie}")
    if t.code is not None and p.product_code != t.code:
        o.fout("TR340", "9340", f"ProductCode {p.product_code}; de toewijzing is {t.code}")
    if t.eenheid is not None:
        if p.eenheid != t.eenheid and not (t.eenheid == "04" and p.eenheid == "01"):
            o.fout("TR341", "9341", f"Eenheid {p.eenheid} past niet bij de toewijzing in eenheid {t.eenheid}")
    elif contracten.product(aanbieder, p.product_categorie, p.product_code, p.eenheid,
                            p.product_periode.begindatum) is None:
        o.fout("TR341", "9341", f"Eenheid {p.eenheid} staat niet in het contract voor {p.product_code}")
    begin, eind = p.product_periode.begindatum, p.product_periode.einddatum
    if begin < t.ingangsdatum:
        o.fout("TR307", "9307", f"ProductPeriode begint {begin:%d-%m-%Y}, voor de ingangsdatum van de toewijzing "
                                f"({t.ingangsdatum:%d-%m-%Y})")
    if t.einddatum is not None and eind > t.einddatum:
        o.fout("TR308", "9308", f"ProductPeriode eindigt {eind:%d-%m-%Y}, na de einddatum van de toewijzing "
                                f"({t.einddatum:%d-%m-%Y})")
    eerste = max(begin.replace(day=1), t.ingangsdatum) if t.ingangsdatum <= _laatste_dag(begin) else begin.replace(day=1)
    if begin != eerste and begin >= t.ingangsdatum:
        o.fout("TR387", "9387", f"ProductPeriode begint {begin:%d-%m-%Y}; dat moet {eerste:%d-%m-%Y} zijn")
    laatste = _laatste_dag(eind)
    if t.einddatum is not None and begin.replace(day=1) <= t.einddatum < laatste:
        laatste = t.einddatum
    if eind != laatste and (t.einddatum is None or eind <= t.einddatum):
        o.fout("TR388", "9388", f"ProductPeriode eindigt {eind:%d-%m-%Y}; dat moet {laatste:%d-%m-%Y} zijn")
    if contracten.taakgericht(aanbieder, p.product_categorie, p.product_code, begin):
        o.fout("IV074", "0611", f"{p.product_code or p.product_categorie} is taakgericht gecontracteerd: de gemeente "
                                "betaalt de taak als geheel, buiten de declaratie; declareer er geen prestaties op")
    elif p.eenheid != "83":
        contract = contracten.product(aanbieder, p.product_categorie, p.product_code, p.eenheid, begin)
        if contract is None:
            o.fout("TR418", "0611", f"er is geen contracttarief voor {p.product_code} in eenheid {p.eenheid} op "
                                    f"{begin:%d-%m-%Y}")
        elif p.product_tarief != contract.tarief:
            o.fout("TR418", "0611", f"ProductTarief {p.product_tarief}; het contract zegt {contract.tarief} "
                                    f"eurocent per eenheid {contract.eenheid}")


def _volume(o: _Oordeel, p: Prestatie, t: Toewijzing, boek: Boek) -> None:
    """TR321, TR322, TR369: the volume of a debet against the Omvang or the Budget."""
    hier = in_basis(p.geleverd_volume, p.eenheid)
    maximum = max_in_periode(t.omvang, p.product_periode.begindatum, p.product_periode.einddatum)
    if maximum is not None and hier > in_basis(maximum, t.eenheid):
        o.fout("TR321", "9321", f"GeleverdVolume {p.geleverd_volume} (eenheid {p.eenheid}) is meer dan de toewijzing "
                                f"toelaat in deze periode: {maximum} (eenheid {t.eenheid})")
    som = boek.volume_op_toewijzing.get(t.nummer, 0) + hier
    totaal = max_over_toewijzing(t.omvang)
    if totaal is not None and som > in_basis(totaal, t.eenheid):
        o.fout("TR322", "9322", f"met deze prestatie is op toewijzing {t.nummer} meer gedeclareerd dan zij toelaat "
                                f"over haar looptijd: {totaal} (eenheid {t.eenheid})")
    if t.budget is not None and t.volume is None and som > t.budget:
        o.fout("TR369", "9369", f"met deze prestatie is op toewijzing {t.nummer} meer gedeclareerd dan het budget "
                                f"({t.budget} eurocent)")


def _prestatie_geboekt(p: Prestatie) -> Geboekt:
    return Geboekt(p.product_referentie.referentie_nummer, p.product_referentie.vorig_referentie_nummer,
                   p.toewijzing_nummer, p.product_categorie, p.product_code, p.product_periode.begindatum,
                   p.product_periode.einddatum, p.geleverd_volume, p.eenheid, p.ingediend_bedrag.debet_credit == "D")


def _debet_credit(o: _Oordeel, p: Prestatie, boek: Boek) -> None:
    """TR323, TR390 for a credit; TR389 for a debet."""
    nieuw = _prestatie_geboekt(p)
    if not nieuw.debet:
        debet = boek.debet_op_referentie.get(nieuw.vorig or "")
        if debet is None or _sleutel(debet) != _sleutel(nieuw):
            o.fout("TR323", "8017", f"de credit noemt als VorigReferentieNummer {nieuw.vorig}: geen eerder "
                                    f"toegekende debetprestatie met dezelfde toewijzing, product en periode")
        elif debet.referentie in boek.gecrediteerd:
            o.fout("TR390", "9390", f"debetprestatie {debet.referentie} is al gecrediteerd")
        return
    if boek.open_debet(_sleutel(nieuw)):
        o.fout("TR389", "9389", "voor deze periode, dit product en deze toewijzing is al een debetprestatie "
                                "toegekend die niet gecrediteerd is")


def _volgorde(bericht: Wmo323) -> Iterable[tuple[int, int]]:
    """(client index, prestatie index), credits first, each in message order."""
    paren = [(ci, pi, p) for ci, c in enumerate(bericht.declaratie.clienten)
             for pi, p in enumerate(c.prestaties)]
    for credit in (True, False):
        for ci, pi, p in paren:
            if (p.ingediend_bedrag.debet_credit == "C") == credit:
                yield ci, pi


def beoordeel(bericht: Wmo323, *, toewijzingen: dict[int, Toewijzing], clienten: set[str] | None = None,
              contracten: Contracten, eerder: Eerder) -> list[Fout]:
    """Every cross-message fault of ``bericht``, from the aanbieder in its header. ``toewijzingen``: the
    aanbieder's toewijzingen the message names, by number; ``clienten``: which of its BSN's are clients with a
    toewijzing of the aanbieder (default: the BSN's of ``toewijzingen``)."""
    aanbieder = bericht.header.afzender
    decl = bericht.declaratie
    fouten: list[Fout] = []
    kop = _Oordeel(fouten, "/Bericht/Declaratie")
    if decl.declaratie_nummer in eerder.declaratienummers:
        kop.fout("TR333", "9333", f"DeclaratieNummer {decl.declaratie_nummer} is al eerder gebruikt")
    if eerder.laatste_periode is not None and decl.declaratie_periode.begindatum < eerder.laatste_periode:
        kop.fout("TR318", "8214", f"DeclaratiePeriode {decl.declaratie_periode.begindatum:%m-%Y} ligt voor de "
                                  f"laatst ingediende ({eerder.laatste_periode:%m-%Y})")
    if fouten:
        return fouten
    bsns = clienten if clienten is not None else {t.bsn for t in toewijzingen.values()}
    afgekeurde_clienten = set()
    for ci, client in enumerate(decl.clienten):
        if client.bsn not in bsns:
            _Oordeel(fouten, f"/Bericht/Declaratie/Clienten/Client[{ci + 1}]").fout(
                "TR304", "8187", "deze BSN hoort bij geen client met een toewijzing van deze aanbieder")
            afgekeurde_clienten.add(ci)
    boek = Boek(eerder.geboekt)
    referenties = set(eerder.referenties)
    for ci, pi in _volgorde(bericht):
        if ci in afgekeurde_clienten:
            continue
        client = decl.clienten[ci]
        p = client.prestaties[pi]
        o = _Oordeel(fouten, f"/Bericht/Declaratie/Clienten/Client[{ci + 1}]/Prestaties/Prestatie[{pi + 1}]")
        voor = len(fouten)
        referentie = p.product_referentie.referentie_nummer
        if referentie in referenties:
            o.fout("TR314", "8021", f"ReferentieNummer {referentie} is al gebruikt")
        referenties.add(referentie)
        t = toewijzingen.get(p.toewijzing_nummer)
        if t is None or t.bsn != client.bsn:
            o.fout("TR338", "9338", f"toewijzing {p.toewijzing_nummer} is geen toewijzing van deze aanbieder voor "
                                    f"deze client")
            continue
        if t.reden_wijziging == VERWIJDERD:
            o.fout("TR384", "9384", f"toewijzing {t.nummer} is verwijderd (RedenWijziging 13)")
            continue
        _product(o, p, t, contracten, aanbieder)
        _debet_credit(o, p, boek)
        if p.ingediend_bedrag.debet_credit == "D":
            _volume(o, p, t, boek)
        if len(fouten) == voor:
            boek.boek(_prestatie_geboekt(p))
    return fouten
