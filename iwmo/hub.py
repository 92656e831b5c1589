"""A client of the hub's HTTP API (docs/gateway.md), for services and provider software.

It takes an ``httpx.Client`` whose ``base_url`` is the hub (in tests: the hub app's TestClient), and the
party's bearer token.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from collections.abc import Iterable
from typing import Any

import httpx

from iwmo.exceptions import HubError, HubUnreachable


class HubClient:
    def __init__(self, http: httpx.Client, token: str) -> None:
        self.http = http
        self.headers = {"Authorization": f"Bearer {token}"}

    def _call(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        try:
            response = self.http.request(method, path, headers={**self.headers, **kwargs.pop("headers", {})},
                                         **kwargs)
        except httpx.HTTPError as exc:
            raise HubUnreachable(f"hub niet bereikbaar: {exc}") from exc
        if response.status_code >= 500:
            raise HubUnreachable(f"hub antwoordde {response.status_code}")
        if response.status_code >= 400:
            try:
                body = response.json()
            except ValueError:
                body = {}
            raise HubError(response.status_code, body.get("foutcode", str(response.status_code)),
                           body.get("omschrijving") or body.get("detail") or response.text[:200],
                           body.get("details", []))
        return response

    def send(self, xml: bytes) -> int:
        """Offer a message; returns the hub's id once it is stored (202)."""
        response = self._call("POST", "/berichten", content=xml, headers={"Content-Type": "application/xml"})
        return int(response.json()["id"])

    def send_many(self, xmls: list[bytes]) -> list[int | HubError]:
        """Offer several messages in one request (at most 100, together within the hub's size limit), in order;
        per message the hub's id once stored, or its refusal, as :meth:`send` would have raised it. A refusal
        of the request itself (401, 413 ...) raises."""
        berichten = [base64.b64encode(xml).decode("ascii") for xml in xmls]
        uitkomsten = self._call("POST", "/berichten/bundel", json={"berichten": berichten}).json()["uitkomsten"]
        return [int(u["id"]) if u["status"] == 202 else
                HubError(u["status"], u["foutcode"], u.get("omschrijving") or "", u.get("details", []))
                for u in uitkomsten]

    def mailbox(self, limit: int = 100, *, berichten: Iterable[str] = (), na: int | None = None,
                inhoud: bool = False) -> list[dict[str, Any]]:
        """Undelivered messages for this party, oldest first: only of the types ``berichten`` when given,
        only after the id ``na`` when given. Metadata only, unless ``inhoud``: then each carries its
        message as bytes under ``xml`` (a batch collected in one request)."""
        params: dict[str, Any] = {"limit": limit, "bericht": list(berichten)}
        if na is not None:
            params["na"] = na
        if inhoud:
            params["inhoud"] = "true"
        berichten_ = list(self._call("GET", "/mailbox", params=params).json())
        if inhoud:
            for meta in berichten_:
                meta["xml"] = base64.b64decode(meta["xml"])
        return berichten_

    def aangesloten(self, code: str) -> bool:
        """Whether the party with this CBS or AGB code is connected to the hub (may receive messages)."""
        return bool(self._call("GET", f"/partijen/{code}").json()["aangesloten"])

    def fetch(self, bericht_id: int) -> bytes:
        return self._call("GET", f"/berichten/{bericht_id}").content

    def metadata(self, bericht_id: int) -> dict[str, Any]:
        return dict(self._call("GET", f"/berichten/{bericht_id}", headers={"Accept": "application/json"}).json())

    def acknowledge(self, bericht_id: int) -> None:
        self._call("POST", f"/berichten/{bericht_id}/ontvangen")

    def acknowledge_many(self, bericht_ids: Iterable[int]) -> list[int]:
        """Acknowledge several messages in one request; returns the ids that were this party's."""
        return list(self._call("POST", "/mailbox/ontvangen", json={"ids": list(bericht_ids)}).json()["afgeleverd"])


#: the header in which the hub signs a push: ``sha256=<hex>``, or several separated by commas while a
#: secret is being replaced (the new and the previous one)
HANDTEKENING = "X-Iwmo-Handtekening"


def handtekening(geheim: str, bericht_id: int | str, body: bytes) -> str:
    """The hub's signature of a pushed message: HMAC-SHA256 with the receiver's push secret over the hub's
    message id, a newline and the body (so a body cannot be replayed under another id)."""
    mac = hmac.new(geheim.encode(), f"{bericht_id}\n".encode() + body, hashlib.sha256)
    return "sha256=" + mac.hexdigest()


def handtekeningen(geheimen: list[str], bericht_id: int | str, body: bytes) -> str:
    """The header value: one signature per secret (the current one first)."""
    return ", ".join(handtekening(g, bericht_id, body) for g in geheimen if g)


def handtekening_klopt(geheimen: str | list[str], bericht_id: str | None, body: bytes, gegeven: str | None) -> bool:
    """Whether a push carries a signature made with one of ``geheimen`` (a list, or one string with
    secrets separated by commas: the receiver's new and old secret while one is replaced). Compared in
    constant time; anything malformed is simply not a match."""
    if isinstance(geheimen, str):
        geheimen = [g.strip() for g in geheimen.split(",")]
    geheimen = [g for g in geheimen if g]
    if not geheimen or not bericht_id or not gegeven:
        return False
    try:
        kandidaten = [h.strip().encode("ascii") for h in gegeven.split(",")]
    except UnicodeEncodeError:
        return False
    verwacht = [handtekening(g, bericht_id, body).encode("ascii") for g in geheimen]
    return any(hmac.compare_digest(k, v) for k in kandidaten for v in verwacht)
