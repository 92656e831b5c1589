"""Alembic environment of the plan service."""

from infra.alembic_env import run
from services.plan.db import VERSION_TABLE
from services.plan.models import Base

run(Base.metadata, VERSION_TABLE)
