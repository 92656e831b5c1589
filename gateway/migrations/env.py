"""Alembic environment of the gateway."""

from gateway.db import VERSION_TABLE
from gateway.models import Base
from infra.alembic_env import run

run(Base.metadata, VERSION_TABLE)
