"""Configuration of the declaratie service (environment variables with the prefix ``DECLARATIE_``)."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from infra.auth import ApiTokens
from services.declaratie.domain.contracten import DEMO_CONTRACTEN


class DeclaratieSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="DECLARATIE_", hide_input_in_errors=True)

    #: SQLAlchemy URL; the default is a SQLite file under ./var/
    database_url: str = "sqlite:///./var/declaratie.db"
    #: the gemeente this service works for (4-digit CBS code)
    gemeente: str = "0363"
    #: the hub, and this gemeente's bearer token there (the hub routes WMO323 to this service)
    hub_url: str = "http://127.0.0.1:8000"
    hub_token: str = ""
    #: the secret the hub signs its pushes with; empty = no pushes taken (the service collects)
    push_geheim: str = ""
    #: the toewijzing service of the same gemeente and this service's API token there (one call per WMO323)
    toewijzing_url: str = "http://127.0.0.1:8001"
    toewijzing_token: str = ""
    #: the contracts with tariffs per aanbieder, product, unit and period (YAML or JSON, as data/contracten.yaml)
    contracten: Path = DEMO_CONTRACTEN
    #: who may use this API: caller name -> API token, as JSON. Empty = nobody (only /health and the push)
    api_tokens: ApiTokens = {}
    #: under-delivery (GET /clienten/{bsn}/levering): a month that has ended is flagged when less than this
    #: fraction of what the toewijzing grants in it was declared and granted
    onderlevering_drempel: float = Field(0.8, ge=0, le=1)
    log_level: str = "INFO"
    migrate_on_start: bool = True
    #: every so many seconds: collect WMO323s from the hub and send the WMO325s; 0 = only on demand or by push
    poll_seconds: float = 5.0
