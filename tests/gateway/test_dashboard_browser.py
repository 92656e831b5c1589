"""The dashboard in headless Chromium (Debian's chromium driven by Playwright): what a person sees.

Skips when Playwright or /usr/bin/chromium is missing, unless IWMO_REQUIRE_BROWSER=1 (CI sets it; .ci/run
installs chromium). The screenshot is written to the test's folder, and to IWMO_SCREENSHOTS when set.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from gateway.app import create_app
from gateway.settings import GatewaySettings
from iwmo.codelijsten import betekenis
from iwmo.regels import Fout
from iwmo.retour import RetourOpties, retour
from iwmo.samples import BSN, sample
from iwmo.xml import to_xml
from tests.browser import ARGS, CHROMIUM, browser_or_skip
from tests.conftest import TODAY
from tests.live import live_server

ADMIN = "browser-admin"


@pytest.fixture
def live_hub(tmp_path: Path) -> Iterator[tuple[str, dict[str, str]]]:
    """The gateway on a free port in this process, with a WMO301/302, a WMO305, and a WMO307 the gemeente
    rejected with 9069 (no current start: a cross-message rule the validator cannot see)."""
    app = create_app(GatewaySettings(database_url=f"sqlite:///{tmp_path}/hub.db", admin_token=ADMIN,
                                     dashboard_open=True, push_enabled=False))
    with live_server(app) as url:
        yield url, _met_berichten(url)


def _met_berichten(url: str) -> dict[str, str]:
    """Register the parties and send the messages; their tokens."""
    tokens = {}
    with httpx.Client(base_url=url) as c:
        for rol, code in (("gemeente", "0363"), ("aanbieder", "12345678")):
            tokens[code] = c.post("/admin/parties", json={"rol": rol, "code": code},
                                  headers={"Authorization": f"Bearer {ADMIN}"}).json()["token"]

        def send(code: str, xml: bytes) -> None:
            r = c.post("/berichten", content=xml, headers={"Authorization": f"Bearer {tokens[code]}",
                                                           "Content-Type": "application/xml"})
            assert r.status_code == 202, r.text

        heen = sample("WMO301", today=TODAY)
        send("0363", to_xml(heen))
        send("12345678", to_xml(retour(heen, [], RetourOpties("R1", TODAY))))
        send("12345678", to_xml(sample("WMO305", today=TODAY)))
        stop = sample("WMO307", today=TODAY)
        send("12345678", to_xml(stop))
        send("0363", to_xml(retour(stop, [Fout("TR069", ["/Bericht/Client/StopProducten/StopProduct[1]"], "9069",
                                               "geen actuele start")], RetourOpties("R2", TODAY))))
    return tokens


def test_the_dashboard_in_a_browser(live_hub: tuple[str, dict[str, str]], tmp_path: Path) -> None:
    browser_or_skip()
    from playwright.sync_api import expect, sync_playwright

    url, tokens = live_hub
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 800})
        page.goto(f"{url}/dashboard?ververs=0")
        expect(page.get_by_role("heading", name="Gemeente 0363 ↔ aanbieder 12345678")).to_be_visible()
        rijen = page.locator("tr.stroom")
        expect(rijen).to_have_count(3)
        negen = str(betekenis("WJ001", "9069"))
        expect(rijen.nth(0)).to_contain_text("WMO307")
        expect(rijen.nth(0)).to_contain_text("afgekeurd")
        expect(rijen.nth(0)).to_contain_text(f"9069 {negen}")  # the code with its meaning
        expect(rijen.nth(1)).to_contain_text("WMO305")
        expect(rijen.nth(1)).to_contain_text("wacht op retour")
        expect(rijen.nth(2)).to_contain_text("WMO302")
        expect(rijen.nth(2)).to_contain_text("goedgekeurd")
        schermafdruk = tmp_path / "dashboard.png"
        page.screenshot(path=str(schermafdruk), full_page=True)

        rijen.nth(0).get_by_role("link", name="WMO307").click()  # valid in itself, rejected by the receiver
        expect(page.locator("#oordeel")).to_contain_text("StopProduct")
        expect(page.locator("#oordeel tr.klasse").filter(has_text="StopProduct")).to_contain_text(f"9069 {negen}")
        expect(page.locator("#rapport")).to_contain_text("Geldig: geen fouten.")
        page.screenshot(path=str(tmp_path / "afgekeurd.png"), full_page=True)

        page.goto(f"{url}/dashboard?ververs=0")
        rijen.nth(2).get_by_role("link", name="WMO301").click()  # the message, one click away
        expect(page.locator("#rapport")).to_contain_text("Geldig: geen fouten.")
        expect(page.locator("#xml")).to_contain_text("persoonsgegevens gemaskeerd")
        assert BSN not in page.locator("#xml pre").inner_text()
        assert "•••" in page.locator("#xml pre").inner_text()

        page.goto(f"{url}/dashboard/inloggen")  # the receiver logs in and sees its own message in full
        page.get_by_label("Token").fill(tokens["12345678"])
        page.get_by_role("button", name="Inloggen").click()
        expect(page.locator("#kijker")).to_have_text("partij 12345678")
        page.locator("tr.stroom").nth(2).get_by_role("link", name="WMO301").click()
        assert BSN in page.locator("#xml pre").inner_text()
        page.screenshot(path=str(tmp_path / "bericht.png"), full_page=True)
        browser.close()

    data = schermafdruk.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 10_000
    if os.environ.get("IWMO_SCREENSHOTS"):
        doel = Path(os.environ["IWMO_SCREENSHOTS"])
        doel.mkdir(parents=True, exist_ok=True)
        for naam in ("dashboard.png", "bericht.png", "afgekeurd.png"):
            shutil.copy(tmp_path / naam, doel / naam)
