"""The declaratie chain as real processes, for benchmarks/declaratie.py and the crash test
(tests/services/declaratie/test_crash.py): a uvicorn service as a process group, toewijzingen bulk-inserted
straight into the toewijzing service's database, WMO323s that declare a month of them at the contract
tariff, and what the aanbieder receives (WMO325) read back. Not run by itself.

The toewijzingen: five per client, one of each product of the demonstration contract of aanbieder
12345678 (``services/declaratie/data/contracten.yaml``); each prestatie declares a month within what its
toewijzing allows (IV077), at the contract's tariff, so every prestatie is granted unless a caller builds
in a mistake.
"""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lxml import etree
from sqlalchemy import create_engine, func, select, text

sys.path.append(str(Path(__file__).resolve().parent))
from crash_safety import free_port, wait_healthy  # noqa: E402

from iwmo.berichten.basis import (  # noqa: E402
    BedragMetDC,
    BerichtIdentificatie,
    GeslotenPeriode,
    Referentie,
    TotaalBedragMetDC,
)
from iwmo.berichten.declaratie import Declaratie, DeclaratieClient, Prestatie, Wmo323  # noqa: E402
from iwmo.berichten.header import Header  # noqa: E402
from iwmo.samples import sample  # noqa: E402
from iwmo.xml import to_xml  # noqa: E402
from services.declaratie.domain.contracten import laad  # noqa: E402
from services.toewijzing.models import Bericht, Beschikking, Client, Levering, Toewijzing, Voorziening  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
GEMEENTE, AANBIEDER = "0363", "12345678"
#: the first ToewijzingNummer: six digits each, so every client's part of a message has the same size
EERSTE_NUMMER = 100_000


@dataclass(frozen=True)
class Product:
    """A toewijzing of one product and what a month of it declares (within IV077's maximum)."""

    wijze: str
    categorie: str
    code: str
    eenheid: str
    per_week: int  # the toewijzing's Omvang: volume per week (frequentie 2)
    per_maand: int  # the GeleverdVolume declared for a month

    def tarief(self, dag: dt.date) -> int:
        """The demonstration contract's tariff (a product without one is a mistake in this script)."""
        contract = laad().product(AANBIEDER, self.categorie, self.code, self.eenheid, dag)
        if contract is None:
            raise RuntimeError(f"no contract tariff for {self.code} in unit {self.eenheid} on {dag}")
        return contract.tarief


#: one toewijzing of each per client. Maxima per month: HH 6 x per week; output (82): the Sundays (4 or 5);
#: time otherwise: the calendar weeks touched (at least 5) x per week
PRODUCTEN = (
    Product("uren", "01", "01A01", "04", 3, 12),
    Product("resultaat", "01", "01A02", "82", 1, 4),
    Product("uren", "02", "02A01", "04", 2, 8),
    Product("uren", "03", "03A01", "04", 2, 8),
    Product("uren", "07", "07A01", "16", 4, 16),
)


# --- processes ------------------------------------------------------------------------------

class Service:
    """``uvicorn --factory <app>`` as a process group of its own (stopped, or killed, as a whole)."""

    def __init__(self, app: str, env: dict[str, str], port: int | None = None, log: str | None = None) -> None:
        self.app, self.env, self.port = app, env, port or free_port()
        self.log = log
        self.proc: subprocess.Popen[bytes] | None = None
        self.url = f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        stderr = open(self.log, "ab") if self.log else subprocess.DEVNULL  # noqa: SIM115 - the child keeps it
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "uvicorn", "--factory", self.app, "--host", "127.0.0.1", "--port", str(self.port),
             "--log-level", "warning", "--no-access-log"],
            env=self.env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=stderr, start_new_session=True)
        wait_healthy(self.url, self.app, self.proc)

    def kill(self) -> None:
        """SIGKILL, no goodbye: what a crash or the OOM killer does."""
        if self.proc is not None and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait()

    def stop(self) -> None:
        if self.proc is None or self.proc.poll() is not None:
            return
        os.killpg(self.proc.pid, signal.SIGTERM)
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.kill()

    def memory_mb(self, field: str = "VmHWM") -> float:
        """VmHWM (peak resident set) or VmRSS of the process, in MB."""
        assert self.proc is not None
        for line in Path(f"/proc/{self.proc.pid}/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
        raise RuntimeError(f"no {field} in /proc/{self.proc.pid}/status")


# --- the toewijzingen, straight into the toewijzing service's database ----------------------------

def _chunks(rows: list[dict[str, Any]], size: int = 5000) -> Iterator[list[dict[str, Any]]]:
    for i in range(0, len(rows), size):
        yield rows[i:i + size]


def vul_toewijzingen(url: str, bsns: list[str], *, ingang: dt.date, eind: dt.date,
                     vandaag: dt.date) -> dict[str, list[int]]:
    """Bulk-insert, for every BSN, a client with one toewijzing of each of :data:`PRODUCTEN` of the
    aanbieder (accepted by it, started on its ingangsdatum); returns the ToewijzingNummers per BSN, in the
    order of PRODUCTEN. Works on PostgreSQL and SQLite (the service's migrations must have run)."""
    engine = create_engine(url)
    nu = dt.datetime.now(dt.UTC)
    xml = {b: to_xml(sample(b, today=vandaag)) for b in ("WMO301", "WMO305")}
    rows: dict[type, list[dict[str, Any]]] = {m: [] for m in (Client, Beschikking, Voorziening, Bericht, Toewijzing,
                                                              Levering)}
    nummers: dict[str, list[int]] = {}
    with engine.begin() as conn:
        ids = {m: int(conn.scalar(select(func.coalesce(func.max(m.id), 0))) or 0) + 1 for m in rows}  # type: ignore[attr-defined]
        hoogste = int(conn.scalar(select(func.coalesce(func.max(Toewijzing.nummer), 0))) or 0)
        nummer = max(EERSTE_NUMMER, hoogste + 1)

        def add(model: type, **values: Any) -> int:
            row_id = ids[model]
            ids[model] += 1
            rows[model].append({"id": row_id, **values})
            return row_id

        def bericht(soort: str, client_id: int) -> int:
            uit = soort == "WMO301"
            return add(Bericht, richting="uit" if uit else "in", bericht=soort,
                       afzender=GEMEENTE if uit else AANBIEDER, ontvanger=AANBIEDER if uit else GEMEENTE,
                       identificatie=f"B{ids[Bericht]:011d}", client_id=client_id, xml=xml[soort],
                       status="verzonden" if uit else "verwerkt", hub_id=None, retour_status="goedgekeurd",
                       retourcodes=None, antwoord_op=None, created_at=nu, fout=None)

        for i, bsn in enumerate(bsns):
            cid = add(Client, bsn=bsn, geboortedatum=dt.date(1940, 1, 1) + dt.timedelta(days=i % 15000),
                      geslacht="12"[i % 2], achternaam=f"Bench{i}", voorvoegsel=None, voorletters="B",
                      postcode="1011AB", huisnummer=1 + i % 200, straatnaam=None, plaatsnaam=None)
            bid = add(Beschikking, client_id=cid, besluitdatum=ingang, kenmerk=None, created_at=nu)
            bericht("WMO301", cid)
            start = bericht("WMO305", cid)
            nummers[bsn] = []
            for p in PRODUCTEN:
                vid = add(Voorziening, beschikking_id=bid, wijze=p.wijze, categorie=p.categorie, code=p.code,
                          aanbieder=AANBIEDER, resultaat="Een schoon huis" if p.wijze == "resultaat" else None)
                add(Toewijzing, nummer=nummer, voorziening_id=vid, client_id=cid, aanbieder=AANBIEDER,
                    categorie=p.categorie, code=p.code, ingangsdatum=ingang, einddatum=eind, volume=p.per_week,
                    eenheid=p.eenheid, frequentie="2", budget=None, reden_wijziging=None, referentie_aanbieder=None,
                    commentaar=None, toewijzingsdatum=ingang, toewijzingstijd=dt.time(9, 30), gewijzigd=False,
                    oordeel_aanbieder="geaccepteerd", retourcodes=None)
                add(Levering, soort="start", bsn=bsn, aanbieder=AANBIEDER, toewijzing_nummer=nummer,
                    categorie=p.categorie, code=p.code, begindatum=ingang, reden_beeindiging=None, einddatum=None,
                    verwijderd=False, bericht_id=start)
                nummers[bsn].append(nummer)
                nummer += 1
        for model, table_rows in rows.items():  # parents first: the dict keeps that order
            for part in _chunks(table_rows):
                conn.execute(model.__table__.insert(), part)  # type: ignore[attr-defined]
            if engine.dialect.name == "postgresql":
                table = model.__tablename__  # type: ignore[attr-defined]
                conn.execute(text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                                  f"(SELECT max(id) FROM {table}))"))
    if engine.dialect.name == "postgresql":
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("VACUUM ANALYZE"))
    engine.dispose()
    return nummers


# --- the WMO323 and its answer --------------------------------------------------------------------

def laatste_dag(maand: dt.date) -> dt.date:
    return (maand.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)


def maand_terug(dag: dt.date, maanden: int) -> dt.date:
    """The first of the month ``maanden`` before ``dag``'s."""
    m = dag.year * 12 + dag.month - 1 - maanden
    return dt.date(m // 12, m % 12 + 1, 1)


def prestaties(nummers: list[int], *, maand: dt.date, referentie: Callable[[], str]) -> list[Prestatie]:
    """A month of each of a client's toewijzingen (in the order of PRODUCTEN), at the contract tariff."""
    uit = []
    for p, nummer in zip(PRODUCTEN, nummers, strict=False):
        tarief = p.tarief(maand)
        uit.append(Prestatie(
            product_referentie=Referentie(referentie_nummer=referentie()), toewijzing_nummer=nummer,
            product_categorie=p.categorie, product_code=p.code,
            product_periode=GeslotenPeriode(begindatum=maand, einddatum=laatste_dag(maand)),
            geleverd_volume=p.per_maand, eenheid=p.eenheid, product_tarief=tarief,
            ingediend_bedrag=BedragMetDC(bedrag=p.per_maand * tarief, debet_credit="D")))
    return uit


def wmo323(clienten: dict[str, list[int]], *, maand: dt.date, declaratienummer: str, ident: str, dagtekening: dt.date,
           referentie_prefix: str, laatste: int | None = None) -> Wmo323:
    """A WMO323 of the aanbieder declaring ``maand`` of every toewijzing of ``clienten`` (BSN -> numbers);
    ``laatste``: the last client declares only its first so many."""
    teller = iter(range(10**9))

    def referentie() -> str:
        return f"{referentie_prefix}{next(teller):09d}"

    items = list(clienten.items())
    decl_clienten = [DeclaratieClient(bsn=bsn, prestaties=prestaties(
        nrs[:laatste] if laatste is not None and k == len(items) - 1 else nrs, maand=maand, referentie=referentie))
        for k, (bsn, nrs) in enumerate(items)]
    totaal = sum(p.ingediend_bedrag.bedrag for c in decl_clienten for p in c.prestaties)
    return Wmo323(
        header=Header(afzender=AANBIEDER, ontvanger=GEMEENTE,
                      bericht_identificatie=BerichtIdentificatie(identificatie=ident, dagtekening=dagtekening)),
        declaratie=Declaratie(
            declaratie_nummer=declaratienummer,
            declaratie_periode=GeslotenPeriode(begindatum=maand, einddatum=laatste_dag(maand)),
            declaratie_dagtekening=dagtekening,
            totaal_ingediend_bedrag=TotaalBedragMetDC(totaal_bedrag=totaal, debet_credit="D"),
            clienten=decl_clienten))


class Inbox:
    """The WMO325s the hub pushed to the aanbieder (called on the receiver's thread)."""

    def __init__(self) -> None:
        self.wmo325: list[bytes] = []
        self.other = 0

    def __call__(self, body: bytes) -> None:
        if b"wmo325:" in body[:300]:
            self.wmo325.append(body)
        else:
            self.other += 1

    def wait_for(self, count: int, timeout: float) -> float:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if len(self.wmo325) >= count:
                return time.monotonic()
            time.sleep(0.002)
        raise RuntimeError(f"only {len(self.wmo325)} of {count} WMO325 arrived at the aanbieder")


@dataclass(frozen=True)
class Antwoord:
    """What a WMO325 says: the rejected prestaties with their codes, the amount granted and the header codes."""

    afgewezen: dict[str, list[str]]
    toegekend: int
    codes: list[str]


def lees_wmo325(xml: bytes) -> Antwoord:
    root = etree.fromstring(xml)
    afgewezen: dict[str, list[str]] = {}
    for p in root.iter("{*}Prestatie"):
        ref = p.findtext("{*}ProductReferentie/{*}ReferentieNummer") or "?"
        afgewezen[ref] = [c.text or "" for c in p.iterfind("{*}RetourCodes/{*}RetourCode")]
    totaal = root.find("{*}DeclaratieAntwoord/{*}TotaalToegekendBedrag")
    bedrag = 0
    if totaal is not None:
        bedrag = int(totaal.findtext("{*}TotaalBedrag") or 0) * (-1 if totaal.findtext("{*}DebetCredit") == "C" else 1)
    # the codes of the whole declaratie: the DeclaratieAntwoord's (none when only some prestaties are
    # rejected); the header's when the message was rejected whole (no DeclaratieAntwoord)
    kop = "DeclaratieAntwoord" if root.find("{*}DeclaratieAntwoord") is not None else "Header"
    return Antwoord(afgewezen, bedrag, [c.text or "" for c in root.iterfind(f"{{*}}{kop}/{{*}}RetourCodes/{{*}}RetourCode")])


def code_telling(antwoord: Antwoord) -> str:
    tel: dict[str, int] = {}
    for codes in antwoord.afgewezen.values():
        for c in codes:
            tel[c] = tel.get(c, 0) + 1
    return ", ".join(f"{c} x{n}" for c, n in sorted(tel.items())) or "none"
