"""Peak memory of a message full of attributes (which the iWmo schemas never declare), with and without the
hub's count before parsing (iwmo.loader.te_veel_attributen). Each case runs in a fresh process; the figure is
the growth of its peak RSS (ru_maxrss) over the case. Then the same messages through ``iwmo validate`` (which
counts them too, in iwmo.validation.validate): the figure is the whole peak RSS of the command's process.
``python benchmarks/attributen.py``"""

from __future__ import annotations

import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

AANTAL = 500_000


def aanval(soort: str, aantal: int = AANTAL) -> bytes:
    """A WMO301 with ``aantal`` attributes: all on its root element (``een``) or five each on many empty
    elements (``veel``)."""
    from iwmo.samples import sample
    from iwmo.xml import to_xml

    xml = to_xml(sample("WMO301"))
    begin = xml.index(b"<", xml.index(b"?>") + 2)
    eind = xml.index(b">", begin)
    if soort == "een":
        return xml[:eind] + b" " + b" ".join(b'a%d="x"' % i for i in range(aantal)) + xml[eind:]
    leeg = b'<x a="1" b="2" c="3" d="4" e="5"/>'
    return xml[:eind + 1] + leeg * (aantal // 5) + xml[eind + 1:]


def _meet(soort: str, met_telling: bool) -> None:
    from iwmo.loader import parse_xml, te_veel_attributen
    from iwmo.schemas import xml_schema

    data = aanval(soort)
    xml_schema("WMO301")  # compiled once per process in the hub too: not part of the figure
    basis = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    start = time.perf_counter()
    if met_telling and te_veel_attributen(data):
        uitkomst = "geweigerd voor het parsen"
    else:
        schema = xml_schema("WMO301")
        ok = schema.validate(parse_xml(data))
        uitkomst = f"XSD {'geldig' if ok else 'ongeldig'}, {len(schema.error_log)} fouten"  # type: ignore[arg-type]
    groei = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - basis) / 1024
    print(f"{soort:4} {'met' if met_telling else 'zonder':6} telling: {len(data) / 1e6:4.1f} MB, "
          f"piek +{groei:6.0f} MB, {time.perf_counter() - start:5.2f} s, {uitkomst}")


def _meet_cli(soort: str) -> None:
    """``iwmo validate`` on the message, in a child process: its whole peak RSS (the only child of this one)."""
    with tempfile.TemporaryDirectory() as tmp:
        bestand = Path(tmp) / f"{soort}.xml"
        data = aanval(soort)
        bestand.write_bytes(data)
        start = time.perf_counter()
        klaar = subprocess.run([sys.executable, "-m", "iwmo", "validate", str(bestand)], capture_output=True,
                               text=True, check=False)
        duur = time.perf_counter() - start
    piek = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    fout = next((regel.strip() for regel in klaar.stdout.splitlines() if regel.startswith("  ")), "geen fout")
    print(f"{soort:4} iwmo validate:  {len(data) / 1e6:4.1f} MB, piek {piek:5.0f} MB (het hele proces), "
          f"{duur:5.2f} s, exit {klaar.returncode}, {fout}")


def main() -> None:
    if len(sys.argv) == 3:
        if sys.argv[2] == "cli":
            _meet_cli(sys.argv[1])
        else:
            _meet(sys.argv[1], sys.argv[2] == "met")
        return
    print(f"Een WMO301 met {AANTAL} attributen (piekgeheugen per geval, elk in een eigen proces):")
    for soort in ("een", "veel"):
        for met in ("zonder", "met", "cli"):
            subprocess.run([sys.executable, __file__, soort, met], check=True)


if __name__ == "__main__":
    main()
