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
    """A hub client whose send raises ``fout`` (or accepts, numbering the messages)."""

    def __init__(self, fout: HubError | None) -> None:
        self.fout, self.aangeboden = fout, 0

    def send(self, _xml: bytes) -> int:
        self.aangeboden += 1
        if self.fout is not None:
            raise self.fout
        return self.aangeboden


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
    # the second message to 0363 waits behind the first, untried; 0384 is tried on its own only per pair
    assert hub.aangeboden == 3 * (2 if per_paar else 1)


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
    # per waiting key: at 0, 2, 6, 14, 30, 62, 126, 254 s: 8 offers instead of 300
    assert pogingen == 8 * (2 if fout.foutcode == "IB005" else 1), pogingen
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
