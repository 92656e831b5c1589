"""The back office's lists: GET /clienten, /toewijzingen, /berichten and the CSV export; filters, and paging
by id that is stable while rows are added (on SQLite and PostgreSQL)."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, event, select, update
from sqlalchemy.orm import Session
from stdnum.nl import bsn as bsn_nummer

from iwmo.regels import Fout
from services.toewijzing import overzicht
from services.toewijzing.db import migrate
from services.toewijzing.models import Bericht
from tests.services.toewijzing.conftest import AANBIEDER, Keten
from tests.services.toewijzing.test_beschikking import CLIENT, RESULTAAT, UREN
from tests.services.toewijzing.test_plancheck import Plannen

ANDERE = "87654321"  # not registered at the hub: a WMO301 for it waits in the outbox
BSNS = [f"{n:09d}" for n in range(999990000, 999990400) if bsn_nummer.is_valid(f"{n:09d}")][:6]


def _beschik(keten: Keten, bsn: str, *voorzieningen: dict[str, Any]) -> Any:
    r = keten.client.post("/beschikkingen", json={"client": {**CLIENT, "bsn": bsn}, "besluitdatum": "2026-11-20",
                                                  "voorzieningen": list(voorzieningen)})
    assert r.status_code == 201, r.text
    return r.json()


def _get(keten: Keten, pad: str, **params: Any) -> Any:
    r = keten.client.get(pad, params=params)
    assert r.status_code == 200, r.text
    return r.json()


def _alle(keten: Keten, pad: str, **params: Any) -> list[dict[str, Any]]:
    """Every item, page by page (``limit`` per page), checking that each page is at most that long."""
    items: list[dict[str, Any]] = []
    na = params.pop("na", None)
    while True:
        pagina = _get(keten, pad, **params, **({"na": na} if na is not None else {}))
        assert len(pagina["items"]) <= params.get("limit", 100)
        items += pagina["items"]
        na = pagina["volgende"]
        if na is None:
            return items


def test_clients_are_paged_by_id_and_filtered_on_their_toewijzingen(keten: Keten) -> None:
    for bsn in BSNS[:4]:
        _beschik(keten, bsn, UREN)
    _beschik(keten, BSNS[4], {**UREN, "aanbieder": ANDERE})
    eerste = _get(keten, "/clienten", limit=2)
    assert [c["bsn"] for c in eerste["items"]] == BSNS[:2] and eerste["volgende"] == eerste["items"][-1]["id"]
    _beschik(keten, BSNS[5], UREN)  # added while paging: comes at the end, nothing is seen twice or skipped
    rest = _alle(keten, "/clienten", limit=2, na=eerste["volgende"])
    assert [c["bsn"] for c in eerste["items"] + rest] == BSNS
    assert rest[2] == {"id": rest[2]["id"], "bsn": BSNS[4], "naam": "Jansen", "toewijzingen": 1, "actueel": 1,
                       "aanbieders": [ANDERE]}
    assert [c["bsn"] for c in _alle(keten, "/clienten", aanbieder=ANDERE)] == [BSNS[4]]
    assert [c["bsn"] for c in _alle(keten, "/clienten", aanbieder=AANBIEDER, status="actueel")] == \
        BSNS[:4] + [BSNS[5]]
    # the aanbieder rejects the first client's WMO301 and accepts the second's
    for i, heen in enumerate(keten.aanbieder.haal_op(keten.clock.now.date())[:2]):
        fouten = [] if heen.client.bsn == BSNS[1] else [Fout("TR332", ["/Bericht/Client/ToegewezenProducten/"
                                                                       "ToegewezenProduct[1]"], "9332", "niet uniek")]
        keten.aanbieder.beantwoord(heen, keten.clock.now.date(), fouten=fouten, ident=f"L{i}")
    keten.sync()
    assert [c["bsn"] for c in _alle(keten, "/clienten", status="afgewezen")] == [BSNS[0]]
    assert [c["bsn"] for c in _alle(keten, "/clienten", status="geaccepteerd")] == [BSNS[1]]
    assert [c["bsn"] for c in _alle(keten, "/clienten", status="onbeantwoord", aanbieder=AANBIEDER)] == \
        [BSNS[2], BSNS[3], BSNS[5]]
    # the first client's toewijzing deleted: no longer actueel
    [t] = _get(keten, f"/clienten/{BSNS[2]}")["toewijzingen"]
    r = keten.client.post(f"/toewijzingen/{t['toewijzingnummer']}/verwijderen")
    assert r.status_code == 200, r.text
    assert BSNS[2] not in [c["bsn"] for c in _alle(keten, "/clienten", status="actueel")]


def test_toewijzingen_filtered_and_paged(keten: Keten) -> None:
    _beschik(keten, BSNS[0], UREN, RESULTAAT)
    _beschik(keten, BSNS[1], {**UREN, "aanbieder": ANDERE, "ingangsdatum": "2027-01-01"})
    _beschik(keten, BSNS[2], {**UREN, "einddatum": "2026-12-31"})
    alle = _alle(keten, "/toewijzingen", limit=1)
    assert [t["bsn"] for t in alle] == [BSNS[0], BSNS[0], BSNS[1], BSNS[2]]
    assert [t["id"] for t in alle] == sorted(t["id"] for t in alle)
    eerste = alle[0]
    assert (eerste["toegewezen"], eerste["product"]["code"], eerste["levering"], eerste["actueel"]) == (
        "3 uur per week", "01A01", "niet gestart", True)

    def bsns(**filters: Any) -> list[str]:
        return [t["bsn"] for t in _alle(keten, "/toewijzingen", **filters)]

    assert bsns(aanbieder=ANDERE) == [BSNS[1]]
    assert bsns(bsn=BSNS[0]) == [BSNS[0], BSNS[0]]
    assert bsns(product="01A02") == [BSNS[0]]
    assert bsns(categorie="01", wijze="uren") == [BSNS[0], BSNS[1], BSNS[2]]
    assert bsns(wijze="resultaat") == [BSNS[0]]
    assert bsns(actief_op="2026-12-15") == [BSNS[0], BSNS[0], BSNS[2]]  # the other starts in 2027
    assert bsns(actief_op="2027-02-01") == [BSNS[0], BSNS[0], BSNS[1]]  # BSNS[2]'s ended
    assert bsns(actief_op="2027-02-01", aanbieder=AANBIEDER, wijze="uren") == [BSNS[0]]
    nummer = alle[3]["toewijzingnummer"]
    assert keten.client.post(f"/toewijzingen/{nummer}/verwijderen").status_code == 200
    assert bsns(actief_op="2026-12-15") == [BSNS[0], BSNS[0]]  # deleted: in force on no day


def test_the_export_has_every_toewijzing_of_the_selection_with_or_without_bsn(keten: Keten) -> None:
    _beschik(keten, BSNS[0], UREN, RESULTAAT)
    _beschik(keten, BSNS[1], {**UREN, "aanbieder": ANDERE})
    r = keten.client.get("/toewijzingen/export.csv")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    rijen = list(csv.DictReader(io.StringIO(r.text)))
    assert [(x["bsn"], x["aanbieder"], x["code"]) for x in rijen] == [
        (BSNS[0], AANBIEDER, "01A01"), (BSNS[0], AANBIEDER, "01A02"), (BSNS[1], ANDERE, "01A01")]
    assert (rijen[0]["volume"], rijen[0]["eenheid"], rijen[0]["frequentie"], rijen[0]["einddatum"],
            rijen[0]["actueel"], rijen[0]["levering"]) == ("3", "04", "2", "2027-11-30", "ja", "niet gestart")
    zonder = keten.client.get("/toewijzingen/export.csv", params={"zonder_bsn": "true", "aanbieder": ANDERE}).text
    assert "bsn" not in zonder.splitlines()[0] and BSNS[1] not in zonder
    assert len(zonder.splitlines()) == 2


def test_messages_that_wait_are_rejected_or_refused(keten: Keten) -> None:
    plannen = Plannen()
    keten.client.app.state.plan_check = plannen  # type: ignore[attr-defined]
    _beschik(keten, BSNS[0], RESULTAAT)  # waits for its plan
    _beschik(keten, BSNS[1], UREN)  # goes out, and the aanbieder rejects it
    _beschik(keten, BSNS[2], {**UREN, "aanbieder": ANDERE})  # the hub does not know this aanbieder: it waits
    _beschik(keten, BSNS[3], {**UREN, "aanbieder": ANDERE})
    [heen] = keten.aanbieder.haal_op(keten.clock.now.date())
    keten.aanbieder.beantwoord(heen, keten.clock.now.date(), fouten=[
        Fout("TR332", ["/Bericht/Client/ToegewezenProducten/ToegewezenProduct[1]"], "9332", "niet uniek")])
    keten.sync()

    def berichten(*status: str, **filters: Any) -> list[dict[str, Any]]:
        return _alle(keten, "/berichten", status=list(status), **filters)

    with keten.client.app.state.session_factory() as session:  # type: ignore[attr-defined]
        # what the hub refuses for good (say a message it finds invalid) is geweigerd: a fault
        session.execute(update(Bericht).where(Bericht.id == max(session.scalars(select(Bericht.id).where(
            Bericht.richting == "uit"))))
                        .values(status="geweigerd", fout="IB014: ongeldig"))
        session.commit()
    plan, hub = berichten("te-verzenden")
    assert (plan["bsn"], plan["bericht"], plan["wacht_op"]) == (BSNS[0], "WMO301",
                                                                "ondersteuningsplan nog niet vastgesteld")
    assert plan["sinds"].startswith("2026-11-23")
    assert hub["bsn"] == BSNS[2] and hub["wacht_op"].startswith("IB005")  # the hub's reason (a gemeente sends)
    [afgekeurd] = berichten("afgekeurd")
    assert (afgekeurd["bsn"], afgekeurd["retour"], afgekeurd["retourcodes"]) == (BSNS[1], "afgekeurd", ["0200", "9332"])
    [fout] = berichten("fout")
    assert (fout["bsn"], fout["status"], fout["fout"], fout["wacht_op"]) == (BSNS[3], "geweigerd", "IB014: ongeldig",
                                                                             None)
    assert [b["bsn"] for b in berichten("te-verzenden", "afgekeurd", "fout")] == BSNS[:4]
    assert [b["bericht"] for b in berichten("verwerkt")] == ["WMO302"]
    assert [b["bericht"] for b in berichten(bericht="WMO302")] == ["WMO302"]
    assert len(berichten(richting="uit")) == 4
    assert [b["id"] for b in _alle(keten, "/berichten", limit=1)] == [b["id"] for b in berichten()]


def test_a_page_is_never_the_whole_table(keten: Keten) -> None:
    for pad in ("/clienten", "/toewijzingen", "/berichten"):
        assert keten.client.get(pad, params={"limit": 1001}).status_code == 422
        assert keten.client.get(pad, params={"limit": 0}).status_code == 422
        assert _get(keten, pad) == {"items": [], "volgende": None}
    assert keten.client.get("/clienten", params={"status": "weg"}).status_code == 422
    assert keten.client.get("/berichten", params={"status": "weg"}).status_code == 422
    assert keten.client.get("/toewijzingen", params={"wijze": "budget"}).status_code == 422


def test_the_lists_of_an_aanbieder_and_of_rejected_messages_use_their_indexes(tmp_path: Path) -> None:
    """On a large table a page must not sort or scan the whole table (SQLite's plan; migration 0006)."""
    url = f"sqlite:///{tmp_path}/plan.db"
    migrate(url)
    engine = create_engine(url)
    vragen: list[tuple[str, Any]] = []
    event.listen(engine, "before_cursor_execute", lambda _c, _cur, sql, params, *_: vragen.append((sql, params)))
    with Session(engine) as session:
        overzicht.toewijzingen(session, selectie=overzicht.Selectie(aanbieder=AANBIEDER), vandaag=dt.date.today(),
                               producten={})
        overzicht.berichten(session, status=["afgekeurd"])
    with engine.connect() as conn:
        plannen = [" ".join(r[-1] for r in conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {sql}", params))
                   for sql, params in list(vragen)]
    engine.dispose()
    assert "USING INDEX ix_toewijzing_aanbieder" in plannen[0]
    assert "USING INDEX ix_bericht_retour" in plannen[1]
