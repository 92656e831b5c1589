"""Gateway configuration (environment variables with the prefix ``GATEWAY_``)."""

from __future__ import annotations

from pydantic import model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class GatewaySettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="GATEWAY_", hide_input_in_errors=True)  # tokens stay out of errors

    #: SQLAlchemy URL; the default is a SQLite file under ./var/
    database_url: str = "sqlite:///./var/gateway.db"
    #: largest accepted message body in bytes (the hubs accept 25 MB)
    max_bytes: int = 25 * 1024 * 1024
    #: token for the admin API (``Authorization: Bearer ...``); the admin API is off when empty
    admin_token: str = ""
    #: a valid token is remembered this long per process (one lookup per sender per period instead of
    #: one per message); a revocation takes effect at once in the process that revoked it and within
    #: this time in the others. 0 switches the cache off.
    auth_cache_seconds: float = 1.0
    #: seconds a client has to send the whole body of a request; a body trickled in slower is cut off with
    #: 408 (IB408) and the connection closed
    body_timeout_seconds: float = 30.0
    #: the minimum rate of a body: every this many bytes received give the client one second more than
    #: body_timeout_seconds (as Apache's mod_reqtimeout MinRate), up to body_max_timeout_seconds; a body that
    #: comes in slower is cut off with 408 (IB408). 0 = off (the body has body_timeout_seconds, whatever its size)
    body_min_rate_bytes_per_second: float = 500.0
    #: the longest a body may take with the extensions of body_min_rate_bytes_per_second (25 MB in 300 s is
    #: 87 kB/s); never less than body_timeout_seconds
    body_max_timeout_seconds: float = 300.0
    #: seconds a client has to send a request's headers (from the connection's start or the previous answer);
    #: then 408 and closed (gateway.serving: ``iwmo gateway serve`` only; another server needs its own)
    header_timeout_seconds: float = 10.0
    #: seconds the hub spends judging one message (parsing, XSD, the rules of GATEWAY_RULES_FOR); beyond it the
    #: message is refused (IB422) and the rules stop, so one message cannot hold a worker thread for long
    validation_budget_seconds: float = 15.0
    #: message types for which the in-message rules are enforced at intake (BRS28), e.g. ["WMO323"]
    rules_for: list[str] = []
    #: run the database migrations when the app starts
    migrate_on_start: bool = True
    #: run the push worker inside the app (parties with an endpoint get their messages POSTed)
    push_enabled: bool = True
    #: attempts before a message is dead-lettered
    push_max_attempts: int = 8
    #: first retry after this many seconds; doubles with every failed attempt
    push_backoff_seconds: float = 1.0
    #: longest wait between two attempts
    push_backoff_max_seconds: float = 300.0
    #: timeout of one push request
    push_timeout_seconds: float = 10.0
    #: a claimed (sender, receiver) pair is not claimed again within this time (protects against double
    #: pushes); must exceed push_timeout_seconds, as no attempt starts that could outlast the lease
    push_lease_seconds: float = 60.0
    #: pause of an idle worker
    push_poll_seconds: float = 0.2
    #: seconds a worker lets messages gather before it claims again: several go in one round (fewer claims
    #: and commits per message) at the cost of that much latency; 0 = claim at once
    push_linger_seconds: float = 0.02
    #: messages of one pair pushed per claim (over one kept-alive connection)
    push_batch: int = 100
    #: pairs one gateway process pushes at the same time
    push_concurrency: int = 8
    #: a heenbericht without retourbericht after this many working days (Monday to Friday, Dutch time, less the
    #: feestdagen of the Algemene termijnenwet: iwmo.kalender) is listed as overdue: 3 for every message
    #: (OP090) but the declaratie ...
    retour_werkdagen: int = 3
    #: ... whose declaratie-antwoord may take 10 (OP090x4)
    declaratie_antwoord_werkdagen: int = 10
    #: the dashboard (/dashboard) without logging in, all personal data masked (for a local demo); when
    #: false, only a party (its token) or the operator (the admin token) gets in
    dashboard_open: bool = False
    #: log level of the JSON logs
    log_level: str = "INFO"

    @model_validator(mode="after")
    def _lease_outlasts_a_push(self) -> GatewaySettings:
        if self.push_lease_seconds <= self.push_timeout_seconds:
            raise ValueError(f"GATEWAY_PUSH_LEASE_SECONDS ({self.push_lease_seconds}) must exceed "
                             f"GATEWAY_PUSH_TIMEOUT_SECONDS ({self.push_timeout_seconds})")
        if self.body_min_rate_bytes_per_second < 0:
            raise ValueError("GATEWAY_BODY_MIN_RATE_BYTES_PER_SECOND cannot be negative (0 switches it off)")
        if self.push_concurrency < 1 or self.push_batch < 1:
            raise ValueError("GATEWAY_PUSH_CONCURRENCY and GATEWAY_PUSH_BATCH must be at least 1")
        return self
