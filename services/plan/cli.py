"""The work behind ``iwmo plan``: compute a plan file against a normenkader file, the bezwaar term, check or
publish a normenkader. Policy staff test a normenkader with ``bereken`` before they publish it."""

from __future__ import annotations

import argparse
import datetime as dt
import json
from pathlib import Path
from typing import Any, TextIO

from pydantic import ValidationError

from infra.problem_text import describe
from infra.tokenfile import TOKENS_PATH, read_tokens
from services.plan.domain import normenkader as nk
from services.plan.domain.rekenen import (
    Berekening,
    OngeldigPlan,
    PlanInhoud,
    afgerond,
    als_tekst,
    bereken,
    uren_en_minuten,
)


def _lees(pad: Path) -> Any:
    return nk.lees_tekst(pad.read_bytes())


def _fouten(err: TextIO, bestand: Path, fouten: list[tuple[str, str]]) -> int:
    for plek, reden in fouten:
        err.write(f"{bestand}: {plek}: {reden}\n" if plek else f"{bestand}: {reden}\n")
    return 1


def _breuk(x: Any) -> str:
    """An exact figure for people: ``124,62`` with the exact fraction beside it when it is not whole."""
    if x.denominator == 1:
        return str(x.numerator)
    return f"{float(x):.2f}".replace(".", ",") + f" ({als_tekst(x)})"


def als_json(b: Berekening) -> dict[str, Any]:
    from services.plan.overzicht import berekening

    return berekening(b)


def als_tekst_uit(b: Berekening, kader: nk.NormenkaderVersie) -> str:
    regels = [f"Resultaat: {b.resultaat}", f"Normenkader: {kader.titel} (versie {kader.versie})", "",
              f"{'activiteit':<24} {'frequentie':<22} {'min/keer':>9} {'min/week':>18} {'min/jaar':>9}"]
    for a in b.activiteiten:
        teken = {"hoger": "  (hoger dan de norm)", "lager": "  (LAGER dan de norm)"}.get(
            a.afwijking.value if a.afwijking else "", "")
        regels.append(f"{a.code:<24} {str(a.frequentie):<22} {als_tekst(a.minuten_per_keer):>9} {_breuk(a.per_week):>18} "
                      f"{als_tekst(a.per_jaar):>9}{teken}")
    for o in b.omstandigheden:
        regels.append(f"{'+ ' + o.code:<24} {str(o.aantal) + ' keer':<22} {'':>9} {_breuk(o.per_week):>18} "
                      f"{als_tekst(o.per_jaar):>9}")
    for v in b.vervallen:
        regels.append(f"{'- ' + v.code:<24} {'vervallen':<22} {'':>9} {'0':>18} {'0':>9}  ({v.reden})")
    regels += ["", f"Totaal per week: {b.per_week} minuten ({uren_en_minuten(b.per_week)}); exact "
                   f"{als_tekst(b.per_week_exact)}",
               f"Totaal per jaar: {b.per_jaar} minuten ({uren_en_minuten(b.per_jaar)}); exact "
               f"{als_tekst(b.per_jaar_exact)}",
               f"Norm (standaardfrequenties, dezelfde omstandigheden): {afgerond(b.norm_per_jaar_h)[0]} minuten per week"]
    if b.verlaagd:
        regels.append("Let op: dit plan geeft ergens minder tijd dan de norm (zie LAGER, vervallen of aftrek).")
    return "\n".join(regels) + "\n"


def bereken_cmd(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    try:
        kader = nk.uit_document(_lees(args.normenkader))
    except nk.OngeldigNormenkader as exc:
        return _fouten(err, args.normenkader, exc.fouten)
    try:
        inhoud = PlanInhoud.model_validate(_lees(args.plan))
    except nk.OngeldigNormenkader as exc:
        return _fouten(err, args.plan, exc.fouten)
    except ValidationError as exc:
        return _fouten(err, args.plan, nk.fouten(exc))
    if (inhoud.normenkader.naam, inhoud.normenkader.versie) != (kader.naam, kader.versie):
        err.write(f"{args.plan}: let op: het plan noemt normenkader {inhoud.normenkader.naam} versie "
                  f"{inhoud.normenkader.versie}; gerekend met {kader.naam} versie {kader.versie}\n")
    voorziening = kader.voorziening(inhoud.voorziening.categorie, inhoud.voorziening.code)
    if voorziening is None:
        return _fouten(err, args.plan, [("voorziening", "het normenkader kent deze voorziening niet")])
    try:
        b = bereken(inhoud, voorziening)
    except OngeldigPlan as exc:
        return _fouten(err, args.plan, exc.fouten)
    if args.format == "json":
        out.write(json.dumps(als_json(b), indent=2, ensure_ascii=False) + "\n")
    else:
        out.write(als_tekst_uit(b, kader))
    if kader.waarom_niet_bruikbaar():
        err.write(f"{args.normenkader}: {kader.waarom_niet_bruikbaar()}\n")
    return 0


def termijn_cmd(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from iwmo import kalender

    try:
        bekendmaking = dt.date.fromisoformat(args.bekendmaking)
    except ValueError:
        err.write(f"--bekendmaking: {args.bekendmaking!r} is geen datum (JJJJ-MM-DD)\n")
        return 2
    einde = kalender.einde_bezwaartermijn(bekendmaking)
    if args.format == "json":
        out.write(json.dumps({"bekendmaking": bekendmaking.isoformat(), "einde_bezwaartermijn": einde.isoformat()})
                  + "\n")
    else:
        out.write(f"{einde.isoformat()}\n")
    return 0


def controleer_cmd(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    try:
        kader = nk.uit_document(_lees(args.normenkader))
    except nk.OngeldigNormenkader as exc:
        return _fouten(err, args.normenkader, exc.fouten)
    out.write(f"{args.normenkader}: normenkader {kader.naam} versie {kader.versie} klopt\n")
    for v in kader.voorzieningen:
        week, jaar = afgerond(v.norm_per_jaar())
        out.write(f"  {v.categorie}/{v.code or '-'} {v.resultaat}: {len(v.activiteiten)} activiteiten, norm "
                  f"{uren_en_minuten(week)} per week, {uren_en_minuten(jaar)} per jaar\n")
    waarom = kader.waarom_niet_bruikbaar()
    if waarom:
        out.write(f"  let op: {waarom}\n")
    return 0


def publiceer_cmd(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    import httpx

    token = args.token
    if not token:
        try:
            token = next(iter(read_tokens(TOKENS_PATH).get("plan", {}).values()), None)
        except ValueError as exc:
            err.write(f"{exc}\n")
            return 2
    try:
        antwoord = httpx.post(f"{args.url}/normenkaders", content=args.normenkader.read_bytes(), timeout=30,
                              headers={"Content-Type": "application/yaml",
                                       **({"Authorization": f"Bearer {token}"} if token else {})})
    except httpx.HTTPError as exc:
        err.write(f"de plan-service op {args.url} is niet bereikbaar ({type(exc).__name__})\n")
        return 2
    if antwoord.status_code != 201:
        try:
            body = antwoord.json()
        except ValueError:
            body = antwoord.text
        err.write("".join(f"{regel}\n" for regel in describe(antwoord.status_code, body)))
        return 1
    out.write(json.dumps(antwoord.json(), indent=2, ensure_ascii=False) + "\n")
    return 0


def main(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    commando = {"bereken": bereken_cmd, "termijn": termijn_cmd, "controleer": controleer_cmd,
                "publiceer": publiceer_cmd}[args.plan_command]
    try:
        return commando(args, out, err)
    except OSError as exc:
        err.write(f"{getattr(exc, 'filename', '') or ''}: {exc.strerror or exc}\n")
        return 2
