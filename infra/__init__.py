"""Plumbing that the services and the hub share: engines, sessions, migrations."""
