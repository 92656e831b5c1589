"""Examples for the OpenAPI document: one per answer of every endpoint (the shapes the API returns)."""

from __future__ import annotations

from typing import Any

from gateway.errors import INVALID_INPUT, ErrorBody, HubError
from infra.problem import PROBLEM_JSON, fout, hub_body, invoer_detail, problem_body

XML = ('<?xml version="1.0" encoding="UTF-8"?>\n'
       '<wmo301:Bericht xmlns:wmo301="http://www.istandaarden.nl/iwmo/3_2/wmo301/schema" '
       'xmlns:iwmo="http://www.istandaarden.nl/iwmo/3_2/basisschema/schema">\n'
       '  <wmo301:Header><wmo301:BerichtCode>414</wmo301:BerichtCode> ... </wmo301:Header> ...\n'
       '</wmo301:Bericht>')

ONTVANGEN = {"id": 1, "status": "ontvangen", "bericht": "WMO301", "identificatie": "T301-0001"}
BUNDELANTWOORD = {"uitkomsten": [
    {"status": 202, "id": 1, "bericht": "WMO301", "identificatie": "T301-0001", "details": []},
    {"status": 409, "foutcode": "BRS20", "omschrijving": "Identificatie moet per berichtsoort uniek zijn voor de "
     "verzendende partij.", "details": ["WMO301 T301-0001 is al eerder ontvangen van 0363"]}]}

METADATA = {"id": 1, "bericht": "WMO301", "berichtcode": "414", "afzender": "0363", "ontvanger": "12345678",
            "identificatie": "T301-0001", "status": "afgeleverd", "size": 2949,
            "ontvangen_op": "2026-11-23T09:15:02.120000+00:00", "afgeleverd_op": "2026-11-23T09:15:02.310000+00:00",
            "retour": {"id": 2, "bericht": "WMO302", "retourcodes": [], "oordeel": "goedgekeurd"}}
WACHTEND = {**METADATA, "status": "ontvangen", "afgeleverd_op": None, "retour": None}
PER_TYPE = {"ontvanger": "0363", "bericht": "WMO323", "aantal": 2, "oudste": "2026-11-23T09:15:02.120000+00:00",
            "aflevering": "ophalen", "laatste_fout": None}
BIJ_AFZENDER = {"afzender": "0363", "ontvanger": "11111111", "bericht": "WMO301", "foutcode": "IB005",
                "sinds": "2026-11-23T09:15:02+00:00", "laatste_poging": "2026-11-23T09:45:12+00:00", "pogingen": 9}
AANSLUITING = {"code": "12345678", "aangesloten": True, "rol": "aanbieder"}
ROUTES = {"code": "0363", "endpoint": None, "push_geheim": "Zr8...2w",
          "routes": [{"bericht": "WMO305", "endpoint": "http://127.0.0.1:8001/berichten"},
                     {"bericht": "WMO323", "endpoint": None}]}
BEVESTIGD = {"afgeleverd": [1, 2, 3]}
DEAD = {**WACHTEND, "status": "dead", "pogingen": 8, "laatste_fout": "HTTP 503"}

def probleem(status: int, foutcode: str, omschrijving: str, details: list[str] | None = None) -> dict[str, Any]:
    """A refusal as the hub answers it (infra.problem builds it: the example is the real shape)."""
    return hub_body(HubError(status, foutcode, omschrijving, details or []))


FOUTEN = {
    400: probleem(400, "IB014", "Payload voldoet niet aan de XSD.", ["regel 12: Element 'Ontvanger': [facet 'pattern'] ..."]),
    401: probleem(401, "IB002", "De verzendende partij is niet geautoriseerd: geen of een ongeldig token."),
    403: probleem(403, "IB009", "Indiener is niet gemachtigd om namens de afzender in het bericht in te dienen.",
                  ["bericht noemt 0599 als verzender, u bent 0363"]),
    404: probleem(404, "IB404", "Bericht niet gevonden in uw berichtenbox."),
    408: probleem(408, "IB408", "Het bericht kwam niet binnen 30 seconden binnen; de verbinding wordt gesloten."),
    409: probleem(409, "BRS20", "Identificatie moet per berichtsoort uniek zijn voor de verzendende partij.",
                  ["WMO301 T301-0001 is al eerder ontvangen van 0363"]),
    413: probleem(413, "IB012", "Payload is groter dan toegestaan (maximaal 26214400 bytes)."),
    415: probleem(415, "IB017", "Gecomprimeerde berichten worden niet aangenomen; stuur platte XML."),
    422: probleem(422, "IB010", "Geadresseerde partij is niet aangesloten bij de hub.", ["87654321"]),
}

METRICS = ('# HELP iwmo_hub_berichten Messages held by the hub, by type and status.\n'
           '# TYPE iwmo_hub_berichten gauge\n'
           'iwmo_hub_berichten{bericht="WMO301",status="afgeleverd"} 1\n')


def json(example: Any) -> dict[str, Any]:
    return {"content": {"application/json": {"example": example}}}


def problem(example: dict[str, Any]) -> dict[str, Any]:
    """An error answer's example (application/problem+json)."""
    return {"content": {PROBLEM_JSON: {"example": example}}}


def fouten(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """Error answers with the ErrorBody schema and an example."""
    return {status: {"model": ErrorBody, "description": FOUTEN[status]["omschrijving"], **problem(FOUTEN[status])}
            for status in statuses}


def adm_fout(status: int, foutcode: str, omschrijving: str) -> dict[str, Any]:
    """One error answer with its schema and example, for a code of the hub's administration (ADMxx)."""
    return {"model": ErrorBody, "description": omschrijving, **problem(probleem(status, foutcode, omschrijving))}


#: the answer to a path or query parameter that does not fit (FastAPI's request validation, mapped)
ONGELDIG: dict[int | str, dict[str, Any]] = {422: {
    "model": ErrorBody, "description": "Applicatiegegevens niet of onjuist gevuld.",
    **problem(problem_body(422, invoer_detail(f := [fout("bericht_id", "moet een geheel getal zijn")]),
                           soort="ongeldige-invoer", fouten=f, foutcode=INVALID_INPUT))}}
