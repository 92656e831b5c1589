"""A push as the hub makes it (the message, its hub id and the signature with the receiver's push secret),
and the API tokens the test services take."""

from __future__ import annotations

from typing import Any

from iwmo.hub import HANDTEKENING, handtekening

#: the push secrets the test services are configured with
GEHEIMEN = {"0363": "push-geheim-gemeente", "12345678": "push-geheim-12345678", "87654321": "push-geheim-87654321"}


def push(client: Any, xml: bytes, ontvanger: str, hub_id: int = 1, geheim: str | None = None) -> Any:
    geheim = GEHEIMEN[ontvanger] if geheim is None else geheim
    return client.post("/berichten", content=xml, headers={
        "Content-Type": "application/xml", "X-Iwmo-Bericht-Id": str(hub_id),
        HANDTEKENING: handtekening(geheim, hub_id, xml)})


#: the API tokens the test services are configured with (TOEWIJZING_API_TOKENS, AANBIEDER_API_TOKENS)
GEMEENTE_TOKENS = {"wijkteam": "api-token-wijkteam"}
AANBIEDER_TOKENS = {"12345678": "api-token-12345678", "87654321": "api-token-87654321"}
