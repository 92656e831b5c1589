"""Validation speed and memory. Prints figures; asserts nothing.

    python benchmarks/validate.py [--quick]

1. For each official example (or the project's samples when ../shared is absent): microseconds per
   message for parse + XSD only, and for the full validation (parse + XSD + rules), and their ratio
   (target: full <= 1.5 x parse+XSD).
2. A WMO323 with 10,000 prestaties: time for the full validation and peak RSS of a fresh process
   (targets: < 2 s, < 300 MB).
3. ``iwmo validate --format json`` on a folder of 5,000 messages in one call (every message type, both
   variants, valid ones and ones that break a rule, the schema or well-formedness), as a whole process:
   wall and CPU time per message; beside it the floor, reading + parse + XSD of the same files in this
   process on one core, per message; and their ratio (target: whole process <= 3 x the floor).
4. Start-up: ``iwmo validate`` on one file, the whole process, median of several runs (target: < 150 ms).
   Parts 3 and 4 first compile the package to bytecode, as installing it does (``byte_compile``).
5. Repeated elements (issue 15): a WMO301 whose ToegewezenProduct repeats one product (same number,
   overlapping periods) 1,000 / 5,000 / 20,000 times, and a WMO315 with 1,000 such AangevraagdProducten:
   ``iwmo validate --format json`` as a whole process, its wall time, peak RSS and the size of its JSON
   (targets for the 5,000-product WMO301: < 10 s, < 600 MB, JSON < 5 MB; growth about linear).
   ``--repeated`` runs only this part.
"""

from __future__ import annotations

import argparse
import compileall
import copy
import datetime as dt
import json
import os
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from lxml import etree
from stdnum.nl import bsn as stdnum_bsn

from iwmo.berichten.basis import BedragMetDC, GeslotenPeriode, Referentie, TotaalBedragMetDC
from iwmo.berichten.declaratie import DeclaratieClient, Prestatie
from iwmo.exceptions import XmlError
from iwmo.loader import parse_xml
from iwmo.samples import sample
from iwmo.schemas import xml_schema
from iwmo.validation import identify, validate
from iwmo.xml import to_xml

REPO = Path(__file__).resolve().parent.parent
TODAY = dt.date(2026, 11, 23)


def examples() -> list[tuple[str, bytes]]:
    ref = Path(os.environ.get("IWMO_REFERENCE", REPO.parent / "shared" / "reference" / "iwmo-3.2"))
    files = sorted((ref / "voorbeeldberichten").glob("*.xml"))
    if files:
        return [(f.name, f.read_bytes()) for f in files]
    print("(official examples not found; using the project's samples)")
    return [(f"sample {n}", to_xml(sample(n, today=TODAY))) for n in
            ("WMO301", "WMO305", "WMO307", "WMO315", "WMO317", "WMO319", "WMO323")]


def per_message_us(fn, data: bytes, seconds: float) -> float:
    fn(data)  # warm up (schema compilation)
    n, start = 0, time.perf_counter()
    while True:
        for _ in range(50):
            fn(data)
        n += 50
        elapsed = time.perf_counter() - start
        if elapsed >= seconds:
            return elapsed / n * 1e6


def parse_and_xsd(data: bytes) -> bool:
    tree = parse_xml(data)
    btype = identify(tree.getroot())
    assert btype is not None
    return bool(xml_schema(btype.naam).validate(tree))


def full(data: bytes) -> bool:
    return validate(data, today=TODAY).valid


def valid_bsns(count: int) -> list[str]:
    """Distinct fictitious BSNs (starting with 9999) that pass the 11-proef."""
    out = []
    candidate = 999_900_000
    while len(out) < count:
        candidate += 1
        if stdnum_bsn.is_valid(str(candidate)):
            out.append(str(candidate))
    return out


def big_declaratie(n: int) -> bytes:
    m = sample("WMO323", "uren", today=TODAY)
    proto = m.declaratie.clienten[0].prestaties[0]
    begin, eind = proto.product_periode.begindatum, proto.product_periode.einddatum
    clients = []
    per_client = 10
    bsns = valid_bsns(n // per_client)
    for c in range(n // per_client):
        prestaties = [
            Prestatie(
                product_referentie=Referentie(referentie_nummer=f"P{c:06d}-{i:03d}"),
                toewijzing_nummer=100000 + c * per_client + i, product_categorie="01", product_code="01A01",
                product_periode=GeslotenPeriode(begindatum=begin, einddatum=eind), geleverd_volume=4, eenheid="04",
                product_tarief=3250, ingediend_bedrag=BedragMetDC(bedrag=13000, debet_credit="D"),
            )
            for i in range(per_client)
        ]
        clients.append(DeclaratieClient(bsn=bsns[c], prestaties=prestaties))
    m.declaratie.clienten = clients
    m.declaratie.totaal_ingediend_bedrag = TotaalBedragMetDC(totaal_bedrag=13000 * n, debet_credit="D")
    return to_xml(m)


def mutations(data: bytes) -> list[bytes]:
    """A valid message and three ways to break it: a rule (CS002, where the message has a BSN), the schema
    (an unknown element in the Header) and well-formedness (cut short)."""
    bsn = re.sub(rb"(<(?:\w+:)?Bsn>)\d{9}<", rb"\g<1>123456789<", data)
    xsd = re.sub(rb"(</(?:\w+:)?Header>)", rb"<Onbekend>x</Onbekend>\1", data, count=1)
    return [data, bsn, xsd, data[: len(data) // 2]]


def mixed_folder(folder: Path, n: int) -> list[Path]:
    """``n`` files cycling through every message type (both variants where it has them) and its mutations."""
    from iwmo.catalogue import BERICHTEN
    from iwmo.samples import MET_VARIANT, VARIANTS

    payloads = [m for naam in BERICHTEN for variant in (VARIANTS if naam in MET_VARIANT else ("uren",))
                for m in mutations(to_xml(sample(naam, variant, today=TODAY)))]
    folder.mkdir()
    paths = [folder / f"m{i:05d}.xml" for i in range(n)]
    for i, path in enumerate(paths):
        path.write_bytes(payloads[i % len(payloads)])
    return paths


def floor_us(paths: list[Path], rounds: int) -> float:
    """Reading + parse + XSD per file, in this process, one core: the best of ``rounds`` passes (in us)."""
    best = float("inf")
    for _ in range(rounds):
        start = time.perf_counter()
        for path in paths:
            try:
                tree = parse_xml(path.read_bytes())
            except XmlError:  # not well-formed: the parser's verdict is the whole cost
                continue
            btype = identify(tree.getroot())
            if btype is not None:
                xml_schema(btype.naam).validate(tree)
        best = min(best, (time.perf_counter() - start) / len(paths) * 1e6)
    return best


def whole_folder(iwmo: Path, paths: list[Path], runs: int) -> tuple[float, float, int]:
    """``iwmo validate --format json`` on every path in one call: median wall and CPU seconds of ``runs``."""
    walls, cpus = [], []
    code = 0
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        proc = subprocess.run([str(iwmo), "validate", "--format", "json", "--today", TODAY.isoformat(),
                               *map(str, paths)], stdout=subprocess.DEVNULL, check=False)
        walls.append(time.perf_counter() - start)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
        code = proc.returncode
    return statistics.median(walls), statistics.median(cpus), code


def repeated(bericht: str, klasse: str, n: int) -> bytes:
    """The sample ``bericht`` with its (first) ``klasse`` element repeated until there are ``n`` of them:
    the same product, the same numbers, overlapping periods."""
    root = etree.fromstring(to_xml(sample(bericht, "uren", today=TODAY)))  # type: ignore[arg-type]
    proto = next(el for el in root.iter() if isinstance(el.tag, str) and etree.QName(el).localname == klasse)
    parent = proto.getparent()
    assert parent is not None
    for _ in range(n - 1):
        parent.append(copy.deepcopy(proto))
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def repeated_elements(iwmo: Path, tmp: Path, sizes: list[int]) -> None:
    cases = [("WMO301", "ToegewezenProduct", n) for n in sizes] + [("WMO315", "AangevraagdProduct", 1_000)]
    for bericht, klasse, n in cases:
        path = tmp / f"{bericht}-{n}.xml"
        path.write_bytes(repeated(bericht, klasse, n))
        # a fresh measuring process per case, so that RUSAGE_CHILDREN holds this child's peak only
        out = subprocess.run([sys.executable, __file__, "--whole", str(path)], capture_output=True, text=True,
                             check=True).stdout.split()
        print(f"   {bericht} {n:>6,} x {klasse:<18} {path.stat().st_size / 1e6:5.1f} MB: {float(out[0]):6.2f} s "
              f"({float(out[0]) / n * 1000:.3f} s per 1,000), "
              f"peak RSS {float(out[1]):6.0f} MB, JSON {int(out[2]) / 1e6:6.2f} MB, {out[3]} faults "
              f"({out[4]} left out), exit {out[5]}")


def whole_measure(path: Path) -> None:
    """Run in a fresh process: one whole ``iwmo validate --format json`` child; print its figures."""
    iwmo = Path(sys.executable).parent / "iwmo"
    start = time.perf_counter()
    proc = subprocess.run([str(iwmo), "validate", "--format", "json", "--today", TODAY.isoformat(), str(path)],
                          capture_output=True, check=False)
    elapsed = time.perf_counter() - start
    rss_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    rapport = json.loads(proc.stdout)[0]
    print(f"{elapsed:.3f} {rss_mb:.1f} {len(proc.stdout)} {len(rapport['fouten'])} "
          f"{rapport.get('weggelaten', 0)} {proc.returncode}")


def child_measure(path: Path) -> None:
    """Run in a fresh process: validate one file, print seconds and peak RSS."""
    data = path.read_bytes()
    start = time.perf_counter()
    rapport = validate(data, today=TODAY)
    seconds = time.perf_counter() - start
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{seconds:.3f} {rss_mb:.1f} {rapport.valid} {len(rapport.fouten)}")


def startup_ms(iwmo: Path, path: Path, runs: int) -> tuple[float, float, float]:
    """Wall time of whole ``iwmo validate FILE`` processes, in ms: min, median and max of ``runs`` (after one
    run that is not counted, so the disk cache is warm)."""
    times = []
    for i in range(runs + 1):
        start = time.perf_counter()
        subprocess.run([str(iwmo), "validate", "--today", TODAY.isoformat(), str(path)], capture_output=True,
                       check=True)
        if i:
            times.append((time.perf_counter() - start) * 1000)
    return min(times), statistics.median(times), max(times)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="shorter runs and 1,000 instead of 10,000 files")
    ap.add_argument("--repeated", action="store_true", help="only part 5, the repeated elements")
    ap.add_argument("--folder", action="store_true", help="only parts 3 and 4, the folder and the start-up")
    ap.add_argument("--sizes", default="1000,5000,20000", help="repetitions for part 5 (comma separated)")
    ap.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    ap.add_argument("--whole", type=Path, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        child_measure(args.child)
        return
    if args.whole:
        whole_measure(args.whole)
        return
    iwmo = Path(sys.executable).parent / "iwmo"
    sizes = [int(n) for n in args.sizes.split(",")]
    if args.repeated:
        print("5. Repeated elements: iwmo validate --format json, whole process")
        with tempfile.TemporaryDirectory() as tmp:
            repeated_elements(iwmo, Path(tmp), sizes)
        return
    if not args.folder:
        part_1(0.3 if args.quick else 1.5)
    with tempfile.TemporaryDirectory() as tmp:
        if not args.folder:
            part_2(Path(tmp))
        part_3_and_4(iwmo, Path(tmp), args.quick)
        if not args.folder:
            print("\n5. Repeated elements: iwmo validate --format json, whole process")
            repeated_elements(iwmo, Path(tmp), sizes)


def part_1(seconds: float) -> None:
    print("1. Per message (microseconds)")
    print(f"   {'message':<16}{'bytes':>8}{'parse+XSD':>12}{'full':>10}{'ratio':>8}")
    for name, data in examples():
        a = per_message_us(parse_and_xsd, data, seconds)
        b = per_message_us(full, data, seconds)
        print(f"   {name:<16}{len(data):>8}{a:>12.1f}{b:>10.1f}{b / a:>8.2f}")


def part_2(tmp: Path) -> None:
    print("\n2. WMO323 with 10,000 prestaties (fresh process)")
    big = Path(tmp) / "wmo323-10000.xml"
    big.write_bytes(big_declaratie(10_000))
    out = subprocess.run([sys.executable, __file__, "--child", str(big)], capture_output=True, text=True,
                         check=True).stdout.split()
    print(f"   size {big.stat().st_size / 1e6:.1f} MB, full validation {float(out[0]):.3f} s, "
          f"peak RSS {out[1]} MB, valid={out[2]} faults={out[3]}")


def byte_compile() -> None:
    """Compile the package's modules to bytecode, as an installed package has them (pip compiles at install)
    and a checkout gets on its first run: unless PYTHONDONTWRITEBYTECODE is set (the development machine sets
    it), when every process compiles the package from source again (about 40 ms of each start-up here)."""
    compileall.compile_dir(REPO / "iwmo", quiet=1)


def part_3_and_4(iwmo: Path, tmp: Path, quick: bool) -> None:
    n_files = 1_000 if quick else 5_000
    runs = 3 if quick else 5
    byte_compile()
    print(f"\n3. iwmo validate --format json on {n_files:,} messages in one call (whole process, median of "
          f"{runs}; {os.cpu_count()} cores)")
    paths = mixed_folder(Path(tmp) / "many", n_files)
    wall, cpu, code = whole_folder(iwmo, paths, runs)
    floor = floor_us(paths, runs)
    per_wall, per_cpu = wall / n_files * 1e6, cpu / n_files * 1e6
    print(f"   {wall:.2f} s wall: {per_wall:.0f} us per message wall, {per_cpu:.0f} us CPU (exit {code})")
    print(f"   floor (read + parse + XSD in process, one core): {floor:.0f} us per message")
    print(f"   ratio wall / floor {per_wall / floor:.2f} (target <= 3: {'met' if per_wall <= 3 * floor else 'NOT met'}),"
          f" CPU / floor {per_cpu / floor:.2f}")

    runs = 5 if quick else 21
    print(f"\n4. Start-up: iwmo validate on one file (whole process, {runs} runs)")
    low, median, high = startup_ms(iwmo, paths[0], runs)
    print(f"   median {median:.0f} ms (min {low:.0f}, max {high:.0f}); target < 150 ms: "
          f"{'met' if median < 150 else 'NOT met'}")


if __name__ == "__main__":
    main()
