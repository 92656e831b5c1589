"""Operations: overdue retours, metrics, JSON logs without personal data, the audit trail."""

from __future__ import annotations

import json
import logging

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from gateway.models import Audit
from infra.logs import JsonFormatter
from iwmo.retour import RetourOpties, retour
from iwmo.samples import sample
from iwmo.xml import to_xml
from tests.conftest import TODAY
from tests.gateway.conftest import ADMIN_TOKEN, Hub

ADMIN = {"Authorization": f"Bearer {ADMIN_TOKEN}"}


def send(hub: Hub, ident: str) -> int:
    m = sample("WMO301", today=TODAY)
    m.header.bericht_identificatie.identificatie = ident
    r = hub.send("0363", to_xml(m))
    assert r.status_code == 202
    return int(r.json()["id"])


def test_heenberichten_without_retour_are_listed(hub: Hub) -> None:
    first, second = send(hub, "A"), send(hub, "B")
    heen = sample("WMO301", today=TODAY)
    heen.header.bericht_identificatie.identificatie = "A"
    assert hub.send("12345678", to_xml(retour(heen, [], RetourOpties("RA", TODAY)))).status_code == 202
    overdue = hub.client.get("/berichten/zonder-retour?ouder_dan_seconden=0", headers=hub.auth("0363")).json()
    assert [m["id"] for m in overdue] == [second]
    assert hub.client.get("/berichten/zonder-retour", headers=hub.auth("0363")).json() == []  # not yet overdue
    assert hub.client.get("/berichten/zonder-retour?ouder_dan_seconden=0",
                          headers=hub.auth("0384")).json() == []  # only your own
    admin = hub.client.get("/admin/zonder-retour?ouder_dan_seconden=0", headers=ADMIN).json()
    assert [m["id"] for m in admin] == [second]
    assert first != second


def test_metrics_in_prometheus_format(hub: Hub) -> None:
    send(hub, "A")
    hub.send("0363", b"<x")
    text = hub.client.get("/metrics").text
    assert 'iwmo_hub_berichten{bericht="WMO301",status="ontvangen"} 1' in text
    assert 'iwmo_hub_intake_accepted_total{bericht="WMO301"} 1' in text
    assert 'iwmo_hub_intake_refused_total{foutcode="BRS14"} 1' in text
    assert "999990019" not in text and "Jansen" not in text


def test_logs_are_json_and_free_of_personal_data(hub: Hub, caplog: pytest.LogCaptureFixture) -> None:
    logger = logging.getLogger("gateway")
    logger.addHandler(caplog.handler)
    try:
        with caplog.at_level(logging.INFO, logger="gateway"):
            send(hub, "A")
            m = sample("WMO301", today=TODAY)
            m.header.bericht_identificatie.identificatie = "A"
            assert hub.send("0363", to_xml(m)).status_code == 409  # duplicate: refused
    finally:
        logger.removeHandler(caplog.handler)
    lines = [JsonFormatter().format(r) for r in caplog.records]
    parsed = [json.loads(line) for line in lines]
    assert any(p["message"] == "bericht ontvangen" and p["bericht"] == "WMO301" for p in parsed)
    assert any(p.get("foutcode") == "BRS20" for p in parsed)
    joined = "\n".join(lines)
    assert "999990019" not in joined and "Jansen" not in joined and "Grietje" not in joined


def test_every_state_change_is_audited(hub: Hub) -> None:
    bid = send(hub, "A")
    hub.client.post(f"/berichten/{bid}/ontvangen", headers=hub.auth("12345678"))
    factory = hub.client.app.state.session_factory  # type: ignore[attr-defined]
    with factory() as session:
        actions = [(a.actor, a.action) for a in session.scalars(select(Audit).where(Audit.bericht_id == bid)
                                                                  .order_by(Audit.id))]
    assert actions == [("0363", "ontvangen"), ("12345678", "afgeleverd")]


def test_every_endpoint_is_documented_with_examples(hub: Hub) -> None:
    spec = hub.client.get("/openapi.json").json()
    missing = []
    for path, operations in spec["paths"].items():
        for method, op in operations.items():
            assert op.get("summary"), f"{method} {path} has no summary"
            ok = [r for status, r in op["responses"].items() if status.startswith("2")]
            if not any("example" in media for r in ok for media in r.get("content", {}).values()):
                missing.append(f"{method.upper()} {path}")
            if not any("schema" in media for r in ok for media in r.get("content", {}).values()):
                missing.append(f"{method.upper()} {path}: no response schema")
            for status, r in op["responses"].items():
                if status.startswith("4"):  # every refusal in the one shape, with the hub's code
                    media = r["content"]["application/problem+json"]
                    assert media["example"]["foutcode"], f"{method} {path} {status}"
                    assert media["schema"] == {"$ref": "#/components/schemas/HubProbleem"}, f"{method} {path} {status}"
    assert missing == []
    assert spec["paths"]["/berichten"]["post"]["requestBody"]["content"]["application/xml"]["example"]


def test_a_parameter_that_does_not_fit_gets_a_hub_error(hub: Hub) -> None:
    r = hub.client.get("/berichten/abc", headers=hub.auth("0363"))
    assert r.status_code == 422
    assert r.json()["foutcode"] == "IB018" and "bericht_id" in r.json()["details"][0]
    assert r.headers["content-type"] == "application/problem+json"
    assert r.json()["fouten"] == [{"veld": "bericht_id", "fout": "moet een geheel getal zijn", "regel": None}]


def test_the_term_for_a_retour_is_counted_in_working_days_per_type(hub: Hub) -> None:
    import datetime as dt

    from sqlalchemy import update

    from gateway import mailbox
    from gateway.models import Bericht
    from iwmo.kalender import werkdagen_na

    vrijdag = dt.datetime(2026, 11, 20, 9, 0, tzinfo=dt.UTC)  # 10:00 in Amsterdam
    assert werkdagen_na(vrijdag, 3).date() == dt.date(2026, 11, 25)  # Mon, Tue, Wed
    toewijzing = send(hub, "T")
    declaratie = hub.send("12345678", to_xml(sample("WMO323", today=TODAY))).json()["id"]
    engine = hub.client.app.state.engine  # type: ignore[attr-defined]
    with engine.begin() as conn:
        conn.execute(update(Bericht).values(received_at=vrijdag))
    with Session(engine) as session:
        def te_laat(nu: dt.datetime) -> list[int]:
            return [b.id for b in mailbox.zonder_retour(session, nu=nu, werkdagen={"WMO323": 10}, standaard=3)]

        assert te_laat(dt.datetime(2026, 11, 23, 11, 0, tzinfo=dt.UTC)) == []  # Monday: one working day
        assert te_laat(dt.datetime(2026, 11, 25, 8, 0, tzinfo=dt.UTC)) == []  # Wednesday 9:00 Amsterdam
        assert te_laat(dt.datetime(2026, 11, 25, 10, 0, tzinfo=dt.UTC)) == [toewijzing]
        assert te_laat(dt.datetime(2026, 12, 4, 10, 0, tzinfo=dt.UTC)) == [toewijzing, declaratie]  # 10 days
        assert te_laat(dt.datetime(2026, 12, 4, 8, 0, tzinfo=dt.UTC)) == [toewijzing]


def test_the_term_for_a_retour_skips_the_feestdagen_of_the_atw(hub: Hub) -> None:
    """Received on Thursday 24 December 2026: Eerste Kerstdag (Friday), Tweede Kerstdag (Saturday), Sunday and
    Nieuwjaarsdag 2027 (Friday) are no working days (iwmo.kalender)."""
    import datetime as dt

    from sqlalchemy import update

    from gateway import mailbox
    from gateway.models import Bericht

    kerstavond = dt.datetime(2026, 12, 24, 9, 0, tzinfo=dt.UTC)  # 10:00 in Amsterdam
    toewijzing = send(hub, "K")
    declaratie = hub.send("12345678", to_xml(sample("WMO323", today=TODAY))).json()["id"]
    engine = hub.client.app.state.engine  # type: ignore[attr-defined]
    with engine.begin() as conn:
        conn.execute(update(Bericht).values(received_at=kerstavond))
    with Session(engine) as session:
        def te_laat(nu: dt.datetime) -> list[int]:
            return [b.id for b in mailbox.zonder_retour(session, nu=nu, werkdagen={"WMO323": 10}, standaard=3)]

        # three working days: Monday 28, Tuesday 29, Wednesday 30 December (Monday 10:00 without holidays)
        assert te_laat(dt.datetime(2026, 12, 29, 10, 0, tzinfo=dt.UTC)) == []
        assert te_laat(dt.datetime(2026, 12, 30, 8, 0, tzinfo=dt.UTC)) == []  # Wednesday 9:00 Amsterdam
        assert te_laat(dt.datetime(2026, 12, 30, 10, 0, tzinfo=dt.UTC)) == [toewijzing]
        # ten: 28-31 December, 4-8 January, Monday 11 January 2027
        assert te_laat(dt.datetime(2027, 1, 8, 10, 0, tzinfo=dt.UTC)) == [toewijzing]
        assert te_laat(dt.datetime(2027, 1, 11, 10, 0, tzinfo=dt.UTC)) == [toewijzing, declaratie]
