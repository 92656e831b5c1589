"""The legal-certainty hook: a resultaat toewijzing leaves only once its support plan is established."""

from __future__ import annotations

import datetime as dt
import json

import httpx

from services.toewijzing.domain.plancheck import http_plan_check
from tests.services.toewijzing.conftest import Keten
from tests.services.toewijzing.test_beschikking import CLIENT, RESULTAAT, UREN, beschik
from tests.services.toewijzing.test_start_stop_keten import start


class Plannen:
    """A stand-in for the plan service: established or not, and who asked what."""

    def __init__(self) -> None:
        self.vastgesteld = False
        self.vragen: list[tuple[str, list[int]]] = []

    def __call__(self, bsn: str, nummers: list[int]) -> str | None:
        self.vragen.append((bsn, nummers))
        return None if self.vastgesteld else "ondersteuningsplan nog niet vastgesteld"


def test_resultaat_waits_for_its_plan_and_later_messages_do_not_overtake_it(keten: Keten) -> None:
    plannen = Plannen()
    keten.client.app.state.plan_check = plannen  # type: ignore[attr-defined]
    overzicht = beschik(keten, RESULTAAT)
    nummer = overzicht["toewijzingen"][0]["toewijzingnummer"]
    assert keten.aanbieder.haal_op(keten.clock.now.date()) == []  # held back
    [bericht] = overzicht["berichten"]
    assert bericht["status"] == "te-verzenden"
    assert plannen.vragen == [(CLIENT["bsn"], [nummer])]
    beschik(keten, UREN)  # a later 301 for the same client and aanbieder waits behind it
    assert keten.aanbieder.haal_op(keten.clock.now.date()) == []
    start(keten, nummer + 50, dt.date(2026, 11, 20), "S1")  # ... but a retour does not wait (it has a deadline)
    keten.sync()
    [retour] = keten.aanbieder.haal_op(keten.clock.now.date())
    assert retour.BERICHT == "WMO306" and retour.client.start_producten[0].retourcodes == ["9019"]
    plannen.vastgesteld = True
    assert keten.sync()["verzonden"] == 2  # the two WMO301s, in order
    eerste, tweede = keten.aanbieder.haal_op(keten.clock.now.date())
    assert [p.toewijzing_nummer for p in eerste.client.toegewezen_producten] == [nummer]
    assert len(tweede.client.toegewezen_producten) == 2


def test_uren_needs_no_plan(keten: Keten) -> None:
    plannen = Plannen()
    keten.client.app.state.plan_check = plannen  # type: ignore[attr-defined]
    beschik(keten, UREN)
    assert len(keten.aanbieder.haal_op(keten.clock.now.date())) == 1 and plannen.vragen == []


def _checker(handler):  # type: ignore[no-untyped-def]
    return http_plan_check(httpx.Client(transport=httpx.MockTransport(handler)), "http://plan/check", "0363")


def test_http_contract_of_the_checker() -> None:
    gevraagd = []

    def antwoord(request: httpx.Request) -> httpx.Response:
        gevraagd.append(json.loads(request.content))
        body = json.loads(request.content)
        return httpx.Response(200, json={"vastgesteld": body["toewijzingnummers"] == [1],
                                         "toelichting": "activiteiten ontbreken"})

    check = _checker(antwoord)
    assert check("999990019", [1]) is None
    assert check("999990019", [2]) == "ondersteuningsplan nog niet vastgesteld: activiteiten ontbreken"
    assert gevraagd[0] == {"gemeente": "0363", "bsn": "999990019", "toewijzingnummers": [1]}


def test_a_failing_checker_holds_the_message() -> None:
    assert "500" in (_checker(lambda r: httpx.Response(500)))("999990019", [1])  # type: ignore[operator]
    assert _checker(lambda r: httpx.Response(200, text="ja"))("999990019", [1]) is not None

    def weg(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("geen verbinding")

    assert "ConnectError" in (_checker(weg)("999990019", [1]) or "")
