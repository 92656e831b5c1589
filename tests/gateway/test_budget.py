"""A time budget per message at the hub's intake: a message whose judging takes longer is refused (IB422),
the rules stop when the budget is spent, and the hub goes on taking other messages."""

from __future__ import annotations

import copy
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from lxml import etree

from iwmo.exceptions import BudgetOverschreden
from iwmo.loader import parse_xml
from iwmo.regels import Budget, Context, regels_voor, toets
from iwmo.samples import sample
from iwmo.validation import identify
from iwmo.xml import to_xml
from tests.conftest import TODAY
from tests.gateway.conftest import Hub, make_hub

BUDGET = 0.4


def groot_bericht(producten: int) -> bytes:
    """A schema-valid WMO301 with this many more ToegewezenProducten (copies of the sample's)."""
    root = etree.fromstring(to_xml(sample("WMO301", today=TODAY)))
    product = next(e for e in root.iter() if etree.QName(e).localname == "ToegewezenProduct")
    ouder = product.getparent()
    assert ouder is not None
    for _ in range(producten):
        ouder.append(copy.deepcopy(product))
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


@pytest.fixture(scope="module")
def groot() -> bytes:
    return groot_bericht(5000)


@pytest.fixture
def hub(tmp_path: Path) -> Iterator[Hub]:
    yield from make_hub(f"sqlite:///{tmp_path}/hub.db", rules_for=["WMO301"], validation_budget_seconds=BUDGET)


def test_a_message_beyond_the_budget_is_refused_and_the_hub_goes_on(hub: Hub, groot: bytes) -> None:
    r = hub.send("0363", groot)
    assert r.status_code == 422, r.text
    assert r.json()["foutcode"] == "IB422"
    assert "controle gestopt bij" in r.json()["details"][0]  # the rules stopped where the budget ran out
    assert hub.client.get("/mailbox", headers=hub.auth("12345678")).json() == []  # nothing stored
    assert hub.send("0363", to_xml(sample("WMO301", today=TODAY))).status_code == 202


def test_the_rules_stop_when_the_budget_is_spent(groot: bytes) -> None:
    root = parse_xml(groot).getroot()
    btype = identify(root)
    assert btype is not None
    regels = [r for r in regels_voor(btype.naam) if r.bron == "bericht"]
    begin = time.monotonic()
    with pytest.raises(BudgetOverschreden) as exc:
        toets(Context(root, btype, TODAY), regels, budget=Budget(0.05, time.monotonic() + 0.05))
    assert time.monotonic() - begin < 0.5
    assert exc.value.regel in {r.code for r in regels}


def test_within_the_budget_nothing_changes() -> None:
    root = parse_xml(to_xml(sample("WMO301", today=TODAY))).getroot()
    btype = identify(root)
    assert btype is not None
    regels = regels_voor(btype.naam)
    assert toets(Context(root, btype, TODAY), regels, budget=Budget.vanaf_nu(15)) == toets(
        Context(root, btype, TODAY), regels)
