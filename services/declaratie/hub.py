"""What the declaratie service exchanges with the hub: it owns the WMO323 (the hub routes that type of the
gemeente here) and sends the WMO325 answers from its outbox."""

from __future__ import annotations

import datetime as dt

import httpx
from fastapi import FastAPI
from sqlalchemy.orm import Session

from infra.inbound import Handler, Pipeline
from infra.outbox import send_queued
from infra.traffic import HubParty, HubTraffic
from iwmo.hub import HubClient
from services.declaratie import toewijzingen
from services.declaratie.domain.contracten import laad
from services.declaratie.domain.declaratie import Omgeving, verwerk_323
from services.declaratie.models import Bericht
from services.declaratie.settings import DeclaratieSettings

#: the message types this service owns
HANDLERS: dict[str, Handler] = {"WMO323": verwerk_323}
PIPELINE = Pipeline(tabel=Bericht, handlers=HANDLERS)


def omgeving(settings: DeclaratieSettings, nu: dt.datetime, toewijzing_http: httpx.Client | None) -> Omgeving:
    return Omgeving(gemeente=settings.gemeente, nu=nu, contracten=laad(settings.contracten),
                    toewijzingen=lambda aanbieder, nummers, bsns: toewijzingen.opvragen(
                        toewijzing_http, aanbieder=aanbieder, nummers=nummers, bsns=bsns))


def verzend(session: Session, traffic: HubTraffic, client: HubClient | None) -> int:
    """Offer the queued WMO325s to the hub, oldest first."""
    return send_queued(session, Bericht, hub=lambda _row: client, terugval=traffic.terugval, nu=traffic.clock())


def traffic(app: FastAPI, *, hub_http: httpx.Client | None) -> HubTraffic:
    settings: DeclaratieSettings = app.state.settings
    client = HubClient(hub_http or httpx.Client(base_url=settings.hub_url, timeout=30), settings.hub_token)
    return HubTraffic(
        parties={settings.gemeente: HubParty(settings.gemeente, client, settings.push_geheim)},
        pipeline=PIPELINE, session_factory=app.state.session_factory, clock=lambda: app.state.clock(),
        context=lambda _party: omgeving(settings, app.state.clock(), app.state.toewijzing_http),
        send=lambda session, traffic: verzend(session, traffic, traffic.client(settings.gemeente)))
