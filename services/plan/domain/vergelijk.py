"""Two versions of a plan side by side: what changed, and the time before and after.

Every activity and circumstance that differs is listed with its frequency and time in both versions; an
activity that is dropped (or comes back) shows as such. The totals are the rounded-up minutes per week and
per year of each version, and their difference: a cut in care is never hidden in a new version.
"""

from __future__ import annotations

from dataclasses import dataclass

from services.plan.domain.rekenen import Berekening, als_tekst


@dataclass(frozen=True)
class Wijziging:
    soort: str  # activiteit | omstandigheid
    code: str
    omschrijving: str
    voor: str | None  # e.g. "1 keer per week, 45 minuten per keer"; None: not in that version
    na: str | None
    minuten_per_week_voor: str  # exact, as a fraction text
    minuten_per_week_na: str
    reden: str | None  # the new version's reason or explanation, where it gives one


def _tekst(frequentie: object, per_keer: str) -> str:
    return f"{frequentie}, {per_keer} minuten per keer"


def vergelijk(voor: Berekening, na: Berekening) -> list[Wijziging]:
    wijzigingen: list[Wijziging] = []
    a_voor = {a.code: a for a in voor.activiteiten}
    a_na = {a.code: a for a in na.activiteiten}
    omschrijving = {**{v.code: v.omschrijving for v in (*voor.vervallen, *na.vervallen)},
                    **{a.code: a.omschrijving for a in (*voor.activiteiten, *na.activiteiten)}}
    for code in [*a_voor, *(c for c in a_na if c not in a_voor)]:
        v, n = a_voor.get(code), a_na.get(code)
        tv = _tekst(v.frequentie, als_tekst(v.minuten_per_keer)) if v else None
        tn = _tekst(n.frequentie, als_tekst(n.minuten_per_keer)) if n else None
        if tv == tn:
            continue
        reden = n.reden if n else next((x.reden for x in na.vervallen if x.code == code), None)
        wijzigingen.append(Wijziging("activiteit", code, omschrijving[code], tv, tn,
                                     als_tekst(v.per_week) if v else "0", als_tekst(n.per_week) if n else "0", reden))
    o_voor = {o.code: o for o in voor.omstandigheden}
    o_na = {o.code: o for o in na.omstandigheden}
    for code in [*o_voor, *(c for c in o_na if c not in o_voor)]:
        ov, on = o_voor.get(code), o_na.get(code)
        huidig = on or ov
        if huidig is None or (ov and on and ov.aantal == on.aantal):
            continue
        wijzigingen.append(Wijziging("omstandigheid", code, huidig.omschrijving,
                                     f"{ov.aantal} keer" if ov else None, f"{on.aantal} keer" if on else None,
                                     als_tekst(ov.per_week) if ov else "0", als_tekst(on.per_week) if on else "0",
                                     on.toelichting if on else None))
    return wijzigingen
