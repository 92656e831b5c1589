"""Who may call a service's own JSON API, on both sides of the wire.

Server side, :func:`toegang` is a FastAPI dependency: the caller shows ``Authorization: Bearer <token>``
with one of the tokens in the service's ``api_tokens`` setting (caller name -> token). With
``partij_param`` the route is one party's (the stand-in's ``/aanbieders/{agb}/...``): only the token
registered under that party's name opens it. Without any token configured nobody gets in: a back office
that anyone on the network can drive is not a default. ``/health`` and the hub's push (signed with the
push secret, see :func:`services.common.api.controleer_push`) do not use this.

Client side, :class:`PartijTokens` is the ``httpx.Auth`` that sends the right token per party; the
scenario runner, the stand-in's command line and the tests use it.
"""

from __future__ import annotations

import hmac
import json
import os
import re
from collections.abc import Callable, Generator, Mapping
from pathlib import Path
from typing import Annotated, Any

import httpx
from fastapi import Depends, HTTPException, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BeforeValidator
from pydantic_settings import NoDecode

_BEARER = HTTPBearer(auto_error=False, description="een API-token van deze dienst (instelling *_API_TOKENS)")
_VRAAG = {"WWW-Authenticate": "Bearer"}


def json_object(waarde: Any) -> Any:
    """A setting given as a JSON object in the environment; empty means none (compose passes an unset
    variable as ''). Keys and values must be texts."""
    if isinstance(waarde, str):
        if not waarde.strip():
            return {}
        try:
            waarde = json.loads(waarde)
        except ValueError as exc:
            raise ValueError(f"geen JSON-object van naam naar tekst: {exc}") from None
    return waarde


#: a settings field holding ``{"name": "text", ...}``, given as JSON in the environment
JsonObject = Annotated[dict[str, str], NoDecode, BeforeValidator(json_object)]


def _env_naam(request: Request) -> str:
    prefix = request.app.state.settings.model_config.get("env_prefix", "")
    return f"{prefix}API_TOKENS"


def herken(tokens: Mapping[str, str], gegeven: str) -> str | None:
    """The name under which ``gegeven`` is registered (compared in constant time, every token tried)."""
    gevonden = None
    for naam, token in tokens.items():
        if token and hmac.compare_digest(token.encode(), gegeven.encode()):
            gevonden = naam
    return gevonden


def toegang(*, partij_param: str | None = None) -> Callable[..., str]:
    """The dependency that lets a caller in, and gives the name its token is registered under."""

    def controleer(request: Request,
                   bewijs: Annotated[HTTPAuthorizationCredentials | None, Depends(_BEARER)]) -> str:
        tokens: Mapping[str, str] = request.app.state.settings.api_tokens
        if not any(tokens.values()):
            raise HTTPException(401, f"deze dienst laat niemand toe: er is geen API-token ingesteld "
                                     f"({_env_naam(request)})", headers=_VRAAG)
        if bewijs is None:
            raise HTTPException(401, "Authorization: Bearer <token> ontbreekt", headers=_VRAAG)
        naam = herken(tokens, bewijs.credentials)
        if naam is None:
            raise HTTPException(401, "onbekend API-token", headers=_VRAAG)
        partij = request.path_params.get(partij_param) if partij_param else None
        if partij is not None and partij != naam:
            raise HTTPException(403, f"dit token hoort niet bij {partij}")
        request.state.aanroeper = naam
        return naam

    return controleer


_PARTIJ_PAD = re.compile(r"/aanbieders/([^/]+)(?:/|$)")


class PartijTokens(httpx.Auth):
    """Sends, per request, the token of the party the path names (``/aanbieders/{agb}/...``), and
    ``standaard`` (or else the first token) for the other paths."""

    def __init__(self, tokens: Mapping[str, str], standaard: str | None = None) -> None:
        self.tokens = dict(tokens)
        self.standaard = standaard if standaard is not None else next(iter(self.tokens.values()), None)

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        gevonden = _PARTIJ_PAD.search(request.url.path)
        token = self.tokens.get(gevonden.group(1)) if gevonden else self.standaard
        if token:
            request.headers["Authorization"] = f"Bearer {token}"
        yield request


#: where ``iwmo suite`` keeps the API tokens (IWMO_API_TOKENS points elsewhere)
TOKENS_PAD = Path(os.environ.get("IWMO_API_TOKENS", "var/suite/api-tokens.json"))


def lees_tokens(pad: Path) -> dict[str, dict[str, str]]:
    """The API tokens ``iwmo suite`` wrote (``{"toewijzing": {...}, "aanbieder": {...}}``); empty when the
    file is not there."""
    if not pad.is_file():
        return {}
    data = json.loads(pad.read_text())
    return {dienst: dict(tokens) for dienst, tokens in data.items()}
