"""An app served for real (uvicorn on a free port of 127.0.0.1, in a thread of the test process), for the
tests that need a socket: a browser, a command line, a raw client."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import uvicorn


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def live_server(app: Any, *, port: int | None = None, **config: Any) -> Iterator[str]:
    """Serve ``app`` until the block ends; yields its base URL. The app's engine is disposed afterwards."""
    port = port or free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", **config))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        engine = getattr(app.state, "engine", None)
        if engine is not None:
            engine.dispose()
