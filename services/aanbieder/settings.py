"""Configuration of the provider stand-in (environment variables with the prefix ``AANBIEDER_``)."""

from __future__ import annotations

from pydantic_settings import BaseSettings, SettingsConfigDict

from infra.auth import ApiTokens, JsonObject


class AanbiederSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="AANBIEDER_", hide_input_in_errors=True)  # secrets stay out of errors

    #: SQLAlchemy URL; the default is a SQLite file under ./var/
    database_url: str = "sqlite:///./var/aanbieder.db"
    #: the hub
    hub_url: str = "http://127.0.0.1:8000"
    #: the aanbieders this stand-in plays, AGB code -> bearer token at the hub, as JSON:
    #: AANBIEDER_PARTIJEN='{"12345678": "token-1", "87654321": "token-2"}'
    partijen: JsonObject = {}
    #: per aanbieder the secret the hub signs its pushes with (given at registration with an endpoint), as
    #: JSON like ``partijen``; an aanbieder without one takes no pushes (the stand-in collects for it)
    push_geheimen: JsonObject = {}
    #: who may use this API, per aanbieder: AGB code -> API token, as JSON like ``partijen``. A caller shows
    #: ``Authorization: Bearer <token>``; /aanbieders/{agb}/... opens only to the token of that AGB code.
    #: Empty = nobody (only /health and the signed push stay open). ``iwmo suite`` makes them.
    api_tokens: ApiTokens = {}
    #: the log level (the logs are JSON lines on stderr, without personal data)
    log_level: str = "INFO"
    #: run the database migrations when the app starts
    migrate_on_start: bool = True
    #: every so many seconds: collect each aanbieder's messages (pull) and send what is queued; 0 = only
    #: on demand (POST /hub/ophalen)
    poll_seconds: float = 2.0
