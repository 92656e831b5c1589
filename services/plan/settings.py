"""Configuration of the plan service (environment variables with the prefix ``PLAN_``)."""

from __future__ import annotations

from pathlib import Path

from pydantic_settings import BaseSettings, SettingsConfigDict

from infra.auth import ApiTokens
from services.plan.domain.brief import DEMO_BRIEF


class PlanSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="PLAN_", hide_input_in_errors=True)  # secrets stay out of errors

    #: SQLAlchemy URL; the default is a SQLite file under ./var/
    database_url: str = "sqlite:///./var/plan.db"
    #: the gemeente this service works for (4-digit CBS code)
    gemeente: str = "0363"
    #: the toewijzing service of the same gemeente (its JSON API), and the API token this service uses there:
    #: a besluit reads the client's toewijzingen from it. Empty URL: besluiten cannot be taken
    toewijzing_url: str = "http://127.0.0.1:8001"
    toewijzing_token: str = ""
    #: who may use this API: caller name -> API token, as JSON (PLAN_API_TOKENS='{"consulent": "..."}').
    #: The toewijzing service's plan check needs one too. Empty = nobody (only /health stays open)
    api_tokens: ApiTokens = {}
    #: normenkader files (YAML or JSON) published when the service starts, as a JSON list of paths
    #: (PLAN_NORMENKADERS='["services/plan/data/normenkader-hh-demo.yaml"]'); each only when its (naam, versie)
    #: is not published yet: a published version never changes. Empty = none
    normenkaders: list[Path] = []
    #: the log level (the logs are JSON lines on stderr, without personal data)
    log_level: str = "INFO"
    #: run the database migrations when the app starts
    migrate_on_start: bool = True
    #: the gemeente's details for the client's letter: names, addresses, phone numbers, eigen bijdrage and
    #: kostprijs per product (YAML or JSON, as the bundled demonstration data/brief-demo.yaml)
    brief: Path = DEMO_BRIEF
    #: the plan service exchanges no messages with the hub (yet): nothing to poll
    poll_seconds: float = 0.0
