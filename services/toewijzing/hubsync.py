"""The service's traffic with the hub: send the outbox, collect the mailbox (pull), in one place."""

from __future__ import annotations

import logging
from typing import Any

from iwmo.hub import HubClient, HubUnreachable
from services.toewijzing import inbound, outbox

log = logging.getLogger("toewijzing.hub")


def verzend_nu(app: Any) -> int:
    """Send what is queued; an unreachable hub is not an error here (the poller tries again)."""
    with app.state.session_factory() as session:
        try:
            return outbox.verzend(session, hub=app.state.hub)
        except HubUnreachable:
            return 0


def haal_op(app: Any) -> int:
    """Collect, process and acknowledge the messages waiting in the hub; returns how many were new."""
    hub: HubClient = app.state.hub
    nieuw = 0
    for meta in hub.mailbox():
        xml = hub.fetch(meta["id"])
        with app.state.session_factory() as session:
            verwerking = inbound.verwerk(session, xml=xml, gemeente=app.state.settings.gemeente,
                                         nu=app.state.clock(), hub_id=meta["id"])
            session.commit()
        nieuw += verwerking.nieuw
        hub.acknowledge(meta["id"])  # only after the commit: a crash before it means redelivery, not loss
    return nieuw


def synchroniseer(app: Any) -> dict[str, int]:
    ontvangen = haal_op(app)
    verzonden = verzend_nu(app)
    return {"ontvangen": ontvangen, "verzonden": verzonden}
