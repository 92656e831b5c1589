"""What the toewijzing service exchanges with the hub: the message types it owns and the handler of
each (the inbound pipeline, infra.inbound), and its outbox (sent by infra.traffic)."""

from __future__ import annotations

import datetime as dt

import httpx
from fastapi import FastAPI

from infra.inbound import Handler, Pipeline
from infra.traffic import HubParty, HubTraffic
from iwmo.hub import HubClient
from services.toewijzing.domain import uitgaand
from services.toewijzing.domain.beleid import laad
from services.toewijzing.domain.omgeving import Omgeving
from services.toewijzing.domain.retouren import verwerk_302, verwerk_320
from services.toewijzing.domain.startstop import verwerk_start_stop, vooraf
from services.toewijzing.domain.varianten import catalogus
from services.toewijzing.domain.verzoeken import verwerk_vot, verwerk_vow
from services.toewijzing.models import Bericht
from services.toewijzing.settings import ToewijzingSettings

#: the message types this service owns, and who handles each: the aanbieders' requests and starts and
#: stops, and the retours on what it sends (a WMO323 is the declaratie service's)
HANDLERS: dict[str, Handler] = {"WMO302": verwerk_302, "WMO305": verwerk_start_stop, "WMO307": verwerk_start_stop,
                                "WMO315": verwerk_vot, "WMO317": verwerk_vow, "WMO320": verwerk_320}
PIPELINE = Pipeline(tabel=Bericht, handlers=HANDLERS, vooraf=vooraf)


def omgeving(settings: ToewijzingSettings, nu: dt.datetime) -> Omgeving:
    return Omgeving(gemeente=settings.gemeente, nu=nu, beleid=laad(settings.beleid),
                    producten=catalogus(settings.producten))


def traffic(app: FastAPI, *, hub_http: httpx.Client | None) -> HubTraffic:
    """The app's hub traffic, for the gemeente it speaks for; a WMO301 with a resultaat waits for the
    support plan check in ``app.state.plan_check``."""
    settings: ToewijzingSettings = app.state.settings
    client = HubClient(hub_http or httpx.Client(base_url=settings.hub_url, timeout=30), settings.hub_token)
    return HubTraffic(
        parties={settings.gemeente: HubParty(settings.gemeente, client, settings.push_geheim)},
        pipeline=PIPELINE, session_factory=app.state.session_factory, clock=lambda: app.state.clock(),
        context=lambda _party: omgeving(settings, app.state.clock()),
        send=lambda session, traffic: uitgaand.verzend(session, hub=traffic.client(settings.gemeente),
                                                     plan_check=app.state.plan_check, terugval=traffic.terugval,
                                                     nu=traffic.clock()))
