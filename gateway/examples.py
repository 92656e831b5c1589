"""Examples for the OpenAPI document: one per answer of every endpoint (the shapes the API returns)."""

from __future__ import annotations

from typing import Any

from gateway.errors import ErrorBody

XML = ('<?xml version="1.0" encoding="UTF-8"?>\n'
       '<wmo301:Bericht xmlns:wmo301="http://www.istandaarden.nl/iwmo/3_2/wmo301/schema" '
       'xmlns:iwmo="http://www.istandaarden.nl/iwmo/3_2/basisschema/schema">\n'
       '  <wmo301:Header><wmo301:BerichtCode>414</wmo301:BerichtCode> ... </wmo301:Header> ...\n'
       '</wmo301:Bericht>')

ONTVANGEN = {"id": 1, "status": "ontvangen", "bericht": "WMO301", "identificatie": "T301-0001"}

METADATA = {"id": 1, "bericht": "WMO301", "berichtcode": "414", "afzender": "0363", "ontvanger": "12345678",
            "identificatie": "T301-0001", "status": "afgeleverd", "size": 2949,
            "ontvangen_op": "2026-11-23T09:15:02.120000+00:00", "afgeleverd_op": "2026-11-23T09:15:02.310000+00:00",
            "retour": {"id": 2, "bericht": "WMO302", "retourcodes": [], "oordeel": "goedgekeurd"}}
WACHTEND = {**METADATA, "status": "ontvangen", "afgeleverd_op": None, "retour": None}
PER_TYPE = {"ontvanger": "0363", "bericht": "WMO323", "aantal": 2, "oudste": "2026-11-23T09:15:02.120000+00:00",
            "aflevering": "ophalen", "laatste_fout": None}
ROUTES = {"code": "0363", "endpoint": None, "push_geheim": "Zr8...2w",
          "routes": [{"bericht": "WMO305", "endpoint": "http://127.0.0.1:8001/berichten"},
                     {"bericht": "WMO323", "endpoint": None}]}
BEVESTIGD = {"afgeleverd": [1, 2, 3]}
DEAD = {**WACHTEND, "status": "dead", "pogingen": 8, "laatste_fout": "HTTP 503"}

FOUTEN = {
    400: {"foutcode": "IB014", "omschrijving": "Payload voldoet niet aan de XSD.",
          "details": ["regel 12: Element 'Ontvanger': [facet 'pattern'] ..."]},
    401: {"foutcode": "IB002",
          "omschrijving": "De verzendende partij is niet geautoriseerd: geen of een ongeldig token.", "details": []},
    403: {"foutcode": "IB009",
          "omschrijving": "Indiener is niet gemachtigd om namens de afzender in het bericht in te dienen.",
          "details": ["bericht noemt 0599 als verzender, u bent 0363"]},
    404: {"foutcode": "IB404", "omschrijving": "Bericht niet gevonden in uw berichtenbox.", "details": []},
    409: {"foutcode": "BRS20",
          "omschrijving": "Identificatie moet per berichtsoort uniek zijn voor de verzendende partij.",
          "details": ["WMO301 T301-0001 is al eerder ontvangen van 0363"]},
    413: {"foutcode": "IB012", "omschrijving": "Payload is groter dan toegestaan (maximaal 26214400 bytes).",
          "details": []},
    415: {"foutcode": "IB017",
          "omschrijving": "Gecomprimeerde berichten worden niet aangenomen; stuur platte XML.", "details": []},
    422: {"foutcode": "IB010", "omschrijving": "Geadresseerde partij is niet aangesloten bij de hub.",
          "details": ["87654321"]},
}

METRICS = ('# HELP iwmo_hub_berichten Messages held by the hub, by type and status.\n'
           '# TYPE iwmo_hub_berichten gauge\n'
           'iwmo_hub_berichten{bericht="WMO301",status="afgeleverd"} 1\n')


def json(example: Any) -> dict[str, Any]:
    return {"content": {"application/json": {"example": example}}}


def fouten(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """Error answers with the ErrorBody schema and an example."""
    return {status: {"model": ErrorBody, "description": FOUTEN[status]["omschrijving"], **json(FOUTEN[status])}
            for status in statuses}


#: the answer to a path or query parameter that does not fit (FastAPI's request validation, mapped)
ONGELDIG: dict[int | str, dict[str, Any]] = {422: {
    "model": ErrorBody, "description": "Applicatiegegevens niet of onjuist gevuld.",
    **json({"foutcode": "IB018", "omschrijving": "Applicatiegegevens niet of onjuist gevuld.",
            "details": ["path bericht_id: Input should be a valid integer"]})}}
