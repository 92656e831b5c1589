"""The one shape of every error answer in the suite: RFC 9457 problem details (``application/problem+json``)
with ``fouten`` (each ``{veld, fout, regel}``) and, at the hub, its ``foutcode``. Every app installs the
same handlers (:func:`install_problem_handlers`): domain errors, request validation (pydantic), Starlette's
HTTP errors and the hub's refusals all answer in this shape. An answer never quotes the input: pydantic's
``input`` and ``ctx`` are left out, only the field's path and the reason are given (docs/fouten.md)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException

from infra.errors import Conflict, DomainError, NotFound
from infra.outbox import InvalidBericht
from infra.schemas import Probleem
from iwmo.exceptions import HubError

PROBLEM_JSON = "application/problem+json"
TYPE = "urn:iwmo-suite:fout:"

#: the suite's kinds of problem (the end of ``type``) and their titles
SOORTEN = {
    "ongeldige-invoer": "Ongeldige invoer",
    "geweigerd": "Verzoek geweigerd",
    "niet-gevonden": "Niet gevonden",
    "conflict": "In strijd met wat er al is",
    "bericht-ongeldig": "Bericht voldoet niet aan de standaard",
    "niet-aangemeld": "Niet aangemeld",
    "geen-toegang": "Geen toegang",
    "methode-niet-toegestaan": "Methode niet toegestaan",
    "te-groot": "Verzoek te groot",
    "interne-fout": "Interne fout",
    "hub": "Geweigerd door de hub",
}
#: the kind of a plain HTTP error by its status (another status: about:blank)
PER_STATUS = {401: "niet-aangemeld", 403: "geen-toegang", 404: "niet-gevonden", 405: "methode-niet-toegestaan",
              409: "conflict", 413: "te-groot", 422: "ongeldige-invoer", 500: "interne-fout"}

#: what Starlette's own HTTP errors say, in words
_STANDAARD_DETAIL = {404: "Hier is niets: geen route op dit adres.", 405: "Deze methode kan niet op dit adres.",
                     401: "Niet aangemeld.", 403: "Geen toegang."}

#: a rule code of the standard (TR018, OP033x1, CS002, UP031, IV093) or of the hub (IB018, BRS20)
_REGEL = re.compile(r"\b((?:TR|OP|UP|IV|CS|CD|RS|BR|IB|BRS)[0-9]{2,3}(?:x[0-9]+)?)\b")
_INDEX = re.compile(r"\[([0-9]+)\]")


def regel_in(tekst: str) -> str | None:
    """The first rule code a text names, if any."""
    gevonden = _REGEL.search(tekst)
    return gevonden.group(1) if gevonden else None


def veldpad(veld: str | None) -> str | None:
    """A field path in the one notation: ``activiteiten[0].reden`` becomes ``activiteiten.0.reden`` (an XPath
    in a message, ``/Bericht/...[2]``, stays as it is)."""
    return _INDEX.sub(r".\1", veld) if veld and not veld.startswith("/") else veld


def fout(veld: str | None, tekst: str, regel: str | None = None) -> dict[str, Any]:
    return {"veld": veldpad(veld), "fout": tekst, "regel": regel or regel_in(tekst)}


def _phrase(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return f"HTTP {status}"


def problem_body(status: int, detail: str, *, soort: str | None = None, fouten: Iterable[dict[str, Any]] = (),
                 **extensies: Any) -> dict[str, Any]:
    """The body: ``soort`` one of :data:`SOORTEN` (default: by the status, else about:blank). With a hub
    ``foutcode`` it also carries ``omschrijving`` and ``details``, as the hub's contract has them."""
    soort = soort or PER_STATUS.get(status)
    if soort is None:
        type_, title = "about:blank", _phrase(status)
    else:
        type_, title = TYPE + soort, SOORTEN[soort]
    lijst = list(fouten)
    body: dict[str, Any] = {"type": type_, "title": title, "status": status, "detail": detail, "fouten": lijst}
    if "foutcode" in extensies:
        extensies.setdefault("omschrijving", detail)
        extensies.setdefault("details", [f"{f['veld']}: {f['fout']}" if f["veld"] else f["fout"] for f in lijst])
    body.update(extensies)
    return body


def problem(status: int, detail: str, *, soort: str | None = None, fouten: Iterable[dict[str, Any]] = (),
            headers: Mapping[str, str] | None = None, **extensies: Any) -> JSONResponse:
    """The answer (application/problem+json) with :func:`problem_body`."""
    return JSONResponse(problem_body(status, detail, soort=soort, fouten=fouten, **extensies), status_code=status,
                        media_type=PROBLEM_JSON, headers=dict(headers or {}))


# -- request validation (pydantic) ---------------------------------------------------------------------------

#: pydantic's error types in words; ``{...}`` from the error's ctx (limits of the schema, never the input)
_REDENEN = {
    "missing": "verplicht veld ontbreekt",
    "extra_forbidden": "onbekend veld",
    "string_type": "moet tekst zijn",
    "int_type": "moet een geheel getal zijn", "int_parsing": "moet een geheel getal zijn",
    "int_from_float": "moet een geheel getal zijn",
    "float_type": "moet een getal zijn", "float_parsing": "moet een getal zijn",
    "decimal_type": "moet een getal zijn", "decimal_parsing": "moet een getal zijn",
    "decimal_max_places": "te veel decimalen (hoogstens {decimal_places})",
    "bool_type": "moet true of false zijn", "bool_parsing": "moet true of false zijn",
    "date_type": "moet een datum zijn (JJJJ-MM-DD)", "date_parsing": "moet een datum zijn (JJJJ-MM-DD)",
    "date_from_datetime_parsing": "moet een datum zijn (JJJJ-MM-DD)",
    "date_from_datetime_inexact": "moet een datum zijn (JJJJ-MM-DD), zonder tijd",
    "datetime_type": "moet een tijdstip zijn (ISO 8601)", "datetime_parsing": "moet een tijdstip zijn (ISO 8601)",
    "datetime_from_date_parsing": "moet een tijdstip zijn (ISO 8601)",
    "string_too_short": "te kort (minstens {min_length} tekens)",
    "string_too_long": "te lang (hoogstens {max_length} tekens)",
    "too_short": "te weinig (minstens {min_length})", "too_long": "te veel (hoogstens {max_length})",
    "greater_than": "moet groter zijn dan {gt}", "greater_than_equal": "moet minstens {ge} zijn",
    "less_than": "moet kleiner zijn dan {lt}", "less_than_equal": "mag hoogstens {le} zijn",
    "string_pattern_mismatch": "heeft niet de goede vorm (patroon {pattern})",
    "literal_error": "moet een van deze zijn: {expected}", "enum": "moet een van deze zijn: {expected}",
    "json_invalid": "geen geldige JSON", "json_type": "geen geldige JSON",
    "model_type": "moet een object zijn", "model_attributes_type": "moet een object zijn",
    "dict_type": "moet een object zijn", "list_type": "moet een lijst zijn",
}
_VOORVOEGSELS = ("Value error, ", "Assertion failed, ")
_PLAATS = {"body", "path", "query", "header", "cookie"}


def _reden(error: Mapping[str, Any]) -> str:
    sjabloon = _REDENEN.get(str(error.get("type")))
    if sjabloon is not None:
        try:
            return sjabloon.format(**{k: v for k, v in (error.get("ctx") or {}).items() if isinstance(v, (int, str))})
        except (KeyError, IndexError, ValueError):
            return sjabloon.split(" (")[0].split(": ")[0]
    melding = str(error.get("msg", "ongeldig"))
    for voorvoegsel in _VOORVOEGSELS:  # our own validators' words (they never repeat the input)
        melding = melding.removeprefix(voorvoegsel)
    return melding


def invoer_fouten(errors: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """pydantic's errors as ``{veld, fout}``: the path without where it came from (body, query, ...) and the
    reason in words; never the input (``input``) nor what was checked against it (``ctx`` beyond limits)."""
    fouten = []
    for error in errors:
        loc = list(error.get("loc", ()))
        if loc and loc[0] in _PLAATS:
            loc = loc[1:]
        if error.get("type") == "json_invalid":
            loc = []  # its loc is a position in the text
        fouten.append(fout(".".join(map(str, loc)) or None, _reden(error)))
    return fouten


def invoer_detail(fouten: Sequence[Mapping[str, Any]], max_genoemd: int = 3) -> str:
    genoemd = [f"{f['veld']}: {f['fout']}" if f["veld"] else f["fout"] for f in fouten[:max_genoemd]]
    rest = len(fouten) - len(genoemd)
    return "De invoer past niet: " + "; ".join(genoemd) + (f" (en {rest} meer)" if rest > 0 else "") + "."


# -- the handlers --------------------------------------------------------------------------------------------

def domain_problem(exc: DomainError) -> JSONResponse:
    """A domain refusal: its message as ``detail``, each fault (or its one field) in ``fouten``."""
    soort = "niet-gevonden" if isinstance(exc, NotFound) else "conflict" if isinstance(exc, Conflict) else "geweigerd"
    fouten = [fout(*f) for f in exc.fouten] if exc.fouten else [fout(exc.veld, exc.melding)] if exc.veld else []
    return problem(exc.status, exc.melding, soort=soort, fouten=fouten)


def hub_body(exc: HubError) -> dict[str, Any]:
    """A refusal of the hub, with its foutcode; each detail a fault (the rule it names, if any)."""
    return problem_body(exc.status, exc.omschrijving, soort="hub", fouten=[fout(None, d) for d in exc.details],
                        foutcode=exc.foutcode, details=list(exc.details))


def install_problem_handlers(app: FastAPI, *, invoer: Mapping[str, Any] | None = None) -> None:
    """Answer every error of ``app`` as a problem: domain errors, a composed message the standard rejects
    (nothing is stored: the request's transaction is not committed), request validation, Starlette's HTTP
    errors (unknown route, method, 401/403/413 ...) and the hub's refusals. ``invoer``: extension members of
    every invalid-input answer (the hub: its foutcode IB018)."""

    @app.exception_handler(DomainError)
    async def _domein(_request: Request, exc: DomainError) -> JSONResponse:
        return domain_problem(exc)

    @app.exception_handler(InvalidBericht)
    async def _ongeldig_bericht(_request: Request, exc: InvalidBericht) -> JSONResponse:
        fouten = [fout(", ".join(f.locaties) or None, f.details, f.code) for f in exc.fouten]
        return problem(422, str(exc), soort="bericht-ongeldig", fouten=fouten)

    @app.exception_handler(RequestValidationError)
    async def _invoer(_request: Request, exc: RequestValidationError) -> JSONResponse:
        fouten = invoer_fouten(exc.errors())
        return problem(422, invoer_detail(fouten), soort="ongeldige-invoer", fouten=fouten, **(invoer or {}))

    @app.exception_handler(HTTPException)
    async def _http(_request: Request, exc: HTTPException) -> JSONResponse:
        detail = exc.detail if isinstance(exc.detail, str) else ""
        if detail in ("", _phrase(exc.status_code)):  # Starlette's own (unknown route, method): in words
            detail = _STANDAARD_DETAIL.get(exc.status_code, detail or _phrase(exc.status_code))
        return problem(exc.status_code, detail, headers=exc.headers)

    @app.exception_handler(HubError)
    async def _hub(_request: Request, exc: HubError) -> JSONResponse:
        sluiten = {"Connection": "close"} if exc.status == 408 else None  # a 408 ends the connection (RFC 9110)
        return JSONResponse(hub_body(exc), status_code=exc.status, media_type=PROBLEM_JSON, headers=sluiten)


_BESCHRIJVING = {
    401: "Niet aangemeld: geen of een onbekend API-token",
    403: "Geen toegang: het token hoort bij een andere partij",
    404: "Niet gevonden",
    409: "In strijd met wat er al is",
    413: "Verzoek te groot",
    422: "Ongeldige invoer (het veld en de reden in fouten), of een verzoek dat de dienst weigert",
}


def problem_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """Error answers for a router's OpenAPI document, each with the :class:`Probleem` schema."""
    return {status: {"model": Probleem, "description": _BESCHRIJVING[status]} for status in statuses}


def problem_openapi(app: FastAPI) -> None:
    """Document the error answers as ``application/problem+json`` (FastAPI puts a model's schema under the
    route's own media type: application/json, text/html)."""
    maak = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            schema = maak()
            for operations in schema.get("paths", {}).values():
                for op in operations.values():
                    for status, antwoord in op.get("responses", {}).items():
                        content = antwoord.get("content", {})
                        for media in [m for m in content if m != PROBLEM_JSON and status[:1] in "45"]:
                            if media == "application/json" or "Probleem" in str(content[media].get("schema")):
                                content.setdefault(PROBLEM_JSON, {}).update(content.pop(media))
            app.openapi_schema = schema
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
