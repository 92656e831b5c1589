"""Structured JSON logs and Prometheus metrics. Neither ever carries a BSN, a name or message content."""

from __future__ import annotations

import json
import logging
import threading
from collections import Counter

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from gateway.models import Bericht

_FIELDS = ("bericht_id", "bericht", "status", "foutcode", "afzender", "ontvanger", "path", "http_status", "aantal")


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message and the known safe fields."""

    def format(self, record: logging.LogRecord) -> str:
        out = {"time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S"), "level": record.levelname,
               "logger": record.name, "message": record.getMessage()}
        for name in _FIELDS:
            if hasattr(record, name):
                out[name] = getattr(record, name)
        if record.exc_info:
            out["exception"] = self.formatException(record.exc_info)
        return json.dumps(out, ensure_ascii=False)


def configure_logging(level: str = "INFO") -> None:
    root = logging.getLogger("gateway")
    if any(isinstance(h.formatter, JsonFormatter) for h in root.handlers):
        return
    handler = logging.StreamHandler()
    handler.setFormatter(JsonFormatter())
    root.addHandler(handler)
    root.setLevel(level)
    root.propagate = False


class Metrics:
    """Process-local counters; message totals come from the database."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.accepted: Counter[str] = Counter()  # per message type
        self.refused: Counter[str] = Counter()  # per hub error code

    def accept(self, bericht: str) -> None:
        with self._lock:
            self.accepted[bericht] += 1

    def refuse(self, foutcode: str) -> None:
        with self._lock:
            self.refused[foutcode] += 1

    def render(self, session: Session) -> str:
        lines = ["# HELP iwmo_hub_berichten Messages held by the hub, by type and status.",
                 "# TYPE iwmo_hub_berichten gauge"]
        rows = session.execute(select(Bericht.bericht, Bericht.status, func.count())
                               .group_by(Bericht.bericht, Bericht.status).order_by(Bericht.bericht, Bericht.status))
        for bericht, status, count in rows:
            lines.append(f'iwmo_hub_berichten{{bericht="{bericht}",status="{status}"}} {count}')
        lines += ["# HELP iwmo_hub_intake_accepted_total Messages accepted by this process.",
                  "# TYPE iwmo_hub_intake_accepted_total counter"]
        with self._lock:
            accepted, refused = dict(self.accepted), dict(self.refused)
        lines += [f'iwmo_hub_intake_accepted_total{{bericht="{b}"}} {n}' for b, n in sorted(accepted.items())]
        lines += ["# HELP iwmo_hub_intake_refused_total Messages refused by this process, by hub error code.",
                  "# TYPE iwmo_hub_intake_refused_total counter"]
        lines += [f'iwmo_hub_intake_refused_total{{foutcode="{c}"}} {n}' for c, n in sorted(refused.items())]
        return "\n".join(lines) + "\n"
