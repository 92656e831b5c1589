"""The toewijzing service of the same gemeente, as the plan service reads it (its JSON API, over httpx).

A besluit needs the client's toewijzingen as the gemeente granted them: one call to
``GET /clienten/{bsn}`` per besluit, never one per toewijzing. The plan service never reads the toewijzing
service's tables.
"""

from __future__ import annotations

from typing import Any

import httpx

from infra.errors import DomainError


class ToewijzingNietBereikbaar(DomainError):
    status = 503


def client_overzicht(http: httpx.Client | None, bsn: str) -> dict[str, Any]:
    """The toewijzing service's overview of the client: name and toewijzingen (422 when it does not know him)."""
    if http is None:
        raise ToewijzingNietBereikbaar("de plan-service kent geen toewijzing-service (PLAN_TOEWIJZING_URL)")
    try:
        antwoord = http.get(f"/clienten/{bsn}")
    except httpx.HTTPError as exc:
        raise ToewijzingNietBereikbaar(f"de toewijzing-service is niet bereikbaar ({type(exc).__name__})") from None
    if antwoord.status_code == 404:
        raise DomainError("de toewijzing-service kent deze client niet", "bsn")
    if antwoord.status_code != 200:
        raise ToewijzingNietBereikbaar(f"de toewijzing-service antwoordde {antwoord.status_code}")
    data: dict[str, Any] = antwoord.json()
    return data
