"""Push delivery: success, retries with backoff, dead letters, order per pair, no double claims."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Iterator

import httpx
import pytest

from gateway.models import PushPair
from gateway.push import claim, deliver_pair, deliver_round, record
from gateway.settings import GatewaySettings
from iwmo.hub import HANDTEKENING, handtekening, handtekening_klopt
from iwmo.samples import sample
from iwmo.xml import to_xml
from tests.conftest import TODAY
from tests.gateway.conftest import ADMIN_TOKEN, Hub, make_hub

ENDPOINT = "http://aanbieder.test/iwmo"


class Receiver:
    """A scripted receiver: answers with the next status of ``script`` (then 200)."""

    def __init__(self, script: list[int | Exception] | None = None) -> None:
        self.script = list(script or [])
        self.received: list[tuple[str, bytes]] = []
        self.handtekeningen: list[str | None] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        step = self.script.pop(0) if self.script else 200
        if isinstance(step, Exception):
            raise step
        if 200 <= step < 300:
            self.received.append((request.headers["X-Iwmo-Bericht-Id"], request.content))
            self.handtekeningen.append(request.headers.get(HANDTEKENING))
        return httpx.Response(step)


@pytest.fixture
def push_hub(database_url: str) -> Iterator[Hub]:
    gen = make_hub(database_url, push_enabled=False, push_backoff_seconds=10, push_max_attempts=3)
    hub = next(gen)
    hub.add_party("aanbieder", "55556666", endpoint=ENDPOINT)
    yield hub
    gen.close()


class Clock:
    def __init__(self) -> None:
        self.now = dt.datetime(2030, 1, 1, tzinfo=dt.UTC)

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += dt.timedelta(seconds=seconds)


def send(hub: Hub, ident: str) -> int:
    m = sample("WMO301", today=TODAY)
    m.header.ontvanger = "55556666"
    m.header.bericht_identificatie.identificatie = ident
    r = hub.send("0363", to_xml(m))
    assert r.status_code == 202, r.text
    return int(r.json()["id"])


def run_round(hub: Hub, receiver: Receiver, clock: Clock) -> int:
    app = hub.client.app
    settings: GatewaySettings = app.state.settings  # type: ignore[attr-defined]
    with httpx.Client(transport=httpx.MockTransport(receiver)) as client:
        return deliver_round(app.state.session_factory, client, settings, clock)  # type: ignore[attr-defined]


def status(hub: Hub, bid: int) -> dict:  # type: ignore[type-arg]
    return hub.client.get(f"/berichten/{bid}", headers={**hub.auth("0363"), "Accept": "application/json"}).json()


def test_pushed_message_is_delivered(push_hub: Hub) -> None:
    bid = send(push_hub, "P1")
    receiver, clock = Receiver(), Clock()
    assert run_round(push_hub, receiver, clock) == 1
    assert receiver.received == [(str(bid), to_xml_of(push_hub, bid))]
    assert status(push_hub, bid)["status"] == "afgeleverd"
    assert run_round(push_hub, receiver, clock) == 0  # delivered once


def test_every_push_is_signed_with_the_receivers_secret_and_rotation_takes_effect(push_hub: Hub) -> None:
    geheim = push_hub.push_geheimen["55556666"]
    assert "0363" not in push_hub.push_geheimen  # a party without endpoint gets no push secret
    eerste = send(push_hub, "P1")
    receiver, clock = Receiver(), Clock()
    run_round(push_hub, receiver, clock)
    assert handtekening_klopt(geheim, str(eerste), to_xml_of(push_hub, eerste), receiver.handtekeningen[0])
    r = push_hub.client.post("/admin/parties/55556666/push-geheim", headers={"Authorization": f"Bearer {ADMIN_TOKEN}"})
    assert r.status_code == 201
    nieuw = r.json()["push_geheim"]
    tweede = send(push_hub, "P2")
    run_round(push_hub, receiver, clock)
    body = to_xml_of(push_hub, tweede)
    assert receiver.handtekeningen[1] == f"{handtekening(nieuw, tweede, body)}, {handtekening(geheim, tweede, body)}"
    # the receiver may switch over at its own pace: both its old and its new secret accept the push
    assert handtekening_klopt(geheim, str(tweede), body, receiver.handtekeningen[1])
    assert handtekening_klopt(nieuw, str(tweede), body, receiver.handtekeningen[1])
    derde_geheim = push_hub.client.post("/admin/parties/55556666/push-geheim",
                                        headers={"Authorization": f"Bearer {ADMIN_TOKEN}"}).json()["push_geheim"]
    derde = send(push_hub, "P3")
    run_round(push_hub, receiver, clock)
    body = to_xml_of(push_hub, derde)
    assert not handtekening_klopt(geheim, str(derde), body, receiver.handtekeningen[2])  # two replacements ago
    assert handtekening_klopt(f"{derde_geheim},{nieuw}", str(derde), body, receiver.handtekeningen[2])
    geen = push_hub.client.post("/admin/parties/0363/push-geheim", headers={"Authorization": f"Bearer {ADMIN_TOKEN}"})
    assert geen.status_code == 404 and geen.json()["foutcode"] == "ADM02"


def to_xml_of(hub: Hub, bid: int) -> bytes:
    return hub.client.get(f"/berichten/{bid}", headers=hub.auth("0363")).content


def test_failed_push_is_retried_with_backoff(push_hub: Hub) -> None:
    bid = send(push_hub, "P1")
    receiver, clock = Receiver([503, httpx.ConnectError("refused")]), Clock()
    assert run_round(push_hub, receiver, clock) == 1  # 503
    clock.advance(9)
    assert run_round(push_hub, receiver, clock) == 0  # not yet due (backoff 10 s)
    clock.advance(2)
    assert run_round(push_hub, receiver, clock) == 1  # connection refused
    clock.advance(15)
    assert run_round(push_hub, receiver, clock) == 0  # second backoff is 20 s
    clock.advance(6)
    assert run_round(push_hub, receiver, clock) == 1  # third attempt succeeds
    assert status(push_hub, bid)["status"] == "afgeleverd"
    assert len(receiver.received) == 1


def test_dead_letter_after_max_attempts(push_hub: Hub) -> None:
    bid = send(push_hub, "P1")
    receiver, clock = Receiver([500, 500, 500]), Clock()
    for _ in range(3):
        run_round(push_hub, receiver, clock)
        clock.advance(1000)
    assert status(push_hub, bid)["status"] == "dead"
    dead = push_hub.client.get("/admin/dead-letters", headers={"Authorization": f"Bearer {ADMIN_TOKEN}"}).json()
    assert [(d["id"], d["pogingen"], d["laatste_fout"]) for d in dead] == [(bid, 3, "HTTP 500")]
    assert run_round(push_hub, receiver, clock) == 0


def test_order_per_pair_is_kept(push_hub: Hub) -> None:
    first, second = send(push_hub, "P1"), send(push_hub, "P2")
    receiver, clock = Receiver([500]), Clock()
    assert run_round(push_hub, receiver, clock) == 1  # only the first is attempted, and fails
    assert receiver.received == []
    clock.advance(11)
    run_round(push_hub, receiver, clock)
    run_round(push_hub, receiver, clock)
    assert [r[0] for r in receiver.received] == [str(first), str(second)]


def test_parties_without_endpoint_are_not_pushed(push_hub: Hub) -> None:
    m = sample("WMO301", today=TODAY)
    assert push_hub.send("0363", to_xml(m)).status_code == 202  # to 12345678, which pulls
    assert run_round(push_hub, Receiver(), Clock()) == 0


def test_concurrent_claims_never_overlap(push_hub: Hub) -> None:
    # several pairs, so that there is work for more than one claimer
    for i, sender in enumerate(["0363", "0384"]):
        m = sample("WMO301", today=TODAY)
        m.header.afzender = sender
        m.header.ontvanger = "55556666"
        m.header.bericht_identificatie.identificatie = f"C{i}"
        assert push_hub.send(sender, to_xml(m)).status_code == 202
    factory = push_hub.client.app.state.session_factory  # type: ignore[attr-defined]
    now = dt.datetime(2030, 1, 1, tzinfo=dt.UTC)
    results: list[list[int]] = []
    barrier = threading.Barrier(4)

    def worker() -> None:
        barrier.wait()
        with factory() as session:
            results.append([c.pair_id for c in claim(session, now=now, lease_seconds=60, limit=10)])

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    claimed = [i for r in results for i in r]
    assert len(claimed) == len(set(claimed)) == 2  # each pair once
    with factory() as session:
        assert session.query(PushPair).filter(PushPair.lease_until.is_(None)).count() == 0


def test_worker_in_the_app_pushes_to_a_real_endpoint(database_url: str) -> None:
    import time
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    got: list[bytes] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802
            got.append(self.rfile.read(int(self.headers["Content-Length"])))
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    gen = make_hub(database_url, push_poll_seconds=0.05)
    hub = next(gen)
    try:
        hub.add_party("aanbieder", "55556666", endpoint=f"http://127.0.0.1:{server.server_port}/in")
        bid = send(hub, "W1")
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and status(hub, bid)["status"] != "afgeleverd":
            time.sleep(0.05)
        assert status(hub, bid)["status"] == "afgeleverd"
        assert len(got) == 1 and got[0].startswith(b"<?xml")
    finally:
        gen.close()
        server.shutdown()


def test_batch_stops_at_the_first_failure_and_keeps_the_rest_in_order(push_hub: Hub) -> None:
    ids = [send(push_hub, f"B{i}") for i in range(3)]
    receiver, clock = Receiver([200, 503]), Clock()
    assert run_round(push_hub, receiver, clock) == 2  # the first delivered, the second failed, the third waits
    assert [r[0] for r in receiver.received] == [str(ids[0])]
    assert [status(push_hub, i)["status"] for i in ids] == ["afgeleverd", "ontvangen", "ontvangen"]
    clock.advance(11)
    assert run_round(push_hub, receiver, clock) == 2
    assert [r[0] for r in receiver.received] == [str(i) for i in ids]


def test_no_attempt_starts_that_could_outlast_the_lease(push_hub: Hub) -> None:
    bid = send(push_hub, "L1")
    app = push_hub.client.app
    factory, settings = app.state.session_factory, app.state.settings  # type: ignore[attr-defined]
    clock = Clock()
    with factory() as session:
        [held] = claim(session, now=clock(), lease_seconds=settings.push_lease_seconds, limit=5)
    clock.advance(settings.push_lease_seconds - settings.push_timeout_seconds + 1)
    receiver = Receiver()
    with httpx.Client(transport=httpx.MockTransport(receiver)) as client:
        assert deliver_pair(factory, client, settings, held, clock) == 0
    assert receiver.received == [] and status(push_hub, bid)["status"] == "ontvangen"
    assert run_round(push_hub, receiver, clock) == 1  # the pair was handed back and is claimed afresh
    assert status(push_hub, bid)["status"] == "afgeleverd"


def test_a_worker_that_lost_its_lease_does_not_hand_back_the_pair(push_hub: Hub) -> None:
    send(push_hub, "L2")
    app = push_hub.client.app
    factory, settings = app.state.session_factory, app.state.settings  # type: ignore[attr-defined]
    clock = Clock()
    with factory() as session:
        [first] = claim(session, now=clock(), lease_seconds=60, limit=5)
    clock.advance(61)  # the lease ran out: another worker claims the pair
    with factory() as session:
        [second] = claim(session, now=clock(), lease_seconds=60, limit=5)
    with factory() as session:  # the first worker reports late; the second's lease must stand
        record(session, claim=first, delivered=[], failed=None, error=None, now=clock(), settings=settings)
    with factory() as session:
        assert claim(session, now=clock(), lease_seconds=60, limit=5) == []
        held = session.get(PushPair, second.pair_id).lease_until
        assert held.replace(tzinfo=None) == second.lease_until.replace(tzinfo=None)  # SQLite keeps no zone


def test_a_pair_is_kept_while_its_messages_keep_coming_and_handed_back_after(push_hub: Hub) -> None:
    """One claim for a stream: a message accepted while the holder pushes goes in its next round (after
    the linger), without a new claim; when a look finds nothing the pair is handed back."""
    first = send(push_hub, "K1")
    app = push_hub.client.app
    factory, settings = app.state.session_factory, app.state.settings  # type: ignore[attr-defined]
    clock = Clock()
    with factory() as session:
        [held] = claim(session, now=clock(), lease_seconds=settings.push_lease_seconds, limit=5)
    later: list[int] = []
    receiver = Receiver()

    def answer(request: httpx.Request) -> httpx.Response:
        if not later:
            later.append(send(push_hub, "K2"))  # arrives while the pair is held
        return receiver(request)

    with httpx.Client(transport=httpx.MockTransport(answer)) as client:
        assert deliver_pair(factory, client, settings, held, clock) == 2
    assert [r[0] for r in receiver.received] == [str(first), str(later[0])]
    with factory() as session:  # handed back: free to claim (nothing waits, so nothing to claim)
        assert session.get(PushPair, held.pair_id).lease_until.replace(tzinfo=None) == clock().replace(tzinfo=None)
