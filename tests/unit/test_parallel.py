"""``iwmo validate`` on many files spreads them over every core and writes exactly what one process writes."""

from __future__ import annotations

import io
import json
import os
import re
import threading
from pathlib import Path

import pytest

import iwmo.parallel
from iwmo.catalogue import BERICHTEN
from iwmo.cli import main
from iwmo.parallel import ordered_map
from iwmo.samples import MET_VARIANT, VARIANTS, sample
from iwmo.xml import to_xml
from tests.conftest import TODAY


def _pid_and(item: int) -> tuple[int, int]:
    return os.getpid(), item


def test_ordered_map_keeps_input_order_and_uses_other_processes() -> None:
    results = list(ordered_map(_pid_and, list(range(500)), workers=2, min_items=50, chunk=7))
    assert [item for _, item in results] == list(range(500))
    assert {pid for pid, _ in results} - {os.getpid()}, "no worker process did any of the work"


def test_ordered_map_spawns_its_workers_while_another_thread_runs() -> None:
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        assert iwmo.parallel._start_method(["fork", "spawn"]) == "spawn"
        results = list(ordered_map(_pid_and, list(range(60)), workers=2, min_items=50))
    finally:
        stop.set()
        other.join()
    assert [item for _, item in results] == list(range(60))


_GELADEN: list[int] = []


def _geladen_en(item: int) -> tuple[list[int], int]:
    return list(_GELADEN), item


def test_what_prepare_loads_before_the_pool_forks_every_worker_inherits(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(iwmo.parallel, "_start_method", lambda _methods: "fork")
    calls: list[int] = []

    def prepare() -> None:
        calls.append(os.getpid())
        _GELADEN.append(os.getpid())

    try:
        results = list(ordered_map(_geladen_en, list(range(200)), workers=2, min_items=50, prepare=prepare))
    finally:
        _GELADEN.clear()
    assert calls == [os.getpid()]  # once, here
    assert results == [([os.getpid()], i) for i in range(200)]  # every worker saw it without loading it
    assert list(ordered_map(_geladen_en, [1, 2], workers=2, min_items=50, prepare=prepare)) == [([], 1), ([], 2)]
    assert calls == [os.getpid()]  # in this process alone: not needed, not called


def test_ordered_map_with_few_items_stays_in_this_process() -> None:
    results = list(ordered_map(_pid_and, list(range(10)), workers=2, min_items=50))
    assert results == [(os.getpid(), i) for i in range(10)]


def _mutations(data: bytes) -> list[bytes]:
    """The valid message and four ways to break it: a rule (CS002: a BSN that fails the 11-proef, where
    the message has one), the schema (an unknown element), well-formedness (cut short) and garbage."""
    bsn = re.sub(rb"(<(?:\w+:)?Bsn>)\d{9}<", rb"\g<1>123456789<", data)
    return [data, bsn, re.sub(rb"(</(?:\w+:)?Header>)", rb"<Onbekend>x</Onbekend>\1", data, count=1),
            data[: len(data) // 2], b"geen xml"]


def _mix(tmp_path: Path) -> list[str]:
    files = []
    for naam in BERICHTEN:
        for variant in VARIANTS if naam in MET_VARIANT else ("uren",):
            for i, data in enumerate(_mutations(to_xml(sample(naam, variant, today=TODAY)))):
                path = tmp_path / f"{naam}-{variant}-{i}.xml"
                path.write_bytes(data)
                files.append(str(path))
    files.insert(7, str(tmp_path / "ontbreekt.xml"))  # cannot be read: exit 2, said on stderr, in its place
    return files


def _run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), out, err)
    return code, out.getvalue(), err.getvalue()


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_many_files_give_the_same_output_in_parallel_as_in_one_process(
        fmt: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    files = _mix(tmp_path)
    assert len(files) > iwmo.parallel.MIN_ITEMS
    argv = ("validate", "--format", fmt, "--today", TODAY.isoformat(), *files)
    monkeypatch.setattr(iwmo.parallel, "cores", lambda: 1)
    sequential = _run(*argv)
    monkeypatch.setattr(iwmo.parallel, "cores", lambda: 2)
    pooled = iwmo.parallel._pooled
    calls: list[int] = []

    def counted(*args, **kwargs):  # type: ignore[no-untyped-def]
        calls.append(1)
        return pooled(*args, **kwargs)

    monkeypatch.setattr(iwmo.parallel, "_pooled", counted)
    parallel = _run(*argv)
    assert parallel == sequential
    assert sequential[0] == 2 and "ontbreekt.xml" in sequential[2]
    if fmt == "json":
        rapporten = json.loads(sequential[1])
        assert [r["file"] for r in rapporten] == [f for f in files if "ontbreekt" not in f]
        codes = {f["code"] for r in rapporten for f in r["fouten"]}
        assert {"CS002", "XSD", "XML"} <= codes and any(r["valid"] for r in rapporten)
    assert calls, "the parallel run did not use the pool"


def test_json_streamed_equals_one_json_dump(tmp_path: Path) -> None:
    """The streamed array, written by orjson, is what the standard library writes for the same reports,
    byte for byte: every type and mutation, a name with accents and one that is no valid UTF-8."""
    files = [f for f in _mix(tmp_path) if Path(f).exists()]
    for naam in ("café-ß-€.xml", "geen-utf8-\udcff.xml"):
        (tmp_path / naam).write_bytes(Path(files[0]).read_bytes())
        files.append(str(tmp_path / naam))
    _, out, _ = _run("validate", "--format", "json", "--today", TODAY.isoformat(), *files)
    rapporten = json.loads(out)
    assert len(rapporten) == len(files) and {"CS002", "XSD", "XML"} <= {f["code"] for r in rapporten
                                                                        for f in r["fouten"]}
    assert out == json.dumps(rapporten, ensure_ascii=False, indent=2) + "\n"


def test_json_of_no_readable_file_is_an_empty_array(tmp_path: Path) -> None:
    code, out, _ = _run("validate", "--format", "json", str(tmp_path / "ontbreekt.xml"))
    assert (code, out) == (2, "[]\n")
