"""Beschikkingen and the toewijzing lifecycle: grant, extend or shorten, change the omvang, delete.

Every change marks the toewijzingen it touches as changed and queues a WMO301 for the client and
aanbieder in the same transaction (the outbox, see :mod:`services.toewijzing.domain.uitgaand`), so a decision
and its message are stored together or not at all.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import bindparam, select, update
from sqlalchemy.orm import Session
from stdnum.nl import bsn as bsn_check

from infra.errors import DomainError, NotFound
from iwmo import codelijsten
from iwmo.regels.producten import is_verwijderd, zelfde_product
from services.gegevens import ClientGegevens
from services.toewijzing.domain import uitgaand
from services.toewijzing.domain.varianten import (
    Catalogus,
    Omvang,
    OngeldigeVoorziening,
    check_omvang,
    check_product,
)
from services.toewijzing.models import Beschikking, Client, Levering, Teller, Toewijzing, Voorziening


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
        raise DomainError("BSN is ongeldig (geen 9 cijfers of de 11-proef klopt niet).", "bsn") from None


#: built once: every start, stop and request looks its client up
_CLIENT = select(Client).where(Client.bsn == bindparam("bsn"))


def zoek_client(session: Session, bsn: str) -> Client | None:
    return session.scalar(_CLIENT, {"bsn": bsn})


def client_voor(session: Session, *, gegevens: ClientGegevens) -> Client:
    """The client with this BSN, created or brought up to date."""
    bsn = check_bsn(gegevens.bsn)
    if gegevens.geslacht not in codelijsten.codes("COD046"):
        raise DomainError("Geslacht is 0 (onbekend), 1 (man) of 2 (vrouw).", "geslacht")
    client = zoek_client(session, bsn)
    if client is None:
        client = Client(bsn=bsn)
        session.add(client)
    for name, waarde in gegevens.model_dump(exclude={"bsn"}).items():
        setattr(client, name, waarde)
    return client


def check_voorziening(v: VoorzieningInvoer, producten: Catalogus) -> None:
    """Refuse, with a DomainError a consultant understands, what the catalogue or the standard forbids."""
    try:
        check_product(v.categorie, v.code, v.wijze, producten)
        check_omvang(v.wijze, code=v.code, omvang=v.omvang, ingangsdatum=v.ingangsdatum, einddatum=v.einddatum,
                     resultaat=v.resultaat)
    except OngeldigeVoorziening as exc:
        raise DomainError(exc.melding, exc.veld) from None
    if len(v.aanbieder) != 8 or not v.aanbieder.isdigit():
        raise DomainError(f"Aanbieder {v.aanbieder!r} is geen AGB-code van 8 cijfers.", "aanbieder")


def check_omvang_voor(voorziening: Voorziening, *, code: str | None, omvang: Omvang, ingangsdatum: dt.date,
                      einddatum: dt.date | None) -> None:
    """The omvang rules of :func:`check_omvang` for a changed toewijzing of ``voorziening``."""
    try:
        check_omvang(voorziening.wijze, code=code, omvang=omvang, ingangsdatum=ingangsdatum, einddatum=einddatum,
                     resultaat=voorziening.resultaat)
    except OngeldigeVoorziening as exc:
        raise DomainError(exc.melding, exc.veld) from None


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
        raise DomainError("Een beschikking kent minstens één voorziening toe.", "voorzieningen")
    for v in voorzieningen:
        check_voorziening(v, producten)
    client_row = client_voor(session, gegevens=client)
    session.flush()
    check_overlap(session, client=client_row, voorzieningen=voorzieningen)
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
        uitgaand.plan_301(session, gemeente=gemeente, client=client_row, aanbieder=aanbieder, nu=nu)
    return beschikking


def _overlapt(a_begin: dt.date, a_eind: dt.date | None, b_begin: dt.date, b_eind: dt.date | None) -> bool:
    return a_begin <= (b_eind or dt.date.max) and b_begin <= (a_eind or dt.date.max)


def _periode(begin: dt.date, eind: dt.date | None) -> str:
    return f"{begin:%d-%m-%Y} tot en met {eind:%d-%m-%Y}" if eind else f"vanaf {begin:%d-%m-%Y}"


def check_overlap(session: Session, *, client: Client, voorzieningen: list[VoorzieningInvoer]) -> None:
    """TR302 in words a consultant understands: one product is not assigned twice to one aanbieder in
    overlapping periods, neither beside a toewijzing the client has (not deleted) nor within the beschikking.
    All overlaps are named, each with the field of the voorziening at fault."""
    bestaand = session.scalars(select(Toewijzing).where(Toewijzing.client_id == client.id)
                               .order_by(Toewijzing.nummer)).all() if client.id is not None else []
    fouten: list[tuple[str, str]] = []
    for i, v in enumerate(voorzieningen):
        product = v.code or f"categorie {v.categorie}"
        for t in bestaand:
            if (t.aanbieder == v.aanbieder and not is_verwijderd(t.reden_wijziging, t.ingangsdatum, t.einddatum)
                    and zelfde_product(t.categorie, t.code, v.categorie, v.code)
                    and _overlapt(t.ingangsdatum, t.einddatum, v.ingangsdatum, v.einddatum)):
                fouten.append((f"voorzieningen.{i}", f"deze client heeft bij aanbieder {v.aanbieder} al toewijzing "
                               f"{t.nummer} voor {product}, {_periode(t.ingangsdatum, t.einddatum)}: hetzelfde "
                               "product mag niet twee keer in overlappende periodes (TR302); wijzig die "
                               "toewijzing, of laat deze na haar einddatum beginnen"))
        for j, w in enumerate(voorzieningen[:i]):
            if (w.aanbieder == v.aanbieder and zelfde_product(w.categorie, w.code, v.categorie, v.code)
                    and _overlapt(w.ingangsdatum, w.einddatum, v.ingangsdatum, v.einddatum)):
                fouten.append((f"voorzieningen.{i}", f"voorziening {j} kent {product} al toe bij aanbieder "
                               f"{v.aanbieder} in een overlappende periode (TR302)"))
    if fouten:
        raise DomainError(fouten[0][1][0].upper() + fouten[0][1][1:] + ".", fouten[0][0], fouten=fouten)


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
        raise NotFound(f"Toewijzing {nummer} bestaat niet.")
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


#: RedenWijziging (WMO002) that fit a later einddatum, and an earlier one; 12 (initiated by the aanbieder)
#: belongs to granting a verzoek om wijziging, 01 is withdrawn and 13 is for deleting
VERLENGING = {"04", "14"}
VERKORTING = {"02", "03", "05", "06", "07", "08", "09", "10", "11", "14"}


def _check_reden(reden: str, *, toegestaan: set[str], wat: str) -> None:
    if reden == "12":
        raise DomainError("Reden 12 (geinitieerd door de aanbieder) hoort bij het toekennen van een verzoek om "
                         "wijziging (POST /verzoeken/{id}/toekennen), niet bij een wijziging van de gemeente zelf.",
                         "reden")
    if reden not in toegestaan:
        raise DomainError(f"Reden wijziging {reden!r} past niet bij {wat}: gebruik {', '.join(sorted(toegestaan))} "
                         "(WMO002).", "reden")


def _check_overleg(in_overleg: bool) -> None:
    if not in_overleg:
        raise DomainError("Een afgegeven toewijzing wijzigt de gemeente alleen in overleg met de aanbieder (OP033x1). "
                         "Bevestig dat met in_overleg_met_aanbieder: true.", "in_overleg_met_aanbieder")


def _leveringen(session: Session, t: Toewijzing) -> list[Levering]:
    """The starts and stops of ``t`` the aanbieder reported and the gemeente accepted (not deleted since)."""
    return list(session.scalars(select(Levering).where(
        Levering.toewijzing_nummer == t.nummer, Levering.aanbieder == t.aanbieder, Levering.verwijderd.is_(False))))


def geleverd_tot(leveringen: list[Levering], vandaag: dt.date) -> dt.date | None:
    """The last day on which, by the reported starts and stops, support was (or is being) delivered: per
    start the latest einddatum of its stops, or today while it has none. None without any start."""
    tot = None
    for start in (lev for lev in leveringen if lev.soort == "start"):
        stops = [lev.einddatum for lev in leveringen if lev.soort == "stop" and lev.begindatum == start.begindatum
                 and lev.einddatum is not None]
        einde = max(stops) if stops else max(vandaag, start.begindatum)
        tot = einde if tot is None else max(tot, einde)
    return tot


def wijzig_einddatum(session: Session, *, gemeente: str, nummer: int, einddatum: dt.date, nu: dt.datetime,
                     reden: str | None = None, in_overleg: bool = False) -> Toewijzing:
    """Extend (oprekken, reason 04 by default) or shorten (inkorten, reason 05 by default) a toewijzing
    on the same ToewijzingNummer, in consultation with the aanbieder (OP033x1). A shortening may not take
    away support already delivered (UP031): not before the last day the starts and stops cover."""
    t = toewijzing(session, nummer=nummer)
    if t.reden_wijziging == "13":
        raise DomainError(f"Toewijzing {nummer} is verwijderd en kan niet meer wijzigen.")
    if einddatum <= t.ingangsdatum:
        raise DomainError(f"De nieuwe einddatum moet na de ingangsdatum ({t.ingangsdatum:%d-%m-%Y}) liggen; "
                         "verwijder de toewijzing als zij nooit had mogen bestaan.", "einddatum")
    if t.einddatum == einddatum:
        raise DomainError(f"Toewijzing {nummer} eindigt al op {einddatum:%d-%m-%Y}.", "einddatum")
    langer = t.einddatum is not None and einddatum > t.einddatum  # an open end given a date: shorter
    if langer and t.einddatum is not None and t.einddatum < nu.date():
        raise DomainError(f"Toewijzing {nummer} is al op {t.einddatum:%d-%m-%Y} verlopen; oprekken kan alleen zolang "
                         "zij loopt. Geef een nieuwe toewijzing af.", "einddatum")
    reden = reden or ("04" if langer else "05")
    _check_reden(reden, toegestaan=VERLENGING if langer else VERKORTING,
                 wat="een latere einddatum" if langer else "een eerdere einddatum")
    _check_overleg(in_overleg)
    if not langer:
        tot = geleverd_tot(_leveringen(session, t), nu.date())
        if tot is not None and einddatum < tot:
            raise DomainError(f"De aanbieder levert op deze toewijzing tot en met {tot:%d-%m-%Y} (gemelde start en "
                             f"stop); een eerdere einddatum maakt geleverde ondersteuning onrechtmatig (UP031).",
                             "einddatum")
    _check_geen_overlap(session, t, t.ingangsdatum, einddatum)
    t.einddatum = einddatum
    markeer_gewijzigd(t, reden, nu)
    uitgaand.plan_301(session, gemeente=gemeente, client=session.get_one(Client, t.client_id), aanbieder=t.aanbieder,
                    nu=nu)
    return t


def _check_geen_overlap(session: Session, t: Toewijzing, begin: dt.date, eind: dt.date | None) -> None:
    """TR302: the same product for this client and aanbieder may not run twice at once (the same reading
    of "the same product" as the in-message rule)."""
    for ander in session.scalars(select(Toewijzing).where(
            Toewijzing.client_id == t.client_id, Toewijzing.aanbieder == t.aanbieder, Toewijzing.id != t.id)):
        if not zelfde_product(t.categorie, t.code, ander.categorie, ander.code):
            continue
        if is_verwijderd(ander.reden_wijziging, ander.ingangsdatum, ander.einddatum):
            continue
        if begin <= (ander.einddatum or dt.date.max) and ander.ingangsdatum <= (eind or dt.date.max):
            raise DomainError(f"Toewijzing {ander.nummer} geeft hetzelfde product vanaf {ander.ingangsdatum:%d-%m-%Y}; "
                             "de periodes mogen niet overlappen (TR302).", "einddatum")


def _in_plaats(t: Toewijzing, omvang: Omvang) -> bool:
    """A budget, or a total over the toewijzing's period in the same unit, changes on the same number from
    its Ingangsdatum (WMO002 code 05, OP033x1, IV093); any other omvang needs a new toewijzing."""
    if t.budget is not None and omvang.budget is not None:
        return True
    return t.frequentie == "6" and omvang.frequentie == "6" and t.eenheid == omvang.eenheid


def wijzig_omvang(session: Session, *, gemeente: str, nummer: int, per: dt.date | None, omvang: Omvang,
                  nu: dt.datetime, reden: str | None = None, in_overleg: bool = False) -> Toewijzing:
    """A changed budget, or a changed total within the period (frequentie 6, same unit), changes the
    toewijzing itself from its Ingangsdatum, with the caller's ``reden``. Any other changed volume, unit
    or frequency is a new toewijzing: the current one ends the day before ``per`` (reason 05) and a new
    ToewijzingNummer carries the new omvang from ``per``. Both only in consultation with the aanbieder
    (OP033x1). Returns the toewijzing that carries the new omvang."""
    t = toewijzing(session, nummer=nummer)
    voorziening = session.get_one(Voorziening, t.voorziening_id)
    if t.reden_wijziging == "13":
        raise DomainError(f"Toewijzing {nummer} is verwijderd en kan niet meer wijzigen.")
    if Omvang(t.volume, t.eenheid, t.frequentie, t.budget) == omvang:
        raise DomainError(f"Toewijzing {nummer} heeft deze omvang al.", "omvang")
    client = session.get_one(Client, t.client_id)
    if _in_plaats(t, omvang):
        if per is not None and per != t.ingangsdatum:
            raise DomainError(f"Een budget of totaal wijzigt vanaf de ingangsdatum van de toewijzing "
                             f"({t.ingangsdatum:%d-%m-%Y}), op hetzelfde ToewijzingNummer (IV093); laat 'per' weg.",
                             "per")
        check_omvang_voor(voorziening, code=t.code, omvang=omvang, ingangsdatum=t.ingangsdatum, einddatum=t.einddatum)
        if reden is None:
            raise DomainError("Geef de reden van de wijziging (RedenWijziging, WMO002), bijvoorbeeld 14 bij een "
                             "administratieve correctie.", "reden")
        _check_reden(reden, toegestaan=VERLENGING | VERKORTING, wat="een gewijzigd budget of totaal")
        _check_overleg(in_overleg)
        t.volume, t.eenheid, t.frequentie, t.budget = omvang.volume, omvang.eenheid, omvang.frequentie, omvang.budget
        markeer_gewijzigd(t, reden, nu)
        uitgaand.plan_301(session, gemeente=gemeente, client=client, aanbieder=t.aanbieder, nu=nu)
        return t
    if per is None or per <= t.ingangsdatum or (t.einddatum is not None and per > t.einddatum):
        raise DomainError(f"De nieuwe omvang moet ingaan na de ingangsdatum ({t.ingangsdatum:%d-%m-%Y}) en binnen de "
                         "looptijd van de toewijzing.", "per")
    if reden is not None and reden != "05":
        raise DomainError("Een andere omvang beeindigt de toewijzing met reden 05 (WMO002) en geeft een nieuwe af.",
                         "reden")
    check_omvang_voor(voorziening, code=t.code, omvang=omvang, ingangsdatum=per, einddatum=t.einddatum)
    _check_overleg(in_overleg)
    einddatum = t.einddatum
    t.einddatum = per - dt.timedelta(days=1)
    markeer_gewijzigd(t, "05", nu)
    nieuw = nieuwe_toewijzing(session, voorziening=voorziening, client=client, ingangsdatum=per, einddatum=einddatum,
                              omvang=omvang, commentaar=t.commentaar, nu=nu)
    uitgaand.plan_301(session, gemeente=gemeente, client=client, aanbieder=t.aanbieder, nu=nu)
    return nieuw


def verwijder(session: Session, *, gemeente: str, nummer: int, nu: dt.datetime) -> Toewijzing:
    """Withdraw a toewijzing that should never have been sent: Einddatum = Ingangsdatum, reason 13. Not
    while the aanbieder has a start on it: deleting would leave that support without a toewijzing (UP031)."""
    t = toewijzing(session, nummer=nummer)
    if t.reden_wijziging == "13":
        raise DomainError(f"Toewijzing {nummer} is al verwijderd.")
    if any(lev.soort == "start" for lev in _leveringen(session, t)):
        raise DomainError(f"De aanbieder heeft een start gemeld op toewijzing {nummer}: verwijderen (reden 13) kan pas "
                         "als hij die heeft ingetrokken (WMO305 met StatusAanlevering 3). Beeindig de toewijzing "
                         "anders met een einddatum.")
    t.einddatum = t.ingangsdatum
    markeer_gewijzigd(t, "13", nu)
    uitgaand.plan_301(session, gemeente=gemeente, client=session.get_one(Client, t.client_id), aanbieder=t.aanbieder,
                    nu=nu)
    return t
