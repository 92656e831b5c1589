"""Replay a scenario against a running suite, step by step, and say per step what happened.

A step may act (``gemeente:``, ``aanbieder:``, ``plan:`` or ``declaratie:`` with ``post``/``get`` and a ``body``, answered
with the expected ``status``, or one of a list of them; ``antwoord`` checks the answer, ``bewaar`` keeps
parts of it as variables) and may expect (``verwacht:``, one or a list): a message the stand-in exchanged
(``bericht:``, with its type, direction, key fields from the XML, retourcodes and verdict), or a value a
service reports (``gemeente:``/``aanbieder:``/``plan:``/``declaratie:`` with ``get``, ``pad`` and ``is``/``bevat``/
``aantal``). Expectations are polled until they hold or the timeout passes, as messages travel
asynchronously; meanwhile the runner asks the toewijzing service, the declaratie service and the stand-in to
collect from the hub.
See docs/scenarios.md.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any, TextIO

import httpx
import yaml
from lxml import etree

from infra.problem_text import describe
from iwmo.loader import parse_xml
from services.scenario.waarden import WaardeFout, vul_in, zoek

#: who a step acts as or asks: the gemeente's toewijzing service, the provider stand-in, the gemeente's
#: plan service and its declaratie service
PARTIJEN = ("gemeente", "aanbieder", "plan", "declaratie")
#: how the report names them
WIE = {"gemeente": "de gemeente", "aanbieder": "de aanbieder", "plan": "de plan-service",
       "declaratie": "de declaratie-service"}
STAP_SLEUTELS = {"naam", *PARTIJEN, "status", "antwoord", "bewaar", "verwacht"}
#: what a check on a value holds: where it is (``pad``) and what it must be
CONTROLE_SLEUTELS = {"pad", "is", "bevat", "aantal"}
#: messages the stand-in receives (the rest it sends)
INKOMEND = {"WMO301", "WMO319", "WMO306", "WMO308", "WMO316", "WMO318", "WMO325"}


class ScenarioFout(ValueError):
    """The file is not a valid scenario (said with the step and the key at fault)."""


class Mislukt(Exception):
    """A step's action or expectation did not hold; the text says which and why."""


@dataclass
class Scenario:
    naam: str
    pad: Path
    stappen: list[dict[str, Any]]
    variabelen: dict[str, Any] = field(default_factory=dict)


def laad(pad: Path) -> Scenario:
    try:
        data = yaml.safe_load(pad.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise ScenarioFout(f"{pad}: niet te lezen: {exc}") from None
    if not isinstance(data, dict) or not isinstance(data.get("stappen"), list) or not data.get("naam"):
        raise ScenarioFout(f"{pad}: een scenario heeft 'naam' en een lijst 'stappen'")
    for i, stap in enumerate(data["stappen"], 1):
        if not isinstance(stap, dict):
            raise ScenarioFout(f"{pad}: stap {i} is geen mapping")
        onbekend = set(stap) - STAP_SLEUTELS
        if onbekend:
            raise ScenarioFout(f"{pad}: stap {i}: onbekende sleutel {', '.join(sorted(onbekend))} "
                               f"(toegestaan: {', '.join(sorted(STAP_SLEUTELS))})")
        if len([p for p in PARTIJEN if p in stap]) > 1:
            raise ScenarioFout(f"{pad}: stap {i}: één actie per stap ({', '.join(PARTIJEN[:-1])} of {PARTIJEN[-1]})")
        if "status" in stap and not _statussen(stap["status"]):
            raise ScenarioFout(f"{pad}: stap {i}: 'status' is een HTTP-status of een lijst ervan, bijv. 201 of "
                               f"[201, 409]")
        if "antwoord" in stap:
            fout = _antwoord_fout(stap)
            if fout:
                raise ScenarioFout(f"{pad}: stap {i}: {fout}")
        for partij in PARTIJEN:
            if partij in stap and not (isinstance(stap[partij], dict) and ("post" in stap[partij]) != (
                    "get" in stap[partij])):
                raise ScenarioFout(f"{pad}: stap {i}: de actie '{partij}' heeft precies één van 'post' en 'get'")
        verwacht = stap.get("verwacht") or []
        for j, v in enumerate(verwacht if isinstance(verwacht, list) else [verwacht], 1):
            fout = _verwachting_fout(v)
            if fout:
                raise ScenarioFout(f"{pad}: stap {i}, verwachting {j}: {fout}")
    return Scenario(naam=str(data["naam"]), pad=pad, stappen=data["stappen"], variabelen=data.get("variabelen") or {})


def _statussen(status: Any) -> list[int]:
    """The HTTP statuses a step accepts: one, or a list (empty: not a status)."""
    lijst = status if isinstance(status, list) else [status]
    ok = lijst and all(isinstance(s, int) and not isinstance(s, bool) and 100 <= s <= 599 for s in lijst)
    return list(lijst) if ok else []


def _lijst(waarde: Any) -> list[Any]:
    return waarde if isinstance(waarde, list) else [waarde]


def _antwoord_fout(stap: dict[str, Any]) -> str | None:
    """What is wrong with a step's checks on its action's answer (None: nothing)."""
    if not any(p in stap for p in PARTIJEN):
        return "'antwoord' controleert het antwoord op een actie; deze stap heeft er geen"
    for c in _lijst(stap["antwoord"]):
        if not isinstance(c, dict) or set(c) - CONTROLE_SLEUTELS or not set(c) & {"is", "bevat", "aantal"}:
            return ("'antwoord' is een mapping (of een lijst ervan) met 'pad' en één of meer van 'is', 'bevat', "
                    "'aantal'")
    return None


def _verwachting_fout(v: Any) -> str | None:
    """What is wrong with the shape of one expectation (None: nothing)."""
    soorten = [k for k in ("bericht", *PARTIJEN) if isinstance(v, dict) and k in v]
    if len(soorten) != 1:
        return ("een verwachting is een mapping met precies één van 'bericht', "
                + ", ".join(f"'{p}'" for p in PARTIJEN[:-1]) + f" of '{PARTIJEN[-1]}'")
    inhoud = v[soorten[0]]
    if not isinstance(inhoud, dict):
        return f"'{soorten[0]}' is geen mapping"
    nodig = ("agb", "type") if soorten[0] == "bericht" else ("get",)
    ontbreekt = [k for k in nodig if k not in inhoud]
    return f"'{soorten[0]}' mist {', '.join(ontbreekt)}" if ontbreekt else None


@dataclass
class Keten:
    """The running suite as the runner sees it: the gemeente's toewijzing service, the provider stand-in, the
    gemeente's plan service and its declaratie service."""

    gemeente: httpx.Client
    aanbieder: httpx.Client
    plan: httpx.Client
    declaratie: httpx.Client

    def client(self, partij: str) -> httpx.Client:
        clients: dict[str, httpx.Client] = {"gemeente": self.gemeente, "aanbieder": self.aanbieder,
                                            "plan": self.plan, "declaratie": self.declaratie}
        return clients[partij]

    def duw(self) -> None:
        """Ask the services that exchange messages to collect from the hub now (they also do so on their
        own); the plan service exchanges none."""
        for c in (self.gemeente, self.declaratie, self.aanbieder):
            with contextlib.suppress(httpx.HTTPError):
                c.post("/hub/ophalen")


def _json(r: httpx.Response) -> Any:
    try:
        return r.json()
    except ValueError:
        return r.text


class Loper:
    def __init__(self, keten: Keten, out: TextIO, *, timeout: float = 30.0, interval: float = 0.25,
                 vandaag: Callable[[], dt.date] = dt.date.today) -> None:
        self.keten, self.out, self.timeout, self.interval, self.vandaag = keten, out, timeout, interval, vandaag

    def run(self, scenario: Scenario) -> tuple[int, int]:
        print(f"{scenario.naam}  ({scenario.pad})", file=self.out, flush=True)
        geslaagd = mislukt = 0
        try:
            variabelen: dict[str, Any] = {}
            for naam, waarde in scenario.variabelen.items():
                variabelen[naam] = vul_in(waarde, variabelen, self.vandaag())
            cursors = self._cursors()
        except (WaardeFout, httpx.HTTPError, Mislukt) as exc:
            print(f"  ✗ voorbereiding: {exc}", file=self.out, flush=True)
            return 0, 1
        for i, stap in enumerate(scenario.stappen, 1):
            naam = stap.get("naam", "")
            if mislukt:
                print(f"  - stap {i}: {naam}: overgeslagen (een eerdere stap mislukte)", file=self.out)
                continue
            try:
                verslag = self._stap(stap, variabelen, cursors)
            except (Mislukt, WaardeFout, httpx.HTTPError) as exc:
                reden = f"de keten antwoordde niet: {exc}" if isinstance(exc, httpx.HTTPError) else str(exc)
                mislukt += 1
                print(f"  ✗ stap {i}: {naam}\n      {reden}", file=self.out, flush=True)
                continue
            geslaagd += 1
            print(f"  ✓ stap {i}: {naam}" + "".join(f"\n      {r}" for r in verslag), file=self.out, flush=True)
        return geslaagd, mislukt

    def _cursors(self) -> dict[str, int]:
        """Per aanbieder of the stand-in: the newest message id now; expectations look only after it."""
        r = self.keten.aanbieder.get("/partijen")
        if r.status_code != 200:
            raise Mislukt(f"de stand-in antwoordde {r.status_code} op /partijen")
        cursors = {}
        for agb in r.json():
            laatste = self.keten.aanbieder.get(f"/aanbieders/{agb}/berichten",
                                               params={"nieuwste_eerst": True, "limit": 1}).json()
            cursors[agb] = laatste[0]["id"] if laatste else 0
        return cursors

    def _stap(self, stap: dict[str, Any], variabelen: dict[str, Any], cursors: dict[str, int]) -> list[str]:
        verslag: list[str] = []
        vandaag = self.vandaag()
        for partij in PARTIJEN:
            if partij in stap:
                actie = vul_in(stap[partij], variabelen, vandaag)
                regel, antwoord = self._actie(partij, actie, stap.get("status"), stap.get("bewaar") or {},
                                              variabelen)
                verslag.append(regel)
                for controle in _lijst(vul_in(stap.get("antwoord") or [], variabelen, vandaag)):
                    verslag.append("antwoord: " + _klopt(antwoord, controle, "het antwoord"))
        verwachtingen = stap.get("verwacht") or []
        for verwacht in verwachtingen if isinstance(verwachtingen, list) else [verwachtingen]:
            verslag.append(self._wacht_tot(partial(self._verwachting, verwacht, variabelen, cursors)))
        return verslag

    def _actie(self, partij: str, actie: dict[str, Any], status: int | list[int] | None, bewaar: dict[str, str],
               variabelen: dict[str, Any]) -> tuple[str, Any]:
        """Do the action; what to report, and the answer (parsed JSON, else its text)."""
        methode = "post" if "post" in actie else "get" if "get" in actie else None
        if methode is None:
            raise Mislukt(f"de actie van {WIE[partij]} heeft 'post' of 'get' nodig")
        pad = actie[methode]
        r = self.keten.client(partij).request(methode.upper(), pad, json=actie.get("body"))
        antwoord = _json(r)
        toegestaan = _statussen(status) if status is not None else []
        if (toegestaan and r.status_code not in toegestaan) or (not toegestaan and r.status_code >= 400):
            verwacht = " of ".join(map(str, toegestaan)) or "2xx"
            raise Mislukt(f"{methode.upper()} {pad} bij {WIE[partij]}: verwacht HTTP {verwacht}, kreeg "
                          + "; ".join(describe(r.status_code, antwoord))[:400])
        for naam, waar in bewaar.items():
            try:
                variabelen[naam] = zoek(antwoord, waar)
            except KeyError as exc:
                raise Mislukt(f"bewaar {naam}: '{waar}' staat niet in het antwoord ({exc.args[0]})") from None
        bewaard = ", ".join(f"{n} = {variabelen[n]}" for n in bewaar)
        return (f"{methode.upper()} {pad} bij {WIE[partij]} -> {r.status_code}" + (f" ({bewaard})" if bewaard else ""),
                antwoord)

    def _wacht_tot(self, controle: Callable[[], str]) -> str:
        deadline = time.monotonic() + self.timeout
        while True:
            try:
                return controle()
            except (Mislukt, httpx.HTTPError) as exc:  # not yet there, or a service restarting: try again
                if time.monotonic() >= deadline:
                    raise Mislukt(f"na {self.timeout:.0f} s: {exc}") from None
            self.keten.duw()
            time.sleep(self.interval)

    def _verwachting(self, verwacht: dict[str, Any], variabelen: dict[str, Any], cursors: dict[str, int]) -> str:
        v = vul_in(verwacht, variabelen, self.vandaag())
        if "bericht" in v:
            return self._bericht(v["bericht"], variabelen, cursors)
        for partij in PARTIJEN:
            if partij in v:
                return self._waarde(partij, v[partij])
        raise Mislukt(f"onbekende verwachting {sorted(v)} (bericht, {', '.join(PARTIJEN)})")

    def _waarde(self, partij: str, v: dict[str, Any]) -> str:
        r = self.keten.client(partij).get(v["get"])
        if r.status_code != 200:
            raise Mislukt(f"GET {v['get']} bij {WIE[partij]}: HTTP " + "; ".join(describe(r.status_code, _json(r)))[:300])
        return f"{partij}: " + _klopt(r.json(), v, f"GET {v['get']}", v["get"])

    def _bericht(self, v: dict[str, Any], variabelen: dict[str, Any], cursors: dict[str, int]) -> str:
        agb, soort = str(v["agb"]), str(v["type"]).upper()
        richting = v.get("richting") or ("in" if soort in INKOMEND else "uit")
        if agb not in cursors:
            raise Mislukt(f"de stand-in speelt aanbieder {agb} niet (wel: {', '.join(cursors)})")
        # each expectation of a type takes the next message of that type: a cursor per (agb, type, direction)
        sleutel = f"{agb}/{soort}/{richting}"
        na = int(variabelen.get("_cursors", {}).get(sleutel, cursors[agb]))
        kandidaten = self.keten.aanbieder.get(f"/aanbieders/{agb}/berichten", params={
            "bericht": soort, "richting": richting, "na": na, "limit": 1000}).json()
        if not kandidaten:
            raise Mislukt(f"geen {soort} ({richting}) bij aanbieder {agb}")
        # the first one after the cursor that satisfies everything; report on the first when none does
        fouten = []
        for b in kandidaten:
            try:
                self._controleer(agb, b, v, variabelen)
            except Mislukt as exc:
                fouten.append(f"{soort} id {b['id']}: {exc}")
                continue
            variabelen.setdefault("_cursors", {})[sleutel] = b["id"]
            codes = f", retourcodes {','.join(b['retourcodes'])}" if b["retourcodes"] else ""
            return f"{soort} {richting} bij {agb}: id {b['id']}, {b['status']}" + (
                f", retour {b['retour_status']}" if b["retour_status"] else "") + codes
        raise Mislukt("; ".join(fouten[:3]))

    def _controleer(self, agb: str, b: dict[str, Any], v: dict[str, Any], variabelen: dict[str, Any]) -> None:
        for sleutel in ("status", "retour_status"):
            if sleutel in v and b[sleutel] != v[sleutel]:
                raise Mislukt(f"{sleutel}: verwacht {v[sleutel]!r}, gevonden {b[sleutel]!r}")
        if "retourcodes" in v and b["retourcodes"] != [str(c) for c in v["retourcodes"]]:
            raise Mislukt(f"retourcodes: verwacht {v['retourcodes']}, gevonden {b['retourcodes']}")
        if not v.get("velden") and not v.get("bewaar"):
            return
        xml = self.keten.aanbieder.get(f"/aanbieders/{agb}/berichten/{b['id']}").content
        root = parse_xml(xml).getroot()
        for pad, verwacht in (v.get("velden") or {}).items():
            gevonden = _waarden(root, pad)
            if str(verwacht) not in gevonden:
                raise Mislukt(f"veld {pad}: verwacht {verwacht!r}, gevonden {gevonden or 'niets'}")
        for naam, pad in (v.get("bewaar") or {}).items():
            gevonden = _waarden(root, pad)
            if not gevonden:
                raise Mislukt(f"bewaar {naam}: veld {pad} staat niet in het bericht")
            variabelen[naam] = int(gevonden[0]) if gevonden[0].isdigit() else gevonden[0]


def _klopt(data: Any, v: dict[str, Any], waar: str, wat: str = "") -> str:
    """Check the value at ``v['pad']`` in ``data`` against ``is``, ``bevat`` and ``aantal``; says what it found,
    or raises :class:`Mislukt` saying what differs (``waar``: where the data came from)."""
    try:
        gevonden = zoek(data, str(v.get("pad", "")))
    except KeyError as exc:
        raise Mislukt(f"{waar}: pad '{v.get('pad')}' bestaat niet ({exc.args[0]})") from None
    wat = f"{wat} {v.get('pad', '')}".strip()
    if "is" in v and gevonden != v["is"]:
        raise Mislukt(f"{wat}: verwacht {v['is']!r}, gevonden {gevonden!r}")
    if "bevat" in v and str(v["bevat"]) not in str(gevonden):
        raise Mislukt(f"{wat}: verwacht dat het {v['bevat']!r} bevat, gevonden {gevonden!r}")
    if "aantal" in v and (not isinstance(gevonden, list) or len(gevonden) != v["aantal"]):
        raise Mislukt(f"{wat}: verwacht {v['aantal']} elementen, gevonden "
                      f"{len(gevonden) if isinstance(gevonden, list) else gevonden!r}")
    toon = f"{len(gevonden)} elementen" if isinstance(gevonden, list) else str(gevonden)[:80]
    return f"{wat} = {toon}"


def _waarden(root: etree._Element, pad: str) -> list[str]:
    """The texts at ``pad`` below /Bericht (element names without prefix, ``[n]`` allowed)."""
    xpath = "/*[local-name()='Bericht']"
    for stap in pad.strip("/").split("/"):
        naam, _, index = stap.partition("[")
        xpath += f"/*[local-name()='{naam}']" + (f"[{index}" if index else "")
    return [str(e.text or "").strip() for e in root.xpath(xpath)]  # type: ignore[union-attr]  # lxml-stubs: xpath() may give any XPath result; this path selects elements


def run(paden: list[Path], keten: Keten, out: TextIO, **opties: Any) -> tuple[int, int]:
    """Run every scenario; prints per step and a last line ``N passed, M failed``."""
    loper = Loper(keten, out, **opties)
    totaal_goed = totaal_fout = 0
    for pad in paden:
        try:
            scenario = laad(pad)
        except ScenarioFout as exc:
            print(f"✗ {exc}", file=out)
            totaal_fout += 1
            continue
        goed, fout = loper.run(scenario)
        totaal_goed, totaal_fout = totaal_goed + goed, totaal_fout + fout
        print(file=out)
    print(f"{totaal_goed} passed, {totaal_fout} failed", file=out, flush=True)
    return totaal_goed, totaal_fout
