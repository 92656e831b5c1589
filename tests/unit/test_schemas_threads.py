"""Validation from several threads at once, as the hub's and the services' thread pools validate.

Two defects this guards against (see iwmo.schemas): libxml2 broke for the rest of a process when two
threads compiled their first schema at the same moment (a declaratie service then refused every WMO323 with
"the given type is not a built-in type"; found as a flaky end-to-end test), and threads validating with one
shared schema object read each other's faults from its ``error_log``.
"""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

from iwmo import to_xml
from iwmo.loader import parse_xml
from iwmo.samples import sample
from iwmo.validation import check_tree
from tests.gelijktijdig import met_fout, tegelijk

ROOT = Path(__file__).resolve().parents[2]
TODAY = dt.date(2026, 12, 4)

#: a fresh process whose threads all begin at once (barrier), each with a first compile of its own; it prints
#: what broke
_FIRST_AT_ONCE = """
import threading
from iwmo.schemas import xml_schema
schemas = ["WMO301", "WMO305", "WMO307", "WMO315", "WMO317", "WMO319", "WMO323", "WMO325"]
start, kapot = threading.Barrier(len(schemas)), []
def schema(naam):
    start.wait()
    try:
        xml_schema(naam)
    except Exception as exc:
        kapot.append(f"{naam}: {exc!r}")
draden = [threading.Thread(target=schema, args=(n,)) for n in schemas]
[d.start() for d in draden]
[d.join() for d in draden]
print("\\n".join(kapot))
"""


def test_threads_that_compile_their_first_schemas_at_once_all_get_a_working_schema() -> None:
    # before the fix about one process in six of this kind broke; sixteen make a regression show in nearly
    # every run (1 - (5/6)**16 = 95%), and a correct build passes every time
    for _ in range(16):
        r = subprocess.run([sys.executable, "-c", _FIRST_AT_ONCE], cwd=ROOT, capture_output=True, text=True,
                           timeout=60)
        assert r.returncode == 0 and r.stdout.strip() == "", r.stdout + r.stderr
    # and what was compiled validates: one message per type, checked from one thread
    for naam in ("WMO301", "WMO323"):
        assert check_tree(parse_xml(to_xml(sample(naam, today=TODAY))), today=TODAY).valid


def test_each_thread_reads_its_own_xsd_faults() -> None:
    """Two threads validate messages of one type with different faults, many times over: each report names
    its own fault only (with one shared schema object, one thread's faults turned up in the other's report,
    or were wiped by it)."""
    goed = to_xml(sample("WMO301", today=TODAY))

    def herhaal(element: str, xml: bytes) -> list[str]:
        verkeerd = []
        for _ in range(300):
            rapport = check_tree(parse_xml(xml), today=TODAY)
            xsd = [f.details + " " + " ".join(f.locaties) for f in rapport.fouten if f.code == "XSD"]
            if not xsd or not all(element in d for d in xsd):
                verkeerd.append(f"{element}: {xsd}")
        return verkeerd

    verkeerd = tegelijk(herhaal, {"Geslacht": met_fout(goed, "Geslacht", "7"),
                                  "Huisnummer": met_fout(goed, "Huisnummer", "abc")})
    assert verkeerd == [], verkeerd[:5]


def test_the_pool_keeps_a_bounded_number_of_schemas_per_type() -> None:
    from contextlib import ExitStack

    from iwmo import schemas

    with ExitStack() as stack:  # more at once than are kept: each is a schema of its own
        in_gebruik = [stack.enter_context(schemas.own_schema("WMO307")) for _ in range(schemas.KEEP + 3)]
        assert len({id(s) for s in in_gebruik}) == schemas.KEEP + 3
    assert len(schemas._FREE[("WMO307", None)]) == schemas.KEEP
    with schemas.own_schema("WMO307") as weer:  # and a kept one is lent again
        assert any(weer is s for s in in_gebruik)
