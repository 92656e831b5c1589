"""``iwmo gemeente ...``: the gemeente's back office from the command line, over the toewijzing service's
JSON API (it must be running); the arguments are in :mod:`services.toewijzing.commands`."""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable, Sequence
from typing import Any, TextIO

import httpx
import yaml

from infra.tokenfile import read_tokens

EXIT_OK, EXIT_GEWEIGERD, EXIT_FOUT = 0, 1, 2


class Weigering(Exception):
    """The service answered 4xx/5xx."""

    def __init__(self, status: int, reden: str) -> None:
        super().__init__(reden)
        self.status, self.reden = status, reden


class Onbereikbaar(Exception):
    """No token, an unreadable file, or the service did not answer."""


def reden(antwoord: Any) -> str:
    """The service's reason in one line, whatever the shape of its error body (``fout``, ``detail``, ...)."""
    if isinstance(antwoord, dict):
        for sleutel in ("fout", "detail", "title", "omschrijving"):
            waarde = antwoord.get(sleutel)
            if isinstance(waarde, str) and waarde:
                meer = [f.get("fout") or f.get("msg") or f.get("detail") for f in antwoord.get("fouten", [])
                        if isinstance(f, dict)]
                return "; ".join([waarde, *[m for m in meer if m and m != waarde]])
    return json.dumps(antwoord, ensure_ascii=False)


def _token(args: argparse.Namespace) -> str:
    if args.token:
        return str(args.token)
    try:
        tokens = read_tokens(args.tokens).get("toewijzing", {})
    except ValueError as exc:
        raise Onbereikbaar(str(exc)) from None
    if args.beller not in tokens:
        raise Onbereikbaar(f"geen API-token: geef --token (of TOEWIJZING_API_TOKEN), of een --tokens-bestand met "
                           f"toewijzing.{args.beller} ({args.tokens} heeft er geen; make run maakt het)")
    return str(tokens[args.beller])


class Service:
    """The toewijzing service's API, as this command uses it."""

    def __init__(self, url: str, token: str) -> None:
        self.url = url
        self.http = httpx.Client(base_url=url, headers={"Authorization": f"Bearer {token}"}, timeout=60)

    def vraag(self, methode: str, pad: str, *, params: Any = None, body: Any = None) -> httpx.Response:
        try:
            r = self.http.request(methode, pad, params=params, json=body)
        except httpx.HTTPError as exc:
            raise Onbereikbaar(f"toewijzing-service niet bereikbaar op {self.url}: {exc}") from None
        if r.status_code >= 400:
            try:
                antwoord: Any = r.json()
            except ValueError:
                antwoord = r.text
            raise Weigering(r.status_code, reden(antwoord))
        return r

    def json(self, methode: str, pad: str, **kwargs: Any) -> Any:
        return self.vraag(methode, pad, **kwargs).json()

    def pagina_voor_pagina(self, pad: str, params: dict[str, Any], alle: bool) -> dict[str, Any]:
        """One page (or, with ``alle``, every page after one another as one)."""
        pagina = self.json("GET", pad, params=params)
        items = list(pagina["items"])
        while alle and pagina["volgende"] is not None:
            pagina = self.json("GET", pad, params={**params, "na": pagina["volgende"]})
            items += pagina["items"]
        return {"items": items, "volgende": pagina["volgende"]}


# -- output -----------------------------------------------------------------------------------------------

def tabel(rijen: Sequence[Sequence[Any]], koppen: Sequence[str], out: TextIO) -> None:
    """A plain text table: a header, a rule, one line per row; None shows as '-'."""
    tekst = [[("-" if w is None else str(w)) for w in rij] for rij in rijen]
    breed = [max([len(k), *(len(r[i]) for r in tekst)]) for i, k in enumerate(koppen)]
    for rij in [list(koppen), ["-" * b for b in breed], *tekst]:
        print("  ".join(w.ljust(b) for w, b in zip(rij, breed, strict=True)).rstrip(), file=out)


def _datum(waarde: str | None) -> str:
    return "-" if not waarde else f"{waarde[8:10]}-{waarde[5:7]}-{waarde[0:4]}"


def _periode(t: dict[str, Any]) -> str:
    return f"{_datum(t['ingangsdatum'])} t/m {_datum(t['einddatum'])}" if t["einddatum"] else \
        f"vanaf {_datum(t['ingangsdatum'])}"


def _product(t: dict[str, Any]) -> str:
    p = t["product"]
    return " ".join(w for w in (p["categorie"], p["code"]) if w)


def _oordeel(t: dict[str, Any]) -> str:
    if t["oordeel_aanbieder"] is None:
        return "nog geen antwoord"
    codes = f" ({', '.join(t['retourcodes'])})" if t["retourcodes"] else ""
    return f"{t['oordeel_aanbieder']}{codes}"


def toewijzingen_tabel(rijen: list[dict[str, Any]], out: TextIO, *, met_bsn: bool) -> None:
    koppen = ["nummer", *(["bsn"] if met_bsn else []), "aanbieder", "product", "toegewezen", "periode",
              "aanbieder zegt", "levering"]
    tabel([[t["toewijzingnummer"], *([t["bsn"]] if met_bsn else []), t["aanbieder"], _product(t),
            t["toegewezen"], _periode(t) + ("" if t["actueel"] else " (afgelopen)"), _oordeel(t), t["levering"]]
           for t in rijen], koppen, out)


def _reden_bericht(b: dict[str, Any]) -> str | None:
    if b["wacht_op"]:
        return f"wacht: {b['wacht_op']}"
    if b.get("retour") == "afgekeurd":
        betekenis = b.get("betekenissen") or {}
        codes = [c for c in b["retourcodes"] if c != "0200"] or b["retourcodes"]
        return (f"afgekeurd door {b.get('ontvanger', 'de ontvanger')}: "
                + "; ".join(f"{c} {betekenis.get(c, '')}".strip() for c in codes))
    return b.get("fout")


def berichten_tabel(rijen: list[dict[str, Any]], out: TextIO, *, met_bsn: bool = True) -> None:
    tabel([[b["id"], b["bericht"], b["richting"], *([b["bsn"]] if met_bsn else []), b["status"], b["retour"],
            (b.get("sinds") or b.get("op") or "")[:16].replace("T", " "), _reden_bericht(b)] for b in rijen],
          ["id", "bericht", "richting", *(["bsn"] if met_bsn else []), "status", "retour", "sinds", "reden"], out)


def overzicht(o: dict[str, Any], out: TextIO) -> None:
    print(f"{o['naam']} (BSN {o['bsn']})", file=out)
    print("\nToewijzingen", file=out)
    toewijzingen_tabel(o["toewijzingen"], out, met_bsn=False)
    if o["verzoeken"]:
        print("\nVerzoeken van aanbieders", file=out)
        tabel([[v["id"], v["soort"], v["aanbieder"], v["status"], v["advies"]] for v in o["verzoeken"]],
              ["id", "soort", "aanbieder", "status", "advies"], out)
    print("\nBerichten", file=out)
    berichten_tabel(o["berichten"], out, met_bsn=False)


def _meer(pagina: dict[str, Any], err: TextIO) -> None:
    if pagina["volgende"] is not None:
        print(f"meer: --na {pagina['volgende']} (of --alle)", file=err)


# -- the actions ------------------------------------------------------------------------------------------

def _zonder_leeg(params: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in params.items() if v is not None and v is not False}


def _filters(args: argparse.Namespace) -> dict[str, Any]:
    return _zonder_leeg({"aanbieder": args.aanbieder, "bsn": args.bsn, "categorie": args.categorie,
                         "product": args.product, "actief_op": args.actief_op, "wijze": args.wijze})


def _beschik(s: Service, args: argparse.Namespace, out: TextIO, err: TextIO) -> Any:
    try:
        body = yaml.safe_load(args.bestand)
    except yaml.YAMLError as exc:
        raise Onbereikbaar(f"{args.bestand.name}: geen JSON of YAML ({exc})") from None
    o = s.json("POST", "/beschikkingen", body=json.loads(json.dumps(body, default=str)))  # YAML dates as text
    if not args.json:
        print(f"Beschikking {o['beschikking']} vastgelegd; de WMO301 gaat naar de aanbieder.\n", file=out)
    return o, overzicht


def _clienten(s: Service, args: argparse.Namespace, out: TextIO, err: TextIO) -> Any:
    params = _zonder_leeg({"aanbieder": args.aanbieder, "status": args.status, "na": args.na, "limit": args.limit})
    pagina = s.pagina_voor_pagina("/clienten", params, args.alle)

    def toon(p: dict[str, Any], out: TextIO) -> None:
        tabel([[c["id"], c["bsn"], c["naam"], c["toewijzingen"], c["actueel"], " ".join(c["aanbieders"])]
               for c in p["items"]], ["id", "bsn", "naam", "toewijzingen", "actueel", "aanbieders"], out)
        _meer(p, err)
    return pagina, toon


def _client(s: Service, args: argparse.Namespace, out: TextIO, err: TextIO) -> Any:
    return s.json("GET", f"/clienten/{args.bsn}"), overzicht


def _toewijzingen(s: Service, args: argparse.Namespace, out: TextIO, err: TextIO) -> Any:
    pagina = s.pagina_voor_pagina("/toewijzingen", {**_filters(args), **_zonder_leeg(
        {"na": args.na, "limit": args.limit})}, args.alle)

    def toon(p: dict[str, Any], out: TextIO) -> None:
        toewijzingen_tabel(p["items"], out, met_bsn=True)
        _meer(p, err)
    return pagina, toon


def _wachtend(s: Service, args: argparse.Namespace, out: TextIO, err: TextIO) -> Any:
    params = {"status": args.status or list(args.wachtend),
              **_zonder_leeg({"bericht": args.bericht, "na": args.na, "limit": args.limit})}
    pagina = s.pagina_voor_pagina("/berichten", params, args.alle)

    def toon(p: dict[str, Any], out: TextIO) -> None:
        if not p["items"]:
            print("Niets wacht en niets is afgekeurd.", file=out)
        else:
            berichten_tabel(p["items"], out)
        _meer(p, err)
    return pagina, toon


def _verwijder(s: Service, args: argparse.Namespace, out: TextIO, err: TextIO) -> Any:
    o = s.json("POST", f"/toewijzingen/{args.nummer}/verwijderen")
    if not args.json:
        print(f"Toewijzing {args.nummer} verwijderd; de WMO301 (reden 13) gaat naar de aanbieder.\n", file=out)
    return o, overzicht


def _export(s: Service, args: argparse.Namespace, out: TextIO, err: TextIO) -> Any:
    params = {**_filters(args), **({"zonder_bsn": "true"} if args.zonder_bsn else {})}
    csv = s.vraag("GET", "/toewijzingen/export.csv", params=params).text
    if args.uit is None:
        out.write(csv)
    else:
        try:
            args.uit.write_text(csv, encoding="utf-8")
        except OSError as exc:
            raise Onbereikbaar(f"{args.uit}: niet te schrijven ({exc.strerror})") from None
        print(f"{max(len(csv.splitlines()) - 1, 0)} toewijzingen naar {args.uit}", file=err)
    return None


ACTIES: dict[str, Callable[[Service, argparse.Namespace, TextIO, TextIO], Any]] = {
    "beschik": _beschik, "clienten": _clienten, "client": _client, "toewijzingen": _toewijzingen,
    "wachtend": _wachtend, "verwijder": _verwijder, "export": _export}


def main(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    try:
        service = Service(args.url.rstrip("/"), _token(args))
        antwoord = ACTIES[args.gemeente_command](service, args, out, err)
    except Onbereikbaar as exc:
        print(f"iwmo gemeente: {exc}", file=err)
        return EXIT_FOUT
    except Weigering as exc:
        print(f"iwmo gemeente: de service weigert ({exc.status}): {exc.reden}", file=err)
        if exc.status == 401:
            bron = "--token / TOEWIJZING_API_TOKEN" if args.token else f"{args.tokens} (--tokens of IWMO_API_TOKENS)"
            print(f"iwmo gemeente: het API-token kwam uit {bron}", file=err)
        return EXIT_GEWEIGERD
    if antwoord is not None:
        data, toon = antwoord
        if args.json:
            print(json.dumps(data, indent=2, ensure_ascii=False), file=out)
        else:
            toon(data, out)
    return EXIT_OK
