"""The outbox (infra.outbox.send_queued) against a hub that refuses: what stays queued,
what is refused for good, and that a poller meeting the same refusal every round logs it once."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest
from sqlalchemy import create_engine
from sqlalchemy.orm import Session

from infra.outbox import send_queued
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
