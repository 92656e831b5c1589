"""The toewijzing service of the same gemeente, as the declaratie service reads it: one call per WMO323
(``POST /toewijzingen/opvragen`` with every ToewijzingNummer in the message), never one per Prestatie.

Why read it and not keep a copy: the toewijzingen change (extended, shortened, deleted) and a copy fed from
the toewijzing service would lag behind it exactly when a declaratie needs the truth; one request per
message costs a few milliseconds beside the message itself. When the toewijzing service does not answer,
no verdict is given: the WMO323 stays at the hub and is taken again later (nothing half-judged).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import httpx

from services.declaratie.domain.declaratie_regels import Toewijzing


class ToewijzingNietBereikbaar(RuntimeError):
    """No verdict possible now: the message is left at the hub and taken again."""


def _toewijzing(t: dict[str, Any]) -> Toewijzing:
    einde = t.get("einddatum")
    return Toewijzing(nummer=int(t["toewijzingnummer"]), bsn=t["bsn"], wijze=t["wijze"], categorie=t["categorie"],
                      code=t["code"], ingangsdatum=dt.date.fromisoformat(t["ingangsdatum"]),
                      einddatum=dt.date.fromisoformat(einde) if einde else None, volume=t["omvang"]["volume"],
                      eenheid=t["omvang"]["eenheid"], frequentie=t["omvang"]["frequentie"],
                      budget=t["omvang"]["budget"], reden_wijziging=t["reden_wijziging"], aanbieder=t.get("aanbieder"))


def _vraag(http: httpx.Client | None, body: dict[str, Any]) -> dict[str, Any]:
    if http is None:
        raise ToewijzingNietBereikbaar("geen toewijzing-service ingesteld (DECLARATIE_TOEWIJZING_URL)")
    try:
        antwoord = http.post("/toewijzingen/opvragen", json=body)
    except httpx.HTTPError as exc:
        raise ToewijzingNietBereikbaar(f"toewijzing-service niet bereikbaar ({type(exc).__name__})") from None
    if antwoord.status_code != 200:
        raise ToewijzingNietBereikbaar(f"toewijzing-service antwoordde {antwoord.status_code}")
    data: dict[str, Any] = antwoord.json()
    return data


def opvragen(http: httpx.Client | None, *, aanbieder: str, nummers: list[int],
             bsns: list[str]) -> tuple[dict[int, Toewijzing], set[str]]:
    """The aanbieder's toewijzingen with these numbers (absent: not its toewijzing, or none), and which of
    ``bsns`` are its clients."""
    data = _vraag(http, {"aanbieder": aanbieder, "nummers": sorted(set(nummers)), "bsns": sorted(set(bsns))})
    return {t.nummer: t for t in map(_toewijzing, data["toewijzingen"])}, set(data["clienten"])


def van_client(http: httpx.Client | None, *, bsn: str, aanbieder: str | None = None) -> list[Toewijzing]:
    """Every toewijzing of the client (of ``aanbieder`` only, when given), in one call."""
    body: dict[str, Any] = {"client": bsn}
    if aanbieder is not None:
        body["aanbieder"] = aanbieder
    return [_toewijzing(t) for t in _vraag(http, body)["toewijzingen"]]
