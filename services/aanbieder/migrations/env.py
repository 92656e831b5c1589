"""Alembic environment of the provider stand-in."""

from infra.alembic_env import run
from services.aanbieder.db import VERSION_TABLE
from services.aanbieder.models import Base

run(Base.metadata, VERSION_TABLE)
