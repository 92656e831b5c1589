"""Declarative scenarios (YAML) replayed against a running suite: ``iwmo scenario run FILE...``."""
