"""What a voorziening may look like: product, wijze (uren | resultaat) and the omvang or budget.

The allowed combinations follow the standard's two execution variants (inspanningsgericht = uren,
outputgericht = resultaat) and the conditions on Omvang, Budget and Einddatum. Every refusal is a
:class:`OngeldigeVoorziening` with a sentence a consultant understands.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from iwmo import codelijsten

DEFAULT_CATALOGUS = Path(__file__).resolve().parent.parent / "data" / "producten.json"

TIJD_EENHEDEN = {"01": ("01", "minuut", "minuten"), "04": ("04", "uur", "uur"), "14": ("14", "etmaal", "etmalen"),
                 "16": ("16", "dagdeel", "dagdelen"), "84": ("84", "keer", "keer")}
RESULTAAT_EENHEDEN = {"82": ("82", "stuk", "stuks"), "83": ("83", "euro", "euro")}
#: frequencies per unit: per dag (1) only with minuten, uren and output units (82)
FREQUENTIES = {"01": "1246", "04": "1246", "82": "1246", "14": "246", "16": "246", "84": "246", "83": "246"}
FREQUENTIE_WOORD = {"1": "per dag", "2": "per week", "4": "per maand", "6": "in totaal"}


class OngeldigeVoorziening(ValueError):
    """A voorziening the standard or the gemeente's catalogue does not allow; the text says why."""

    def __init__(self, veld: str, melding: str) -> None:
        super().__init__(melding)
        self.veld = veld
        self.melding = melding


@dataclass(frozen=True)
class Product:
    categorie: str
    code: str | None
    omschrijving: str
    wijzen: tuple[str, ...]


#: the gemeente's products by (categorie, code)
Catalogus = dict[tuple[str, str | None], "Product"]


@cache
def catalogus(path: Path = DEFAULT_CATALOGUS) -> Catalogus:
    """The product catalogue in the JSON file at ``path`` (TOEWIJZING_PRODUCTEN), read once per path."""
    data = json.loads(path.read_text(encoding="utf-8"))
    out = {}
    for p in data["producten"]:
        product = Product(p["categorie"], p["code"], p["omschrijving"], tuple(p["wijzen"]))
        out[(product.categorie, product.code)] = product
    return out


@dataclass(frozen=True)
class Omvang:
    """What is granted: Volume/Eenheid/Frequentie, or a Budget in eurocent (never both)."""

    volume: int | None = None
    eenheid: str | None = None
    frequentie: str | None = None
    budget: int | None = None


def check_product(categorie: str, code: str | None, wijze: str,
                  producten: dict[tuple[str, str | None], Product]) -> Product:
    if categorie not in codelijsten.codes("WMO020"):
        raise OngeldigeVoorziening("categorie", f"Productcategorie {categorie!r} bestaat niet in de Wmo-lijst.")
    product = producten.get((categorie, code))
    if product is None:
        wat = f"product {code}" if code else f"een product zonder code in categorie {categorie}"
        raise OngeldigeVoorziening("code", f"De gemeente kent {wat} niet (productcatalogus).")
    if wijze not in product.wijzen:
        raise OngeldigeVoorziening("wijze", f"{product.omschrijving} ({code or categorie}) wordt niet als "
                                            f"{wijze} toegewezen, alleen als {' of '.join(product.wijzen)}.")
    return product


def check_omvang(wijze: str, *, code: str | None, omvang: Omvang, ingangsdatum: dt.date,
                 einddatum: dt.date | None, resultaat: str | None = None) -> None:
    """Refuse a combination the standard does not allow for this wijze."""
    if einddatum is not None and einddatum < ingangsdatum:
        raise OngeldigeVoorziening("einddatum", f"De einddatum ({einddatum:%d-%m-%Y}) ligt voor de ingangsdatum "
                                                f"({ingangsdatum:%d-%m-%Y}).")
    heeft_omvang = any(v is not None for v in (omvang.volume, omvang.eenheid, omvang.frequentie))
    if heeft_omvang and omvang.budget is not None:
        raise OngeldigeVoorziening("budget", "Geef een omvang (volume, eenheid, frequentie) of een budget, niet beide.")
    if wijze == "uren":
        _check_uren(code, omvang, heeft_omvang)
    elif wijze == "resultaat":
        _check_resultaat(code, omvang, heeft_omvang, einddatum, resultaat)
    else:
        raise OngeldigeVoorziening("wijze", f"Onbekende wijze {wijze!r}: kies uren of resultaat.")
    if omvang.frequentie == "2" and einddatum is None:
        raise OngeldigeVoorziening("einddatum", "Een omvang per week vraagt een einddatum.")


def _check_volume(omvang: Omvang, eenheden: dict[str, tuple[str, str, str]], wijze: str) -> None:
    if omvang.volume is None or omvang.eenheid is None or omvang.frequentie is None:
        raise OngeldigeVoorziening("omvang", "Geef volume, eenheid en frequentie samen op.")
    if omvang.volume < 1:
        raise OngeldigeVoorziening("volume", "Het volume moet minstens 1 zijn.")
    if omvang.eenheid not in eenheden:
        namen = ", ".join(f"{c} ({codelijsten.betekenis('WJ756', c)})" for c in eenheden)
        raise OngeldigeVoorziening("eenheid", f"Eenheid {omvang.eenheid} past niet bij {wijze}; kies uit {namen}.")
    if omvang.frequentie not in FREQUENTIES[omvang.eenheid]:
        toegestaan = ", ".join(FREQUENTIE_WOORD[f] for f in FREQUENTIES[omvang.eenheid])
        raise OngeldigeVoorziening(
            "frequentie", f"Frequentie {FREQUENTIE_WOORD.get(omvang.frequentie, omvang.frequentie)} kan niet met "
                          f"eenheid {codelijsten.betekenis('WJ756', omvang.eenheid)}; wel: {toegestaan}.")


def _check_uren(code: str | None, omvang: Omvang, heeft_omvang: bool) -> None:
    if code is None:
        raise OngeldigeVoorziening("code", "Een toewijzing in uren noemt een specifiek product (productcode).")
    if not heeft_omvang:
        raise OngeldigeVoorziening("omvang", "Een toewijzing in uren noemt de tijd: volume, eenheid en frequentie.")
    _check_volume(omvang, TIJD_EENHEDEN, "uren")


def _check_resultaat(code: str | None, omvang: Omvang, heeft_omvang: bool, einddatum: dt.date | None,
                     resultaat: str | None) -> None:
    if not (resultaat and resultaat.strip()):
        raise OngeldigeVoorziening("resultaat", "Beschrijf het resultaat dat de ondersteuning moet bereiken.")
    if heeft_omvang:
        if code is None:
            raise OngeldigeVoorziening("code", "Een resultaat in stuks of euro's noemt een specifiek product.")
        _check_volume(omvang, RESULTAAT_EENHEDEN, "resultaat")
    elif omvang.budget is not None:
        if omvang.budget < 1:
            raise OngeldigeVoorziening("budget", "Het budget moet positief zijn (in eurocent).")
        if code is not None:
            raise OngeldigeVoorziening("budget", "Een product met productcode krijgt een omvang, geen budget.")
        if einddatum is None:
            raise OngeldigeVoorziening("einddatum", "Een toewijzing met een budget vraagt een einddatum.")
    else:
        raise OngeldigeVoorziening("omvang", "Een resultaat heeft een omvang in stuks of euro's, of een budget.")


def in_woorden(wijze: str, omvang: Omvang, resultaat: str | None = None) -> str:
    """What is granted, in plain words: '3 uur per week', 'resultaat: ... (1 stuk per week)', ..."""
    if omvang.budget is not None:
        bedrag = f"€ {omvang.budget / 100:,.2f}".replace(",", "X").replace(".", ",").replace("X", ".")
        deel = f"budget {bedrag}"
    elif omvang.eenheid == "83" and omvang.volume is not None:
        bedrag = f"€ {omvang.volume / 100:,.2f}".replace(",", "X").replace(".", ",").replace("X", ".")
        deel = f"{bedrag} {FREQUENTIE_WOORD[omvang.frequentie or '6']}"
    else:
        naam = {**TIJD_EENHEDEN, **RESULTAAT_EENHEDEN}[omvang.eenheid or "04"]
        woord = naam[1] if omvang.volume == 1 else naam[2]
        deel = f"{omvang.volume} {woord} {FREQUENTIE_WOORD[omvang.frequentie or '6']}"
    return f"resultaat: {resultaat} ({deel})" if wijze == "resultaat" else deel
