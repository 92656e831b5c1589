"""The service's traffic with the hub: send the outbox, collect the mailbox (pull), take a push."""

from __future__ import annotations

import logging
from typing import Any

from infra import app as common_app
from infra import messaging
from iwmo.hub import HubError, HubUnreachable
from services.toewijzing import inbound, outbox
from services.toewijzing.beleid import laad
from services.toewijzing.omgeving import Omgeving
from services.toewijzing.varianten import catalogus

log = logging.getLogger("toewijzing.hub")


def omgeving(app: Any) -> Omgeving:
    settings = app.state.settings
    return Omgeving(gemeente=settings.gemeente, nu=app.state.clock(), beleid=laad(settings.beleid),
                    producten=catalogus(settings.producten))


def verzend_nu(app: Any) -> int:
    """Send what is queued; never fails the caller (see infra.app.verzend_nu)."""
    return common_app.send_now(
        app, lambda session: outbox.verzend(session, hub=app.state.hub, plan_check=app.state.plan_check), log)


def ontvang(app: Any, xml: bytes, hub_id: int | None = None) -> inbound.Verwerking:
    """Store, judge and answer one message; committed before this returns."""
    with app.state.session_factory() as session:
        verwerking = inbound.verwerk(session, xml=xml, omg=omgeving(app), hub_id=hub_id)
        session.commit()
    return verwerking


def haal_op(app: Any) -> int:
    """Collect, process and acknowledge the messages waiting in the hub; returns how many were new."""
    with app.state.ophaal_lock:
        return messaging.collect(app.state.hub, lambda xml, hub_id: ontvang(app, xml, hub_id).nieuw)


def synchroniseer(app: Any) -> dict[str, int]:
    """Collect, then send; a failed collection (hub down, token refused) does not keep the outbox waiting."""
    try:
        ontvangen = haal_op(app)
    except (HubError, HubUnreachable) as exc:
        log.warning("ophalen mislukt", extra={"fout": type(exc).__name__})
        ontvangen = 0
    verzonden = verzend_nu(app)
    return {"ontvangen": ontvangen, "verzonden": verzonden}
