"""Configuration of the provider stand-in (environment variables with the prefix ``AANBIEDER_``)."""

from __future__ import annotations

from pydantic_settings import BaseSettings, SettingsConfigDict


class AanbiederSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="AANBIEDER_")

    #: SQLAlchemy URL; the default is a SQLite file under ./var/
    database_url: str = "sqlite:///./var/aanbieder.db"
    #: the hub
    hub_url: str = "http://127.0.0.1:8000"
    #: the aanbieders this stand-in plays, AGB code -> bearer token at the hub, as JSON:
    #: AANBIEDER_PARTIJEN='{"12345678": "token-1", "87654321": "token-2"}'
    partijen: dict[str, str] = {}
    #: run the database migrations when the app starts
    migrate_on_start: bool = True
    #: every so many seconds: collect each aanbieder's messages (pull) and send what is queued; 0 = only
    #: on demand (POST /hub/ophalen)
    poll_seconds: float = 2.0
