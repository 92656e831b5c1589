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

# built once (every start and stop runs them): the client's toewijzingen at the aanbieder, and its deliveries
_TOEWIJZINGEN = (select(Toewijzing, Client.bsn).join(Client, Client.id == Toewijzing.client_id)
                 .where(Client.bsn == bindparam("bsn"), Toewijzing.aanbieder == bindparam("aanbieder")))
_EERDER = (select(Levering).where(Levering.aanbieder == bindparam("aanbieder"), Levering.bsn == bindparam("bsn"),
                                  Levering.verwijderd.is_(False)).order_by(Levering.id))


def _toewijzingen(session: Session, *, bsn: str, aanbieder: str
                  ) -> tuple[dict[int, startstop_regels.Toewijzing], int | None]:
    """The client's toewijzingen at the aanbieder, and the client's id when it has any."""
    rows = session.execute(_TOEWIJZINGEN, {"bsn": bsn, "aanbieder": aanbieder}).all()
    return ({t.nummer: startstop_regels.Toewijzing(t.nummer, bsn, t.aanbieder, t.categorie, t.code, t.ingangsdatum,
                                                   t.einddatum)
             for t, bsn in rows if t.reden_wijziging != "13"},  # a deleted toewijzing counts as never sent
            rows[0][0].client_id if rows else None)


def _eerder(session: Session, *, bsn: str, aanbieder: str) -> dict[startstop_regels.Levering, Levering]:
    rows = session.scalars(_EERDER, {"aanbieder": aanbieder, "bsn": bsn}).all()
    return {startstop_regels.Levering(cast(Literal["start", "stop"], r.soort), r.bsn, r.aanbieder, r.toewijzing_nummer, r.categorie, r.code,
                               r.begindatum, r.reden_beeindiging, r.einddatum, r.verwijderd): r for r in rows}


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
                eerder[weg].verwijderd = True
            for lev in beoordeling.nieuw:
                session.add(Levering(**{f.name: getattr(lev, f.name) for f in dataclasses.fields(lev)},
                                     bericht_id=row.id))
    if client_id is None:  # no toewijzing at this aanbieder (or not looked up): the client may exist all the same
        with session.no_autoflush:
            client = beschikking.zoek_client(session, bsn)
        client_id = client.id if client else None
    row.client_id = client_id
    uitgaand.beantwoord(session, heen=model, fouten=fouten, rij=row, gemeente=omg.gemeente, nu=omg.nu)
