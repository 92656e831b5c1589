"""A declaratie on the dashboard in headless Chromium: a WMO323 and its WMO325 sent through a live hub, the
page of the WMO323 opened as the gemeente. The screenshot goes to IWMO_SCREENSHOTS when set
(``IWMO_SCREENSHOTS=docs/img`` refreshes docs/img/declaratie.png)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from gateway.app import create_app
from gateway.settings import GatewaySettings
from iwmo.samples import BSN
from iwmo.xml import to_xml
from tests.browser import ARGS, CHROMIUM, browser_or_skip, screenshot_path
from tests.conftest import TODAY
from tests.gateway.declaratie_berichten import DEELS, TWEEDE_BSN, antwoord, declaratie
from tests.live import live_server

ADMIN = "browser-admin"


@pytest.fixture
def hub_met_declaratie(tmp_path: Path) -> Iterator[tuple[str, dict[str, str], dict[str, int]]]:
    """The gateway on a free port in this process; the aanbieder sent a WMO323, the gemeente its WMO325."""
    app = create_app(GatewaySettings(database_url=f"sqlite:///{tmp_path}/hub.db", admin_token=ADMIN,
                                     dashboard_open=True, push_enabled=False))
    with live_server(app) as url:
        yield url, *_met_declaratie(url)


def _met_declaratie(url: str) -> tuple[dict[str, str], dict[str, int]]:
    """Register the parties, send the WMO323 and its WMO325; the tokens and the messages' ids."""
    tokens, ids = {}, {}
    with httpx.Client(base_url=url) as c:
        for rol, code in (("gemeente", "0363"), ("aanbieder", "12345678")):
            tokens[code] = c.post("/admin/parties", json={"rol": rol, "code": code},
                                  headers={"Authorization": f"Bearer {ADMIN}"}).json()["token"]

        def send(code: str, xml: bytes) -> int:
            r = c.post("/berichten", content=xml, headers={"Authorization": f"Bearer {tokens[code]}",
                                                           "Content-Type": "application/xml"})
            assert r.status_code == 202, r.text
            return int(r.json()["id"])

        heen = declaratie(TODAY)
        ids["323"] = send("12345678", to_xml(heen))
        ids["325"] = send("0363", to_xml(antwoord(heen, DEELS, TODAY)))
    return tokens, ids


def test_a_declaratie_with_its_verdict_in_a_browser(hub_met_declaratie: tuple[str, dict[str, str], dict[str, int]],
                                                    tmp_path: Path) -> None:
    browser_or_skip()
    from playwright.sync_api import expect, sync_playwright

    url, tokens, ids = hub_met_declaratie
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.goto(f"{url}/dashboard/berichten/{ids['323']}")  # anonymous: the BSNs masked
        expect(page.locator("#declaratie")).to_contain_text("BSN gemaskeerd")
        assert BSN not in page.locator("#declaratie").inner_text()

        page.goto(f"{url}/dashboard/inloggen")
        page.get_by_label("Token").fill(tokens["0363"])
        page.get_by_role("button", name="Inloggen").click()
        expect(page.locator("#kijker")).to_have_text("partij 0363")
        page.goto(f"{url}/dashboard/berichten/{ids['323']}")
        sectie = page.locator("#declaratie")
        expect(sectie.get_by_role("heading", name="Declaratie")).to_be_visible()
        expect(sectie.locator("h3.client").nth(0)).to_contain_text(BSN)
        expect(sectie.locator("h3.client").nth(1)).to_contain_text(TWEEDE_BSN)
        expect(page.locator("#ingediend")).to_have_text("€ 1.056,25")
        expect(page.locator("#toegekend")).to_have_text("€ 357,50")
        expect(page.locator("#afgewezen")).to_contain_text("€ 698,75")
        expect(page.locator("#afgewezen")).to_contain_text("2 prestaties")

        def oordeel(ref: str):  # type: ignore[no-untyped-def]
            return page.locator(f'tr.prestatie[data-referentie="{ref}"] td.oordeel')

        expect(oordeel("P1")).to_have_text("toegekend")
        expect(oordeel("C1")).to_have_text("toegekend")
        expect(oordeel("P2")).to_contain_text("afgewezen")
        expect(oordeel("P2")).to_contain_text("9338 Niet iedere prestatie in een declaratiebericht is gerelateerd")
        expect(oordeel("P3")).to_contain_text("9321 Het ingediende volume overschrijdt het toegewezen volume.")
        expect(page.locator('tr.prestatie[data-referentie="P3"]')).to_contain_text("90 minuut")
        expect(page.locator('tr.prestatie[data-referentie="C1"]')).to_contain_text("credit")
        expect(page.locator('tr.prestatie[data-referentie="C1"]')).to_contain_text("vorig: P0")
        schermafdruk = screenshot_path(tmp_path, "declaratie.png")
        sectie.screenshot(path=str(schermafdruk))

        page.get_by_role("link", name="WMO325").click()  # the answer's page: the same section, and the way back
        expect(page.locator("#declaratie #toegekend")).to_have_text("€ 357,50")
        page.get_by_role("link", name="WMO323 D323-0001").click()
        expect(page.locator("#declaratie")).to_be_visible()
        browser.close()

    data = schermafdruk.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 10_000
