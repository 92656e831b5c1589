"""Push delivery as a process of its own (``iwmo gateway push``)."""

from __future__ import annotations

import contextlib
import ctypes
import logging
import signal
import subprocess
import sys
import threading

from gateway.db import make_engine, session_factory
from gateway.push import PushWorker
from gateway.settings import GatewaySettings
from infra.logs import configure_logging

log = logging.getLogger("gateway.push")


def run_push(settings: GatewaySettings, stop: threading.Event | None = None) -> None:
    """Deliver until SIGTERM/SIGINT (or ``stop`` is set)."""
    configure_logging(settings.log_level)
    stop = stop or threading.Event()
    if threading.current_thread() is threading.main_thread():
        for sig in (signal.SIGTERM, signal.SIGINT):
            signal.signal(sig, lambda *_: stop.set())
    engine = make_engine(settings.database_url)
    worker = PushWorker(session_factory(engine), settings)
    worker.start()
    log.info("push-proces gestart")
    try:
        stop.wait()
    finally:
        worker.stop()
        engine.dispose()


def _die_with_parent() -> None:  # pragma: no cover - runs in the child before exec
    """Linux: the push process gets SIGTERM when the process that started it dies (even by SIGKILL)."""
    with contextlib.suppress(OSError):
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


def start_push_process() -> subprocess.Popen[bytes]:
    """``iwmo gateway push`` as a child of this process (settings come from the same environment)."""
    return subprocess.Popen([sys.executable, "-m", "iwmo.cli", "gateway", "push"], preexec_fn=_die_with_parent)
