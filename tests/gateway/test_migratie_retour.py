"""Migration 0006 links the retours already in the hub to their heenberichten: the first retour from the
heenbericht's receiver; a retour from anyone else, a second one and one without heenbericht stay unlinked."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import create_engine, text

from gateway.db import migrate

RIJ = ("INSERT INTO bericht (id, bericht, berichtcode, afzender, ontvanger, identificatie, xml, size, status, "
       "received_at, attempts, heen_afzender, heen_bericht, heen_identificatie) VALUES "
       "(:id, :bericht, '415', :afzender, :ontvanger, :ident, x'00', 1, 'ontvangen', '2026-11-20 10:00:00', 0, "
       ":heen_afzender, :heen_bericht, :heen_ident)")


def test_existing_retours_are_linked_to_the_receivers_first_answer(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path}/hub.db"
    migrate(url, "0005")
    engine = create_engine(url)
    heen = {"heen_afzender": None, "heen_bericht": None, "heen_ident": None}
    antwoord = {"heen_afzender": "0363", "heen_bericht": "WMO301", "heen_ident": "H1"}
    with engine.begin() as conn:
        for rij in (
            {"id": 1, "bericht": "WMO301", "afzender": "0363", "ontvanger": "12345678", "ident": "H1", **heen},
            {"id": 2, "bericht": "WMO302", "afzender": "87654321", "ontvanger": "0363", "ident": "VALS", **antwoord},
            {"id": 3, "bericht": "WMO302", "afzender": "12345678", "ontvanger": "0363", "ident": "R1", **antwoord},
            {"id": 4, "bericht": "WMO302", "afzender": "12345678", "ontvanger": "0363", "ident": "R2", **antwoord},
            {"id": 5, "bericht": "WMO302", "afzender": "12345678", "ontvanger": "0363", "ident": "WEES",
             "heen_afzender": "0363", "heen_bericht": "WMO301", "heen_ident": "NOOIT"},
        ):
            conn.execute(text(RIJ), rij)
    engine.dispose()
    migrate(url)
    engine = create_engine(url)
    with engine.connect() as conn:
        gekoppeld = dict(conn.execute(text("SELECT id, heen_id FROM bericht ORDER BY id")).all())
    engine.dispose()
    assert gekoppeld == {1: None, 2: None, 3: 1, 4: None, 5: None}
