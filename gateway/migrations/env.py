"""Alembic environment of the gateway."""

from gateway.db import VERSION_TABLE
from gateway.models import Base
from services.common.alembic_env import run

run(Base.metadata, VERSION_TABLE)
