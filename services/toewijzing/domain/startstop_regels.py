"""Judging WMO305 (start zorg) and WMO307 (stop zorg) against what this gemeente already knows.

These are the cross-message ("berichtoverstijgende") checks a gemeente runs on a schema-valid and
in-message-valid start or stop before it answers with a WMO306/WMO308. The functions are pure: the
caller supplies its toewijzingen and every delivery it accepted earlier from the aanbieder, and gets
back the faults plus the changes to store when the message is accepted. Any fault rejects the whole
message, so on a fault nothing is to be stored.

Rules (rule code, retourcode):

* TR019 (9019)  a status-1 product must name a toewijzing of this gemeente for this client and aanbieder.
* TR063 (9063)  a status-3 product must delete an earlier, still present delivery with the same key.
* TR071 (9071)  a start cannot be deleted while a stop for it is present.
* TR074 (9074)  a status-1 key must not occur earlier in the message nor in an earlier delivery.
* TR326 (9326)  a new start needs all earlier starts on that toewijzing to have been stopped.
* TR382 (9069)  a stop must repeat ToewijzingNummer, product and Begindatum of a present start, the
                latest one on that toewijzing (OP155).
* TR413 (9413)  after a temporary stop (reason 20) of a start, the next stop must be definitive.
* TR414 (9414)  a further stop of a start may not end before the stop already present.
* TR415 (9415)  after a definitive stop of a start, no further stop of it.

Keys: a start is identified by ToewijzingNummer, product (categorie, code) and Begindatum; a stop by
those plus RedenBeeindiging and Einddatum. "Present" means accepted and not deleted since.

Choices where the standard leaves room (numbers refer to the research digest, section 7):

1. TR069 has no rule text; its code 9069 is the one TR382 carries. Both are one check here, reported
   as TR382: a stop needs a present start with the same ToewijzingNummer, product and Begindatum.
2. A start with a stop is no longer "actual" for TR326 (a new start is then allowed), but it stays
   the reference for further stops: a definitive stop may follow a temporary one (CASUS 2 and 3).
   Which further stops are allowed is left to TR413, TR414 and TR415, which group stops by
   ToewijzingNummer and Begindatum as their texts say. A stop must refer to the latest present start
   of the toewijzing (by Begindatum; OP155, whose technical rule is TR382): a stop of a start that a
   later start replaced gets 9069 too.
3. StatusAanlevering 2 is refused in the message itself (CS058). Should any value other than 3 reach
   this module, it is judged as a new delivery (status 1), in line with the "1 or 2" of TR413/TR415.
4. A deletion makes the deleted delivery count as never sent, so its key may be delivered again with
   status 1 (TR074 only looks at present deliveries).
5. Products are judged in document order. A deletion that passes takes effect for the products after
   it in the same message (CASUS 4: delete a stop and send the corrected one in one WMO307), and so
   does a status-1 product that passes (two new starts for one toewijzing in one message: the second
   gets 9326). A product with a fault changes nothing. A deletion only looks at deliveries from
   earlier messages, not at a status-1 product earlier in the same message.
6. A start with a stop can be deleted once that stop has been deleted (first a WMO307 deleting the
   stop, then a WMO305 deleting the start).

Other choices: a status-3 product is only checked by TR063 (and TR071 for a start), not by TR019.
A missing ToewijzingNummer is a 9019 fault, since this gemeente does not work taakgericht. When a
product fails TR019 or TR074, or a stop finds no start (TR382), the rules after it are skipped for
that product (they would only repeat the same problem); otherwise every rule that fails is reported.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

from iwmo.berichten.start_stop import StartProduct, StopProduct, Wmo305, Wmo307
from iwmo.regels import Fout

START: Literal["start"] = "start"
STOP: Literal["stop"] = "stop"
VERWIJDEREN = "3"
TIJDELIJK = "20"

StartSleutel = tuple[int | None, str | None, str | None, dt.date]
Sleutel = tuple[object, ...]


@dataclass(frozen=True)
class Toewijzing:
    """A toewijzing (ToegewezenProduct) from the gemeente's own records."""

    nummer: int
    bsn: str
    aanbieder: str  # AGB code
    categorie: str | None
    code: str | None
    ingangsdatum: dt.date
    einddatum: dt.date | None


@dataclass(frozen=True)
class Levering:
    """One accepted StartProduct or StopProduct from an earlier message."""

    soort: Literal["start", "stop"]
    bsn: str
    aanbieder: str
    toewijzing_nummer: int | None
    categorie: str | None
    code: str | None
    begindatum: dt.date
    reden_beeindiging: str | None = None  # stop only
    einddatum: dt.date | None = None  # stop only
    verwijderd: bool = False  # deleted by a later delivery with StatusAanlevering 3

    @property
    def start_sleutel(self) -> StartSleutel:
        """The key of the start: of this start itself, or of the start this stop ends."""
        return (self.toewijzing_nummer, self.categorie, self.code, self.begindatum)

    @property
    def sleutel(self) -> Sleutel:
        """The logical key of this delivery."""
        if self.soort == START:
            return self.start_sleutel
        return (*self.start_sleutel, self.reden_beeindiging, self.einddatum)

    @property
    def tijdelijk(self) -> bool:
        return self.soort == STOP and self.reden_beeindiging == TIJDELIJK

    def omschrijving(self) -> str:
        """The key in words, for fault texts."""
        tekst = (f"ToewijzingNummer {self.toewijzing_nummer}, {_product(self.categorie, self.code)}, "
                 f"Begindatum {_datum(self.begindatum)}")
        if self.soort == STOP:
            tekst += f", RedenBeeindiging {self.reden_beeindiging}, Einddatum {_datum(self.einddatum)}"
        return tekst


@dataclass
class Beoordeling:
    """The outcome for one message: faults, or (when there are none) the changes to store."""

    fouten: list[Fout] = field(default_factory=list)
    nieuw: list[Levering] = field(default_factory=list)  # status-1 products, to store
    verwijderd: list[Levering] = field(default_factory=list)  # objects from ``eerder``, to mark deleted

    @property
    def geaccepteerd(self) -> bool:
        return not self.fouten


def beoordeel_start(bericht: Wmo305, *, aanbieder: str, toewijzingen: Mapping[int, Toewijzing],
                    eerder: Sequence[Levering]) -> Beoordeling:
    """Judge a WMO305 from ``aanbieder`` against the gemeente's toewijzingen and earlier deliveries."""
    return _beoordeel(START, bericht.client.bsn, bericht.client.start_producten,
                      aanbieder=aanbieder, toewijzingen=toewijzingen, eerder=eerder)


def beoordeel_stop(bericht: Wmo307, *, aanbieder: str, toewijzingen: Mapping[int, Toewijzing],
                   eerder: Sequence[Levering]) -> Beoordeling:
    """Judge a WMO307 from ``aanbieder`` against the gemeente's toewijzingen and earlier deliveries."""
    return _beoordeel(STOP, bericht.client.bsn, bericht.client.stop_producten,
                      aanbieder=aanbieder, toewijzingen=toewijzingen, eerder=eerder)


def levering(product: StartProduct | StopProduct, *, bsn: str, aanbieder: str) -> Levering:
    """The delivery a StartProduct or StopProduct stands for."""
    categorie = product.product.categorie if product.product else None
    code = product.product.code if product.product else None
    if isinstance(product, StopProduct):
        return Levering(STOP, bsn, aanbieder, product.toewijzing_nummer, categorie, code, product.begindatum,
                        product.reden_beeindiging, product.einddatum)
    return Levering(START, bsn, aanbieder, product.toewijzing_nummer, categorie, code, product.begindatum)


# --- judging one message --------------------------------------------------------------------------

Bevinding = tuple[str, str, str]  # rule code, retourcode, explanation


class _Stand:
    """The deliveries of one client at one aanbieder while a message is judged, product by product."""

    def __init__(self, eerder: Sequence[Levering], bsn: str, aanbieder: str) -> None:
        self.eerder = [lev for lev in eerder if lev.bsn == bsn and lev.aanbieder == aanbieder and not lev.verwijderd]
        self.nieuw: list[Levering] = []
        self.verwijderd: list[Levering] = []

    def aanwezig(self, soort: str) -> list[Levering]:
        return [lev for lev in (*self.eerder, *self.nieuw) if lev.soort == soort]

    def stops_van(self, start_sleutel: StartSleutel) -> list[Levering]:
        return [s for s in self.aanwezig(STOP) if s.start_sleutel == start_sleutel]

    def verwijder(self, doelen: list[Levering]) -> None:
        self.eerder = [lev for lev in self.eerder if all(lev is not d for d in doelen)]
        self.verwijderd.extend(doelen)


def _beoordeel(soort: Literal["start", "stop"], bsn: str, producten: Sequence[StartProduct | StopProduct], *,
               aanbieder: str, toewijzingen: Mapping[int, Toewijzing], eerder: Sequence[Levering]) -> Beoordeling:
    klasse = "StartProduct" if soort == START else "StopProduct"
    stand = _Stand(eerder, bsn, aanbieder)
    fouten: list[Fout] = []
    eerder_in_bericht: list[Sleutel] = []
    for index, product in enumerate(producten, start=1):
        lev = levering(product, bsn=bsn, aanbieder=aanbieder)
        if product.status_aanlevering == VERWIJDEREN:
            doelen = [e for e in stand.eerder if e.soort == soort and e.sleutel == lev.sleutel]
            bevindingen = _verwijdering(stand, lev, doelen)
            if not bevindingen:
                stand.verwijder(doelen)
        else:
            bevindingen = _aanlevering(stand, lev, toewijzingen, lev.sleutel in eerder_in_bericht)
            eerder_in_bericht.append(lev.sleutel)
            if not bevindingen:
                stand.nieuw.append(lev)
        pad = f"/Bericht/Client/{klasse}en/{klasse}[{index}]"
        fouten.extend(Fout(code, [pad], retourcode, f"{klasse} {index}: {tekst}")
                      for code, retourcode, tekst in bevindingen)
    if fouten:
        return Beoordeling(fouten=fouten)
    return Beoordeling(nieuw=stand.nieuw, verwijderd=stand.verwijderd)


def _verwijdering(stand: _Stand, lev: Levering, doelen: list[Levering]) -> list[Bevinding]:
    """A status-3 product: TR063, and TR071 for a start."""
    if not doelen:
        return [("TR063", "9063",
                 f"de {lev.soort} kan niet verwijderd worden (StatusAanlevering 3): er is voor deze cliënt geen "
                 f"eerder ontvangen, niet verwijderde {lev.soort} met precies deze gegevens ({lev.omschrijving()}). "
                 f"Neem de gegevens ongewijzigd over uit de {lev.soort} die u wilt verwijderen.")]
    if lev.soort == START:
        stops = stand.stops_van(lev.start_sleutel)
        if stops:
            return [("TR071", "9071",
                     f"de start ({lev.omschrijving()}) kan niet verwijderd worden: er is al een stop voor ontvangen "
                     f"({_stops(stops)}). Verwijder eerst de stop met een WMO307.")]
    return []


def _aanlevering(stand: _Stand, lev: Levering, toewijzingen: Mapping[int, Toewijzing],
                 dubbel_in_bericht: bool) -> list[Bevinding]:
    """A status-1 product: TR019 and TR074, then TR326 for a start or TR382, TR413-TR415 for a stop."""
    koppeling = _tr019(lev, toewijzingen)
    if koppeling:
        return [koppeling]
    if dubbel_in_bericht:
        return [("TR074", "9074", f"deze {lev.soort} ({lev.omschrijving()}) staat al eerder in dit bericht.")]
    if any(e.sleutel == lev.sleutel for e in stand.aanwezig(lev.soort)):
        return [("TR074", "9074", f"deze {lev.soort} ({lev.omschrijving()}) is al eerder ontvangen. "
                                  "Verstuur een ontvangen levering niet nog eens.")]
    return _tr326(stand, lev) if lev.soort == START else _stopvolgorde(stand, lev)


def _tr019(lev: Levering, toewijzingen: Mapping[int, Toewijzing]) -> Bevinding | None:
    nummer = lev.toewijzing_nummer
    if nummer is None:
        reden = ("ToewijzingNummer ontbreekt. Deze gemeente werkt niet taakgericht: elke start en stop moet "
                 "het nummer van de toewijzing vermelden.")
    elif (t := toewijzingen.get(nummer)) is None:
        reden = f"ToewijzingNummer {nummer} is geen toewijzing van deze gemeente."
    elif t.bsn != lev.bsn:
        reden = f"ToewijzingNummer {nummer} is een toewijzing voor een andere cliënt, niet voor BSN {lev.bsn}."
    elif t.aanbieder != lev.aanbieder:
        reden = f"ToewijzingNummer {nummer} is aan een andere aanbieder toegewezen, niet aan {lev.aanbieder}."
    else:
        return None
    return ("TR019", "9019", reden)


def _tr326(stand: _Stand, lev: Levering) -> list[Bevinding]:
    lopend = [s for s in stand.aanwezig(START)
              if s.toewijzing_nummer == lev.toewijzing_nummer and not stand.stops_van(s.start_sleutel)]
    if not lopend:
        return []
    begin = ", ".join(_datum(s.begindatum) for s in lopend)
    return [("TR326", "9326",
             f"voor ToewijzingNummer {lev.toewijzing_nummer} loopt al een start (Begindatum {begin}) waarvoor nog "
             "geen stop is ontvangen. Een nieuwe start kan pas na een (tijdelijke) stop van de lopende start.")]


def _stopvolgorde(stand: _Stand, lev: Levering) -> list[Bevinding]:
    """TR382 (the start exists), then TR413, TR414 and TR415 against the stops already present."""
    if not any(s.start_sleutel == lev.start_sleutel for s in stand.aanwezig(START)):
        bekend = [s for s in stand.aanwezig(START) if s.toewijzing_nummer == lev.toewijzing_nummer]
        hint = ("Ontvangen starts voor dit ToewijzingNummer: "
                + "; ".join(f"{_product(s.categorie, s.code)}, Begindatum {_datum(s.begindatum)}" for s in bekend)
                + ".") if bekend else "Voor dit ToewijzingNummer is geen start ontvangen."
        return [("TR382", "9069",
                 f"er is geen start met ToewijzingNummer {lev.toewijzing_nummer}, {_product(lev.categorie, lev.code)} "
                 f"en Begindatum {_datum(lev.begindatum)}. Neem ToewijzingNummer, product en Begindatum "
                 f"ongewijzigd over uit de start die u stopt. {hint}")]
    later = [s for s in stand.aanwezig(START)
             if s.toewijzing_nummer == lev.toewijzing_nummer and s.begindatum > lev.begindatum]
    if later:  # OP155: a stop refers to the latest start of the delivery
        return [("TR382", "9069",
                 f"de start met Begindatum {_datum(lev.begindatum)} is niet de laatste start op ToewijzingNummer "
                 f"{lev.toewijzing_nummer}: daarna is gestart op {', '.join(_datum(s.begindatum) for s in later)}. "
                 "Een stop verwijst naar de laatste start van de levering (OP155).")]
    stops = [s for s in stand.aanwezig(STOP)
             if (s.toewijzing_nummer, s.begindatum) == (lev.toewijzing_nummer, lev.begindatum)]
    start = f"de start met ToewijzingNummer {lev.toewijzing_nummer} en Begindatum {_datum(lev.begindatum)}"
    uit: list[Bevinding] = []
    tijdelijk = [s for s in stops if s.tijdelijk]
    if tijdelijk and lev.tijdelijk:
        uit.append(("TR413", "9413",
                    f"{start} is al tijdelijk gestopt ({_stops(tijdelijk)}). Een volgende stop moet definitief zijn "
                    "(RedenBeeindiging anders dan 20); wordt de zorg hervat, stuur dan een nieuwe start."))
    laatste = max((s.einddatum for s in stops if s.einddatum is not None), default=None)
    if laatste is not None and lev.einddatum is not None and lev.einddatum < laatste:
        uit.append(("TR414", "9414",
                    f"Einddatum {_datum(lev.einddatum)} ligt vóór de Einddatum {_datum(laatste)} van de stop die al "
                    f"voor {start} is ontvangen. De nieuwe Einddatum moet gelijk of later zijn."))
    definitief = [s for s in stops if not s.tijdelijk]
    if definitief:
        uit.append(("TR415", "9415",
                    f"{start} is al definitief gestopt ({_stops(definitief)}); daarna kan geen stop meer volgen. "
                    "Om die stop te corrigeren: verwijder hem (StatusAanlevering 3) en stuur de juiste stop."))
    return uit


# --- texts ------------------------------------------------------------------------------------------

def _datum(d: dt.date | None) -> str:
    return d.strftime("%d-%m-%Y") if d else "(leeg)"


def _product(categorie: str | None, code: str | None) -> str:
    if categorie is None:
        return "zonder product (generiek)"
    return f"product {categorie}/{code}" if code else f"productcategorie {categorie}"


def _stops(stops: list[Levering]) -> str:
    return "; ".join(f"RedenBeeindiging {s.reden_beeindiging}, Einddatum {_datum(s.einddatum)}" for s in stops)
