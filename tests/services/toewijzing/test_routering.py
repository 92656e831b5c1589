"""Each message type reaches the service that owns it, and no other: a WMO323 for gemeente 0363 is left
alone by the toewijzing service, waits visibly at the hub, and goes to its owner once there is one."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from fastapi import APIRouter, FastAPI
from fastapi.testclient import TestClient
from pydantic_settings import BaseSettings
from sqlalchemy import UniqueConstraint, select
from sqlalchemy.orm import DeclarativeBase, Session

from gateway.push import deliver_round
from infra.app import service_app
from infra.auth import protected_router
from infra.db import make_engine
from infra.hub_api import add_hub_routes
from infra.inbound import Pipeline
from infra.models import BerichtColumns
from infra.traffic import HubParty, HubTraffic, collect
from iwmo.berichten import Bericht as BerichtModel
from iwmo.hub import HubClient
from iwmo.regels import Fout
from iwmo.samples import sample
from services.toewijzing.models import Bericht
from tests.services.push import push
from tests.services.toewijzing.conftest import ADMIN, GEMEENTE, Keten

ADMIN_AUTH = {"Authorization": f"Bearer {ADMIN}"}


def stuur_declaratie(keten: Keten) -> int:
    m = sample("WMO323", today=keten.clock.now.date())
    assert m.header.ontvanger == GEMEENTE  # type: ignore[attr-defined]
    return keten.aanbieder.stuur(m)


def test_the_toewijzing_service_leaves_a_declaratie_waiting_for_its_owner(keten: Keten) -> None:
    d = stuur_declaratie(keten)
    assert keten.sync() == {"ontvangen": 0, "verzonden": 0}  # it asks only for the types it owns
    assert keten.sync()["ontvangen"] == 0
    meta = keten.hub.get("/admin/wachtend", headers=ADMIN_AUTH).json()
    assert [(w["ontvanger"], w["bericht"], w["aantal"], w["aflevering"]) for w in meta] == [
        (GEMEENTE, "WMO323", 1, "ophalen")]
    gemeente = keten.client.app.state.traffic.client(GEMEENTE)  # type: ignore[attr-defined]
    assert [m["id"] for m in gemeente.mailbox()] == [d]  # still undelivered: nobody acknowledged it
    # pushed to it by mistake (a route to the wrong service): refused before anything is stored
    r = push(keten.client, keten.hub.get(f"/berichten/{d}", headers=gemeente.headers).content, GEMEENTE, hub_id=d)
    assert r.status_code == 421 and "WMO323" in r.json()["detail"]
    with keten.client.app.state.session_factory() as session:  # type: ignore[attr-defined]
        assert session.scalars(select(Bericht).where(Bericht.bericht == "WMO323")).all() == []


# --- a stand-in owner of WMO323, made of the shared plumbing alone ------------------------------------

class Base(DeclarativeBase):
    pass


class Ontvangen(BerichtColumns, Base):
    __tablename__ = "bericht"
    __table_args__ = (UniqueConstraint("richting", "afzender", "bericht", "identificatie"),)


class StandInSettings(BaseSettings):
    database_url: str
    hub_token: str
    push_geheim: str = "push-geheim-declaratie"
    migrate_on_start: bool = True
    poll_seconds: float = 0
    log_level: str = "INFO"


def _neem(session: Session, model: BerichtModel, row: Any, _ctx: Any, fouten: list[Fout]) -> None:
    row.status = "afgekeurd" if fouten else "verwerkt"


def stand_in(settings: StandInSettings, hub: httpx.Client) -> FastAPI:
    def migrate(url: str) -> None:
        engine = make_engine(url)
        Base.metadata.create_all(engine)
        engine.dispose()

    def traffic(app: FastAPI) -> HubTraffic:
        return HubTraffic(parties={GEMEENTE: HubParty(GEMEENTE, HubClient(hub, settings.hub_token), settings.push_geheim)},
                          pipeline=Pipeline(tabel=Ontvangen, handlers={"WMO323": _neem}),
                          session_factory=app.state.session_factory, clock=lambda: app.state.clock(),
                          context=lambda _party: None, send=lambda _session, _traffic: 0)

    router = APIRouter()
    add_hub_routes(router, protected_router())
    return service_app(title="declaratie (stand-in)", version="0", description="", settings=settings, migrate=migrate,
                       router=router, traffic=traffic, log=logging.getLogger("stand-in"))


@pytest.fixture
def eigenaar(keten: Keten, tmp_path) -> Iterator[TestClient]:  # type: ignore[no-untyped-def]
    token = keten.hub.post(f"/admin/parties/{GEMEENTE}/tokens", headers=ADMIN_AUTH).json()["token"]
    app = stand_in(StandInSettings(database_url=f"sqlite:///{tmp_path}/standin.db", hub_token=token), keten.hub)
    with TestClient(app) as client:
        yield client
    app.state.engine.dispose()


def _ontvangen(eigenaar: TestClient) -> list[tuple[str, str]]:
    with eigenaar.app.state.session_factory() as session:  # type: ignore[attr-defined]
        return [(r.bericht, r.status) for r in session.scalars(select(Ontvangen))]


def test_a_registered_owner_collects_the_declaratie(keten: Keten, eigenaar: TestClient) -> None:
    d = stuur_declaratie(keten)
    keten.sync()  # the toewijzing service first: it takes nothing
    traffic: HubTraffic = eigenaar.app.state.traffic  # type: ignore[attr-defined]
    assert traffic.collect() == 1
    assert _ontvangen(eigenaar) == [("WMO323", "verwerkt")]
    assert keten.hub.get("/admin/wachtend", headers=ADMIN_AUTH).json() == []
    status = keten.hub.get(f"/berichten/{d}", headers={**traffic.client(GEMEENTE).headers,  # type: ignore[union-attr]
                                                       "Accept": "application/json"}).json()["status"]
    assert status == "afgeleverd"
    assert collect(traffic.client(GEMEENTE), owned=traffic.owned, take=lambda *_: True) == 0  # type: ignore[arg-type]


def test_a_route_pushes_the_declaratie_to_its_owner_and_the_rest_to_toewijzing(keten: Keten,
                                                                                eigenaar: TestClient) -> None:
    r = keten.hub.put(f"/admin/parties/{GEMEENTE}/routes", headers=ADMIN_AUTH,
                      json={"berichten": ["WMO323"], "endpoint": "http://testserver/berichten"})
    assert r.status_code == 200
    secret = r.json()["push_geheim"]
    traffic: HubTraffic = eigenaar.app.state.traffic  # type: ignore[attr-defined]
    traffic.parties[GEMEENTE] = HubParty(GEMEENTE, traffic.client(GEMEENTE), secret)  # configured with the hub's secret
    stuur_declaratie(keten)
    hub_app = keten.hub.app
    assert deliver_round(hub_app.state.session_factory, eigenaar, hub_app.state.settings) == 1  # type: ignore[attr-defined]
    assert _ontvangen(eigenaar) == [("WMO323", "verwerkt")]
    assert keten.sync()["ontvangen"] == 0


def test_one_message_taken_by_push_and_by_collection_at_once_is_processed_once(
        keten: Keten, eigenaar: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    import infra.inbound

    d = stuur_declaratie(keten)
    traffic: HubTraffic = eigenaar.app.state.traffic  # type: ignore[attr-defined]
    xml = keten.hub.get(f"/berichten/{d}", headers=traffic.client(GEMEENTE).headers).content  # type: ignore[union-attr]
    assert traffic.receive(xml, party=GEMEENTE, hub_id=d).nieuw
    # the other path looked before the first committed: it sees nothing, inserts, and meets the unique key
    monkeypatch.setattr(infra.inbound, "existing", lambda *_args: None)
    nog_eens = traffic.receive(xml, party=GEMEENTE, hub_id=d)
    assert nog_eens.nieuw is False and nog_eens.bericht.bericht == "WMO323"
    assert _ontvangen(eigenaar) == [("WMO323", "verwerkt")]
