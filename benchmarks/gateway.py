"""Hub throughput and intake latency on PostgreSQL with 2 gateway workers. Prints figures.

    python benchmarks/gateway.py [--messages 3000] [--concurrency 32] [--rate 100] [--seconds 10]

Starts ``iwmo gateway serve --workers 2`` on a throw-away PostgreSQL database, with an aanbieder whose
endpoint is a receiver in this script. Sender and receiver are the lean asyncio HTTP/1.1 ones of
``loadgen.py``, so that the machine's two cores go to the hub rather than to the load generator.

1. Sustained throughput: WMO301-sized messages submitted over ``--concurrency`` kept-alive connections
   and pushed to the receiver; messages per second from the first submission to the last delivery
   (target >= 300/s), and the CPU the hub used per message.
2. Intake latency at a steady rate (default 100 messages/s, open loop: each request is timed from the
   moment it was due, so a stall counts in full): p50 and p99 of the 202 answers (target p99 < 50 ms).
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import os
import resource
import sys
import threading
import time
from pathlib import Path

sys.path.append(str(Path(__file__).resolve().parent))
from crash_safety import Gateway, add_party, free_port, make_database  # noqa: E402
from loadgen import Connection, Receiver  # noqa: E402

from iwmo.samples import sample  # noqa: E402
from iwmo.xml import to_xml  # noqa: E402

GEMEENTEN = ("0363", "0599", "0518", "0344", "0014", "0193", "0200", "0202")  # senders, one pair each


def bodies(prefix: str, n: int, senders: int = 1) -> list[tuple[str, bytes]]:
    """(sender, message) pairs, the senders taking turns."""
    m = sample("WMO301", today=dt.date.today())
    out = []
    for i in range(n):
        m.header.afzender = GEMEENTEN[i % senders]
        m.header.bericht_identificatie.identificatie = f"{prefix}{i:07d}"
        out.append((m.header.afzender, to_xml(m)))
    return out


class Delivered:
    """Identificaties the receiver got (a set: at-least-once delivery may repeat one)."""

    def __init__(self) -> None:
        self.idents: set[bytes] = set()
        self.pushes = 0

    def __call__(self, body: bytes) -> None:
        self.pushes += 1
        self.idents.add(body.split(b"<iwmo:Identificatie>", 1)[1].split(b"<", 1)[0])

    def wait_for(self, count: int, timeout: float) -> float:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if len(self.idents) >= count:
                return time.monotonic()
            time.sleep(0.005)
        raise RuntimeError(f"only {len(self.idents)} of {count} messages were delivered")


def connection(port: int, token: str) -> Connection:
    return Connection("127.0.0.1", port, "/berichten",
                      {"Authorization": f"Bearer {token}", "Content-Type": "application/xml"})


async def throughput(port: int, tokens: dict[str, str], payloads: list[tuple[str, bytes]],
                     concurrency: int) -> list[float]:
    latencies: list[float] = []
    todo = iter(payloads)

    async def sender() -> None:
        conns = {code: connection(port, token) for code, token in tokens.items()}
        for code, body in todo:
            conn = conns[code]
            status, answer, seconds = await conn.post(body)
            if status != 202:
                raise RuntimeError(answer.decode())
            latencies.append(seconds)
        for conn in conns.values():
            await conn.close()

    await asyncio.gather(*(sender() for _ in range(concurrency)))
    return latencies


async def steady(port: int, token: str, payloads: list[tuple[str, bytes]], rate: float) -> list[float]:
    """Open loop: request i is due at start + i/rate and timed from then, connection wait included."""
    pool: asyncio.Queue[Connection] = asyncio.Queue()
    for _ in range(64):
        pool.put_nowait(connection(port, token))
    latencies: list[float] = []

    async def one(body: bytes, due: float) -> None:
        conn = await pool.get()
        try:
            status, answer, _ = await conn.post(body)
        finally:
            pool.put_nowait(conn)
        latencies.append(time.perf_counter() - due)
        if status != 202:
            raise RuntimeError(answer.decode())

    tasks = []
    start = time.perf_counter()
    for i, (_, body) in enumerate(payloads):
        due = start + i / rate
        delay = due - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        tasks.append(asyncio.create_task(one(body, due)))
    await asyncio.gather(*tasks)
    while not pool.empty():
        await pool.get_nowait().close()
    return latencies


def pct(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(p / 100 * len(values)))] * 1000


def cpu_seconds(pid: int) -> float:
    """User+system CPU of a process and its children that are still running."""
    total = 0.0
    pids = [pid]
    try:
        pids += [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
        for p in pids:
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except OSError:
        pass
    return total


def postgres_cpu() -> float:
    """CPU of every local postgres process (the server runs on this machine too), with that of the ones that
    ended (a closed connection's backend, an autovacuum worker): the postmaster counts its reaped children."""
    total = 0.0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:
            continue
        if "(postgres)" in text:
            fields = text.rsplit(")", 1)[1].split()  # utime, stime, cutime, cstime
            total += sum(int(f) for f in fields[11:15]) / os.sysconf("SC_CLK_TCK")
    return total


def own_cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--messages", type=int, default=3000)
    ap.add_argument("--concurrency", type=int, default=32)
    ap.add_argument("--rate", type=float, default=100)
    ap.add_argument("--seconds", type=float, default=10)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--senders", type=int, default=1, choices=range(1, len(GEMEENTEN) + 1),
                    help="gemeenten sending to the one receiver (each a pair pushed in its own order)")
    args = ap.parse_args()

    url, drop = make_database()
    delivered = Delivered()
    receiver = Receiver(delivered)
    env = {**os.environ, "GATEWAY_DATABASE_URL": url, "GATEWAY_PUSH_POLL_SECONDS": "0.05",
           "GATEWAY_LOG_LEVEL": "WARNING"}
    parties = [("--gemeente", code, []) for code in GEMEENTEN[:args.senders]]
    tokens = {code: add_party(env, flag, code, *extra)
              for flag, code, extra in [*parties, ("--aanbieder", "12345678", ["--endpoint", receiver.url])]}
    senders = {code: tokens[code] for code in GEMEENTEN[:args.senders]}
    gateway = Gateway(env, free_port(), workers=args.workers)
    gateway.start()
    assert gateway.proc is not None
    try:
        asyncio.run(throughput(gateway.port, senders, bodies("W", 200, args.senders), 8))  # warm up
        delivered.wait_for(200, timeout=60)
        payloads = bodies("T", args.messages, args.senders)
        gw_cpu, my_cpu, pg_cpu = cpu_seconds(gateway.proc.pid), own_cpu(), postgres_cpu()
        start = time.monotonic()
        lat = asyncio.run(throughput(gateway.port, senders, payloads, args.concurrency))
        accepted_at = time.monotonic()
        end = delivered.wait_for(200 + args.messages, timeout=300)
        gw_cpu, my_cpu = cpu_seconds(gateway.proc.pid) - gw_cpu, own_cpu() - my_cpu
        pg_cpu = postgres_cpu() - pg_cpu
        n = args.messages
        print(f"1. throughput, {n} messages from {args.senders} gemeente(n) to one receiver, "
              f"{args.concurrency} concurrent senders, {args.workers} workers:")
        print(f"   intake {n / (accepted_at - start):.0f} msg/s; end to end (accepted and pushed) "
              f"{n / (end - start):.0f} msg/s; intake p50 {pct(lat, 50):.1f} ms, p99 {pct(lat, 99):.1f} ms")
        print(f"   CPU per message: hub {gw_cpu / n * 1000:.2f} ms, PostgreSQL {pg_cpu / n * 1000:.2f} ms, "
              f"this script (sender and receiver) {my_cpu / n * 1000:.2f} ms; "
              f"pushes {delivered.pushes - 200} for {n} messages")

        count = int(args.rate * args.seconds)
        before = len(delivered.idents)
        lat = asyncio.run(steady(gateway.port, tokens["0363"], bodies("S", count), args.rate))
        delivered.wait_for(before + count, timeout=120)
        print(f"2. steady {args.rate:.0f} msg/s for {args.seconds:.0f} s: intake p50 {pct(lat, 50):.1f} ms, "
              f"p99 {pct(lat, 99):.1f} ms, max {max(lat) * 1000:.1f} ms")
    finally:
        gateway.stop()
        drop()


if __name__ == "__main__":
    threading.excepthook = lambda a: None  # the receiver thread ends with the process
    main()
