"""Alembic environment of the toewijzing service."""

from infra.alembic_env import run
from services.toewijzing.db import VERSION_TABLE
from services.toewijzing.models import Base

run(Base.metadata, VERSION_TABLE)
