"""Start (WMO305) and stop (WMO307): judged against the stored state, answered with WMO306/WMO308.

In-message faults (conditions, constraints, XSLT rules) give the retour with 0001; cross-message
faults (:mod:`services.toewijzing.domain.startstop_regels`) the retour with the rule's code on its StartProduct or
StopProduct. Either way nothing changes; only a fully approved message is stored as leveringen.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import Any, Literal, cast

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from infra.inbound import MIS, Voorraad
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
# the same for many clients at once (a collected batch: vooraf)
_PER_STATEMENT = 500
_TOEWIJZINGEN_VAN = (select(_C.bsn, *_TOEWIJZINGEN.selected_columns)
                     .join_from(Toewijzing.__table__, Client.__table__, _C.id == _T.client_id)
                     .where(_C.bsn.in_(bindparam("bsns", expanding=True)),
                            _T.aanbieder.in_(bindparam("aanbieders", expanding=True))))
_EERDER_VAN = (select(*_EERDER.selected_columns)
               .where(_L.bsn.in_(bindparam("bsns", expanding=True)),
                      _L.aanbieder.in_(bindparam("aanbieders", expanding=True)), _L.verwijderd.is_(False))
               .order_by(_L.id))


def _toewijzingen_uit(rows: Sequence[Any], bsn: str) -> tuple[dict[int, startstop_regels.Toewijzing], int | None]:
    return ({t.nummer: startstop_regels.Toewijzing(t.nummer, bsn, t.aanbieder, t.categorie, t.code, t.ingangsdatum,
                                                   t.einddatum)
             for t in rows if t.reden_wijziging != "13"},  # a deleted toewijzing counts as never sent
            rows[0].client_id if rows else None)


def _eerder_uit(rows: Sequence[Any]) -> dict[startstop_regels.Levering, int]:
    return {startstop_regels.Levering(cast(Literal["start", "stop"], r.soort), r.bsn, r.aanbieder, r.toewijzing_nummer,
                                      r.categorie, r.code, r.begindatum, r.reden_beeindiging, r.einddatum,
                                      r.verwijderd): r.id for r in rows}


def _toewijzingen(session: Session, *, bsn: str, aanbieder: str
                  ) -> tuple[dict[int, startstop_regels.Toewijzing], int | None]:
    """The client's toewijzingen at the aanbieder, and the client's id when it has any."""
    gelezen = _vooraf_gelezen(session, bsn, ("toewijzingen", aanbieder))
    if gelezen is not MIS:
        return cast(tuple[dict[int, startstop_regels.Toewijzing], int | None], gelezen)
    return _toewijzingen_uit(session.execute(_TOEWIJZINGEN, {"bsn": bsn, "aanbieder": aanbieder}).all(), bsn)


def _eerder(session: Session, *, bsn: str, aanbieder: str) -> dict[startstop_regels.Levering, int]:
    """The client's deliveries at the aanbieder, each with its row's id."""
    gelezen = _vooraf_gelezen(session, bsn, ("eerder", aanbieder))
    if gelezen is not MIS:
        return cast(dict[startstop_regels.Levering, int], gelezen)
    return _eerder_uit(session.execute(_EERDER, {"aanbieder": aanbieder, "bsn": bsn}).all())


def _vooraf_gelezen(session: Session, bsn: str, wat: tuple[str, str]) -> Any:
    voorraad = Voorraad.van(session)
    return MIS if voorraad is None else voorraad.neem(("bsn", bsn), wat)


def vooraf(session: Session, modellen: Sequence[BerichtModel], voorraad: Voorraad) -> None:
    """For a collected batch: the toewijzingen and deliveries of every client that a start or stop in it is
    about, at its aanbieder, read in two statements per 500 clients (:func:`infra.inbound.receive_many`)."""
    paren = {(m.client.bsn, m.header.afzender) for m in modellen if isinstance(m, Wmo305 | Wmo307)}
    bsns = sorted({bsn for bsn, _aanbieder in paren})
    aanbieders = sorted({aanbieder for _bsn, aanbieder in paren})
    toewijzingen: dict[tuple[str, str], list[Any]] = {paar: [] for paar in paren}
    eerder: dict[tuple[str, str], list[Any]] = {paar: [] for paar in paren}
    for i in range(0, len(bsns), _PER_STATEMENT):
        deel = {"bsns": bsns[i:i + _PER_STATEMENT], "aanbieders": aanbieders}
        for t in session.execute(_TOEWIJZINGEN_VAN, deel):
            toewijzingen.get((t.bsn, t.aanbieder), []).append(t)
        for r in session.execute(_EERDER_VAN, deel):
            eerder.get((r.bsn, r.aanbieder), []).append(r)
    for bsn, aanbieder in paren:
        voorraad.zet(("bsn", bsn), ("toewijzingen", aanbieder), _toewijzingen_uit(toewijzingen[bsn, aanbieder], bsn))
        voorraad.zet(("bsn", bsn), ("eerder", aanbieder), _eerder_uit(eerder[bsn, aanbieder]))


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
