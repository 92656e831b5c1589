"""Configuration of the provider stand-in (environment variables with the prefix ``AANBIEDER_``)."""

from __future__ import annotations

import json
from typing import Annotated, Any

from pydantic import field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict


class AanbiederSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="AANBIEDER_", hide_input_in_errors=True)  # secrets stay out of errors

    #: SQLAlchemy URL; the default is a SQLite file under ./var/
    database_url: str = "sqlite:///./var/aanbieder.db"
    #: the hub
    hub_url: str = "http://127.0.0.1:8000"
    #: the aanbieders this stand-in plays, AGB code -> bearer token at the hub, as JSON:
    #: AANBIEDER_PARTIJEN='{"12345678": "token-1", "87654321": "token-2"}'
    partijen: Annotated[dict[str, str], NoDecode] = {}
    #: per aanbieder the secret the hub signs its pushes with (given at registration with an endpoint), as
    #: JSON like ``partijen``; an aanbieder without one takes no pushes (the stand-in collects for it)
    push_geheimen: Annotated[dict[str, str], NoDecode] = {}
    #: run the database migrations when the app starts
    migrate_on_start: bool = True
    #: every so many seconds: collect each aanbieder's messages (pull) and send what is queued; 0 = only
    #: on demand (POST /hub/ophalen)
    poll_seconds: float = 2.0

    @field_validator("partijen", "push_geheimen", mode="before")
    @classmethod
    def _partijen(cls, waarde: Any) -> Any:
        """JSON from the environment; empty means none (compose passes an unset variable as '')."""
        if isinstance(waarde, str):
            if not waarde.strip():
                return {}
            try:
                return json.loads(waarde)
            except ValueError as exc:
                raise ValueError(f"geen JSON-object van AGB-code naar tekst: {exc}") from None
        return waarde
