"""Hub throughput and intake latency on PostgreSQL with 2 gateway workers. Prints figures.

    python benchmarks/gateway.py [--messages 3000] [--concurrency 32] [--rate 100] [--seconds 10]

1. Sustained throughput: WMO301-sized messages submitted by concurrent senders and pushed to a local
   receiver; messages per second from the first submission to the last delivery (target >= 300/s).
2. Intake latency at a steady rate (default 100 messages/s): p50 and p99 of the 202 answers
   (target p99 < 50 ms).
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
from crash_safety import Gateway, Receiver, free_port, make_database  # noqa: E402

from iwmo.samples import sample  # noqa: E402
from iwmo.xml import to_xml  # noqa: E402

IWMO = str(Path(sys.executable).parent / "iwmo")


def bodies(prefix: str, n: int) -> list[bytes]:
    m = sample("WMO301", today=dt.date.today())
    out = []
    for i in range(n):
        m.header.bericht_identificatie.identificatie = f"{prefix}{i:07d}"
        out.append(to_xml(m))
    return out


async def throughput(url: str, token: str, payloads: list[bytes], concurrency: int) -> list[float]:
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/xml"}
    latencies: list[float] = []
    queue: asyncio.Queue[bytes] = asyncio.Queue()
    for p in payloads:
        queue.put_nowait(p)
    limits = httpx.Limits(max_connections=concurrency)
    async with httpx.AsyncClient(timeout=30, limits=limits) as client:
        async def sender() -> None:
            while not queue.empty():
                body = queue.get_nowait()
                t = time.perf_counter()
                r = await client.post(url, content=body, headers=headers)
                latencies.append(time.perf_counter() - t)
                if r.status_code != 202:
                    raise RuntimeError(r.text)
        await asyncio.gather(*(sender() for _ in range(concurrency)))
    return latencies


async def steady(url: str, token: str, payloads: list[bytes], rate: float) -> list[float]:
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/xml"}
    latencies: list[float] = []
    async with httpx.AsyncClient(timeout=30) as client:
        async def one(body: bytes) -> None:
            t = time.perf_counter()
            r = await client.post(url, content=body, headers=headers)
            latencies.append(time.perf_counter() - t)
            if r.status_code != 202:
                raise RuntimeError(r.text)
        tasks = []
        start = time.perf_counter()
        for i, body in enumerate(payloads):
            delay = start + i / rate - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            tasks.append(asyncio.create_task(one(body)))
        await asyncio.gather(*tasks)
    return latencies


def pct(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(p / 100 * len(values)))] * 1000


def wait_delivered(receiver: Receiver, count: int, timeout: float) -> float:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with receiver.lock:
            if len(set(receiver.received)) >= count:
                return time.monotonic()
        time.sleep(0.02)
    raise RuntimeError("not all messages were delivered")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--messages", type=int, default=3000)
    ap.add_argument("--concurrency", type=int, default=32)
    ap.add_argument("--rate", type=float, default=100)
    ap.add_argument("--seconds", type=float, default=10)
    args = ap.parse_args()

    url, drop = make_database()
    receiver = Receiver()
    env = {**os.environ, "GATEWAY_DATABASE_URL": url, "GATEWAY_PUSH_POLL_SECONDS": "0.02",
           "GATEWAY_PUSH_BATCH": "100", "GATEWAY_LOG_LEVEL": "WARNING"}
    tokens = {}
    for flag, code, extra in (("--gemeente", "0363", []), ("--aanbieder", "12345678", ["--endpoint", receiver.url])):
        out = subprocess.run([IWMO, "gateway", "add-party", flag, code, *extra], env=env, capture_output=True,
                             text=True, check=True).stdout
        tokens[code] = out.strip().splitlines()[-1]
    gateway = Gateway(env, free_port(), workers=2)
    gateway.start()
    post_url = f"http://127.0.0.1:{gateway.port}/berichten"
    try:
        payloads = bodies("T", args.messages)
        start = time.monotonic()
        lat = asyncio.run(throughput(post_url, tokens["0363"], payloads, args.concurrency))
        accepted_at = time.monotonic()
        end = wait_delivered(receiver, args.messages, timeout=300)
        print(f"1. throughput, {args.messages} messages, {args.concurrency} concurrent senders, 2 workers:")
        print(f"   intake {args.messages / (accepted_at - start):.0f} msg/s; end to end (accepted and pushed) "
              f"{args.messages / (end - start):.0f} msg/s; intake p50 {pct(lat, 50):.1f} ms, p99 {pct(lat, 99):.1f} ms")

        n = int(args.rate * args.seconds)
        with receiver.lock:
            before = len(set(receiver.received))
        lat = asyncio.run(steady(post_url, tokens["0363"], bodies("S", n), args.rate))
        wait_delivered(receiver, before + n, timeout=120)
        print(f"2. steady {args.rate:.0f} msg/s for {args.seconds:.0f} s: intake p50 {pct(lat, 50):.1f} ms, "
              f"p99 {pct(lat, 99):.1f} ms, mean {statistics.mean(lat) * 1000:.1f} ms")
    finally:
        gateway.stop()
        drop()


if __name__ == "__main__":
    main()
