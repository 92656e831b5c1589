"""The hub against the large bad messages of the validator issue: what it answers, how fast, how big.

    python benchmarks/grote_berichten.py [--producten 5000]

In process (the hub's app under Starlette's test client, SQLite in a temporary folder), so the figures are
the hub's own work without the network:

1. a WMO301 whose ToegewezenProducten repeat one product (same number, overlapping periods) --producten
   times, sent to a hub with the in-message rules on for WMO301 (GATEWAY_RULES_FOR): the answer (BRS28),
   seconds, the answer's size and its number of detail lines (target: under 15 s, under 1 MB);
2. the same message with every leaf value made invalid (about ten XSD violations per product): the answer
   (IB001), seconds, size (target: under 15 s, under 1 MB), and how many violations the validator counts;
3. the schema-valid message of 1 stored by a hub with the rules off, and its dashboard page: status,
   seconds, size (no 500, no unbounded page).

Prints the figures and the process's peak RSS; no pass/fail.
"""

from __future__ import annotations

import argparse
import copy
import datetime as dt
import resource
import sys
import tempfile
import time
import warnings
from pathlib import Path

# benchmarks/gateway.py would stand in for the gateway package: this folder off the import path
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]

from fastapi.testclient import TestClient  # noqa: E402
from lxml import etree  # noqa: E402

from gateway.app import create_app  # noqa: E402
from gateway.settings import GatewaySettings  # noqa: E402
from iwmo.samples import sample  # noqa: E402
from iwmo.validation import validate  # noqa: E402
from iwmo.xml import to_xml  # noqa: E402

ADMIN = "bench-admin"
VANDAAG = dt.date.today()


def herhaald(n: int, *, ongeldig: bool = False) -> bytes:
    """A WMO301 with its one ToegewezenProduct ``n`` times; ``ongeldig``: every leaf value made invalid."""
    root = etree.fromstring(to_xml(sample("WMO301", today=VANDAAG)))
    producten = root.find(".//{*}ToegewezenProducten")
    assert producten is not None
    eerste = producten[0]
    for _ in range(n - 1):
        producten.append(copy.deepcopy(eerste))
    if ongeldig:
        for el in producten.iter():
            if len(el) == 0 and el.text and el.text.strip():
                el.text = "X!"
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8"))


def _hub(map_: Path, naam: str, **settings: object) -> tuple[TestClient, dict[str, str]]:
    app = create_app(GatewaySettings(database_url=f"sqlite:///{map_}/{naam}.db", admin_token=ADMIN,
                                     push_enabled=False, dashboard_open=True, **settings))  # type: ignore[arg-type]
    client = TestClient(app)
    client.__enter__()
    tokens = {code: client.post("/admin/parties", json={"rol": rol, "code": code},
                                headers={"Authorization": f"Bearer {ADMIN}"}).json()["token"]
              for rol, code in (("gemeente", "0363"), ("aanbieder", "12345678"))}
    return client, tokens


def _stuur(client: TestClient, token: str, body: bytes) -> tuple[int, dict[str, object], int, float]:
    begin = time.monotonic()
    r = client.post("/berichten", content=body, headers={"Authorization": f"Bearer {token}",
                                                         "Content-Type": "application/xml"})
    return r.status_code, r.json(), len(r.content), time.monotonic() - begin


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--producten", type=int, default=5000, help="how often the product repeats (default 5000)")
    args = p.parse_args()
    warnings.simplefilter("ignore")
    goed, fout = herhaald(args.producten), herhaald(args.producten, ongeldig=True)
    with tempfile.TemporaryDirectory() as tmp:
        map_ = Path(tmp)
        client, tokens = _hub(map_, "regels-aan", rules_for=["WMO301"])
        for naam, body in ((f"1. {args.producten} x the same product, rules on", goed),
                           ("2. every leaf value invalid", fout)):
            status, antwoord, grootte, sec = _stuur(client, tokens["0363"], body)
            details = antwoord.get("details")
            print(f"{naam}: {len(body) / 1e6:.1f} MB -> {status} {antwoord.get('foutcode')} in {sec:.2f} s; answer "
                  f"{grootte / 1e3:.0f} kB, {len(details) if isinstance(details, list) else 0} detail lines "
                  f"(target < 15 s, < 1 MB)")
        client.__exit__(None, None, None)
        rapport = validate(fout, today=VANDAAG)
        print(f"   the validator counts {sum(rapport.weggelaten.values()) + len(rapport.fouten):,} faults in message 2 "
              f"(reported {len(rapport.fouten)}, left out per rule: {rapport.weggelaten})")
        client, tokens = _hub(map_, "regels-uit")
        _status, antwoord, _grootte, _sec = _stuur(client, tokens["0363"], goed)
        begin = time.monotonic()
        pagina = client.get(f"/dashboard/berichten/{antwoord['id']}")
        print(f"3. dashboard page of message 1 (stored with the rules off): {pagina.status_code} in "
              f"{time.monotonic() - begin:.2f} s, {len(pagina.content) / 1e6:.1f} MB (the XML itself is "
              f"{len(goed) / 1e6:.1f} MB)")
        client.__exit__(None, None, None)
    print(f"peak RSS of this process: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024} MB")


if __name__ == "__main__":
    main()
