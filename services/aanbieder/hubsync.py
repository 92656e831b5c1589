"""The stand-in's traffic with the hub, for every aanbieder it plays: send the outbox, collect, take a push."""

from __future__ import annotations

import logging
from typing import Any

from infra import app as common_app
from infra import messaging
from infra.errors import NotFound
from iwmo.hub import HubClient, HubError, HubUnreachable
from iwmo.xml import from_xml
from services.aanbieder import inbound
from services.aanbieder.models import Bericht

log = logging.getLogger("aanbieder.hub")


def hub(app: Any, aanbieder: str) -> HubClient:
    hubs: dict[str, HubClient] = app.state.hubs
    if aanbieder not in hubs:
        raise NotFound(f"deze stand-in speelt aanbieder {aanbieder} niet", "aanbieder")
    return hubs[aanbieder]


def verzend_nu(app: Any) -> int:
    """Send what is queued, each message with its aanbieder's token; never fails the caller (see
    infra.app.verzend_nu)."""
    return common_app.send_now(app, lambda session: messaging.send_queued(
        session, Bericht, hub=lambda row: app.state.hubs.get(row.aanbieder)), log)


def ontvang(app: Any, xml: bytes, hub_id: int | None = None, aanbieder: str | None = None) -> inbound.Verwerking:
    """Store, judge and answer one message; committed before this returns."""
    with app.state.session_factory() as session:
        verwerking = inbound.verwerk(session, xml=xml, aanbieder=aanbieder, nu=app.state.clock(), hub_id=hub_id)
        session.commit()
    return verwerking


def geadresseerde(app: Any, xml: bytes) -> str:
    """Which of our aanbieders a pushed message is for (its header says)."""
    aanbieder = _geadresseerde(xml)
    hub(app, aanbieder)  # one of ours?
    return aanbieder


def _geadresseerde(xml: bytes) -> str:
    try:
        model = from_xml(xml)
    except Exception as exc:  # noqa: BLE001 - any unreadable body is the sender's fault
        raise ValueError(f"geen leesbaar iWmo-bericht: {type(exc).__name__}") from None
    header: Any = model.header  # type: ignore[attr-defined]
    # a retour copies our heenbericht's header, so we are its Afzender; otherwise its Ontvanger
    return str(header.afzender if model.BERICHT in messaging.RETOUREN else header.ontvanger)


def haal_op(app: Any) -> int:
    """Collect for every aanbieder played; one whose token fails (or a hub hiccup) does not stop the others."""
    nieuw = 0
    with app.state.ophaal_lock:
        for aanbieder, client in app.state.hubs.items():
            try:
                nieuw += messaging.collect(
                    client, lambda xml, hub_id, a=aanbieder: ontvang(app, xml, hub_id, a).nieuw)
            except (HubError, HubUnreachable) as exc:
                log.warning("ophalen mislukt voor een aanbieder", extra={"aanbieder": aanbieder,
                                                                       "fout": type(exc).__name__})
    return nieuw


def synchroniseer(app: Any) -> dict[str, int]:
    return {"ontvangen": haal_op(app), "verzonden": verzend_nu(app)}
