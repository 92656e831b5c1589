"""A lean HTTP/1.1 load generator and receiver for the hub benchmarks (asyncio streams, keep-alive).

The benchmarks measure the hub, so their own side must cost little CPU on the same 2-core machine: a
general-purpose client such as httpx spends several milliseconds of CPU per request, more than the
hub itself. These speak just enough HTTP/1.1 for a POST with a Content-Length body and its answer.
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Callable


async def _read_message(reader: asyncio.StreamReader) -> tuple[bytes, dict[bytes, bytes], bytes]:
    """Start line, headers (lower-case names) and body of one HTTP/1.1 message."""
    start = await reader.readline()
    if not start:
        raise ConnectionError("connection closed")
    headers: dict[bytes, bytes] = {}
    while True:
        line = await reader.readline()
        if line in (b"\r\n", b"\n", b""):
            break
        name, _, value = line.partition(b":")
        headers[name.strip().lower()] = value.strip()
    body = await reader.readexactly(int(headers.get(b"content-length", b"0")))
    return start, headers, body


class Connection:
    """One kept-alive connection that POSTs bodies and returns (status, body, seconds)."""

    def __init__(self, host: str, port: int, path: str, headers: dict[str, str]) -> None:
        self.host, self.port = host, port
        head = "".join(f"{k}: {v}\r\n" for k, v in headers.items())
        self.prefix = f"POST {path} HTTP/1.1\r\nHost: {host}:{port}\r\n{head}".encode()
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def post(self, body: bytes) -> tuple[int, bytes, float]:
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        assert self.reader is not None
        t = time.perf_counter()
        self.writer.write(self.prefix + f"Content-Length: {len(body)}\r\n\r\n".encode() + body)
        start, headers, answer = await _read_message(self.reader)
        elapsed = time.perf_counter() - t
        if headers.get(b"connection", b"").lower() == b"close":
            await self.close()
        return int(start.split()[1]), answer, elapsed

    async def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
            self.reader = self.writer = None


class Receiver:
    """An HTTP endpoint on its own thread and event loop that answers every POST with 200 and
    calls ``on_body`` with the body (keep-alive, as a real receiver would offer)."""

    def __init__(self, on_body: Callable[[bytes], None]) -> None:
        self.on_body = on_body
        self.port = 0
        ready = threading.Event()

        async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
            try:
                while True:
                    _, _, body = await _read_message(reader)
                    self.on_body(body)
                    writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n")
            except (ConnectionError, asyncio.IncompleteReadError):
                writer.close()

        async def serve() -> None:
            server = await asyncio.start_server(handle, "127.0.0.1", 0)
            self.port = server.sockets[0].getsockname()[1]
            ready.set()
            async with server:
                await server.serve_forever()

        threading.Thread(target=lambda: asyncio.run(serve()), daemon=True).start()
        ready.wait(10)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/in"
