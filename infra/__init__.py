"""Plumbing below the hub and the services: databases and migrations, the HTTP edges (capped bodies, typed
dependencies, error mapping), JSON logs, API tokens, the outbox, the inbound pipeline and the hub traffic.
It knows no service and no hub: they depend on it, it depends on iwmo only (docs/architecture.md)."""
