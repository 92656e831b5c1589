"""/docs (Swagger UI) of the hub and of every service works without internet: its script and style come
from the app itself (fastapi-offline), never from a CDN. Checked for every app on the page's HTML, and in
headless Chromium with every request to another host than 127.0.0.1 blocked. There is no /redoc (its
bundle fetches its logo from the internet; /docs documents the same API)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from tests.browser import ARGS, CHROMIUM, browser_or_skip, screenshot_path
from tests.live import live_server
from tests.services.test_openapi import _aanbieder, _declaratie, _hub, _plan, _toewijzing

APPS = [_toewijzing, _aanbieder, _plan, _declaratie, _hub]


@pytest.mark.parametrize("build", APPS, ids=["toewijzing", "aanbieder", "plan", "declaratie", "hub"])
def test_the_docs_load_nothing_from_another_host(build: Callable[[Path], FastAPI], tmp_path: Path) -> None:
    app = build(tmp_path)
    pagina = "/docs"
    with TestClient(app) as client:
        assert client.get("/redoc").status_code == 404
        r = client.get(pagina)
        assert r.status_code == 200
        bronnen = re.findall(r'(?:src|href)=["\']([^"\']+)["\']', r.text) + re.findall(r"url: ?'([^']+)'", r.text)
        assert bronnen, r.text
        for bron in bronnen:
            assert not re.match(r"(https?:)?//", bron), f"{pagina} loads {bron} from another host"
            if bron.startswith("/static-offline-docs/"):
                assert client.get(bron).status_code == 200, bron
    app.state.engine.dispose()


@pytest.fixture
def live(tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[str]:
    """The app on a free port of 127.0.0.1, in this process."""
    with live_server(request.param(tmp_path)) as url:
        yield url


@pytest.mark.parametrize("live", [_toewijzing, _hub], ids=["toewijzing", "hub"], indirect=True)
def test_swagger_ui_renders_without_internet(live: str, tmp_path: Path) -> None:
    browser_or_skip()
    from playwright.sync_api import Route, expect, sync_playwright

    buiten: list[str] = []

    def alleen_lokaal(route: Route) -> Any:
        if route.request.url.startswith("http://127.0.0.1:"):
            return route.continue_()
        buiten.append(route.request.url)
        return route.abort()

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.route("**/*", alleen_lokaal)
        page.goto(f"{live}/docs")
        expect(page.locator(".opblock").first).to_be_visible(timeout=15_000)  # an operation, rendered
        expect(page.locator(".opblock-summary-path", has_text="/health").first).to_be_visible()
        page.screenshot(path=str(screenshot_path(tmp_path, "docs-offline.png")))
        browser.close()
    assert buiten == [], f"the docs asked for other hosts: {buiten}"
