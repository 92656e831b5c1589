"""A WMO323 received: judged against the toewijzingen, the contracts and the aanbieder's earlier declaraties,
stored with its verdict per Prestatie, and answered with a WMO325, in one transaction.

In-message faults (the library's validation: conditions, constraints, XSLT rules) reject the whole message
(WMO325 with 0001); cross-message faults (:mod:`services.declaratie.domain.declaratie_regels`) reject the
Prestaties they name, or a Client or the whole Declaratie. The WMO325 holds only the rejected Prestaties
and the amount granted; 8001 when all is granted. The verdict and the answer are stored in the same
transaction as the message: a crash leaves neither, and the same WMO323 delivered again is answered once
(the inbound pipeline deduplicates).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from infra.db import in_values
from infra.inbound import record_verdict
from infra.outbox import queue, set_identificatie
from iwmo.berichten import Bericht as BerichtModel
from iwmo.berichten.declaratie import Wmo323, Wmo325
from iwmo.regels import Fout
from iwmo.retour import RetourOpties, is_niveau2, prestatie_oordelen, retour
from services.declaratie.domain.contracten import Contracten
from services.declaratie.domain.declaratie_regels import Eerder, Geboekt, Toewijzing, beoordeel
from services.declaratie.models import Bericht, Declaratie, Prestatie

#: (aanbieder, ToewijzingNummers, BSN's) -> that aanbieder's toewijzingen by number, and which BSN's are its clients
Toewijzingen = Callable[[str, list[int], list[str]], tuple[dict[int, Toewijzing], set[str]]]


@dataclass(frozen=True)
class Omgeving:
    gemeente: str
    nu: dt.datetime
    contracten: Contracten
    toewijzingen: Toewijzingen


def eerder(session: Session, bericht: Wmo323) -> Eerder:
    """What the aanbieder declared before, as far as this message needs it (its numbers, its references)."""
    aanbieder = bericht.header.afzender
    decl = bericht.declaratie
    prestaties = [p for c in decl.clienten for p in c.prestaties]
    nummers = {p.toewijzing_nummer for p in prestaties}
    referenties = {p.product_referentie.referentie_nummer for p in prestaties}
    gebruikt = set(session.scalars(select(Prestatie.referentienummer).where(
        Prestatie.aanbieder == aanbieder, in_values(session, Prestatie.referentienummer, referenties))))
    geboekt = [Geboekt(p.referentienummer, p.vorig_referentienummer, p.toewijzingnummer, p.categorie, p.code,
                       p.begindatum, p.einddatum, p.volume, p.eenheid, p.debet)
               for p in session.scalars(select(Prestatie).where(
                   Prestatie.aanbieder == aanbieder, in_values(session, Prestatie.toewijzingnummer, nummers),
                   Prestatie.toegekend.is_(True)).order_by(Prestatie.id))]
    dubbel = session.scalars(select(Declaratie.declaratienummer).where(
        Declaratie.aanbieder == aanbieder, Declaratie.declaratienummer == decl.declaratie_nummer)).first()
    laatste = session.scalar(select(func.max(Declaratie.periode_begin)).where(
        Declaratie.aanbieder == aanbieder, Declaratie.status != "afgewezen"))
    return Eerder(declaratienummers={dubbel} if dubbel else set(), laatste_periode=laatste, referenties=gebruikt,
                  geboekt=geboekt)


def _getekend(bedrag: int, debet_credit: str) -> int:
    return -bedrag if debet_credit == "C" else bedrag


def bewaar(session: Session, bericht: Wmo323, row: Bericht, fouten: list[Fout], antwoord: Wmo325) -> Declaratie:
    """The declaratie and each Prestatie with its verdict, the same as the WMO325 says (one judgement:
    :func:`iwmo.retour.prestatie_oordelen`)."""
    decl = bericht.declaratie
    oordelen = prestatie_oordelen(bericht, fouten)
    toegekend = 0
    if oordelen is not None and antwoord.declaratie_antwoord is not None:
        t = antwoord.declaratie_antwoord.totaal_toegekend_bedrag
        toegekend = _getekend(t.totaal_bedrag, t.debet_credit)
    kop = antwoord.declaratie_antwoord.retourcodes if antwoord.declaratie_antwoord else antwoord.header.retourcodes
    codes_geheel = list(kop) if oordelen is None else []
    d = Declaratie(bericht_id=row.id, aanbieder=bericht.header.afzender, declaratienummer=decl.declaratie_nummer,
                   periode_begin=decl.declaratie_periode.begindatum, periode_eind=decl.declaratie_periode.einddatum,
                   dagtekening=decl.declaratie_dagtekening,
                   ingediend=_getekend(decl.totaal_ingediend_bedrag.totaal_bedrag,
                                       decl.totaal_ingediend_bedrag.debet_credit),
                   toegekend=toegekend,
                   status="afgewezen" if oordelen is None else ("deels" if any(oordelen) else "toegekend"),
                   retourcodes=",".join(kop) or None)
    session.add(d)
    session.flush()
    prestaties = [(client.bsn, p) for client in decl.clienten for p in client.prestaties]
    rijen = [_prestatie_rij(d, bsn, p, codes_geheel if oordelen is None else oordelen[i], toegekend=oordelen is not None)
             for i, (bsn, p) in enumerate(prestaties)]
    if rijen:  # one executemany, not an ORM object (and a RETURNING of its id) per Prestatie
        session.execute(insert(Prestatie), rijen)
    return d


def _prestatie_rij(d: Declaratie, bsn: str, p: Any, codes: list[str], *, toegekend: bool) -> dict[str, Any]:
    """The row of one Prestatie with its verdict (``toegekend``: the message was judged per Prestatie)."""
    return {"declaratie_id": d.id, "aanbieder": d.aanbieder, "bsn": bsn,
            "referentienummer": p.product_referentie.referentie_nummer,
            "vorig_referentienummer": p.product_referentie.vorig_referentie_nummer,
            "toewijzingnummer": p.toewijzing_nummer, "categorie": p.product_categorie, "code": p.product_code,
            "begindatum": p.product_periode.begindatum, "einddatum": p.product_periode.einddatum,
            "volume": p.geleverd_volume, "eenheid": p.eenheid, "tarief": p.product_tarief,
            "bedrag": _getekend(p.ingediend_bedrag.bedrag, p.ingediend_bedrag.debet_credit),
            "debet": p.ingediend_bedrag.debet_credit == "D", "toegekend": toegekend and not codes,
            "retourcodes": ",".join(codes) or None}


def verwerk_323(session: Session, model: BerichtModel, row: Any, omg: Omgeving, in_bericht: list[Fout]) -> None:
    """The inbound pipeline's handler for a WMO323."""
    assert isinstance(model, Wmo323)
    fouten = list(in_bericht)
    if not any(is_niveau2(f) for f in fouten):
        nummers = [p.toewijzing_nummer for c in model.declaratie.clienten for p in c.prestaties]
        toewijzingen, clienten = omg.toewijzingen(model.header.afzender, nummers,
                                                  [c.bsn for c in model.declaratie.clienten])
        fouten += beoordeel(model, toewijzingen=toewijzingen, clienten=clienten, contracten=omg.contracten,
                            eerder=eerder(session, model))
    row.status = "verwerkt" if not fouten else "afgekeurd"
    record_verdict(row, fouten)
    antwoord = retour(model, fouten, RetourOpties(identificatie="?", dagtekening=omg.nu.date()))
    assert isinstance(antwoord, Wmo325)
    bewaar(session, model, row, fouten, antwoord)
    queue(session, Bericht(afzender=omg.gemeente, ontvanger=row.afzender, antwoord_op=row.id), antwoord, prefix="D",
          nu=omg.nu, set_identificatie=set_identificatie)
