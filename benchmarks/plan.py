"""The plan service's arithmetic and the client's letter. Prints figures; asserts nothing.

    python benchmarks/plan.py [--plannen 100000] [--brieven 200] [--pdf 20] [--seed 1]

1. Plans: --plannen different ondersteuningsplannen (random frequencies within what the demonstration
   normenkader allows, deviations up and down with reasons, dropped activities, circumstances) computed in
   this process against that normenkader: once from plain data (the plan checked by its pydantic model, then
   computed: what POST /plannen does besides the database) and once from already checked plans (the
   arithmetic and the checks against the normenkader alone). Target: 100,000 plans in under 10 s.
2. The letter: a besluit with an uren toewijzing and a resultaat toewijzing with its plan, in a throw-away
   SQLite database; then --brieven times what GET /besluiten/{id}/brief does besides HTTP (read the besluit,
   its plan version and normenkader, compute, render the HTML page), and --pdf times the same page as PDF
   (WeasyPrint). Printed: p50, p95 and max in ms. Target: HTML p95 under 100 ms.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from services.plan import brief, overzicht  # noqa: E402
from services.plan.db import migrate  # noqa: E402
from services.plan.domain import besluit as besluiten  # noqa: E402
from services.plan.domain import normenkader as nk  # noqa: E402
from services.plan.domain import plannen  # noqa: E402
from services.plan.domain.brief import instellingen  # noqa: E402
from services.plan.domain.rekenen import PlanInhoud, bereken  # noqa: E402

KADER = nk.laad(nk.DEMO)
HH = KADER.voorziening("01", "01A02")
assert HH is not None


def willekeurig_plan(rnd: random.Random) -> dict[str, Any]:
    activiteiten: list[dict[str, Any]] = []
    vervallen: list[dict[str, Any]] = []
    for a in HH.activiteiten:
        if rnd.random() < 0.1:
            vervallen.append({"activiteit": a.code, "reden": "doet de client zelf", "grond": "huisbezoek"})
            continue
        per = rnd.choice(a.perioden())
        aantal = rnd.randint(1, 2)
        extra = rnd.choice([0, 0, 0, 5, 10, -5])
        afwijkend = extra != 0 or (aantal, per) != (a.standaard.aantal, a.standaard.per)
        activiteiten.append({"activiteit": a.code, "frequentie": {"aantal": aantal, "per": per.value},
                             "extra_minuten": extra,
                             **({"reden": "maatwerk", "grond": "huisbezoek"} if afwijkend else {})})
    if not activiteiten:
        activiteiten.append({"activiteit": vervallen.pop()["activiteit"]})
    omstandigheden = [{"omstandigheid": o.code, "toelichting": "gesprek"} for o in HH.omstandigheden
                      if o.minuten > 0 and rnd.random() < 0.3]
    return {"normenkader": {"naam": KADER.naam, "versie": KADER.versie},
            "voorziening": {"categorie": "01", "code": "01A02"}, "activiteiten": activiteiten,
            "vervallen": vervallen, "omstandigheden": omstandigheden}


def bench_plannen(n: int, seed: int) -> None:
    rnd = random.Random(seed)
    documenten = [willekeurig_plan(rnd) for _ in range(n)]
    t0 = time.perf_counter()
    totaal = 0
    for d in documenten:  # one plan after another, as a service meets them
        totaal += bereken(PlanInhoud.model_validate(d), HH).per_week
    met_model = time.perf_counter() - t0
    gecontroleerd = [PlanInhoud.model_validate(d) for d in documenten]
    t0 = time.perf_counter()
    for inhoud in gecontroleerd:
        bereken(inhoud, HH)
    alleen_rekenen = time.perf_counter() - t0
    print(f"1. {n:,} plannen tegen het demonstratienormenkader (gemiddeld {totaal / n:.0f} minuten per week)")
    print(f"   gecontroleerd door het model en berekend: {met_model:.2f} s ({met_model / n * 1e6:.0f} us per plan)"
          f"   [doel: 100.000 in < 10 s]")
    print(f"   alleen berekenen (plannen al gecontroleerd): {alleen_rekenen:.2f} s "
          f"({alleen_rekenen / n * 1e6:.0f} us per plan)")


def _percentielen(tijden: list[float]) -> str:
    tijden = sorted(tijden)
    p95 = tijden[max(0, int(len(tijden) * 0.95) - 1)]
    return f"p50 {statistics.median(tijden) * 1000:.1f} ms, p95 {p95 * 1000:.1f} ms, max {tijden[-1] * 1000:.1f} ms"


def bench_brief(n_html: int, n_pdf: int) -> None:
    from infra.db import make_engine, session_factory

    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{tmp}/plan.db"
        migrate(url)
        engine = make_engine(url)
        sessions = session_factory(engine)
        nu = dt.datetime(2026, 11, 20, 10, tzinfo=dt.UTC)
        toewijzingen = [
            {"toewijzingnummer": 1, "aanbieder": "12345678", "wijze": "uren", "toegewezen": "3 uur per week",
             "product": {"categorie": "01", "code": "01A01", "omschrijving": "Hulp bij het huishouden"},
             "omvang": {"volume": 3, "eenheid": "04", "frequentie": "2", "budget": None},
             "ingangsdatum": "2026-12-01", "einddatum": "2027-11-30"},
            {"toewijzingnummer": 2, "aanbieder": "12345678", "wijze": "resultaat",
             "toegewezen": "resultaat: Een schoon en leefbaar huis (1 stuk per week)",
             "product": {"categorie": "01", "code": "01A02", "omschrijving": "Schoon en leefbaar huis"},
             "omvang": {"volume": 1, "eenheid": "82", "frequentie": "2", "budget": None},
             "ingangsdatum": "2026-12-01", "einddatum": "2027-11-30"}]
        with sessions() as session:
            plannen.publiceer(session, gemeente="0363", document=nk.lees_tekst(nk.DEMO.read_bytes()), door="bench")
            inhoud = PlanInhoud.model_validate(willekeurig_plan(random.Random(7)))
            versie = plannen.maak(session, gemeente="0363", bsn="999990019", inhoud=inhoud, toewijzingnummer=2,
                                  reden="bench", door="bench", nu=nu)
            row = besluiten.neem(session, gemeente="0363", besluit=besluiten.TeBesluiten(
                bsn="999990019", toewijzingnummers=[1, 2], plannen=[(versie.plan_id, 1)],
                besluitdatum=dt.date(2026, 11, 20), bekendmaking=dt.date(2026, 11, 23), instemming="client",
                motivering=None), toewijzingen=toewijzingen, client_naam="P. Bakker", door="bench", nu=nu)
            session.commit()
            besluit_id = row.id
        inst = instellingen()

        def pagina() -> str:
            with sessions() as session:
                b = besluiten.zoek(session, gemeente="0363", besluit_id=besluit_id)
                return brief.html(overzicht.brief(session, b, inst))

        pagina()  # templates compiled, caches warm: what a running service has
        html_tijden = []
        for _ in range(n_html):
            t0 = time.perf_counter()
            tekst = pagina()
            html_tijden.append(time.perf_counter() - t0)
        print(f"2. de brief ({len(tekst):,} tekens HTML), {n_html} keer: {_percentielen(html_tijden)}"
              f"   [doel: p95 < 100 ms]")
        t0 = time.perf_counter()
        eerste = brief.pdf(tekst)
        print(f"   PDF, eerste keer (WeasyPrint laden): {(time.perf_counter() - t0) * 1000:.0f} ms, "
              f"{len(eerste):,} bytes")
        pdf_tijden = []
        for _ in range(n_pdf):
            t0 = time.perf_counter()
            brief.pdf(pagina())
            pdf_tijden.append(time.perf_counter() - t0)
        print(f"   PDF, {n_pdf} keer (pagina en PDF): {_percentielen(pdf_tijden)}")
        engine.dispose()


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--plannen", type=int, default=100_000)
    p.add_argument("--brieven", type=int, default=200)
    p.add_argument("--pdf", type=int, default=20)
    p.add_argument("--seed", type=int, default=1)
    args = p.parse_args()
    bench_plannen(args.plannen, args.seed)
    bench_brief(args.brieven, args.pdf)


if __name__ == "__main__":
    main()
