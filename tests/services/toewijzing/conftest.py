"""The toewijzing service and the hub together, in process, on SQLite and on PostgreSQL, with a
scripted aanbieder on the other side of the hub."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field

import pytest
from fastapi.testclient import TestClient
from lxml import etree
from sqlalchemy import create_engine, text

from gateway.app import create_app as create_hub
from gateway.settings import GatewaySettings
from infra.auth import PartyTokens
from iwmo.berichten import Bericht
from iwmo.hub import HubClient
from iwmo.retour import RetourOpties, retour
from iwmo.schemas import xml_schema
from iwmo.validation import validate
from iwmo.xml import from_xml, to_xml
from services.toewijzing.app import create_app
from services.toewijzing.settings import ToewijzingSettings
from tests.conftest import reference_path
from tests.services.push import GEHEIMEN, GEMEENTE_TOKENS

GEMEENTE, AANBIEDER = "0363", "12345678"
ADMIN = "admin-token"


class Clock:
    def __init__(self) -> None:
        self.now = dt.datetime(2026, 11, 23, 10, 0, tzinfo=dt.UTC)

    def __call__(self) -> dt.datetime:
        return self.now


def official_schema(naam: str) -> etree.XMLSchema | None:
    """The official XSD of a heenbericht from ../shared (None when the reference material is absent:
    then only the project's own validator judges the gemeente's messages)."""
    folder = reference_path() / "xsd"
    return xml_schema(naam, str(folder)) if (folder / f"{naam}.xsd").is_file() else None


@dataclass
class Aanbieder:
    """A scripted provider: collects what the hub holds for it and answers as the standard says."""

    hub: HubClient
    ontvangen: list[Bericht] = field(default_factory=list)
    xml: list[bytes] = field(default_factory=list)

    def haal_op(self, today: dt.date) -> list[Bericht]:
        nieuw = []
        for meta in self.hub.mailbox():
            data = self.hub.fetch(meta["id"])
            rapport = validate(data, today=today)
            assert rapport.valid, rapport.fouten  # every message the gemeente sends is valid
            schema = official_schema(meta["bericht"])  # heenberichten: also by the official XSD
            if schema is not None:
                assert schema.validate(etree.fromstring(data)), schema.error_log
            self.xml.append(data)
            nieuw.append(from_xml(data))
            self.hub.acknowledge(meta["id"])
        self.ontvangen += nieuw
        return nieuw

    def beantwoord(self, heen: Bericht, today: dt.date, fouten=(), ident: str | None = None) -> None:  # type: ignore[no-untyped-def]
        n = len(self.ontvangen) + len(self.xml)
        r = retour(heen, list(fouten), RetourOpties(identificatie=ident or f"R{n:05d}", dagtekening=today))
        self.hub.send(to_xml(r))

    def stuur(self, bericht: Bericht) -> int:
        return self.hub.send(to_xml(bericht))


@dataclass
class Keten:
    client: TestClient  # the toewijzing service
    aanbieder: Aanbieder
    clock: Clock
    hub: TestClient

    def sync(self) -> dict[str, int]:
        r = self.client.post("/hub/ophalen")
        assert r.status_code == 200, r.text
        return dict(r.json())


def _schoon(request: pytest.FixtureRequest, name: str) -> str:
    """A throw-away PostgreSQL database, emptied."""
    url: str = request.getfixturevalue("pg_databases")(name)
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
    engine.dispose()
    return url


def _database(request: pytest.FixtureRequest, tmp_path, name: str) -> str:  # type: ignore[no-untyped-def]
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path}/{name}.db"
    return _schoon(request, name)


def database_beside(beside: TestClient, request: pytest.FixtureRequest, tmp_path, name: str) -> str:  # type: ignore[no-untyped-def]
    """A database for another service, of the same kind (SQLite or PostgreSQL) as that of ``beside``."""
    if beside.app.state.settings.database_url.startswith("sqlite"):  # type: ignore[attr-defined]
        return f"sqlite:///{tmp_path}/{name}.db"
    return _schoon(request, name)


@pytest.fixture(params=["sqlite", "postgresql"])
def keten(request: pytest.FixtureRequest, tmp_path) -> Iterator[Keten]:  # type: ignore[no-untyped-def]
    hub_app = create_hub(GatewaySettings(database_url=_database(request, tmp_path, "hub"), admin_token=ADMIN,
                                         push_enabled=False, auth_cache_seconds=0))
    with TestClient(hub_app) as hub:
        tokens = {}
        for rol, code in (("gemeente", GEMEENTE), ("aanbieder", AANBIEDER)):
            r = hub.post("/admin/parties", json={"rol": rol, "code": code}, headers={"Authorization": f"Bearer {ADMIN}"})
            tokens[code] = r.json()["token"]
        clock = Clock()
        settings = ToewijzingSettings(database_url=_database(request, tmp_path, "toewijzing"), gemeente=GEMEENTE,
                                      hub_token=tokens[GEMEENTE], poll_seconds=0, push_geheim=GEHEIMEN[GEMEENTE],
                                      api_tokens=GEMEENTE_TOKENS)
        app = create_app(settings, hub_http=hub, clock=clock)
        with TestClient(app) as client:
            client.auth = PartyTokens(GEMEENTE_TOKENS)
            yield Keten(client, Aanbieder(HubClient(hub, tokens[AANBIEDER])), clock, hub)
        app.state.engine.dispose()
    hub_app.state.engine.dispose()

