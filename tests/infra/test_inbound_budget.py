"""Bounded work on any input (issue 15): a service's check of an inbound message has a time budget.

A message whose check outlasts it is refused for technical reasons (the faults found so far and one TIJD
fault with retourcode 0001): the heenbericht gets a header-only 0001 retour and changes nothing, a retour
is kept afgekeurd. Plain functions on the toewijzing service's tables, on SQLite and on PostgreSQL.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterator

import pytest
from sqlalchemy import create_engine, func, select, text
from sqlalchemy.orm import Session

from infra.inbound import BUDGET_ENV, DEFAULT_BUDGET_SECONDS, read, receive, validation_budget_seconds
from iwmo.exceptions import BudgetOverschreden
from iwmo.samples import sample
from iwmo.uitleg import betekenis
from iwmo.validation import TE_LANG, check_tree, validate
from iwmo.xml import from_xml, to_xml
from services.toewijzing.domain.beleid import DEFAULT_BELEID, laad
from services.toewijzing.domain.omgeving import Omgeving
from services.toewijzing.hub import PIPELINE
from services.toewijzing.models import Base, Bericht, Levering

GEMEENTE = "0363"
NU = dt.datetime(2026, 11, 23, 10, 0, tzinfo=dt.UTC)
OP = dataclasses.replace(PIPELINE, validation_budget_seconds=0.0)  # spent before the first rule


@pytest.fixture(params=["sqlite", "postgresql"])
def session(request: pytest.FixtureRequest, tmp_path) -> Iterator[Session]:  # type: ignore[no-untyped-def]
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path}/toewijzing.db"
    else:
        url = request.getfixturevalue("pg_databases")("budget")
        with create_engine(url).begin() as conn:
            conn.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
    engine = create_engine(url)
    Base.metadata.create_all(engine)
    with Session(engine) as s:
        yield s
    engine.dispose()


def _omgeving() -> Omgeving:
    return Omgeving(gemeente=GEMEENTE, nu=NU, beleid=laad(DEFAULT_BELEID))


def test_a_wmo305_over_budget_gets_a_header_only_0001_retour_and_records_no_start(session: Session) -> None:
    xml = to_xml(sample("WMO305", today=NU.date()))
    rij = receive(session, OP, xml=xml, ontvanger=GEMEENTE, nu=NU, context=_omgeving()).bericht
    session.flush()
    assert (rij.status, rij.retourcodes, rij.retour_status) == ("afgekeurd", "0001", "afgekeurd")
    assert rij.fout.startswith(f"{TE_LANG}: de controle duurde langer dan 0 s")
    assert "om technische redenen afgekeurd" in rij.fout
    assert session.scalar(select(func.count()).select_from(Levering)) == 0
    uit = session.scalars(select(Bericht).where(Bericht.richting == "uit")).one()
    assert (uit.bericht, uit.antwoord_op) == ("WMO306", rij.id)
    antwoord = from_xml(uit.xml)
    assert antwoord.header.retourcodes == ["0001"]  # IV032: only the Header, with 0001 (and the XsltVersie)
    assert antwoord.header.xslt_versie is not None
    assert getattr(antwoord, "client", None) is None


def test_a_retour_over_budget_is_kept_afgekeurd(session: Session) -> None:
    xml = to_xml(sample("WMO302", today=NU.date()))
    rij = receive(session, OP, xml=xml, ontvanger=GEMEENTE, nu=NU, context=_omgeving()).bericht
    assert rij.status == "afgekeurd"
    assert rij.fout.startswith(f"{TE_LANG}: ")
    assert session.scalars(select(Bericht).where(Bericht.richting == "uit")).all() == []  # a retour gets none


def test_within_the_budget_nothing_changes(session: Session) -> None:
    xml = to_xml(sample("WMO305", today=NU.date()))
    assert read(xml, today=NU.date(), pipeline=PIPELINE)[1] == []
    rij = receive(session, PIPELINE, xml=xml, ontvanger=GEMEENTE, nu=NU, context=_omgeving()).bericht
    assert TE_LANG not in (rij.fout or "")  # judged on its content (no toewijzing here: TR019)
    retour = from_xml(receive(session, PIPELINE, xml=to_xml(sample("WMO302", today=NU.date())),
                              ontvanger=GEMEENTE, nu=NU, context=_omgeving()).bericht.xml)
    assert retour.BERICHT == "WMO302"


class _Tot:
    """A budget that runs out at one rule."""

    seconden = 2.5

    def __init__(self, regel: str) -> None:
        self.regel = regel

    def controleer(self, regel: str) -> None:
        if regel == self.regel:
            raise BudgetOverschreden(self.seconden, regel)


def test_the_faults_found_before_the_budget_ran_out_are_kept() -> None:
    heen = sample("WMO305", today=NU.date())
    heen.client.start_producten[0].begindatum = dt.date(2027, 6, 1)  # TR134, the first rule of a WMO305
    xml = to_xml(heen)
    assert [f.code for f in validate(xml, today=NU.date()).fouten] == ["TR134"]
    rapport = validate(xml, today=NU.date(), budget=_Tot("TR101"))  # type: ignore[arg-type]  # duck-typed
    assert [(f.code, f.retourcode) for f in rapport.fouten] == [("TR134", "0001"), (TE_LANG, "0001")]
    assert rapport.fouten[-1].details.startswith("de controle duurde langer dan 2.5 s (gestopt bij TR101)")
    assert not rapport.valid
    from iwmo.loader import parse_xml

    assert check_tree(parse_xml(xml), today=NU.date(), budget=_Tot("XSD")).fouten[0].code == TE_LANG  # type: ignore[arg-type]


def test_the_budget_is_one_setting_for_every_service(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(BUDGET_ENV, raising=False)
    assert validation_budget_seconds() == DEFAULT_BUDGET_SECONDS == 15
    monkeypatch.setenv(BUDGET_ENV, "2.5")
    assert validation_budget_seconds() == 2.5
    for fout in ("vijf", "-1"):
        monkeypatch.setenv(BUDGET_ENV, fout)
        with pytest.raises(ValueError, match=BUDGET_ENV):
            validation_budget_seconds()
    assert "technische redenen" in (betekenis(TE_LANG) or "")
