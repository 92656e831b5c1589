"""What a code means, wherever it appears: a retourcode (WJ001, with the rule behind it), a rule code the
validator checks (TR, CD, CS, RS ...), a foutcode of the hub (IB, BRS, ADM) or of the validator itself (XML,
XSD, TIJD), or a code of any other code list of the standard. ``iwmo code 9069`` prints it; the dashboard
and the services' overviews use it.

Plain lookups over the package's data: nothing is imported that the validator does not need already.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache, lru_cache

from iwmo import codelijsten

#: the hub's refusals, modelled on the GGK (gemeenten) and VECOZO (aanbieders) foutcodes; IB404, IB408, IB422
#: and ADMxx are this simulation's own (docs/gateway.md)
HUB_FOUTCODES: dict[str, str] = {
    "IB001": "Het bericht voldoet niet aan de XSD (GGK, een gemeente verzendt).",
    "IB002": "De verzendende partij is niet geautoriseerd: geen of een ongeldig token.",
    "IB003": "Het bericht is groter dan toegestaan (GGK, een gemeente verzendt).",
    "IB004": "Dit berichttype wordt niet ondersteund: geen bericht van iWmo 3.2.",
    "IB005": "De geadresseerde partij is niet aangesloten bij de hub (GGK, een gemeente verzendt).",
    "IB008": "De indienende partij heeft niet de rol die dit berichttype verzendt.",
    "IB009": "De indiener mag niet namens de afzender in het bericht indienen.",
    "IB010": "De geadresseerde partij is niet aangesloten bij de hub (VECOZO, een aanbieder verzendt).",
    "IB012": "Het bericht is groter dan toegestaan (VECOZO, een aanbieder verzendt).",
    "IB014": "Het bericht voldoet niet aan de XSD (VECOZO, een aanbieder verzendt).",
    "IB017": "Het bericht is gecomprimeerd of in een codering die de hub niet leest.",
    "IB018": "Applicatiegegevens niet of onjuist gevuld.",
    "IB019": "Op deze declaratie is al een declaratie-antwoord (WMO325) ingediend.",
    "IB021": "AlsAntwoordOp niet (juist) gevuld: het heenbericht is niet aan u verzonden, of er is al een retour.",
    "IB404": "Bericht niet gevonden in uw berichtenbox (van deze hub).",
    "IB408": "Het verzoek (headers of bericht) kwam niet op tijd binnen; de hub sloot de verbinding.",
    "IB422": "Het bericht vraagt meer controletijd dan de hub per bericht geeft; het is niet aangenomen.",
    "BRS14": "Het bericht is geen well-formed XML (of bevat een DOCTYPE of entities).",
    "BRS20": "De Identificatie is al gebruikt door deze afzender voor dit berichttype.",
    "BRS28": "Het bericht is afgekeurd op de controleregels binnen het bericht.",
    "ADM01": "Deze partij is al geregistreerd bij de hub (beheer).",
    "ADM02": "Deze partij is niet bekend bij de hub (beheer).",
}

#: the validator's own codes beside the rules of the standard (iwmo.validation); a service that receives a
#: message answers a TIJD fault with retourcode 0001 (docs/validation.md)
VALIDATOR_FOUTCODES: dict[str, str] = {
    "XML": "Het bericht is geen (toegestane) XML: leeg, niet goedgevormd, te groot, met een DTD, of met meer "
           "attributen dan een iWmo-bericht kan hebben.",
    "XSD": "Het bericht voldoet niet aan het XSD van zijn berichttype.",
    "TIJD": "De controle van het bericht duurde langer dan de tijd die de ontvanger per bericht geeft "
            "(INBOUND_VALIDATION_BUDGET_SECONDS); het is om technische redenen afgekeurd (retourcode 0001).",
}

_REGELCODE = re.compile(r"^(TR|CD|CS|RS|OP|IV|UP)[0-9]{3}(x[0-9]+)?$")


@dataclass(frozen=True)
class Uitleg:
    """One meaning of a code: what kind of code it is, where it comes from, and what it says."""

    code: str
    soort: str  # retourcode | regel | hubfout | validatorfout | codelijst
    bron: str  # WJ001, the rule's message types, the hub, or the code list and its element
    betekenis: str
    extra: list[str] = field(default_factory=list)

    def regel(self) -> str:
        """One line: code, kind and meaning."""
        return f"{self.code}  {self.soort} ({self.bron}): {self.betekenis}"


@lru_cache(maxsize=4096)  # every dashboard page and every API answer with retourcodes asks; bounded
def betekenis(code: str) -> str | None:
    """The meaning of a retourcode, rule code or hub foutcode in one sentence; None when unknown."""
    gevonden = uitleg(code, alle_lijsten=False)
    return gevonden[0].betekenis if gevonden else None


def betekenissen(codes: list[str]) -> dict[str, str]:
    """Per code its meaning (for an API answer beside a list of retourcodes); unknown codes say so."""
    return {c: betekenis(c) or "onbekende code" for c in codes}


@cache
def _regels() -> dict[str, tuple[str, tuple[str, ...], str | None]]:
    from iwmo.regels import REGELS  # the validator's rules, loaded only when a rule code is asked for

    return {r.code: (r.omschrijving, r.berichten, r.retourcode) for r in REGELS}


@cache
def _retourcode_van(regel: str) -> str | None:
    for code in codelijsten.codes("WJ001"):
        if codelijsten.retourcode_regel(code) == regel:
            return code
    return None


def uitleg(code: str, *, alle_lijsten: bool = True) -> list[Uitleg]:
    """Every meaning ``code`` has: as a retourcode, a rule, a hub foutcode, and (``alle_lijsten``) as a code
    in the other code lists (``2`` is a Geslacht and a Frequentie). Empty when nothing knows it."""
    code = code.strip()
    groot = code.upper()
    uit: list[Uitleg] = []
    wj001 = codelijsten.betekenis("WJ001", code)
    if wj001 is not None:
        extra = []
        regel = codelijsten.retourcode_regel(code)
        if regel:
            tekst = _regels().get(regel)
            extra.append(f"regel {regel}" + (f": {tekst[0]}" if tekst else " (berichtoverstijgend: de ontvanger "
                                                                               "toetst haar)"))
        uit.append(Uitleg(code, "retourcode", "WJ001", wj001, extra))
    if _REGELCODE.match(groot):
        regels = _regels()
        if groot in regels:
            omschrijving, berichten, retourcode = regels[groot]
            extra = [f"in {', '.join(berichten)}"]
            if retourcode:
                extra.append(f"retourcode {retourcode}: {codelijsten.betekenis('WJ001', retourcode) or '?'}")
            uit.append(Uitleg(groot, "regel", "de validator", omschrijving, extra))
        else:
            retourcode = _retourcode_van(groot)
            if retourcode is not None:
                uit.append(Uitleg(groot, "regel", "berichtoverstijgend, getoetst door de ontvanger",
                                  codelijsten.betekenis("WJ001", retourcode) or "", [f"retourcode {retourcode}"]))
    if groot in HUB_FOUTCODES:
        uit.append(Uitleg(groot, "hubfout", "de hub", HUB_FOUTCODES[groot]))
    if groot in VALIDATOR_FOUTCODES:
        uit.append(Uitleg(groot, "validatorfout", "de validator", VALIDATOR_FOUTCODES[groot]))
    if alle_lijsten:
        for lijst in codelijsten.lijsten():
            if lijst == "WJ001":
                continue
            in_lijst = codelijsten.betekenis(lijst, code)
            if in_lijst is not None:
                uit.append(Uitleg(code, "codelijst", f"{lijst}, {codelijsten.naam(lijst)}", in_lijst))
    return uit
