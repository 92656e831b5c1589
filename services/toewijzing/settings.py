"""Configuration of the toewijzing service (environment variables with the prefix ``TOEWIJZING_``)."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic_settings import BaseSettings, SettingsConfigDict

from infra.auth import ApiTokens
from services.toewijzing.domain.beleid import DEFAULT_BELEID
from services.toewijzing.domain.varianten import DEFAULT_CATALOGUS


class ToewijzingSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="TOEWIJZING_", hide_input_in_errors=True)  # secrets stay out of errors

    #: SQLAlchemy URL; the default is a SQLite file under ./var/
    database_url: str = "sqlite:///./var/toewijzing.db"
    #: the gemeente this back office belongs to (4-digit CBS code)
    gemeente: str = "0363"
    #: the hub, and this gemeente's bearer token there
    hub_url: str = "http://127.0.0.1:8000"
    hub_token: str = ""
    #: legal-certainty check before a resultaat toewijzing is sent: the plan service's check URL
    #: (``http://127.0.0.1:8002/plancheck``), and this service's API token there. Empty URL = off: resultaat
    #: toewijzingen go out without an established ondersteuningsplan (``iwmo suite`` switches it on)
    plan_check_url: str = ""
    plan_check_token: str = ""
    #: who may use this API: caller name -> API token, as JSON, e.g.
    #: TOEWIJZING_API_TOKENS='{"wijkteam": "...", "koppeling": "..."}'. A caller shows
    #: ``Authorization: Bearer <token>``. Empty = nobody (only /health and the signed push stay open).
    #: ``iwmo suite`` makes one.
    api_tokens: ApiTokens = {}
    #: the log level (the logs are JSON lines on stderr, without personal data)
    log_level: str = "INFO"
    #: run the database migrations when the app starts
    migrate_on_start: bool = True
    #: the policy for requests from aanbieders: contracts and automatic grants (JSON, see docs/toewijzing.md)
    beleid: Path = DEFAULT_BELEID
    #: the gemeente's product catalogue: which products it grants, and in which way (uren, resultaat) (JSON,
    #: as the bundled data/producten.json)
    producten: Path = DEFAULT_CATALOGUS
    #: the secret the hub signs its pushes to POST /berichten with (given at registration with an endpoint);
    #: empty = no pushes taken (the service collects from the hub)
    push_geheim: str = ""
    #: a beschikking for an aanbieder that is not connected to the hub: stored with a warning in the answer
    #: (waarschuw; its WMO301 waits until the aanbieder is connected) or refused (weiger)
    onbekende_aanbieder: Literal["waarschuw", "weiger"] = "waarschuw"
    #: every so many seconds: collect the hub's messages (pull) and send what is queued; 0 = only on demand
    #: (POST /hub/ophalen, or the hub pushing to POST /berichten)
    poll_seconds: float = 5.0
