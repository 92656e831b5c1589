"""Beschikkingen and the toewijzing lifecycle: grant, extend or shorten, change the omvang, delete.

Every change marks the toewijzingen it touches as changed and queues a WMO301 for the client and
aanbieder in the same transaction (the outbox, see :mod:`services.toewijzing.outbox`), so a decision
and its message are stored together or not at all.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import select, update
from sqlalchemy.orm import Session
from stdnum.nl import bsn as bsn_check

from iwmo import codelijsten
from services.common.errors import DomeinFout, NietGevonden
from services.toewijzing import outbox
from services.toewijzing.models import Beschikking, Client, Teller, Toewijzing, Voorziening
from services.toewijzing.varianten import Catalogus, Omvang, OngeldigeVoorziening, check_omvang, check_product


@dataclass(frozen=True)
class ClientGegevens:
    bsn: str
    geboortedatum: dt.date
    geslacht: str
    achternaam: str
    postcode: str
    huisnummer: int
    voorvoegsel: str | None = None
    voorletters: str | None = None
    straatnaam: str | None = None
    plaatsnaam: str | None = None


@dataclass(frozen=True)
class VoorzieningInvoer:
    wijze: str  # uren | resultaat
    categorie: str
    code: str | None
    aanbieder: str
    ingangsdatum: dt.date
    einddatum: dt.date | None
    omvang: Omvang = field(default_factory=Omvang)
    resultaat: str | None = None
    commentaar: str | None = None
    #: set when the voorziening honours a request (WMO315/WMO317): goes into the WMO301 (TR379)
    referentie_aanbieder: str | None = None


def check_bsn(bsn: str) -> str:
    """The 11-proef (python-stdnum); fictitious test numbers pass it too."""
    try:
        return str(bsn_check.validate(bsn))
    except Exception:
        raise DomeinFout(f"BSN {bsn!r} is ongeldig (geen 9 cijfers of de 11-proef klopt niet).", "bsn") from None


def zoek_client(session: Session, bsn: str) -> Client | None:
    return session.scalar(select(Client).where(Client.bsn == bsn))


def client_voor(session: Session, *, gegevens: ClientGegevens) -> Client:
    """The client with this BSN, created or brought up to date."""
    bsn = check_bsn(gegevens.bsn)
    if gegevens.geslacht not in codelijsten.codes("COD046"):
        raise DomeinFout("Geslacht is 0 (onbekend), 1 (man) of 2 (vrouw).", "geslacht")
    client = zoek_client(session, bsn)
    if client is None:
        client = Client(bsn=bsn)
        session.add(client)
    for name in ("geboortedatum", "geslacht", "achternaam", "postcode", "huisnummer", "voorvoegsel", "voorletters",
                 "straatnaam", "plaatsnaam"):
        setattr(client, name, getattr(gegevens, name))
    return client


def check_voorziening(v: VoorzieningInvoer, producten: Catalogus) -> None:
    """Refuse, with a DomeinFout a consultant understands, what the catalogue or the standard forbids."""
    try:
        check_product(v.categorie, v.code, v.wijze, producten)
        check_omvang(v.wijze, code=v.code, omvang=v.omvang, ingangsdatum=v.ingangsdatum, einddatum=v.einddatum,
                     resultaat=v.resultaat)
    except OngeldigeVoorziening as exc:
        raise DomeinFout(exc.melding, exc.veld) from None
    if len(v.aanbieder) != 8 or not v.aanbieder.isdigit():
        raise DomeinFout(f"Aanbieder {v.aanbieder!r} is geen AGB-code van 8 cijfers.", "aanbieder")


def check_omvang_voor(voorziening: Voorziening, *, code: str | None, omvang: Omvang, ingangsdatum: dt.date,
                      einddatum: dt.date | None) -> None:
    """The omvang rules of :func:`check_omvang` for a changed toewijzing of ``voorziening``."""
    try:
        check_omvang(voorziening.wijze, code=code, omvang=omvang, ingangsdatum=ingangsdatum, einddatum=einddatum,
                     resultaat=voorziening.resultaat)
    except OngeldigeVoorziening as exc:
        raise DomeinFout(exc.melding, exc.veld) from None


def _nieuw_nummer(session: Session) -> int:
    """The next ToewijzingNummer (TR332: unique within the gemeente). The counter row stays locked until
    the transaction ends, so concurrent beschikkingen wait for each other instead of colliding."""
    return int(session.execute(update(Teller).where(Teller.naam == "toewijzingnummer")
                               .values(waarde=Teller.waarde + 1).returning(Teller.waarde)).scalar_one())


def beschik(session: Session, *, gemeente: str, client: ClientGegevens, besluitdatum: dt.date,
            voorzieningen: list[VoorzieningInvoer], nu: dt.datetime, producten: Catalogus,
            kenmerk: str | None = None, verstuur: bool = True) -> Beschikking:
    """Record a beschikking, assign each voorziening with a new toewijzing and queue the WMO301s
    (unless ``verstuur`` is false: then the caller queues them with its other changes).

    Everything is checked before anything is stored; the caller commits.
    """
    if not voorzieningen:
        raise DomeinFout("Een beschikking kent minstens één voorziening toe.", "voorzieningen")
    for v in voorzieningen:
        check_voorziening(v, producten)
    client_row = client_voor(session, gegevens=client)
    session.flush()
    beschikking = Beschikking(client_id=client_row.id, besluitdatum=besluitdatum, kenmerk=kenmerk)
    session.add(beschikking)
    session.flush()
    for v in voorzieningen:
        voorziening = Voorziening(beschikking_id=beschikking.id, wijze=v.wijze, categorie=v.categorie, code=v.code,
                                  aanbieder=v.aanbieder, resultaat=v.resultaat)
        session.add(voorziening)
        session.flush()
        nieuwe_toewijzing(session, voorziening=voorziening, client=client_row, ingangsdatum=v.ingangsdatum,
                          einddatum=v.einddatum, omvang=v.omvang, commentaar=v.commentaar, nu=nu,
                          referentie_aanbieder=v.referentie_aanbieder)
    for aanbieder in sorted({v.aanbieder for v in voorzieningen} if verstuur else ()):
        outbox.plan_301(session, gemeente=gemeente, client=client_row, aanbieder=aanbieder, nu=nu)
    return beschikking


def nieuwe_toewijzing(session: Session, *, voorziening: Voorziening, client: Client, ingangsdatum: dt.date,
                einddatum: dt.date | None, omvang: Omvang, commentaar: str | None, nu: dt.datetime,
                referentie_aanbieder: str | None = None) -> Toewijzing:
    t = Toewijzing(nummer=_nieuw_nummer(session), voorziening_id=voorziening.id, client_id=client.id,
                   aanbieder=voorziening.aanbieder, categorie=voorziening.categorie, code=voorziening.code,
                   ingangsdatum=ingangsdatum, einddatum=einddatum, volume=omvang.volume, eenheid=omvang.eenheid,
                   frequentie=omvang.frequentie, budget=omvang.budget, commentaar=commentaar,
                   referentie_aanbieder=referentie_aanbieder, toewijzingsdatum=nu.date(),
                   toewijzingstijd=nu.time().replace(microsecond=0), gewijzigd=True)
    session.add(t)
    session.flush()
    return t


def toewijzing(session: Session, *, nummer: int) -> Toewijzing:
    t = session.scalar(select(Toewijzing).where(Toewijzing.nummer == nummer))
    if t is None:
        raise NietGevonden(f"Toewijzing {nummer} bestaat niet.")
    return t


def markeer_gewijzigd(t: Toewijzing, reden: str, nu: dt.datetime, *, referentie_aanbieder: str | None = None) -> None:
    """A changed toewijzing: new RedenWijziging and toewijzingsdatum/-tijd, to go in the next WMO301, no
    answer from the aanbieder yet. ``referentie_aanbieder``: the request it honours (none when the gemeente
    changes it on its own initiative)."""
    t.reden_wijziging = reden
    t.toewijzingsdatum = nu.date()
    t.toewijzingstijd = nu.time().replace(microsecond=0)
    t.gewijzigd = True
    t.oordeel_aanbieder = None
    t.retourcodes = None
    t.referentie_aanbieder = referentie_aanbieder


def _check_reden(reden: str) -> None:
    if reden not in codelijsten.codes("WMO002") or reden in ("01", "13"):
        raise DomeinFout(f"Reden wijziging {reden!r} is niet toegestaan: gebruik een code uit WMO002 behalve 01 "
                         "(vervallen) en 13 (alleen voor verwijderen).", "reden")


def wijzig_einddatum(session: Session, *, gemeente: str, nummer: int, einddatum: dt.date, nu: dt.datetime,
                     reden: str | None = None) -> Toewijzing:
    """Extend (oprekken, reason 04 by default) or shorten (inkorten, reason 05 by default) a toewijzing
    on the same ToewijzingNummer."""
    t = toewijzing(session, nummer=nummer)
    if t.reden_wijziging == "13":
        raise DomeinFout(f"Toewijzing {nummer} is verwijderd en kan niet meer wijzigen.")
    if einddatum <= t.ingangsdatum:
        raise DomeinFout(f"De nieuwe einddatum moet na de ingangsdatum ({t.ingangsdatum:%d-%m-%Y}) liggen; "
                         "verwijder de toewijzing als zij nooit had mogen bestaan.", "einddatum")
    if t.einddatum == einddatum:
        raise DomeinFout(f"Toewijzing {nummer} eindigt al op {einddatum:%d-%m-%Y}.", "einddatum")
    langer = t.einddatum is not None and einddatum > t.einddatum
    if langer and t.einddatum is not None and t.einddatum < nu.date():
        raise DomeinFout(f"Toewijzing {nummer} is al op {t.einddatum:%d-%m-%Y} verlopen; oprekken kan alleen zolang "
                         "zij loopt. Geef een nieuwe toewijzing af.", "einddatum")
    reden = reden or ("04" if langer else "05")
    _check_reden(reden)
    t.einddatum = einddatum
    markeer_gewijzigd(t, reden, nu)
    outbox.plan_301(session, gemeente=gemeente, client=session.get_one(Client, t.client_id), aanbieder=t.aanbieder,
                    nu=nu)
    return t


def wijzig_omvang(session: Session, *, gemeente: str, nummer: int, per: dt.date, omvang: Omvang,
                  nu: dt.datetime) -> Toewijzing:
    """A changed volume, unit or frequency is a new toewijzing: the current one ends the day before
    ``per`` (reason 05) and a new ToewijzingNummer carries the new omvang from ``per``. Returns the new one."""
    t = toewijzing(session, nummer=nummer)
    voorziening = session.get_one(Voorziening, t.voorziening_id)
    if t.reden_wijziging == "13":
        raise DomeinFout(f"Toewijzing {nummer} is verwijderd en kan niet meer wijzigen.")
    if per <= t.ingangsdatum or (t.einddatum is not None and per > t.einddatum):
        raise DomeinFout(f"De nieuwe omvang moet ingaan na de ingangsdatum ({t.ingangsdatum:%d-%m-%Y}) en binnen de "
                         "looptijd van de toewijzing.", "per")
    check_omvang_voor(voorziening, code=t.code, omvang=omvang, ingangsdatum=per, einddatum=t.einddatum)
    if Omvang(t.volume, t.eenheid, t.frequentie, t.budget) == omvang:
        raise DomeinFout(f"Toewijzing {nummer} heeft deze omvang al.", "omvang")
    einddatum = t.einddatum
    t.einddatum = per - dt.timedelta(days=1)
    markeer_gewijzigd(t, "05", nu)
    client = session.get_one(Client, t.client_id)
    nieuw = nieuwe_toewijzing(session, voorziening=voorziening, client=client, ingangsdatum=per, einddatum=einddatum,
                        omvang=omvang, commentaar=t.commentaar, nu=nu)
    outbox.plan_301(session, gemeente=gemeente, client=client, aanbieder=t.aanbieder, nu=nu)
    return nieuw


def verwijder(session: Session, *, gemeente: str, nummer: int, nu: dt.datetime) -> Toewijzing:
    """Withdraw a toewijzing that should never have been sent: Einddatum = Ingangsdatum, reason 13."""
    t = toewijzing(session, nummer=nummer)
    if t.reden_wijziging == "13":
        raise DomeinFout(f"Toewijzing {nummer} is al verwijderd.")
    t.einddatum = t.ingangsdatum
    markeer_gewijzigd(t, "13", nu)
    outbox.plan_301(session, gemeente=gemeente, client=session.get_one(Client, t.client_id), aanbieder=t.aanbieder,
                    nu=nu)
    return t
