"""The client's letter: plain Dutch, the figures of the computation, the last day for bezwaar, and a PDF."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from lxml import html as lxml_html

from tests.browser import ARGS, CHROMIUM, browser_or_skip, screenshot_path
from tests.services.plan.conftest import PlanKeten
from tests.services.plan.test_keten import ALLE, besluit, maak_plan
from tests.services.toewijzing.test_beschikking import RESULTAAT, UREN, beschik

#: B1: short sentences. The longest sentence in the letter may have this many words.
MAX_WOORDEN = 22


def _besluit_met_brief(pk: PlanKeten, **plan_extra: Any) -> tuple[Any, Any, str]:
    pk.publiceer_demo()
    uren, resultaat = (t["toewijzingnummer"] for t in beschik(pk.keten, UREN, RESULTAAT)["toewijzingen"])
    plan = maak_plan(pk, resultaat, **plan_extra)
    b = besluit(pk, [uren, resultaat], [(plan["id"], 1)])
    assert b.status_code == 201, b.text
    r = pk.plan.get(f"/besluiten/{b.json()['id']}/brief")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    return b.json(), plan, r.text


def tekst(pagina: str) -> str:
    boom = lxml_html.fromstring(pagina)
    for weg in boom.xpath("//style|//title"):
        weg.drop_tree()
    return re.sub(r"\s+", " ", " ".join(boom.itertext())).strip()


def zinnen(pagina: str) -> list[str]:
    """The letter's sentences: its paragraphs, list items and cells split at sentence ends."""
    boom = lxml_html.fromstring(pagina)
    delen = [re.sub(r"\s+", " ", " ".join(e.itertext())).strip() for e in boom.xpath("//p|//li|//h1|//h2|//h3")]
    return [z.strip() for deel in delen for z in re.split(r"(?<=[.?!:])\s+", deel) if z.strip()]


def test_the_figures_in_the_letter_are_the_computed_ones(plan_keten: PlanKeten) -> None:
    b, plan, pagina = _besluit_met_brief(plan_keten)
    woorden = tekst(pagina)
    berekening = plan["versies"][0]["berekening"]
    assert berekening["totaal"]["in_woorden"] == "2 uur en 5 minuten per week, 108 uur per jaar"
    assert f"Dit is samen {berekening['totaal']['in_woorden']}." in woorden
    for a in berekening["activiteiten"]:  # every activity, how often and its time
        assert f"{a['omschrijving']} {a['frequentie']} {a['minuten_per_keer']} minuten" in woorden
    assert "Uiterlijk op 4 januari 2027".lower() in woorden.lower() and b["einde_bezwaartermijn"] == "2027-01-04"
    assert "U krijgt 3 uur per week." in woorden  # the uren voorziening, in hours per week
    assert "hh-demo" not in woorden and "versie 2026.1" in woorden and "KPMG en HHM" in woorden
    assert "cliëntondersteuner helpt u gratis" in woorden
    assert "€ 3.758,40 per jaar" in woorden  # 108 hours at € 34,80: the gemeente's kostprijs, to check
    assert "999990019" not in pagina  # the BSN is not in the letter


def test_a_deviation_is_explained_in_the_letter(plan_keten: PlanKeten) -> None:
    _b, plan, pagina = _besluit_met_brief(plan_keten, activiteiten=[
        {"activiteit": "sanitair", "frequentie": "2 keer per week", "reden": "incontinentie"},
        *({"activiteit": a} for a in ALLE if a not in ("sanitair", "ramen-binnen"))],
        vervallen=[{"activiteit": "ramen-binnen", "reden": "de zoon lapt de ramen", "grond": "gesprek op 12 november"}])
    woorden = tekst(pagina)
    totaal = plan["versies"][0]["berekening"]["totaal"]
    assert totaal["minuten_per_jaar"] == 6480 + 25 * 52 - 25 * 12
    assert f"Dit is samen {totaal['in_woorden']}." in woorden
    assert "Dat is meer dan de norm. Waarom: incontinentie." in woorden
    assert "Dat is minder dan de norm. Waarom: de zoon lapt de ramen." in woorden
    assert "Waarop dit rust: gesprek op 12 november." in woorden


def test_the_letter_is_plain_dutch(plan_keten: PlanKeten) -> None:
    _b, _plan, pagina = _besluit_met_brief(plan_keten)
    lang = [z for z in zinnen(pagina) if len(z.split()) > MAX_WOORDEN]
    assert lang == []
    import textstat

    textstat.set_lang("nl")
    score = textstat.flesch_reading_ease(tekst(pagina))  # Flesch-Douma for Dutch: 60 and up is plain
    assert score >= 60, score
    assert " u " in f" {tekst(pagina).lower()} " and " je " not in f" {tekst(pagina).lower()} "


def test_the_letter_as_pdf(plan_keten: PlanKeten) -> None:
    b, _plan, _pagina = _besluit_met_brief(plan_keten)
    r = plan_keten.plan.get(f"/besluiten/{b['id']}/brief.pdf")
    assert r.status_code == 200 and r.headers["content-type"] == "application/pdf"
    assert r.content.startswith(b"%PDF-") and len(r.content) > 5000


def test_the_letter_in_a_browser(plan_keten: PlanKeten, tmp_path: Path) -> None:
    browser_or_skip()
    from playwright.sync_api import expect, sync_playwright

    _b, _plan, pagina = _besluit_met_brief(plan_keten)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        page = browser.new_page(viewport={"width": 900, "height": 1200})
        page.set_content(pagina)
        expect(page.get_by_role("heading", name="Besluit over uw ondersteuning")).to_be_visible()
        expect(page.get_by_role("heading", name="Bent u het niet eens met dit besluit?")).to_be_visible()
        expect(page.locator("p.samen")).to_have_text("Dit is samen 2 uur en 5 minuten per week, 108 uur per jaar.")
        expect(page.locator("table tbody tr")).to_have_count(8)
        page.screenshot(path=str(screenshot_path(tmp_path, "brief.png")), full_page=True)
        page.emulate_media(media="print")  # the print view keeps every part
        expect(page.locator("p.samen")).to_be_visible()
        browser.close()


@pytest.mark.parametrize("toewijzing", [{"omvang": {"volume": 12, "eenheid": "04", "frequentie": "4"}}])
def test_hours_per_month_are_shown_per_week_rounded_up(toewijzing: dict[str, Any]) -> None:
    from services.plan.domain.brief import instellingen, uren_voorziening

    t = {"toewijzingnummer": 1, "aanbieder": "12345678", "wijze": "uren", "toegewezen": "12 uur per maand",
         "product": {"categorie": "01", "code": "01A01", "omschrijving": "Hulp bij het huishouden"},
         "ingangsdatum": "2026-12-01", "einddatum": None, **toewijzing}
    v = uren_voorziening(t, instellingen())
    assert v.minuten_per_week == 167 and v.per_week_tekst == "2 uur en 47 minuten"  # 12 x 60 x 12/52 = 166.15..
