"""Rules on the declaratie (WMO323) and the declaratie-antwoord (WMO325).

A declaratie may hold tens of thousands of prestaties, so each Prestatie is read once into a
:class:`PrestatieRegel` that all rules share.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass

from lxml import etree

from iwmo.regels.core import Context, Hit, laatste_dag, regel, to_date, years_before

MIN_DATUM = dt.date(2021, 1, 1)


@dataclass
class PrestatieRegel:
    el: etree._Element
    kids: dict[str, etree._Element]
    referentie: str | None
    vorig: str | None
    vorig_el: etree._Element | None
    toewijzing: str | None
    categorie: str | None
    code: str | None
    begin: dt.date | None
    eind: dt.date | None
    volume: int | None  # None: missing or not a number (only in a schema-invalid message)
    eenheid: str | None
    tarief: int | None
    bedrag: int | None
    debet_credit: str | None

    @property
    def signed(self) -> int | None:
        if self.bedrag is None:
            return None
        return -self.bedrag if self.debet_credit == "C" else self.bedrag


def _kids(el: etree._Element) -> dict[str, etree._Element]:
    """The element children of ``el`` by local name (the last of each name); each tag is read once."""
    kids: dict[str, etree._Element] = {}
    for c in el:
        tag = c.tag
        if isinstance(tag, str):
            kids[tag[tag.find("}") + 1:]] = c  # "{namespace}name" or "name": the local name
    return kids


def _int(el: etree._Element | None) -> int | None:
    """The whole number in ``el``; None when it is missing or malformed (only in a schema-invalid message,
    where a rule that needs it does not fire)."""
    if el is None:
        return None
    text = (el.text or "").strip()
    if not text or len(text) > 30:
        return None
    try:
        return int(text)
    except ValueError:
        return None


def _som(bedragen: list[int | None]) -> int | None:
    return None if None in bedragen else sum(b for b in bedragen if b is not None)


def prestaties(ctx: Context) -> list[PrestatieRegel]:
    if "prestaties" in ctx.cache:
        cached: list[PrestatieRegel] = ctx.cache["prestaties"]
        return cached
    rows = []
    for el in ctx.all("Prestatie"):
        k = _kids(el)
        ref = _kids(k["ProductReferentie"]) if "ProductReferentie" in k else {}
        per = _kids(k["ProductPeriode"]) if "ProductPeriode" in k else {}
        bed = _kids(k["IngediendBedrag"]) if "IngediendBedrag" in k else {}
        vorig_el = ref.get("VorigReferentieNummer")
        rows.append(PrestatieRegel(
            el=el, kids=k,
            referentie=ref["ReferentieNummer"].text if "ReferentieNummer" in ref else None,
            vorig=vorig_el.text if vorig_el is not None else None, vorig_el=vorig_el,
            toewijzing=k["ToewijzingNummer"].text if "ToewijzingNummer" in k else None,
            categorie=k["ProductCategorie"].text if "ProductCategorie" in k else None,
            code=k["ProductCode"].text if "ProductCode" in k else None,
            begin=to_date(per["Begindatum"].text) if "Begindatum" in per else None,
            eind=to_date(per["Einddatum"].text) if "Einddatum" in per else None,
            volume=_int(k.get("GeleverdVolume")),
            eenheid=k["Eenheid"].text if "Eenheid" in k else None,
            tarief=_int(k.get("ProductTarief")),
            bedrag=_int(bed.get("Bedrag")),
            debet_credit=bed["DebetCredit"].text if "DebetCredit" in bed else None,
        ))
    ctx.cache["prestaties"] = rows
    return rows


BEIDE = ("WMO323", "WMO325")


@regel("CS100", ("WMO323",), "Perioden vullen met datums op of na 01-01-2021.")
def periode_vanaf_2021(ctx: Context) -> Iterator[Hit]:
    for naam in ("DeclaratiePeriode", "ProductPeriode"):
        for periode in ctx.all(naam):
            for element in ("Begindatum", "Einddatum"):
                el = ctx.get(periode, element)
                datum = ctx.date(periode, element)
                if el is not None and datum is not None and datum < MIN_DATUM:
                    yield Hit([el], f"{naam}/{element} {datum} ligt voor 01-01-2021.")


@regel("CS340", ("WMO323",), "De DeclaratiePeriode is precies 1 hele kalendermaand.")
def declaratieperiode_maand(ctx: Context) -> Iterator[Hit]:
    for periode in ctx.all("DeclaratiePeriode"):
        begin, eind = ctx.date(periode, "Begindatum"), ctx.date(periode, "Einddatum")
        if begin is None or eind is None:
            continue
        if begin.day != 1 or eind != laatste_dag(begin):
            yield Hit([periode], f"DeclaratiePeriode {begin} t/m {eind} is geen hele kalendermaand.")


@regel("CS337", ("WMO323",), "Einddatum van de ProductPeriode ligt in dezelfde kalendermaand als de Begindatum.")
def productperiode_maand(ctx: Context) -> Iterator[Hit]:
    for p in prestaties(ctx):
        if p.begin and p.eind and (p.begin.year, p.begin.month) != (p.eind.year, p.eind.month):
            yield Hit([p.kids.get("ProductPeriode")])


@regel("CS325", BEIDE, "Als het (Totaal)Bedrag 0 is, dan DebetCredit vullen met D (debet).")
def nul_is_debet(ctx: Context) -> Iterator[Hit]:
    for naam in ("Bedrag", "TotaalBedrag"):
        for bedrag in ctx.all_basis(naam):
            if _int(bedrag) == 0:
                dc = bedrag.getnext()
                if dc is not None and dc.text != "D":
                    yield Hit([bedrag, dc])


@regel("CD060", BEIDE, "VorigReferentieNummer is verplicht bij een creditprestatie en moet anders leeg zijn.")
def vorig_bij_credit(ctx: Context) -> Iterator[Hit]:
    for p in prestaties(ctx):
        if p.debet_credit == "C" and p.vorig is None:
            yield Hit([p.kids.get("ProductReferentie", p.el)], "Creditprestatie zonder VorigReferentieNummer.")
        elif p.debet_credit != "C" and p.vorig_el is not None:
            yield Hit([p.vorig_el], "VorigReferentieNummer mag alleen bij een creditprestatie.")


@regel("CD087", ("WMO323",), "ProductTarief is verplicht als Eenheid niet 83 (euro's) is, en moet anders leeg zijn.")
def tarief_bij_eenheid(ctx: Context) -> Iterator[Hit]:
    for p in prestaties(ctx):
        if p.eenheid is None:
            continue
        tarief = p.kids.get("ProductTarief")
        if p.eenheid != "83" and tarief is None:
            yield Hit([p.kids.get("Eenheid")], f"Eenheid {p.eenheid}: ProductTarief moet gevuld zijn.")
        elif p.eenheid == "83" and tarief is not None:
            yield Hit([tarief], "Eenheid 83 (euro's): ProductTarief moet leeg zijn.")


@regel("CS339", ("WMO323",), "Als Eenheid 83 (euro's) is, moet IngediendBedrag gelijk zijn aan GeleverdVolume.")
def euro_bedrag(ctx: Context) -> Iterator[Hit]:
    for p in prestaties(ctx):
        if p.eenheid == "83" and p.bedrag is not None and p.volume is not None and p.bedrag != p.volume:
            yield Hit([p.kids.get("GeleverdVolume"), p.kids.get("IngediendBedrag")])


@regel("TR315", ("WMO323",), "VorigReferentieNummer van de Prestatie moet uniek zijn in het bericht.")
def vorig_uniek(ctx: Context) -> Iterator[Hit]:
    seen: dict[str, etree._Element] = {}
    for p in prestaties(ctx):
        if p.vorig is None or p.vorig_el is None:
            continue
        if p.vorig in seen:
            yield Hit([seen[p.vorig], p.vorig_el], f"VorigReferentieNummer {p.vorig!r} komt vaker voor.")
        else:
            seen[p.vorig] = p.vorig_el


@regel("TR316", ("WMO323",), "Debetregels mogen niet in hetzelfde bericht gecrediteerd worden.")
def geen_credit_van_eigen_debet(ctx: Context) -> Iterator[Hit]:
    referenties = {p.referentie for p in prestaties(ctx)}
    for p in prestaties(ctx):
        if p.vorig is not None and p.vorig_el is not None and p.vorig in referenties:
            yield Hit([p.vorig_el], f"VorigReferentieNummer {p.vorig!r} verwijst naar een prestatie in dit bericht.")


@regel("TR335", ("WMO323",), "Einddatum van de ProductPeriode mag niet meer dan 5 jaar voor de DeclaratieDagtekening liggen.")
def niet_te_oud(ctx: Context) -> Iterator[Hit]:
    dagtekening_el = next(iter(ctx.all("DeclaratieDagtekening")), None)
    if dagtekening_el is None:
        return
    dagtekening = to_date(dagtekening_el.text)
    if dagtekening is None:
        return
    grens = years_before(dagtekening, 5)
    for p in prestaties(ctx):
        if p.eind is not None and p.eind < grens:
            yield Hit([p.kids.get("ProductPeriode"), dagtekening_el])


def _signed_total(ctx: Context, el: etree._Element | None) -> int | None:
    if el is None:
        return None
    totaal = _int(ctx.get(el, "TotaalBedrag"))
    if totaal is None:
        return None
    return -totaal if ctx.text(el, "DebetCredit") == "C" else totaal


@regel("TR358", ("WMO323",), "TotaalIngediendBedrag moet gelijk zijn aan de som van de IngediendBedragen (debet min credit).")
def totaal_klopt(ctx: Context) -> Iterator[Hit]:
    totaal_el = next(iter(ctx.all("TotaalIngediendBedrag")), None)
    totaal = _signed_total(ctx, totaal_el)
    som = _som([p.signed for p in prestaties(ctx)])
    if totaal_el is not None and totaal is not None and som is not None and totaal != som:
        yield Hit([totaal_el], f"TotaalIngediendBedrag is {totaal}, de som van de prestaties is {som} (eurocent).")


def _client_van(el: etree._Element) -> etree._Element | None:
    """The Client a Prestatie belongs to (Client/Prestaties/Prestatie); None when it is not there."""
    prestaties = el.getparent()
    return None if prestaties is None else prestaties.getparent()


@regel("TR416", ("WMO323",),
       "Per ToewijzingNummer, ProductCategorie, ProductCode en ProductPeriode mag er maar een debetprestatie zijn.")
def een_debet_per_periode(ctx: Context) -> Iterator[Hit]:
    """Judged per Client, as the official module does: the same key under two clients is no fault here
    (one ToewijzingNummer under two BSNs is the declaratie service's, cross-message: TR304/TR338)."""
    seen: dict[tuple[object, ...], etree._Element] = {}
    for p in prestaties(ctx):
        if p.debet_credit != "D":
            continue
        key = (_client_van(p.el), p.toewijzing, p.categorie, p.code, p.begin, p.eind)
        if key in seen:
            yield Hit([seen[key], p.el])
        else:
            seen[key] = p.el


@regel("TR319", ("WMO323",),
       "De ProductPeriode van een prestatie ligt niet na de Einddatum van de DeclaratiePeriode van het bericht.")
def productperiode_in_declaratieperiode(ctx: Context) -> Iterator[Hit]:
    """The in-message part of TR319 (the official module checks it inside the message): neither the
    Begindatum nor the Einddatum of a ProductPeriode lies after the DeclaratiePeriode's Einddatum. Whether
    the period is the current or an earlier declaratieperiode is the declaratie service's (cross-message)."""
    periode = next(iter(ctx.all("DeclaratiePeriode")), None)
    eind_el = None if periode is None else ctx.get(periode, "Einddatum")
    grens = None if eind_el is None else to_date(eind_el.text)
    if grens is None:
        return
    for p in prestaties(ctx):
        periode_el = p.kids.get("ProductPeriode")
        if periode_el is None:
            continue
        te_laat = [(naam, d) for naam, d in (("Begindatum", p.begin), ("Einddatum", p.eind))
                   if d is not None and d > grens]
        if te_laat:
            yield Hit([ctx.get(periode_el, te_laat[0][0]), eind_el],
                      f"ProductPeriode/{te_laat[0][0]} {te_laat[0][1]} ligt na de Einddatum {grens} "
                      "van de DeclaratiePeriode.")


AFGEKEURD_NIET = {"0200", "8001"}


@regel("TR342", ("WMO325",),
       "Alleen afgewezen prestaties worden meegestuurd; hun som verklaart het verschil tussen ingediend en toegekend.")
def alleen_afgewezen(ctx: Context) -> Iterator[Hit]:
    antwoord = next(iter(ctx.all("DeclaratieAntwoord")), None)
    if antwoord is None:
        return
    ingediend_el = ctx.get(antwoord, "TotaalIngediendBedrag")
    toegekend_el = ctx.get(antwoord, "TotaalToegekendBedrag")
    rc_el = ctx.get(antwoord, "RetourCodes")
    codes = {c.text for c in rc_el} if rc_el is not None else set()
    toegekend = _signed_total(ctx, toegekend_el)
    if not codes & AFGEKEURD_NIET:  # the declaratie as a whole was rejected
        if toegekend is not None and toegekend != 0:
            yield Hit([toegekend_el], "DeclaratieAntwoord is afgekeurd: TotaalToegekendBedrag moet 0 zijn.")
        return
    for p in prestaties(ctx):
        rc = p.kids.get("RetourCodes")
        if rc is not None and {c.text for c in rc} <= AFGEKEURD_NIET:
            yield Hit([rc], "Een goedgekeurde prestatie hoort niet in het declaratie-antwoord.")
    ingediend = _signed_total(ctx, ingediend_el)
    som = _som([p.signed for p in prestaties(ctx)])
    if ingediend is not None and toegekend is not None and som is not None and som != ingediend - toegekend:
        yield Hit([ingediend_el, toegekend_el],
                  f"Som van de afgewezen prestaties ({som}) is niet ingediend ({ingediend}) min toegekend ({toegekend}).")
