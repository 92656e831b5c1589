"""Prometheus metrics (the JSON logs are infra.logs). Neither ever carries a BSN, a name or message content."""

from __future__ import annotations

import threading
from collections import Counter

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from gateway.models import Bericht


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
