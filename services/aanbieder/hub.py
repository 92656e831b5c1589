"""What the stand-in exchanges with the hub, for every aanbieder it plays: the message types it owns and
the handler of each (the inbound pipeline, infra.inbound), and its outbox (sent by infra.traffic)."""

from __future__ import annotations

from typing import Any

import httpx
from fastapi import FastAPI

from infra.errors import NotFound
from infra.inbound import Handler, Pipeline
from infra.outbox import send_queued
from infra.traffic import HubParty, HubTraffic
from iwmo.berichten import Bericht as BerichtModel
from iwmo.hub import HubClient
from services.aanbieder.domain.ontvangst import Omgeving, ontvang_heenbericht, ontvang_retour
from services.aanbieder.models import Bericht
from services.aanbieder.settings import AanbiederSettings

#: everything a gemeente sends an aanbieder: toewijzingen and answers to requests, and the retours on
#: what the aanbieder sent (a WMO325 answers a declaratie)
HANDLERS: dict[str, Handler] = {"WMO301": ontvang_heenbericht, "WMO319": ontvang_heenbericht,
                                "WMO306": ontvang_retour, "WMO308": ontvang_retour, "WMO316": ontvang_retour,
                                "WMO318": ontvang_retour, "WMO325": ontvang_retour}


def _rij(model: BerichtModel, **kolommen: Any) -> Bericht:
    """A received message's row: the aanbieder it is for, and its client when it names one."""
    client = getattr(model, "client", None)
    return Bericht(aanbieder=kolommen["ontvanger"], bsn=client.bsn if client is not None else None, **kolommen)


PIPELINE = Pipeline(tabel=Bericht, handlers=HANDLERS, new_row=_rij)


def traffic(app: FastAPI, *, hub_http: httpx.Client | None) -> HubTraffic:
    """The app's hub traffic: each aanbieder with its own token and push secret."""
    settings: AanbiederSettings = app.state.settings
    http = hub_http or httpx.Client(base_url=settings.hub_url, timeout=30)
    parties = {code: HubParty(code, HubClient(http, token), settings.push_geheimen.get(code, ""))
               for code, token in settings.partijen.items()}
    return HubTraffic(
        parties=parties, pipeline=PIPELINE, session_factory=app.state.session_factory,
        clock=lambda: app.state.clock(), context=lambda _party: Omgeving(nu=app.state.clock()),
        send=lambda session, traffic: send_queued(session, Bericht, hub=lambda row: traffic.client(row.aanbieder),
                                                  terugval=traffic.terugval, nu=traffic.clock()))


def gespeeld(traffic: HubTraffic, aanbieder: str) -> str:
    """``aanbieder`` when this stand-in plays it, else NotFound."""
    if traffic.client(aanbieder) is None:
        raise NotFound(f"deze stand-in speelt aanbieder {aanbieder} niet", "aanbieder")
    return aanbieder
