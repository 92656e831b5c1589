"""The service's traffic with the hub: send the outbox, collect the mailbox (pull), take a push."""

from __future__ import annotations

import logging
from typing import Any

from iwmo.hub import HubClient, HubUnreachable
from services.toewijzing import inbound, outbox
from services.toewijzing.beleid import laad
from services.toewijzing.omgeving import Omgeving

log = logging.getLogger("toewijzing.hub")


def omgeving(app: Any) -> Omgeving:
    settings = app.state.settings
    return Omgeving(gemeente=settings.gemeente, nu=app.state.clock(), beleid=laad(settings.beleid))


def verzend_nu(app: Any) -> int:
    """Send what is queued; an unreachable hub is not an error here (the poller tries again)."""
    with app.state.verzend_lock, app.state.session_factory() as session:
        try:
            return outbox.verzend(session, hub=app.state.hub, plan_check=app.state.plan_check)
        except HubUnreachable:
            return 0


def ontvang(app: Any, xml: bytes, hub_id: int | None = None) -> inbound.Verwerking:
    """Store, judge and answer one message; committed before this returns."""
    with app.state.session_factory() as session:
        verwerking = inbound.verwerk(session, xml=xml, omg=omgeving(app), hub_id=hub_id)
        session.commit()
    return verwerking


def haal_op(app: Any) -> int:
    """Collect, process and acknowledge the messages waiting in the hub; returns how many were new."""
    hub: HubClient = app.state.hub
    nieuw = 0
    with app.state.ophaal_lock:
        for meta in hub.mailbox():
            verwerking = ontvang(app, hub.fetch(meta["id"]), hub_id=meta["id"])
            nieuw += verwerking.nieuw
            hub.acknowledge(meta["id"])  # only after the commit: a crash before it means redelivery, not loss
    return nieuw


def synchroniseer(app: Any) -> dict[str, int]:
    ontvangen = haal_op(app)
    verzonden = verzend_nu(app)
    return {"ontvangen": ontvangen, "verzonden": verzonden}
