"""Who may call a service's own JSON API, on both sides of the wire.

Server side, :func:`protected_router` makes a router whose routes ask for ``Authorization: Bearer <token>``
with one of the tokens in the service's ``api_tokens`` setting (caller name -> token), before anything
else is done with the request. With ``partij_param`` the route is one party's (the stand-in's
``/aanbieders/{agb}/...``): only the token registered under that party's name opens it. Without any token configured nobody gets in: a back office
that anyone on the network can drive is not a default. ``/health`` and the hub's push (signed with the
push secret, see :func:`infra.http.verify_push`) do not use this.

Client side, :class:`PartyTokens` is the ``httpx.Auth`` that sends the right token per party; the
scenario runner, the stand-in's command line and the tests use it.
"""

from __future__ import annotations

import hmac
import json
import re
from collections.abc import Generator, Mapping
from typing import Annotated, Any

import httpx
from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.security import HTTPBearer
from pydantic import AfterValidator, BeforeValidator
from pydantic_settings import NoDecode

from infra.http import checked_first
from infra.problem import problem_responses

_BEARER = HTTPBearer(auto_error=False, description="een API-token van deze dienst (instelling *_API_TOKENS)")
_CHALLENGE = {"WWW-Authenticate": "Bearer"}
#: the largest JSON body a service takes (a beschikking with many voorzieningen is a few kB)
MAX_JSON = 1024 * 1024


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

_TOKEN = re.compile(r"[A-Za-z0-9._~+/-]+=*")  # what a bearer token may hold (RFC 6750)
MIN_TOKEN = 16


def valid_tokens(tokens: dict[str, str]) -> dict[str, str]:
    """API tokens that can work: long enough, of the bearer-token characters, none shared by two callers
    (the messages name the caller, never the token)."""
    van: dict[str, str] = {}
    for naam, token in tokens.items():
        if not _TOKEN.fullmatch(token):
            raise ValueError(f"het token van {naam!r} is leeg of bevat tekens die niet in een bearer-token "
                             f"passen (wel: letters, cijfers en -._~+/=)")
        if len(token) < MIN_TOKEN:
            raise ValueError(f"het token van {naam!r} is korter dan {MIN_TOKEN} tekens")
        if token in van:
            raise ValueError(f"{van[token]!r} en {naam!r} hebben hetzelfde token")
        van[token] = naam
    return tokens


#: the ``api_tokens`` setting: caller name -> API token, as JSON in the environment
ApiTokens = Annotated[dict[str, str], NoDecode, BeforeValidator(json_object), AfterValidator(valid_tokens)]


def _env_name(request: Request) -> str:
    prefix = request.app.state.settings.model_config.get("env_prefix", "")
    return f"{prefix}API_TOKENS"


def identify_token(tokens: Mapping[str, str], gegeven: str) -> str | None:
    """The name under which ``gegeven`` is registered (compared in constant time, every token tried)."""
    gevonden = None
    for naam, token in tokens.items():
        if token and hmac.compare_digest(token.encode(), gegeven.encode()):
            gevonden = naam
    return gevonden


def check_caller(request: Request, partij_param: str | None = None) -> str:
    """Let the caller in, or raise 401 (no, unknown or no configured token) / 403 (another party's route);
    returns the name its token is registered under."""
    tokens: Mapping[str, str] = request.app.state.settings.api_tokens
    if not any(tokens.values()):
        raise HTTPException(401, f"deze dienst laat niemand toe: er is geen API-token ingesteld "
                                 f"({_env_name(request)})", headers=_CHALLENGE)
    schema, _, gegeven = request.headers.get("authorization", "").partition(" ")
    if schema.lower() != "bearer" or not gegeven.strip():
        raise HTTPException(401, "Authorization: Bearer <token> ontbreekt", headers=_CHALLENGE)
    naam = identify_token(tokens, gegeven.strip())
    if naam is None:
        raise HTTPException(401, "onbekend API-token", headers=_CHALLENGE)
    partij = request.path_params.get(partij_param) if partij_param else None
    if partij is not None and partij != naam:
        raise HTTPException(403, f"dit token hoort niet bij {partij}")
    request.state.caller = naam
    return naam


def caller(request: Request) -> str:
    """The name the caller's API token is registered under (set by :func:`check_caller`): who did it."""
    naam: str = request.state.caller
    return naam


#: who calls a protected route: the name of its API token (recorded with what it changes)
CallerDep = Annotated[str, Depends(caller)]


def protected_router(*, partij_param: str | None = None, **router: Any) -> APIRouter:
    """A router whose routes let in only callers with an API token (see :func:`check_caller`). The check
    runs before the body is read, and a body above MAX_JSON is refused (413) as it streams in. With
    ``partij_param`` each route belongs to the party its path names."""
    route = checked_first(lambda request: check_caller(request, partij_param), MAX_JSON)
    # the (inert) bearer dependency puts the scheme in the OpenAPI document: "Authorize" in /docs
    return APIRouter(route_class=route, dependencies=[Depends(_BEARER)],
                     responses={**problem_responses(401, 403, 413), **router.pop("responses", {})}, **router)


def bearer_client(url: str, token: str, *, timeout: float = 10) -> httpx.Client | None:
    """A client for another service's JSON API at ``url``, showing this service's API token there (None when
    no URL is configured: the caller says what that means)."""
    if not url:
        return None
    return httpx.Client(base_url=url, timeout=timeout, headers={"Authorization": f"Bearer {token}"} if token else {})


_PARTY_PATH = re.compile(r"/aanbieders/([^/]+)(?:/|$)")


class PartyTokens(httpx.Auth):
    """Sends, per request, the token of the party the path names (``/aanbieders/{agb}/...``), and
    ``standaard`` (or else the first token) for the other paths; nothing for a party it has no token
    of, and never over an Authorization header the request already has."""

    def __init__(self, tokens: Mapping[str, str], standaard: str | None = None) -> None:
        self.tokens = dict(tokens)
        self.standaard = standaard if standaard is not None else next(iter(self.tokens.values()), None)

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        if "Authorization" not in request.headers:  # a header the caller set stays as it is
            gevonden = _PARTY_PATH.search(request.url.path)
            token = self.tokens.get(gevonden.group(1)) if gevonden else self.standaard
            if token:
                request.headers["Authorization"] = f"Bearer {token}"
        yield request
