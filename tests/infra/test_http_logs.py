"""infra.http and infra.logs: a body read capped while it streams in, an aborted upload as one log line,
JSON log lines that never carry an exception's text."""

from __future__ import annotations

import asyncio
import json
import logging
import sys

import pytest
from fastapi import HTTPException
from starlette.requests import Request

from infra.http import read_capped
from infra.logs import UVICORN, JsonFormatter, configure_logging


def _request(*berichten: dict[str, object], headers: list[tuple[bytes, bytes]] | None = None) -> Request:
    rij = list(berichten)

    async def receive() -> dict[str, object]:
        return rij.pop(0)

    return Request({"type": "http", "method": "POST", "path": "/berichten", "headers": headers or []}, receive)


def _lees(request: Request, max_bytes: int = 10) -> bytes:
    return asyncio.run(read_capped(request, max_bytes, lambda: HTTPException(413, "te groot")))


def test_a_body_is_read_in_pieces_and_refused_as_soon_as_it_is_too_large() -> None:
    assert _lees(_request({"type": "http.request", "body": b"abc", "more_body": True},
                          {"type": "http.request", "body": b"def", "more_body": False})) == b"abcdef"
    with pytest.raises(HTTPException) as groot:
        _lees(_request({"type": "http.request", "body": b"0123456789", "more_body": True},
                       {"type": "http.request", "body": b"x", "more_body": True}))
    assert groot.value.status_code == 413
    with pytest.raises(HTTPException) as aangekondigd:  # refused on its Content-Length, before any byte
        _lees(_request(headers=[(b"content-length", b"11")]))
    assert aangekondigd.value.status_code == 413


def test_an_aborted_upload_is_one_log_line_and_a_400(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.INFO, logger="infra.http"), pytest.raises(HTTPException) as weg:
        _lees(_request({"type": "http.request", "body": b"abc", "more_body": True}, {"type": "http.disconnect"}))
    assert weg.value.status_code == 400
    [regel] = [r for r in caplog.records if r.name == "infra.http"]
    uit = json.loads(JsonFormatter().format(regel))
    assert uit["message"] == "upload afgebroken door de client" and uit["aantal"] == 3 and "exception" not in uit


def test_a_log_line_carries_safe_fields_and_an_exceptions_type_and_place_but_never_its_text() -> None:
    try:
        raise ValueError("client 999990019 Jansen")
    except ValueError:
        record = logging.getLogger("x").makeRecord("x", logging.ERROR, __file__, 1, "mislukt", (), exc_info=sys.exc_info(),
                                                  extra={"bericht_id": 7, "bsn": "999990019"})
    uit = json.loads(JsonFormatter().format(record))
    assert uit["message"] == "mislukt" and uit["bericht_id"] == 7
    assert uit["exception"].startswith("ValueError at test_http_logs.py:")
    assert "999990019" not in json.dumps(uit) and "Jansen" not in json.dumps(uit)


def test_every_process_logs_through_one_json_handler_and_uvicorns_loggers_follow() -> None:
    configure_logging("INFO")
    configure_logging("WARNING")  # again: the same handler, another level
    root = logging.getLogger()
    assert sum(isinstance(h.formatter, JsonFormatter) for h in root.handlers) == 1 and root.level == logging.WARNING
    assert all(logging.getLogger(n).handlers == [] and logging.getLogger(n).propagate for n in UVICORN)
    assert logging.getLogger("uvicorn.access").disabled
    assert logging.getLogger("httpx").level >= logging.WARNING  # it would log URLs, which can name a client
    configure_logging("INFO")


def test_every_extra_field_the_code_logs_reaches_the_log() -> None:
    """The JSON formatter writes only the fields of SAFE_FIELDS: a field the code passes in ``extra`` but
    that is not listed there silently vanishes (the retry time of a refused message did, for a while)."""
    import ast
    from pathlib import Path

    from infra.logs import SAFE_FIELDS

    root = Path(__file__).resolve().parents[2]
    ontbreekt = []
    for pakket in ("iwmo", "infra", "gateway", "services"):
        for pad in sorted((root / pakket).rglob("*.py")):
            for node in ast.walk(ast.parse(pad.read_text(encoding="utf-8"))):
                if isinstance(node, ast.Call):
                    for kw in node.keywords:
                        if kw.arg == "extra" and isinstance(kw.value, ast.Dict):
                            ontbreekt += [f"{pad.relative_to(root)}:{node.lineno} {k.value}" for k in kw.value.keys
                                          if isinstance(k, ast.Constant) and k.value not in SAFE_FIELDS]
    assert ontbreekt == []
    regel = logging.LogRecord("infra.outbox", logging.ERROR, __file__, 1, "wacht", None, None)
    regel.opnieuw_om = "2026-12-04T10:00:08"
    assert json.loads(JsonFormatter().format(regel))["opnieuw_om"] == "2026-12-04T10:00:08"
