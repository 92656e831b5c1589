"""The walk-through in docs/gateway.md works as printed: its bash blocks run against a real gateway."""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from tests.conftest import REPO

DOC = REPO / "docs" / "gateway.md"
ADMIN = "docs-admin-token"


def bash_blocks(text: str) -> list[str]:
    return re.findall(r"```bash\n(.*?)```", text, flags=re.S)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.mark.skipif(not (shutil.which("curl") and shutil.which("jq")),
                    reason="the documented examples use curl and jq, which this machine lacks")
def test_the_documented_walk_through_works(tmp_path: Path) -> None:
    port = free_port()
    bindir = str(Path(sys.executable).parent)
    env = {**os.environ, "PATH": f"{bindir}:{os.environ['PATH']}", "GATEWAY_ADMIN_TOKEN": ADMIN,
           "GATEWAY_DATABASE_URL": f"sqlite:///{tmp_path}/gateway.db", "GATEWAY_LOG_LEVEL": "WARNING"}
    server = subprocess.Popen([f"{bindir}/iwmo", "gateway", "serve", "--port", str(port)], env=env, cwd=tmp_path,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if httpx.get(f"http://127.0.0.1:{port}/health").status_code == 200:
                    break
            except httpx.HTTPError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)
        blocks = bash_blocks(DOC.read_text())
        assert len(blocks) >= 8
        marker = "@@end-of-block@@"
        script = f"\necho; echo {marker}\n".join(blocks).replace("localhost:8000", f"localhost:{port}")
        run = subprocess.run(["bash", "-euo", "pipefail", "-c", script], env=env, cwd=tmp_path,
                             capture_output=True, text=True, timeout=120)
        assert run.returncode == 0, run.stdout + run.stderr
        out = [block.strip() for block in run.stdout.split(marker)]
        expected = {  # block heading -> what its output must contain
            "admin": ['"code":"87654321"', '{"ingetrokken":true}'],
            "send": ['{"id":1,"status":"ontvangen","bericht":"WMO301","identificatie":"T301-0001"}'],
            "again": ['"foutcode":"BRS20"'],
            "bundle": ['{"uitkomsten":[{"status":409,', '"foutcode":"BRS20"'],
            "collect": ['"id":1,"bericht":"WMO301"'],
            "batch": ['"id":1,"bericht":"WMO301"', '"xml":"PD94bWwg', "[]"],
            "acknowledge": ['{"id":1,"status":"afgeleverd"}'],
            "acknowledge many": ['{"afgeleverd":[1]}'],
            "retour": ['"bericht":"WMO302"', '"retour":{"id":2,"bericht":"WMO302","retourcodes":[],'
                                             '"oordeel":"goedgekeurd"}'],
            "overdue": ["[]"],
            "routes": ['"routes":[{"bericht":"WMO302","endpoint":"http://127.0.0.1:8001/berichten"}',
                       '{"bericht":"WMO323","endpoint":null}', '"ontvanger":"0363","bericht":"WMO302","aantal":1'],
            "operations": ['{"status":"ok"}', 'iwmo_hub_berichten{bericht="WMO301",status="afgeleverd"} 1'],
        }
        for (name, wanted), output in zip(expected.items(), out[1:], strict=True):
            for text in wanted:
                assert text in output, f"block {name}: {text} not in {output}"
        assert out[10].startswith("[]")  # no heenbericht without retour
        assert (tmp_path / "ontvangen.xml").read_bytes().startswith(b"<?xml")
    finally:
        server.terminate()
        server.wait(timeout=10)
