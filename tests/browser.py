"""Headless Chromium for the page tests (Debian's chromium driven by Playwright; it never downloads one).

A test that needs it calls :func:`browser_or_skip` first: it skips when Playwright or the browser is missing,
unless IWMO_REQUIRE_BROWSER=1 (CI sets it; .ci/run installs chromium), and fails then."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("IWMO_CHROMIUM", "/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]


def browser_or_skip() -> None:
    reden = None
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        reden = "playwright is not installed"
    if reden is None and not (Path(CHROMIUM).exists() or shutil.which(CHROMIUM)):
        reden = f"no chromium at {CHROMIUM} (apt-get install chromium)"
    if reden:
        if os.environ.get("IWMO_REQUIRE_BROWSER") == "1":
            pytest.fail(f"the browser test is required (IWMO_REQUIRE_BROWSER=1) but {reden}")
        pytest.skip(reden)


def screenshot_path(tmp_path: Path, naam: str) -> Path:
    """Where a screenshot goes: IWMO_SCREENSHOTS when set (to refresh docs/img), else the test's folder."""
    folder = Path(os.environ.get("IWMO_SCREENSHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    return folder / naam
