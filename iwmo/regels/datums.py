"""Rules comparing dates with the message's Dagtekening, and TR101 (no duplicate lines)."""

from __future__ import annotations

from collections.abc import Iterator

from lxml import etree

from iwmo.regels.core import Context, Hit, regel

# Where TR134 ("an existing date not after the Dagtekening") applies, per message.
TR134_PLEKKEN: dict[str, list[tuple[str, ...]]] = {
    "WMO301": [("Geboortedatum", "Datum"), ("ToegewezenProduct", "Toewijzingsdatum")],
    "WMO305": [("Geboortedatum", "Datum"), ("StartProduct", "Begindatum")],
    "WMO307": [("Geboortedatum", "Datum"), ("StopProduct", "Begindatum"), ("StopProduct", "Einddatum")],
    "WMO315": [("Geboortedatum", "Datum")],
    "WMO323": [("DeclaratiePeriode", "Begindatum"), ("ProductPeriode", "Begindatum")],
    "WMO325": [("ProductPeriode", "Begindatum")],
}
TR137_PLEKKEN: dict[str, list[str]] = {
    "WMO323": ["DeclaratiePeriode", "ProductPeriode"],
    "WMO325": ["ProductPeriode"],
}


@regel("TR134", tuple(TR134_PLEKKEN), "Vullen met een bestaande datum die niet na de Dagtekening van het bericht ligt.")
def niet_na_dagtekening(ctx: Context) -> Iterator[Hit]:
    dagtekening = ctx.dagtekening
    if dagtekening is None:
        return
    for klasse, element in TR134_PLEKKEN[ctx.btype.naam]:
        for parent in ctx.all(klasse):
            el = ctx.get(parent, element)
            datum = ctx.date(parent, element)
            if el is not None and datum is not None and datum > dagtekening:
                yield Hit([el, ctx.dagtekening_el],
                          f"{klasse}/{element} {datum} ligt na de dagtekening {dagtekening}.")


@regel("TR137", tuple(TR137_PLEKKEN),
       "Einddatum moet op of na de Begindatum van de periode liggen en niet na de Dagtekening van het bericht.")
def periode_einde(ctx: Context) -> Iterator[Hit]:
    dagtekening = ctx.dagtekening
    for klasse in TR137_PLEKKEN[ctx.btype.naam]:
        for periode in ctx.all(klasse):
            begin, eind = ctx.date(periode, "Begindatum"), ctx.date(periode, "Einddatum")
            eind_el = ctx.get(periode, "Einddatum")
            if eind is None or eind_el is None:
                continue
            if begin is not None and eind < begin:
                yield Hit([ctx.get(periode, "Begindatum"), eind_el],
                          f"{klasse}: Einddatum {eind} ligt voor Begindatum {begin}.")
            elif dagtekening is not None and eind > dagtekening:
                yield Hit([eind_el, ctx.dagtekening_el],
                          f"{klasse}: Einddatum {eind} ligt na de dagtekening {dagtekening}.")


# --- TR101: logical keys per berichtklasse --------------------------------------------------

# berichtklasse -> (its wrapper element, the elements that form its logical key)
SLEUTELS: dict[str, dict[str, tuple[str, list[tuple[str, ...]]]]] = {
    "WMO301": {
        "Relatie": ("Relaties", [("Nummer",)]),
        "Contact": ("Contactgegevens", [("Soort",)]),
        "ToegewezenProduct": ("ToegewezenProducten", [("ToewijzingNummer",)]),
    },
    "WMO305": {"StartProduct": ("StartProducten", [("ToewijzingNummer",), ("Product", "Categorie"),
                                                    ("Product", "Code"), ("Begindatum",)])},
    "WMO307": {"StopProduct": ("StopProducten", [("ToewijzingNummer",), ("Product", "Categorie"),
                                                  ("Product", "Code"), ("Begindatum",), ("Einddatum",),
                                                  ("RedenBeeindiging",)])},
    "WMO315": {"AangevraagdProduct": ("AangevraagdeProducten", [("ReferentieAanbieder",)])},
    "WMO317": {
        "OngewijzigdProduct": ("OngewijzigdeProducten", [("ToewijzingNummer",)]),
        "TeWijzigenProduct": ("TeWijzigenProducten", [("ToewijzingNummer",)]),
        "NieuwProduct": ("NieuweProducten", [("Product", "Categorie"), ("Product", "Code"),
                                             ("GewensteIngangsdatum",)]),
    },
    "WMO323": {
        "Client": ("Clienten", [("Bsn",)]),
        "Prestatie": ("Prestaties", [("ProductReferentie", "ReferentieNummer"),
                                     ("ProductReferentie", "VorigReferentieNummer")]),
    },
}
SLEUTELS["WMO325"] = SLEUTELS["WMO323"]


@regel("TR101", tuple(SLEUTELS), "Binnen een bericht zijn dubbele regels niet toegestaan.")
def geen_dubbele_regels(ctx: Context) -> Iterator[Hit]:
    for klasse, (wrapper_name, sleutel) in SLEUTELS[ctx.btype.naam].items():
        for wrapper in ctx.all(wrapper_name):
            if len(wrapper) < 2:
                continue  # one line cannot be a duplicate: its key is not read
            seen: dict[tuple[str | None, ...], etree._Element] = {}
            for el in wrapper:
                key = tuple([ctx.text(el, *steps) for steps in sleutel])
                if key in seen:
                    yield Hit([seen[key], el], f"{klasse} komt dubbel voor met dezelfde sleutel.")
                else:
                    seen[key] = el
