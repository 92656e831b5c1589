"""The gemeente's policy for requests from aanbieders: contracts and what may be granted automatically.

A requested product is *contracted* when the aanbieder's contract lists its categorie and code (a line
without code covers a request without code). It may be *granted automatically* when a line under
``automatisch`` matches: same eenheid and frequentie with a volume up to ``max_volume``, or a budget up
to ``max_budget`` (eurocent). A request that is contracted but not automatic waits for a medewerker in the
work queue; one that is not contracted is refused with RedenAfwijzingVerzoek 3 (geen contract), or waits
as well when the policy says ``"zonder_contract": "werkvoorraad"``. The file is JSON (see
``data/beleid.json``); set ``TOEWIJZING_BELEID`` to use another one.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, Literal

from services.toewijzing.domain.varianten import FREQUENTIE_WOORD, Omvang

DEFAULT_BELEID = Path(__file__).resolve().parent.parent / "data" / "beleid.json"
GEEN_CONTRACT = "3"


@dataclass(frozen=True)
class Aanvraag:
    """One product an aanbieder asks for (a VOT product, or a new or changed product of a VOW)."""

    categorie: str | None
    code: str | None
    omvang: Omvang


@dataclass(frozen=True)
class Advies:
    besluit: Literal["toekennen", "afwijzen", "werkvoorraad"]
    toelichting: str
    reden_afwijzing: str | None = None


@dataclass(frozen=True)
class Beleid:
    contracten: dict[str, dict[tuple[str | None, str | None], tuple[dict[str, Any], ...]]]
    zonder_contract: Literal["afwijzen", "werkvoorraad"] = "afwijzen"

    def adviseer(self, *, aanbieder: str, aanvragen: list[Aanvraag]) -> Advies:
        """Grant when every product is contracted and within the automatic limits; refuse when one is
        not contracted (unless the policy queues those); otherwise the work queue."""
        if any(a.categorie is None for a in aanvragen):
            return Advies("werkvoorraad", "Het verzoek noemt geen product; de gemeente wijst alleen producten uit haar "
                                          "catalogus toe. Wijs het af of overleg met de aanbieder.")
        contract = self.contracten.get(aanbieder, {})
        buiten = [a for a in aanvragen if (a.categorie, a.code) not in contract]
        if buiten:
            tekst = ("Geen contract met aanbieder " + aanbieder + " voor " + ", ".join(_product(a) for a in buiten)
                     + ".")
            if self.zonder_contract == "afwijzen":
                return Advies("afwijzen", tekst, GEEN_CONTRACT)
            return Advies("werkvoorraad", tekst)
        handmatig = [a for a in aanvragen if not any(_past(a.omvang, regel) for regel in contract[(a.categorie, a.code)])]
        if handmatig:
            return Advies("werkvoorraad", "Buiten de grenzen voor automatisch toekennen: "
                          + "; ".join(f"{_product(a)} {_omvang(a.omvang)}" for a in handmatig) + ".")
        return Advies("toekennen", "Binnen contract en de grenzen voor automatisch toekennen.")


def _past(omvang: Omvang, regel: dict[str, Any]) -> bool:
    if omvang.budget is not None:
        return "max_budget" in regel and omvang.budget <= regel["max_budget"]
    return (omvang.volume is not None and "max_volume" in regel and omvang.eenheid == regel.get("eenheid")
            and omvang.frequentie == regel.get("frequentie") and omvang.volume <= regel["max_volume"])


def _product(a: Aanvraag) -> str:
    return f"product {a.code}" if a.code else f"categorie {a.categorie or '(geen)'} zonder productcode"


def _omvang(o: Omvang) -> str:
    if o.budget is not None:
        return f"(budget {o.budget / 100:.2f} euro)"
    return f"({o.volume} x eenheid {o.eenheid} {FREQUENTIE_WOORD.get(o.frequentie or '', o.frequentie)})"


@cache
def laad(path: Path = DEFAULT_BELEID) -> Beleid:
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    if data.get("zonder_contract", "afwijzen") not in ("afwijzen", "werkvoorraad"):
        raise ValueError(f"{path}: zonder_contract is 'afwijzen' of 'werkvoorraad'")
    contracten: dict[str, dict[tuple[str | None, str | None], tuple[dict[str, Any], ...]]] = {}
    for c in data.get("contracten", []):
        producten = contracten.setdefault(str(c["aanbieder"]), {})
        for p in c["producten"]:
            producten[(p.get("categorie"), p.get("code"))] = tuple(p.get("automatisch", []))
    return Beleid(contracten, data.get("zonder_contract", "afwijzen"))
