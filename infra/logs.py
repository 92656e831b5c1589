"""One log format for every process of the suite: a JSON object per line, never a BSN, a name or message content.

A record carries its time, level, logger and message, plus the ``extra={...}`` fields named in
:data:`SAFE_FIELDS` (ids, codes, counts: nothing personal). An exception is written as its type and the
places it passed (file:line), never its text or a traceback with values: an error about a row or a
message can quote a BSN. :func:`configure_logging` routes uvicorn's own loggers through the same
handler, so a server writes one format.
"""

from __future__ import annotations

import json
import logging
import traceback

#: the ``extra`` fields a record may carry into the log (never personal data)
SAFE_FIELDS = ("bericht_id", "hub_id", "bericht", "berichten", "status", "foutcode", "fout", "afzender", "ontvanger",
               "aanbieder", "path", "http_status", "aantal", "dienst", "seconden", "opnieuw_om")

#: libraries that log each request's URL at INFO: kept at WARNING
QUIET = ("httpx", "httpcore")

#: uvicorn's loggers: they get our handler instead of their own (and uvicorn's access log stays off)
UVICORN = ("uvicorn", "uvicorn.error", "uvicorn.access", "uvicorn.asgi")


def exception_summary(exc: BaseException) -> str:
    """``TypeName at file:line < file:line ...``: where it happened, innermost first, without its text."""
    frames = traceback.extract_tb(exc.__traceback__) if exc.__traceback__ else []
    plekken = [f"{frame.filename.rsplit('/', 2)[-2:][-1]}:{frame.lineno}" for frame in reversed(frames[-5:])]
    return type(exc).__name__ + (f" at {' < '.join(plekken)}" if plekken else "")


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message and the safe ``extra`` fields."""

    def format(self, record: logging.LogRecord) -> str:
        out: dict[str, object] = {"time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S"), "level": record.levelname,
                                  "logger": record.name, "message": record.getMessage()}
        for name in SAFE_FIELDS:
            if hasattr(record, name):
                out[name] = getattr(record, name)
        if record.exc_info and record.exc_info[1] is not None:
            out["exception"] = exception_summary(record.exc_info[1])
        return json.dumps(out, ensure_ascii=False, default=str)


def configure_logging(level: str = "INFO") -> None:
    """The root logger writes JSON lines to stderr at ``level``; uvicorn's loggers write through it.
    Calling it again changes nothing but the level."""
    root = logging.getLogger()
    if not any(isinstance(h.formatter, JsonFormatter) for h in root.handlers):
        handler = logging.StreamHandler()
        handler.setFormatter(JsonFormatter())
        root.addHandler(handler)
    root.setLevel(level)
    for name in UVICORN:
        logger = logging.getLogger(name)
        logger.handlers.clear()
        logger.propagate = True
    logging.getLogger("uvicorn.access").disabled = True  # paths can name a client
    for name in QUIET:  # they log every request's URL, and a URL can name a client
        logging.getLogger(name).setLevel(max(logging.WARNING, root.level))
