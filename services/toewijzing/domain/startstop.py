"""Start (WMO305) and stop (WMO307): judged against the stored state, answered with WMO306/WMO308.

In-message faults (conditions, constraints, XSLT rules) give the retour with 0001; cross-message
faults (:mod:`services.toewijzing.domain.startstop_regels`) the retour with the rule's code on its StartProduct or
StopProduct. Either way nothing changes; only a fully approved message is stored as leveringen.
"""

from __future__ import annotations

import dataclasses
from typing import Literal, cast

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from iwmo.berichten import Bericht as BerichtModel
from iwmo.berichten.start_stop import Wmo305, Wmo307
from iwmo.regels import Fout
from services.toewijzing.domain import beschikking, startstop_regels, uitgaand
from services.toewijzing.domain.omgeving import Omgeving
from services.toewijzing.models import Bericht, Client, Levering, Toewijzing

# built once (every start and stop runs them), on the tables (plain rows, no ORM objects: the cheapest reads):
# the client's toewijzingen at the aanbieder, and its deliveries
_T, _C, _L = Toewijzing.__table__.c, Client.__table__.c, Levering.__table__.c
_TOEWIJZINGEN = (select(_T.nummer, _T.aanbieder, _T.categorie, _T.code, _T.ingangsdatum, _T.einddatum,
                        _T.reden_wijziging, _T.client_id)
                 .join_from(Toewijzing.__table__, Client.__table__, _C.id == _T.client_id)
                 .where(_C.bsn == bindparam("bsn"), _T.aanbieder == bindparam("aanbieder")))
_EERDER = (select(_L.id, _L.soort, _L.bsn, _L.aanbieder, _L.toewijzing_nummer, _L.categorie, _L.code, _L.begindatum,
                  _L.reden_beeindiging, _L.einddatum, _L.verwijderd)
           .where(_L.aanbieder == bindparam("aanbieder"), _L.bsn == bindparam("bsn"), _L.verwijderd.is_(False))
           .order_by(_L.id))


def _toewijzingen(session: Session, *, bsn: str, aanbieder: str
                  ) -> tuple[dict[int, startstop_regels.Toewijzing], int | None]:
    """The client's toewijzingen at the aanbieder, and the client's id when it has any."""
    rows = session.execute(_TOEWIJZINGEN, {"bsn": bsn, "aanbieder": aanbieder}).all()
    return ({t.nummer: startstop_regels.Toewijzing(t.nummer, bsn, t.aanbieder, t.categorie, t.code, t.ingangsdatum,
                                                   t.einddatum)
             for t in rows if t.reden_wijziging != "13"},  # a deleted toewijzing counts as never sent
            rows[0].client_id if rows else None)


def _eerder(session: Session, *, bsn: str, aanbieder: str) -> dict[startstop_regels.Levering, int]:
    """The client's deliveries at the aanbieder, each with its row's id."""
    rows = session.execute(_EERDER, {"aanbieder": aanbieder, "bsn": bsn}).all()
    return {startstop_regels.Levering(cast(Literal["start", "stop"], r.soort), r.bsn, r.aanbieder, r.toewijzing_nummer,
                                      r.categorie, r.code, r.begindatum, r.reden_beeindiging, r.einddatum,
                                      r.verwijderd): r.id for r in rows}


def verwerk_start_stop(session: Session, model: BerichtModel, row: Bericht, omg: Omgeving,
                       in_bericht: list[Fout]) -> None:
    assert isinstance(model, Wmo305 | Wmo307)
    aanbieder, bsn = model.header.afzender, model.client.bsn
    fouten = list(in_bericht)
    client_id = None
    if not fouten:
        # what this message is about (the client's BSN: Pipeline.sleutels) is written already; the rest of
        # the batch need not be written for these reads
        with session.no_autoflush:
            eerder = _eerder(session, bsn=bsn, aanbieder=aanbieder)
            toewijzingen, client_id = _toewijzingen(session, bsn=bsn, aanbieder=aanbieder)
        if isinstance(model, Wmo305):
            beoordeling = startstop_regels.beoordeel_start(model, aanbieder=aanbieder, toewijzingen=toewijzingen,
                                                           eerder=list(eerder))
        else:
            beoordeling = startstop_regels.beoordeel_stop(model, aanbieder=aanbieder, toewijzingen=toewijzingen,
                                                          eerder=list(eerder))
        fouten = beoordeling.fouten
        if not fouten:
            for weg in beoordeling.verwijderd:
                levering = session.get(Levering, eerder[weg])
                assert levering is not None  # read a moment ago in this transaction
                levering.verwijderd = True
            for lev in beoordeling.nieuw:
                session.add(Levering(**{f.name: getattr(lev, f.name) for f in dataclasses.fields(lev)},
                                     bericht_id=row.id))
    if client_id is None:  # no toewijzing at this aanbieder (or not looked up): the client may exist all the same
        with session.no_autoflush:
            client = beschikking.zoek_client(session, bsn)
        client_id = client.id if client else None
    row.client_id = client_id
    uitgaand.beantwoord(session, heen=model, fouten=fouten, rij=row, gemeente=omg.gemeente, nu=omg.nu)
