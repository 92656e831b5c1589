"""Before a beschikking is stored: is each aanbieder it assigns to connected to the hub? A WMO301 to an
aanbieder that is not would wait in the outbox until it is (the hub refuses it with IB005), so the consultant
hears it at once: as a warning in the answer, or, when the gemeente's policy says so
(TOEWIJZING_ONBEKENDE_AANBIEDER=weiger), as a refusal that stores nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Literal

from infra.errors import DomainError
from iwmo.exceptions import HubError, HubUnreachable

Beleid = Literal["waarschuw", "weiger"]


def controleer(aanbieders: Iterable[tuple[str, str]], *, aangesloten: Callable[[str], bool] | None,
               beleid: Beleid) -> list[str]:
    """The warnings for ``aanbieders`` ((veld, AGB code) per voorziening), each code asked once; raises a
    DomainError naming the fields when ``beleid`` is ``weiger`` and one is not connected. ``aangesloten``
    None: no hub configured, nothing to ask."""
    if aangesloten is None:
        return []
    waarschuwingen: list[str] = []
    niet: list[tuple[str, str]] = []
    antwoord: dict[str, bool | None] = {}
    for veld, code in aanbieders:
        if code not in antwoord:
            try:
                antwoord[code] = aangesloten(code)
            except (HubUnreachable, HubError) as exc:
                antwoord[code] = None
                waarschuwingen.append(f"niet na te gaan of aanbieder {code} is aangesloten bij de hub ({exc})")
        if antwoord[code] is False:
            niet.append((veld, code))
    for code in dict.fromkeys(c for _, c in niet) if beleid == "waarschuw" else ():
        waarschuwingen.append(f"aanbieder {code} is niet aangesloten bij de hub: het WMO301 wacht in de wachtrij "
                              f"tot hij dat is (zie GET /berichten?status=te-verzenden)")
    if niet and beleid == "weiger":
        raise DomainError(f"aanbieder {', '.join(sorted({c for _, c in niet}))} is niet aangesloten bij de hub; "
                          "de gemeente wijst alleen toe aan aangesloten aanbieders (TOEWIJZING_ONBEKENDE_AANBIEDER)",
                          niet[0][0], fouten=[(veld, f"aanbieder {code} is niet aangesloten bij de hub")
                                              for veld, code in niet])
    return waarschuwingen
