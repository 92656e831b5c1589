"""Rules on assigned and requested products (WMO301, WMO315, WMO317) and answers (WMO319).

The standard states the same conditions for ToegewezenProduct (301), AangevraagdProduct (315) and
TeWijzigenProduct/NieuwProduct (317), with the period elements named differently; ``KLASSEN`` maps
each message to its product classes and their period elements.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_left
from collections.abc import Iterator

from lxml import etree

from iwmo.regels.core import Context, Hit, regel

# message -> [(berichtklasse, ingangsdatum element, einddatum element, has Product)]
KLASSEN: dict[str, list[tuple[str, str, str, bool]]] = {
    "WMO301": [("ToegewezenProduct", "Ingangsdatum", "Einddatum", True)],
    "WMO315": [("AangevraagdProduct", "ToewijzingIngangsdatum", "ToewijzingEinddatum", True)],
    "WMO317": [("TeWijzigenProduct", "GewensteIngangsdatum", "Einddatum", False),
               ("NieuwProduct", "GewensteIngangsdatum", "Einddatum", True)],
}
ALLE = tuple(KLASSEN)
GRENS_2020 = dt.date(2020, 12, 31)
STAPELBAAR = {"11", "12", "13", "14"}  # hulpmiddelen: periods may overlap


def _producten(ctx: Context, *, met_product: bool = False) -> list[tuple[etree._Element, str, str]]:
    """The product classes' elements with their period elements' names, in message order per class (made once
    per message: about ten rules read them)."""
    key = "producten met Product" if met_product else "producten"
    found: list[tuple[etree._Element, str, str]] | None = ctx.cache.get(key)
    if found is None:
        found = ctx.cache[key] = [(el, ingang, eind) for klasse, ingang, eind, has_product in KLASSEN[ctx.btype.naam]
                                  if has_product or not met_product for el in ctx.all(klasse)]
    return found


@regel("CD079", ALLE, "Als Budget leeg is, dan is Product verplicht.")
def product_zonder_budget(ctx: Context) -> Iterator[Hit]:
    for el, _, _ in _producten(ctx, met_product=True):
        if ctx.get(el, "Budget") is None and ctx.get(el, "Product") is None:
            yield Hit([el])


@regel("CD075", ALLE, "Als Budget gevuld is, dan is de Einddatum verplicht.")
def einddatum_bij_budget(ctx: Context) -> Iterator[Hit]:
    for el, _, eind in _producten(ctx):
        budget = ctx.get(el, "Budget")
        if budget is not None and ctx.get(el, eind) is None:
            yield Hit([budget], f"Budget is gevuld: {eind} moet gevuld zijn.")


@regel("CD076", ALLE, "Als Frequentie 2 (per week) is, dan is de Einddatum verplicht.")
def einddatum_bij_week(ctx: Context) -> Iterator[Hit]:
    for el, _, eind in _producten(ctx):
        freq = ctx.get(el, "Omvang", "Frequentie")
        if freq is not None and freq.text == "2" and ctx.get(el, eind) is None:
            yield Hit([freq], f"Frequentie is per week: {eind} moet gevuld zijn.")


@regel("CS003", ALLE, "Einddatum moet groter dan of gelijk zijn aan de begindatum (ingangsdatum) van de periode.")
def einddatum_na_ingang(ctx: Context) -> Iterator[Hit]:
    for el, ingang, eind in _producten(ctx):
        start, end = ctx.date(el, ingang), ctx.date(el, eind)
        if start and end and end < start:
            yield Hit([ctx.get(el, ingang), ctx.get(el, eind)],
                      f"{eind} {end} ligt voor {ingang} {start}.")
    if ctx.btype.naam == "WMO301":
        for periode in ctx.all("Periode"):
            start, end = ctx.date(periode, "Begindatum"), ctx.date(periode, "Einddatum")
            if start and end and end < start:
                yield Hit([ctx.get(periode, "Begindatum"), ctx.get(periode, "Einddatum")],
                          f"Einddatum {end} ligt voor Begindatum {start}.")


@regel("CS335", ("WMO301",), "RedenWijziging 13 (verwijderd) mag alleen als Ingangsdatum gelijk is aan Einddatum.")
def verwijderd(ctx: Context) -> Iterator[Hit]:
    for el in ctx.all("ToegewezenProduct"):
        reden = ctx.get(el, "RedenWijziging")
        if reden is not None and reden.text == "13" and ctx.date(el, "Ingangsdatum") != ctx.date(el, "Einddatum"):
            yield Hit([reden])


@regel("CS336", ("WMO301",), "RedenWijziging 01 (administratieve correctie, vervallen) mag niet gebruikt worden.")
def reden_vervallen(ctx: Context) -> Iterator[Hit]:
    for reden in ctx.all("RedenWijziging"):
        if reden.text == "01":
            yield Hit([reden])


@regel("CD041", ALLE, "Als Code in Product gevuld is, dan is Omvang verplicht.")
def omvang_bij_code(ctx: Context) -> Iterator[Hit]:
    for el, _, _ in _producten(ctx, met_product=True):
        code = ctx.get(el, "Product", "Code")
        if code is not None and ctx.get(el, "Omvang") is None:
            yield Hit([code])


@regel("CD077", ALLE, "Als Budget gevuld is, dan moet Omvang leeg zijn.")
def omvang_bij_budget(ctx: Context) -> Iterator[Hit]:
    for el, _, _ in _producten(ctx):
        omvang = ctx.get(el, "Omvang")
        if omvang is not None and ctx.get(el, "Budget") is not None:
            yield Hit([omvang])


@regel("CD078", ALLE, "Als Omvang gevuld is, dan moet Budget leeg zijn.")
def budget_bij_omvang(ctx: Context) -> Iterator[Hit]:
    for el, _, _ in _producten(ctx):
        budget = ctx.get(el, "Budget")
        if budget is not None and ctx.get(el, "Omvang") is not None:
            yield Hit([budget])


def _na_2020_of_open(ctx: Context, el: etree._Element, eind: str) -> bool:
    end = ctx.date(el, eind)
    return end is None or end > GRENS_2020


@regel("CD080", ("WMO301",), "Als Code in Product leeg is en Einddatum na 31-12-2020 of leeg, dan moet Omvang leeg zijn.",
       klasse="ToegewezenProduct")
@regel("CD095", ("WMO315",), "Als Code in Product leeg is en ToewijzingEinddatum na 31-12-2020 of leeg, dan moet Omvang leeg zijn.",
       klasse="AangevraagdProduct")
@regel("CD096", ("WMO317",), "Als Code in NieuwProduct leeg is en Einddatum na 31-12-2020 of leeg, dan moet Omvang leeg zijn.",
       klasse="NieuwProduct")
def omvang_zonder_code(ctx: Context, klasse: str) -> Iterator[Hit]:
    for el, _, eind in _producten(ctx, met_product=True):
        if el.tag.endswith("}" + klasse) and ctx.get(el, "Product", "Code") is None:
            omvang = ctx.get(el, "Omvang")
            if omvang is not None and _na_2020_of_open(ctx, el, eind):
                yield Hit([omvang])


@regel("CS338", ("WMO301", "WMO317"),
       "Als Eenheid 14, 16, 83 of 84 is en Einddatum na 31-12-2020 of leeg, dan Frequentie 2, 4 of 6.")
@regel("CS343", ("WMO315",),
       "Als Eenheid 14, 16, 83 of 84 is en ToewijzingEinddatum na 31-12-2020 of leeg, dan Frequentie 2, 4 of 6.")
def frequentie_bij_eenheid(ctx: Context) -> Iterator[Hit]:
    for el, _, eind in _producten(ctx):
        omvang = ctx.get(el, "Omvang")
        if omvang is None or ctx.text(omvang, "Eenheid") not in ("14", "16", "83", "84"):
            continue
        freq = ctx.get(omvang, "Frequentie")
        if freq is not None and freq.text not in ("2", "4", "6") and _na_2020_of_open(ctx, el, eind):
            yield Hit([freq], f"Eenheid {ctx.text(omvang, 'Eenheid')} vraagt Frequentie 2, 4 of 6, niet {freq.text}.")


# --- overlap of the same product within one message ----------------------------------------

#: RedenWijziging of a toewijzing that was removed, when its Einddatum equals its Ingangsdatum
VERWIJDERD = ("13", "01")


def is_verwijderd(reden: str | None, ingangsdatum: dt.date | None, einddatum: dt.date | None) -> bool:
    """A removed toewijzing (RedenWijziging 13, or the withdrawn 01, with Einddatum = Ingangsdatum): it
    counts as never sent, so it is not current and overlaps nothing."""
    return reden in VERWIJDERD and einddatum == ingangsdatum


Periode = tuple[int, int, int]  # (position in the message, first day, last day) as ordinals


def eerdere_overlap(leden: list[Periode], vragen: list[Periode]) -> dict[int, int]:
    """For each period of ``vragen``: a period of ``leden`` earlier in the message (a smaller position)
    that overlaps it, by position; periods without one are left out.

    Sorting and a Fenwick tree of the latest last day by position, instead of comparing every pair:
    O((m + q) log m), so a message that repeats one product 20,000 times costs no more than it is long.
    """
    if not leden or not vragen:
        return {}
    posities = sorted(p for p, _, _ in leden)
    plek = {p: i + 1 for i, p in enumerate(posities)}
    m = len(posities)
    boom: list[tuple[int, int]] = [(-1, 0)] * (m + 1)  # prefix maximum of (last day, -position)
    op_begin = sorted(leden, key=lambda r: r[1])
    k = 0
    gevonden: dict[int, int] = {}
    for pos, begin, eind in sorted(vragen, key=lambda r: r[2]):
        while k < m and op_begin[k][1] <= eind:  # every member that starts on or before this one ends
            lid, _, lid_eind = op_begin[k]
            i, waarde = plek[lid], (lid_eind, -lid)  # the latest end; the first of those on a tie
            while i <= m:
                if boom[i] < waarde:
                    boom[i] = waarde
                i += i & -i
            k += 1
        i, beste = bisect_left(posities, pos), (-1, 0)  # members before this position
        while i > 0:
            if boom[i] > beste:
                beste = boom[i]
            i -= i & -i
        if beste[0] >= begin:
            gevonden[pos] = -beste[1]
    return gevonden


def overlappende(rows: list[tuple[str | None, str | None, int, int]]) -> dict[int, int]:
    """For products given as (category, code, first day, last day) in message order, without hulpmiddelen:
    for each one that overlaps an earlier one of the same product (:func:`zelfde_product`), the position of
    such an earlier one (the earliest among those :func:`eerdere_overlap` finds per group)."""
    # the groups a product is in (leden) and the groups it collides with (vragen), so that two products
    # are the same product exactly when one is a member of a group the other asks
    leden: dict[tuple[str, ...], list[Periode]] = {}
    vragen: dict[tuple[str, ...], list[Periode]] = {}
    for pos, (cat, code, eerste, laatste) in enumerate(rows):
        periode = (pos, eerste, laatste)
        lid: list[tuple[str, ...]]
        vraag: list[tuple[str, ...]]
        if cat is None:  # no category: the same as every product but hulpmiddelen
            lid, vraag = [("N",), ("ALLE",)], [("ALLE",)]
        elif code is None:  # category level: the same as every product of the category
            lid, vraag = [("C", cat), ("C0", cat), ("ALLE",)], [("C", cat), ("N",)]
        else:
            lid, vraag = [("P", cat, code), ("C", cat), ("ALLE",)], [("P", cat, code), ("C0", cat), ("N",)]
        for g in lid:
            leden.setdefault(g, []).append(periode)
        for g in vraag:
            vragen.setdefault(g, []).append(periode)
    eerder: dict[int, int] = {}
    for groep, periodes in vragen.items():
        for pos, partner in eerdere_overlap(leden.get(groep, []), periodes).items():
            eerder[pos] = min(partner, eerder.get(pos, partner))
    return eerder


def _overlap(ctx: Context, klasse: str, ingang: str, eind: str) -> Iterator[Hit]:
    """Each product that overlaps an earlier one of the same product (see :func:`zelfde_product`), named
    with that earlier one: one fault per product, found by grouping and sorting (not per pair)."""
    producten = ctx.all(klasse)
    if len(producten) < 2:
        return  # one product overlaps nothing: its periods are not read
    rows: list[tuple[etree._Element, str | None, str | None, int, int]] = []
    for el in producten:
        start, end = ctx.date(el, ingang), ctx.date(el, eind)
        if klasse == "ToegewezenProduct" and is_verwijderd(ctx.text(el, "RedenWijziging"), start, end):
            continue  # removed assignments are not current (TR302)
        cat, code = ctx.text(el, "Product", "Categorie"), ctx.text(el, "Product", "Code")
        if cat in STAPELBAAR:
            continue  # hulpmiddelen may overlap anything
        rows.append((el, cat, code, (start or dt.date.min).toordinal(), (end or dt.date.max).toordinal()))
    eerder = overlappende([(cat, code, eerste, laatste) for _, cat, code, eerste, laatste in rows])
    for pos in sorted(eerder):
        yield Hit([rows[eerder[pos]][0], rows[pos][0]], "Hetzelfde product komt vaker voor met overlappende periodes.")


def zelfde_product(cat_a: str | None, code_a: str | None, cat_b: str | None, code_b: str | None) -> bool:
    """Whether two products count as the same for overlap (TR302, TR386, TR410): by code, by category when
    a code is missing; hulpmiddelen (11-14) may overlap; no category collides with all but those."""
    if cat_a is None or cat_b is None:  # no category: may only overlap with hulpmiddelen
        other = cat_b if cat_a is None else cat_a
        return other not in STAPELBAAR
    if cat_a in STAPELBAAR or cat_b in STAPELBAAR:
        return False
    if code_a is None or code_b is None:  # compare on category level
        return cat_a == cat_b
    return (cat_a, code_a) == (cat_b, code_b)


@regel("TR302", ("WMO301",), "Een Product mag alleen vaker in een toewijzingsbericht voorkomen als de periodes niet overlappen.")
def overlap_toewijzing(ctx: Context) -> Iterator[Hit]:
    return _overlap(ctx, "ToegewezenProduct", "Ingangsdatum", "Einddatum")


@regel("TR386", ("WMO315",), "Een Product mag alleen vaker in een verzoek om toewijzing voorkomen als de periodes niet overlappen.")
def overlap_verzoek(ctx: Context) -> Iterator[Hit]:
    return _overlap(ctx, "AangevraagdProduct", "ToewijzingIngangsdatum", "ToewijzingEinddatum")


@regel("TR410", ("WMO317",), "Een Product mag alleen vaker als NieuwProduct voorkomen als de periodes niet overlappen.")
def overlap_nieuw(ctx: Context) -> Iterator[Hit]:
    return _overlap(ctx, "NieuwProduct", "GewensteIngangsdatum", "Einddatum")


# --- WMO315 ------------------------------------------------------------------------------------

@regel("CD043", ("WMO315",), "BeschikkingIngangsdatum is verplicht als BeschikkingNummer gevuld is, en anders leeg.")
def beschikking_ingangsdatum(ctx: Context) -> Iterator[Hit]:
    for el in ctx.all("AangevraagdProduct"):
        nummer = ctx.get(el, "BeschikkingNummer")
        datum = ctx.get(el, "BeschikkingIngangsdatum")
        if nummer is not None and datum is None:
            yield Hit([nummer], "BeschikkingNummer is gevuld: BeschikkingIngangsdatum moet gevuld zijn.")
        elif nummer is None and datum is not None:
            yield Hit([datum], "BeschikkingNummer is leeg: BeschikkingIngangsdatum moet leeg zijn.")


ZORGVERLENERS = {"02", "03", "04", "05"}


@regel("CD066", ("WMO315",), "Als Type verwijzer 02-05 is en ZorgverlenerCode gevuld, dan moet Naam leeg zijn.")
def verwijzer_naam_leeg(ctx: Context) -> Iterator[Hit]:
    for v in ctx.all("Verwijzer"):
        if ctx.text(v, "Type") in ZORGVERLENERS and ctx.get(v, "ZorgverlenerCode") is not None \
                and ctx.get(v, "Naam") is not None:
            yield Hit([ctx.get(v, "Naam")])


@regel("CD067", ("WMO315",), "Als Type verwijzer 02-05 is en ZorgverlenerCode leeg, dan is Naam verplicht.")
def verwijzer_naam_gevuld(ctx: Context) -> Iterator[Hit]:
    for v in ctx.all("Verwijzer"):
        if ctx.text(v, "Type") in ZORGVERLENERS and ctx.get(v, "ZorgverlenerCode") is None \
                and ctx.get(v, "Naam") is None:
            yield Hit([v])


@regel("CD068", ("WMO315",), "Als Type verwijzer niet 02-05 is, dan moet ZorgverlenerCode leeg zijn.")
def verwijzer_code_leeg(ctx: Context) -> Iterator[Hit]:
    for v in ctx.all("Verwijzer"):
        code = ctx.get(v, "ZorgverlenerCode")
        if code is not None and ctx.text(v, "Type") not in ZORGVERLENERS:
            yield Hit([code])


@regel("TR383", ("WMO315",), "ReferentieAanbieder moet uniek zijn voor elk AangevraagdProduct in het bericht.")
def referentie_uniek(ctx: Context) -> Iterator[Hit]:
    seen: dict[str | None, etree._Element] = {}
    for el in ctx.all("AangevraagdProduct"):
        ref = ctx.get(el, "ReferentieAanbieder")
        key = None if ref is None else ref.text
        if key in seen and ref is not None:
            yield Hit([seen[key], ref], f"ReferentieAanbieder {key!r} komt vaker voor.")
        elif ref is not None:
            seen[key] = ref


# --- WMO317 ------------------------------------------------------------------------------------

@regel("TR352", ("WMO317",), "Een verzoek om wijziging bevat minstens 1 OngewijzigdProduct of TeWijzigenProduct.")
def vow_bestaand(ctx: Context) -> Iterator[Hit]:
    for verzoek in ctx.all("Verzoek"):
        if ctx.get(verzoek, "OngewijzigdeProducten") is None and ctx.get(verzoek, "TeWijzigenProducten") is None:
            yield Hit([verzoek])


@regel("TR353", ("WMO317",), "Een verzoek om wijziging bevat minstens 1 TeWijzigenProduct of NieuwProduct.")
def vow_wijziging(ctx: Context) -> Iterator[Hit]:
    for verzoek in ctx.all("Verzoek"):
        if ctx.get(verzoek, "TeWijzigenProducten") is None and ctx.get(verzoek, "NieuweProducten") is None:
            yield Hit([verzoek])


@regel("TR380", ("WMO317",), "GewensteIngangsdatum moet na de dagtekening van het bericht liggen.")
def gewenste_ingang_na_dagtekening(ctx: Context) -> Iterator[Hit]:
    dagtekening = ctx.dagtekening
    if dagtekening is None:
        return
    for el in ctx.all("NieuwProduct"):
        gewenst = ctx.get(el, "GewensteIngangsdatum")
        datum = ctx.date(el, "GewensteIngangsdatum")
        if gewenst is not None and datum is not None and datum <= dagtekening:
            yield Hit([ctx.dagtekening_el, gewenst])


# --- WMO319 ------------------------------------------------------------------------------------

@regel("CD085", ("WMO319",), "Als VerzoekAntwoord 1 (verzoek afgewezen) is, dan is RedenAfwijzingVerzoek verplicht.")
def reden_bij_afwijzing(ctx: Context) -> Iterator[Hit]:
    for a in ctx.all("Antwoord"):
        antwoord = ctx.get(a, "VerzoekAntwoord")
        if antwoord is not None and antwoord.text == "1" and ctx.get(a, "RedenAfwijzingVerzoek") is None:
            yield Hit([antwoord])


@regel("CD086", ("WMO319",), "Als VerzoekAntwoord 2 (aanvraag in onderzoek) is, dan moet RedenAfwijzingVerzoek leeg zijn.")
def geen_reden_bij_onderzoek(ctx: Context) -> Iterator[Hit]:
    for a in ctx.all("Antwoord"):
        reden = ctx.get(a, "RedenAfwijzingVerzoek")
        if reden is not None and ctx.text(a, "VerzoekAntwoord") == "2":
            yield Hit([reden])
