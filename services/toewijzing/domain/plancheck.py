"""The legal-certainty check: is the support plan (ondersteuningsplan) of a resultaat toewijzing established?

A resultaat toewijzing only holds up when a plan translates the result into activities and time
(see docs/toewijzing.md). Before a WMO301 carrying resultaat toewijzingen goes out, the outbox asks
the checker; until it answers "established" the message stays queued with the reason, which the client
overview shows. The plan service (services/plan, ``POST /plancheck``) answers; with
``TOEWIJZING_PLAN_CHECK_URL`` empty the check is off and resultaat toewijzingen go out unchecked.

The HTTP contract: ``POST {url}`` (with ``Authorization: Bearer TOEWIJZING_PLAN_CHECK_TOKEN``) and JSON
``{"gemeente": "0363", "bsn": "...", "toewijzingnummers": [..]}`` answers ``200`` with
``{"vastgesteld": true}`` or ``{"vastgesteld": false, "toelichting": "..."}``.
Any other answer, or none, counts as "not established" (the message waits; nothing unchecked leaves).
"""

from __future__ import annotations

from collections.abc import Callable

import httpx

#: (bsn, toewijzingnummers) -> None when every plan is established, else the reason to wait
PlanCheck = Callable[[str, list[int]], str | None]


def http_plan_check(http: httpx.Client, url: str, gemeente: str) -> PlanCheck:
    def check(bsn: str, nummers: list[int]) -> str | None:
        try:
            response = http.post(url, json={"gemeente": gemeente, "bsn": bsn, "toewijzingnummers": nummers})
        except httpx.HTTPError as exc:
            return f"ondersteuningsplan niet te controleren: {type(exc).__name__}"
        if response.status_code != 200:
            return f"ondersteuningsplan niet te controleren: de planservice antwoordde {response.status_code}"
        try:
            body = response.json()
        except ValueError:
            return "ondersteuningsplan niet te controleren: geen JSON-antwoord"
        if body.get("vastgesteld") is True:
            return None
        return "ondersteuningsplan nog niet vastgesteld" + (f": {body['toelichting']}" if body.get("toelichting") else "")
    return check
