"""The outbox (infra.outbox.send_queued) against a hub that refuses: what stays queued,
what is refused for good, and that a poller meeting the same refusal every round logs it once."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterator

import pytest
from sqlalchemy import create_engine
from sqlalchemy.orm import Session

from infra.outbox import Terugval, send_queued
from iwmo.hub import HubError
from services.aanbieder.models import Base, Bericht


class Hub:
    """A hub client that refuses every message with ``fout`` (401/403: the request as a whole), or accepts,
    numbering the messages; ``aangeboden`` counts the requests (one per bundle), ``berichten`` the messages."""

    def __init__(self, fout: HubError | None) -> None:
        self.fout, self.aangeboden, self.berichten = fout, 0, 0

    def send(self, xml: bytes) -> int:
        uitkomst = self.send_many([xml])[0]
        if isinstance(uitkomst, HubError):
            raise uitkomst
        return uitkomst

    def send_many(self, xmls: list[bytes]) -> list[int | HubError]:
        self.aangeboden += 1
        if self.fout is not None and self.fout.status in (401, 403):
            raise self.fout
        uitkomsten: list[int | HubError] = []
        for _xml in xmls:
            self.berichten += 1
            uitkomsten.append(self.fout if self.fout is not None else self.berichten)
        return uitkomsten


@pytest.fixture
def session() -> Iterator[Session]:
    engine = create_engine("sqlite://")
    Base.metadata.create_all(engine)
    with Session(engine) as s:
        for i, ontvanger in enumerate(("0363", "0363", "0384")):
            s.add(Bericht(richting="uit", bericht="WMO305", afzender="12345678", ontvanger=ontvanger,
                          identificatie=f"ID{i}", xml=b"<x/>", status="te-verzenden", aanbieder="12345678"))
        s.commit()
        yield s
    engine.dispose()


def _fouten(session: Session) -> list[tuple[str, str | None]]:
    return [(b.status, b.fout) for b in session.query(Bericht).order_by(Bericht.id)]


@pytest.mark.parametrize(("fout", "melding", "per_paar"), [
    (HubError(403, "IB009", "token ingetrokken"), "weigert de inlog van de afzender", False),
    (HubError(422, "IB005", "ontvanger onbekend"), "niet aangesloten", True),
])
def test_a_refused_sender_or_receiver_waits_and_is_logged_once(session: Session, caplog: pytest.LogCaptureFixture,
                                                               fout: HubError, melding: str, per_paar: bool) -> None:
    hub = Hub(fout)
    with caplog.at_level(logging.ERROR, logger="infra.outbox"):
        for _ronde in range(3):  # the poller's rounds
            assert send_queued(session, Bericht, hub=lambda _row: hub) == 0  # type: ignore[arg-type,return-value]
    assert all(melding in r.getMessage() for r in caplog.records)
    assert len(caplog.records) == (2 if per_paar else 1)  # once per waiting pair, or once for the sender
    assert all(status == "te-verzenden" for status, _ in _fouten(session))  # nothing lost, nothing refused
    # one request per round: the three messages in one bundle (the hub judges each; a refused login refuses all)
    assert hub.aangeboden == 3


class HubZonderBundels(Hub):
    """An older hub: no POST /berichten/bundel (404)."""

    def send_many(self, xmls: list[bytes]) -> list[int | HubError]:
        if len(xmls) > 1:
            self.aangeboden += 1
            raise HubError(404, "404", "Not Found")
        return super().send_many(xmls)


def test_the_queue_goes_in_bundles_or_one_by_one_to_a_hub_without_them(session: Session) -> None:
    hub = Hub(None)
    assert send_queued(session, Bericht, hub=lambda _row: hub) == 3  # type: ignore[arg-type,return-value]
    assert (hub.aangeboden, hub.berichten) == (1, 3)
    assert [(status, fout) for status, fout in _fouten(session)] == [("verzonden", None)] * 3
    assert [b.hub_id for b in session.query(Bericht).order_by(Bericht.id)] == [1, 2, 3]  # in the queue's order

    for b in session.query(Bericht):
        b.status, b.hub_id = "te-verzenden", None
    session.commit()
    oud = HubZonderBundels(None)
    assert send_queued(session, Bericht, hub=lambda _row: oud) == 3  # type: ignore[arg-type,return-value]
    assert (oud.aangeboden, oud.berichten) == (1 + 3, 3)
    assert [b.hub_id for b in session.query(Bericht).order_by(Bericht.id)] == [1, 2, 3]


def test_a_refused_message_is_kept_as_refused_and_the_rest_goes_on(session: Session) -> None:
    hub = Hub(HubError(400, "BRS28", "ongeldig"))
    assert send_queued(session, Bericht, hub=lambda _row: hub) == 0  # type: ignore[arg-type,return-value]
    assert [status for status, _ in _fouten(session)] == ["geweigerd"] * 3
    assert all(fout and fout.startswith("BRS28") for _, fout in _fouten(session))


@pytest.mark.parametrize("fout", [HubError(422, "IB005", "ontvanger onbekend"), HubError(401, "IB002", "token weg")])
def test_a_receiver_that_stays_unknown_costs_the_hub_a_bounded_number_of_attempts(
        session: Session, caplog: pytest.LogCaptureFixture, fout: HubError) -> None:
    """Five minutes of a poller every second against a hub that keeps refusing: the offers back off
    (2, 4, 8 ... seconds, at most 300), and the reason is logged once, with receiver and next attempt."""
    hub, terugval = Hub(fout), Terugval(basis=2, maximum=300)
    begin = dt.datetime(2026, 12, 3, 10, tzinfo=dt.UTC)
    with caplog.at_level(logging.ERROR, logger="infra.outbox"):
        for seconde in range(300):
            send_queued(session, Bericht, hub=lambda _row: hub, terugval=terugval,  # type: ignore[arg-type,return-value]
                        nu=begin + dt.timedelta(seconds=seconde))
    pogingen = hub.aangeboden
    # at 0, 2, 6, 14, 30, 62, 126, 254 s: 8 requests instead of 300 (both receivers' messages in one bundle)
    assert pogingen == 8, pogingen
    assert len(caplog.records) == (2 if fout.foutcode == "IB005" else 1)
    regel = caplog.records[0]
    assert regel.ontvanger == "0363" and regel.opnieuw_om == "2026-12-03T10:00:02+00:00"  # type: ignore[attr-defined]
    assert all(status == "te-verzenden" for status, _ in _fouten(session))
    hub.fout = None  # the receiver is connected: after the backoff everything goes, in order
    assert send_queued(session, Bericht, hub=lambda _row: hub, terugval=terugval,  # type: ignore[arg-type,return-value]
                       nu=begin + dt.timedelta(seconds=600)) == 3
    assert terugval.wacht_tot(("12345678", "0363"), begin + dt.timedelta(seconds=601)) is None


def test_new_credentials_are_tried_at_once(session: Session) -> None:
    oud, terugval = Hub(HubError(401, "IB002", "token weg")), Terugval()
    nu = dt.datetime(2026, 12, 3, 10, tzinfo=dt.UTC)
    send_queued(session, Bericht, hub=lambda _row: oud, terugval=terugval, nu=nu)  # type: ignore[arg-type,return-value]
    send_queued(session, Bericht, hub=lambda _row: oud, terugval=terugval, nu=nu)  # type: ignore[arg-type,return-value]
    assert oud.aangeboden == 1  # backing off
    nieuw = Hub(None)  # the operator configures a new token: a new client
    assert send_queued(session, Bericht, hub=lambda _row: nieuw, terugval=terugval, nu=nu) == 3  # type: ignore[arg-type,return-value]


def test_the_backoff_doubles_up_to_its_maximum_and_a_success_forgets_it() -> None:
    t, nu = Terugval(basis=1, maximum=10), dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    stappen = [(t.mislukt("x", nu) - nu).total_seconds() for _ in range(6)]
    assert stappen == [1, 2, 4, 8, 10, 10]
    assert t.wacht_tot("x", nu) == nu + dt.timedelta(seconds=10) and t.wacht_tot("y", nu) is None
    t.gelukt("x")
    assert t.wacht_tot("x", nu) is None and (t.mislukt("x", nu) - nu).total_seconds() == 1
