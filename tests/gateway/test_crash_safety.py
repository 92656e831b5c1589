"""Crash safety on PostgreSQL: the gateway is SIGKILLed while messages flow (benchmarks/crash_safety.py)."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.conftest import REPO


@pytest.mark.parametrize("workers", [1, 2], ids=["one-process", "two-api-processes-and-a-push-process"])
def test_every_accepted_message_is_delivered_despite_sigkill(pg_database: str, workers: int) -> None:
    # pg_database only makes sure PostgreSQL is there (or skips/fails as configured); the script
    # creates and drops its own throw-away database.
    result = subprocess.run(
        [sys.executable, str(REPO / "benchmarks" / "crash_safety.py"), "--messages", "60", "--kills", "3",
         "--workers", str(workers)],
        capture_output=True, text=True, timeout=240, check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "missing 0, phantom 0" in result.stdout
