"""The declaratie service beside the hub and the toewijzing service, in process, on SQLite and PostgreSQL:
a scripted aanbieder sends WMO323s through the hub, the declaratie service collects them (the toewijzing
service does not: it does not own the type), reads the toewijzingen from the toewijzing service and answers
with a WMO325."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from fastapi.testclient import TestClient

from infra.auth import PartyTokens
from iwmo.berichten.basis import (
    BedragMetDC,
    BerichtIdentificatie,
    GeslotenPeriode,
    Referentie,
    TotaalBedragMetDC,
)
from iwmo.berichten.declaratie import Declaratie, DeclaratieClient, Prestatie, Wmo323, Wmo325
from iwmo.berichten.header import Header
from services.declaratie.app import create_app
from services.declaratie.settings import DeclaratieSettings
from tests.services.toewijzing.conftest import AANBIEDER, GEMEENTE, Keten, database_beside, keten  # noqa: F401

TOKENS = {"financien": "api-token-financien"}


def prestatie(nummer: int, ref: str, *, begin: dt.date = dt.date(2026, 12, 1), eind: dt.date = dt.date(2026, 12, 31),
              volume: int = 12, eenheid: str = "04", tarief: int | None = 3480, credit: bool = False,
              vorig: str | None = None, categorie: str = "01", code: str = "01A01",
              bedrag: int | None = None) -> Prestatie:
    return Prestatie(product_referentie=Referentie(referentie_nummer=ref, vorig_referentie_nummer=vorig),
                     toewijzing_nummer=nummer, product_categorie=categorie, product_code=code,
                     product_periode=GeslotenPeriode(begindatum=begin, einddatum=eind), geleverd_volume=volume,
                     eenheid=eenheid, product_tarief=tarief,
                     ingediend_bedrag=BedragMetDC(bedrag=volume * (tarief or 1) if bedrag is None else bedrag,
                                                  debet_credit="C" if credit else "D"))


def wmo323(nummer: str, clienten: dict[str, list[Prestatie]], *, periode: dt.date = dt.date(2026, 12, 1),
           dagtekening: dt.date = dt.date(2027, 1, 5), ident: str | None = None) -> Wmo323:
    eind = (periode.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)
    totaal = sum((-p.ingediend_bedrag.bedrag if p.ingediend_bedrag.debet_credit == "C" else p.ingediend_bedrag.bedrag)
                 for ps in clienten.values() for p in ps)
    return Wmo323(
        header=Header(afzender=AANBIEDER, ontvanger=GEMEENTE,
                      bericht_identificatie=BerichtIdentificatie(identificatie=ident or f"A{nummer}",
                                                                 dagtekening=dagtekening)),
        declaratie=Declaratie(
            declaratie_nummer=nummer, declaratie_periode=GeslotenPeriode(begindatum=periode, einddatum=eind),
            declaratie_dagtekening=dagtekening,
            totaal_ingediend_bedrag=TotaalBedragMetDC(totaal_bedrag=abs(totaal), debet_credit="C" if totaal < 0 else "D"),
            clienten=[DeclaratieClient(bsn=bsn, prestaties=ps) for bsn, ps in clienten.items()]))


@dataclass
class DeclaratieKeten:
    declaratie: TestClient
    keten: Keten

    def declareer(self, bericht: Wmo323) -> Wmo325:
        """Send the WMO323 through the hub on its dagtekening, let the service collect and answer, return
        the WMO325."""
        dag = bericht.header.bericht_identificatie.dagtekening
        self.keten.clock.now = dt.datetime(dag.year, dag.month, dag.day, 10, tzinfo=dt.UTC)
        self.keten.aanbieder.stuur(bericht)
        r = self.declaratie.post("/hub/ophalen")
        assert r.status_code == 200, r.text
        antwoorden = [b for b in self.keten.aanbieder.haal_op(self.keten.clock.now.date()) if b.BERICHT == "WMO325"]
        assert len(antwoorden) == 1
        antwoord = antwoorden[0]
        assert isinstance(antwoord, Wmo325)
        return antwoord


@pytest.fixture
def declaratie_keten(keten: Keten, request: pytest.FixtureRequest, tmp_path: Any) -> Iterator[DeclaratieKeten]:  # noqa: F811
    gemeente_token = keten.client.app.state.settings.hub_token  # type: ignore[attr-defined]
    settings = DeclaratieSettings(database_url=database_beside(keten.client, request, tmp_path, "declaratie"), gemeente=GEMEENTE,
                                  hub_token=gemeente_token, poll_seconds=0, api_tokens=TOKENS)
    app = create_app(settings, hub_http=keten.hub, toewijzing_http=keten.client, clock=keten.clock)
    with TestClient(app) as client:
        client.auth = PartyTokens(TOKENS)
        yield DeclaratieKeten(client, keten)
    app.state.engine.dispose()
