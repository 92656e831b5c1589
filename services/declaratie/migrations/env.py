"""Alembic environment of the declaratie service."""

from infra.alembic_env import run
from services.declaratie.db import VERSION_TABLE
from services.declaratie.models import Base

run(Base.metadata, VERSION_TABLE)
