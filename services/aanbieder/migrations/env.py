"""Alembic environment of the provider stand-in."""

from services.aanbieder.db import VERSION_TABLE
from services.aanbieder.models import Base
from services.common.alembic_env import run

run(Base.metadata, VERSION_TABLE)
