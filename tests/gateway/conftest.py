"""Gateway fixtures: the app on SQLite and on PostgreSQL (a throw-away database per test session)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, text

from gateway.app import create_app
from gateway.models import Base
from gateway.settings import GatewaySettings

ADMIN_TOKEN = "test-admin-token"


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path) -> str:  # type: ignore[no-untyped-def]
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path}/gateway.db"
    url: str = request.getfixturevalue("pg_databases")("gw")
    engine = create_engine(url)
    with engine.begin() as conn:  # a clean slate per test; the schema stays
        exists = conn.execute(text("select to_regclass('public.bericht')")).scalar()
        if exists:
            tables = ", ".join(t.name for t in Base.metadata.sorted_tables)
            conn.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    engine.dispose()
    return url


@dataclass
class Hub:
    client: TestClient
    tokens: dict[str, str]
    push_geheimen: dict[str, str] = field(default_factory=dict)

    def auth(self, code: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[code]}"}

    def send(self, code: str, xml: bytes, **headers: str):  # type: ignore[no-untyped-def]
        return self.client.post("/berichten", content=xml,
                                headers={**self.auth(code), "Content-Type": "application/xml", **headers})

    def add_party(self, rol: str, code: str, endpoint: str | None = None) -> str:
        r = self.client.post("/admin/parties", json={"rol": rol, "code": code, "endpoint": endpoint},
                             headers={"Authorization": f"Bearer {ADMIN_TOKEN}"})
        assert r.status_code == 201, r.text
        self.tokens[code] = r.json()["token"]
        if r.json()["push_geheim"]:
            self.push_geheimen[code] = r.json()["push_geheim"]
        return self.tokens[code]


def make_hub(database_url: str, **settings: object) -> Iterator[Hub]:
    app = create_app(GatewaySettings(database_url=database_url, admin_token=ADMIN_TOKEN, **settings))
    with TestClient(app) as client:
        hub = Hub(client, {})
        for rol, code in (("gemeente", "0363"), ("gemeente", "0384"), ("aanbieder", "12345678"),
                          ("aanbieder", "87654321")):
            hub.add_party(rol, code)
        yield hub
    app.state.engine.dispose()


@pytest.fixture
def hub(database_url: str) -> Iterator[Hub]:
    yield from make_hub(database_url)
