"""Gateway configuration (environment variables with the prefix ``GATEWAY_``)."""

from __future__ import annotations

from pydantic_settings import BaseSettings, SettingsConfigDict


class GatewaySettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="GATEWAY_")

    #: SQLAlchemy URL; the default is a SQLite file under ./var/
    database_url: str = "sqlite:///./var/gateway.db"
    #: largest accepted message body in bytes (the hubs accept 25 MB)
    max_bytes: int = 25 * 1024 * 1024
    #: token for the admin API (``Authorization: Bearer ...``); the admin API is off when empty
    admin_token: str = ""
    #: message types for which the in-message rules are enforced at intake (BRS28), e.g. ["WMO323"]
    rules_for: list[str] = []
    #: run the database migrations when the app starts
    migrate_on_start: bool = True
