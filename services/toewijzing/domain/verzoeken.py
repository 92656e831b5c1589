"""Requests from aanbieders: WMO315 (verzoek om toewijzing) and WMO317 (verzoek om wijziging).

On arrival a request is judged technically (in-message rules, then the cross-message rules of
:mod:`services.toewijzing.domain.verzoeken_regels`) and answered with its retour (WMO316, WMO318). What passes
becomes a :class:`~services.toewijzing.models.Verzoek`: one per AangevraagdProduct of a WMO315 (each
has its own ReferentieAanbieder and is judged on its own), one for a whole WMO317 (judged as a whole,
IV093). The gemeente's policy (:mod:`services.toewijzing.domain.beleid`) then grants it (a WMO301 carrying the
ReferentieAanbieder), refuses it (a WMO319 with VerzoekAntwoord 1 and a RedenAfwijzingVerzoek) or
leaves it in the work queue, where a medewerker decides with :func:`ken_toe`, :func:`wijs_af` or
:func:`in_onderzoek` (VerzoekAntwoord 2, once).

Every grant is planned completely before anything changes, so a request that cannot be granted as
asked (a combination the standard or the catalogue refuses, an unknown client) changes nothing: the
policy then leaves it in the work queue with the reason, and a medewerker gets a 422 with it.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from infra.errors import DomainError, NotFound
from infra.outbox import set_identificatie
from iwmo import codelijsten
from iwmo.berichten import Bericht as BerichtModel
from iwmo.berichten.basis import Omvang as OmvangXml
from iwmo.berichten.header import Header
from iwmo.berichten.verzoek import AangevraagdProduct, Antwoord, Wmo315, Wmo317, Wmo319
from iwmo.regels import Fout
from iwmo.xml import from_xml
from services.gegevens import ClientGegevens
from services.toewijzing.domain import beschikking, uitgaand, verzoeken_regels
from services.toewijzing.domain.beleid import Aanvraag, Advies
from services.toewijzing.domain.omgeving import Omgeving
from services.toewijzing.domain.varianten import Catalogus, Omvang
from services.toewijzing.models import Bericht, Client, Toewijzing, Verzoek, Voorziening

OPEN = ("open", "in-onderzoek")
AFGEWEZEN, IN_ONDERZOEK = "1", "2"


def omvang_van(omvang: OmvangXml | None, budget: int | None) -> Omvang:
    if omvang is None:
        return Omvang(budget=budget)
    return Omvang(omvang.volume, omvang.eenheid, omvang.frequentie, budget)


def wijze_van(omvang: Omvang) -> str:
    """Output units (82, 83) and a budget are a resultaat; time units are uren."""
    return "resultaat" if omvang.budget is not None or omvang.eenheid in ("82", "83") else "uren"


# --- arrival -------------------------------------------------------------------------------------

def _stand(session: Session, *, bsn: str, aanbieder: str, vandaag: dt.date) -> verzoeken_regels.Stand:
    client = beschikking.zoek_client(session, bsn)
    toewijzingen: tuple[verzoeken_regels.Toewijzing, ...] = ()
    if client is not None:
        rows = session.scalars(select(Toewijzing).where(Toewijzing.client_id == client.id,
                                                        Toewijzing.aanbieder == aanbieder)).all()
        toewijzingen = tuple(verzoeken_regels.Toewijzing(
            t.nummer, t.categorie, t.code, t.ingangsdatum, t.einddatum, t.volume, t.eenheid, t.frequentie, t.budget,
            t.reden_wijziging) for t in rows)
    verzoeken = session.execute(select(Verzoek.referentie_aanbieder, Verzoek.bsn, Verzoek.status)
                                .where(Verzoek.aanbieder == aanbieder)).all()
    return verzoeken_regels.Stand(
        vandaag=vandaag, client_bekend=client is not None, toewijzingen=toewijzingen,
        referenties=frozenset(r for r, _, _ in verzoeken),
        onderhanden=tuple(r for r, b, status in verzoeken if b == bsn and status in OPEN))


def _technisch(session: Session, model: Wmo315 | Wmo317, row: Bericht, omg: Omgeving,
               in_bericht: list[Fout]) -> list[Fout]:
    """The request's faults: those in the message itself, or else the cross-message rules."""
    bsn = model.client.bsn
    client = beschikking.zoek_client(session, bsn)
    row.client_id = client.id if client else None
    if in_bericht:
        return list(in_bericht)
    stand = _stand(session, bsn=bsn, aanbieder=model.header.afzender, vandaag=omg.nu.date())
    if isinstance(model, Wmo315):
        return verzoeken_regels.beoordeel_vot(model, stand=stand)
    return verzoeken_regels.beoordeel_vow(model, stand=stand)


def verwerk_vot(session: Session, model: BerichtModel, row: Bericht, omg: Omgeving, in_bericht: list[Fout]) -> None:
    """A WMO315: answer with the WMO316; without faults every AangevraagdProduct becomes a request of its
    own. Any fault rejects the whole message (IV032: in the message itself, 0001; across messages, the
    rule's code on its class and 0200 on the others, and still "volledige afkeur"), so none is taken."""
    assert isinstance(model, Wmo315)
    fouten = _technisch(session, model, row, omg, in_bericht)
    nieuw = [] if fouten else [
        Verzoek(soort="VOT", bericht_id=row.id, product_index=i, aanbieder=model.header.afzender,
                bsn=model.client.bsn, referentie_aanbieder=p.referentie_aanbieder, status="open", ontvangen_op=omg.nu)
        for i, p in enumerate(model.client.aangevraagde_producten, start=1)]
    uitgaand.beantwoord(session, heen=model, fouten=fouten, rij=row, gemeente=omg.gemeente, nu=omg.nu,
                      geaccepteerd=bool(nieuw))
    session.add_all(nieuw)
    session.flush()
    for verzoek in nieuw:
        beslis_volgens_beleid(session, verzoek=verzoek, omg=omg)


def verwerk_vow(session: Session, model: BerichtModel, row: Bericht, omg: Omgeving, in_bericht: list[Fout]) -> None:
    """A WMO317: answer with the WMO318; a request without faults is judged as a whole."""
    assert isinstance(model, Wmo317)
    fouten = _technisch(session, model, row, omg, in_bericht)
    uitgaand.beantwoord(session, heen=model, fouten=fouten, rij=row, gemeente=omg.gemeente, nu=omg.nu)
    if fouten:
        return
    verzoek = Verzoek(soort="VOW", bericht_id=row.id, aanbieder=model.header.afzender, bsn=model.client.bsn,
                      referentie_aanbieder=model.client.verzoek.referentie_aanbieder, status="open",
                      ontvangen_op=omg.nu)
    session.add(verzoek)
    session.flush()
    beslis_volgens_beleid(session, verzoek=verzoek, omg=omg)


# --- the policy ------------------------------------------------------------------------------------

def _bericht(session: Session, verzoek: Verzoek) -> BerichtModel:
    return from_xml(session.get_one(Bericht, verzoek.bericht_id).xml)


def _aangevraagd(session: Session, verzoek: Verzoek, model: BerichtModel | None = None) -> AangevraagdProduct:
    model = model or _bericht(session, verzoek)
    assert isinstance(model, Wmo315) and verzoek.product_index is not None
    return model.client.aangevraagde_producten[verzoek.product_index - 1]


def aanvragen(session: Session, verzoek: Verzoek) -> list[Aanvraag]:
    """What the request asks for, product by product (for a VOW: the new and the changed products)."""
    if verzoek.soort == "VOT":
        p = _aangevraagd(session, verzoek)
        return [Aanvraag(p.product.categorie if p.product else None, p.product.code if p.product else None,
                         omvang_van(p.omvang, p.budget))]
    model = _bericht(session, verzoek)
    assert isinstance(model, Wmo317)
    uit: list[Aanvraag] = []
    for w in model.client.verzoek.te_wijzigen_producten:
        t = session.scalar(select(Toewijzing).where(Toewijzing.nummer == w.toewijzing_nummer))
        assert t is not None  # TR351 held when the request arrived
        uit.append(Aanvraag(t.categorie, t.code, omvang_van(w.omvang, w.budget)))
    for n in model.client.verzoek.nieuwe_producten:
        uit.append(Aanvraag(n.product.categorie if n.product else None, n.product.code if n.product else None,
                            omvang_van(n.omvang, n.budget)))
    return uit


def beslis_volgens_beleid(session: Session, *, verzoek: Verzoek, omg: Omgeving) -> Advies:
    """Apply the policy: grant, refuse, or leave in the work queue with the reason in ``advies``."""
    advies = omg.beleid.adviseer(aanbieder=verzoek.aanbieder, aanvragen=aanvragen(session, verzoek))
    if advies.besluit == "afwijzen":
        assert advies.reden_afwijzing is not None
        wijs_af(session, verzoek_id=verzoek.id, reden=advies.reden_afwijzing, omg=omg, door="beleid")
    elif advies.besluit == "toekennen":
        try:
            ken_toe(session, verzoek_id=verzoek.id, omg=omg, door="beleid")
        except DomainError as exc:  # planned before any change: nothing was touched
            advies = Advies("werkvoorraad", f"{advies.toelichting} Automatisch toekennen kan niet: {exc.melding}")
    verzoek.advies = advies.toelichting
    return advies


# --- deciding --------------------------------------------------------------------------------------

def verzoek(session: Session, *, verzoek_id: int) -> Verzoek:
    v = session.get(Verzoek, verzoek_id)
    if v is None:
        raise NotFound(f"Verzoek {verzoek_id} bestaat niet.")
    return v


def _open(session: Session, verzoek_id: int) -> Verzoek:
    """The request, locked until the transaction ends (two medewerkers deciding at once: one wins)."""
    v = session.get(Verzoek, verzoek_id, with_for_update=True, populate_existing=True)
    if v is None:
        raise NotFound(f"Verzoek {verzoek_id} bestaat niet.")
    if v.status not in OPEN:
        raise DomainError(f"Verzoek {verzoek_id} is al beantwoord ({v.status}); een verzoek krijgt één besluit.")
    return v


def _besloten(v: Verzoek, status: str, door: str, nu: dt.datetime) -> None:
    v.status, v.besloten_door, v.besloten_op = status, door, nu


def ken_toe(session: Session, *, verzoek_id: int, omg: Omgeving, door: str = "medewerker",
            client: ClientGegevens | None = None, resultaat: str | None = None) -> Verzoek:
    """Grant the request as asked and queue the WMO301 with its ReferentieAanbieder (TR379).

    ``client``: the client's details when the gemeente does not know the client yet (a WMO315 carries
    no address); ``resultaat``: the result description for a resultaat product (default: the request's
    commentaar, or the product's name)."""
    v = _open(session, verzoek_id)
    doe = (_plan_vot(session, v, client, resultaat, omg.producten) if v.soort == "VOT"
           else _plan_vow(session, v, omg.nu, omg.producten))
    doe(omg)
    _besloten(v, "toegekend", door, omg.nu)
    return v


def _plan_vot(session: Session, v: Verzoek, gegevens: ClientGegevens | None,
              resultaat: str | None, producten: Catalogus) -> Callable[[Omgeving], None]:
    p = _aangevraagd(session, v)
    bekend = beschikking.zoek_client(session, v.bsn)
    if gegevens is None:
        if bekend is None:
            raise DomainError("De gemeente kent de client van dit verzoek nog niet: geef de cliëntgegevens (met adres) mee "
                             "bij het toekennen.", "client")
        gegevens = ClientGegevens.model_validate(bekend)
    elif gegevens.bsn != v.bsn:
        raise DomainError("De cliëntgegevens hebben een ander BSN dan het verzoek.", "client.bsn")
    omvang = omvang_van(p.omvang, p.budget)
    wijze = wijze_van(omvang)
    categorie, code = (p.product.categorie, p.product.code) if p.product else ("", None)
    if wijze == "resultaat" and not resultaat:
        product = producten.get((categorie, code))
        resultaat = p.commentaar or (product.omschrijving if product else None)
    invoer = beschikking.VoorzieningInvoer(
        wijze=wijze, categorie=categorie, code=code, aanbieder=v.aanbieder, ingangsdatum=p.toewijzing_ingangsdatum,
        einddatum=p.toewijzing_einddatum, omvang=omvang, resultaat=resultaat,
        referentie_aanbieder=p.referentie_aanbieder)
    beschikking.check_voorziening(invoer, producten)

    def doe(omg: Omgeving) -> None:
        beschikking.beschik(session, gemeente=omg.gemeente, client=gegevens, besluitdatum=omg.nu.date(),
                       producten=producten, voorzieningen=[invoer], nu=omg.nu,
                       kenmerk=f"VOT {v.referentie_aanbieder}")
    return doe


def _plan_vow(session: Session, v: Verzoek, nu: dt.datetime, producten: Catalogus) -> Callable[[Omgeving], None]:
    """Grant a WMO317 as a whole (IV093): unchanged products are resent with the ReferentieAanbieder;
    a change of einddatum, of a budget or of a total volume keeps the ToewijzingNummer (reason 12);
    another change of omvang ends the toewijzing the day before GewensteIngangsdatum (reason 12) and a
    new one carries the new omvang from that day; new products get new toewijzingen."""
    model = _bericht(session, v)
    assert isinstance(model, Wmo317)
    client = beschikking.zoek_client(session, v.bsn)
    if client is None:
        raise DomainError("De client van dit verzoek is onbekend bij de gemeente.", "client")
    ref = model.client.verzoek.referentie_aanbieder
    nu_stand = _stand(session, bsn=v.bsn, aanbieder=v.aanbieder, vandaag=nu.date())
    verouderd = [f for f in verzoeken_regels.beoordeel_vow(model, stand=dataclasses.replace(
        nu_stand, referenties=frozenset(), onderhanden=())) if f.code in ("TR349", "TR350", "TR351")]
    if verouderd:
        raise DomainError("De toewijzingen van de client zijn gewijzigd sinds het verzoek binnenkwam; het kan niet meer "
                         "zo worden toegekend. " + " ".join(f.details for f in verouderd) + " Wijs het af (reden 1 "
                         "of 4) zodat de aanbieder een nieuw verzoek kan sturen.", "verzoek")
    stappen: list[Callable[[Omgeving], None]] = []
    for o in model.client.verzoek.ongewijzigde_producten:
        stappen.append(_ongewijzigd(session, o.toewijzing_nummer, ref))
    for w in model.client.verzoek.te_wijzigen_producten:
        stappen.append(_te_wijzigen(session, client, w.toewijzing_nummer, w.gewenste_ingangsdatum, w.einddatum,
                                    omvang_van(w.omvang, w.budget), ref))
    nieuw = []
    for n in model.client.verzoek.nieuwe_producten:
        omvang = omvang_van(n.omvang, n.budget)
        categorie, code = (n.product.categorie, n.product.code) if n.product else ("", None)
        product = producten.get((categorie, code))
        invoer = beschikking.VoorzieningInvoer(
            wijze=wijze_van(omvang), categorie=categorie, code=code, aanbieder=v.aanbieder,
            ingangsdatum=n.gewenste_ingangsdatum, einddatum=n.einddatum, omvang=omvang,
            resultaat=product.omschrijving if product and wijze_van(omvang) == "resultaat" else None,
            referentie_aanbieder=ref)
        beschikking.check_voorziening(invoer, producten)
        nieuw.append(invoer)

    def doe(omg: Omgeving) -> None:
        for stap in stappen:
            stap(omg)
        if nieuw:
            beschikking.beschik(session, gemeente=omg.gemeente, client=ClientGegevens.model_validate(client),
                                besluitdatum=omg.nu.date(), producten=producten, voorzieningen=nieuw, nu=omg.nu,
                                kenmerk=f"VOW {ref}", verstuur=False)
        uitgaand.plan_301(session, gemeente=omg.gemeente, client=client, aanbieder=v.aanbieder, nu=omg.nu)
    return doe


def _ongewijzigd(session: Session, nummer: int, ref: str) -> Callable[[Omgeving], None]:
    t = beschikking.toewijzing(session, nummer=nummer)

    def doe(_omg: Omgeving) -> None:
        t.referentie_aanbieder, t.reden_wijziging, t.gewijzigd = ref, None, True
    return doe


def _te_wijzigen(session: Session, client: Client, nummer: int, per: dt.date, einddatum: dt.date | None,
                 omvang: Omvang, ref: str) -> Callable[[Omgeving], None]:
    t = beschikking.toewijzing(session, nummer=nummer)
    voorziening = session.get_one(Voorziening, t.voorziening_id)
    oud = Omvang(t.volume, t.eenheid, t.frequentie, t.budget)
    zelfde_nummer = (omvang == oud or t.budget is not None
                     or (t.frequentie == "6" and omvang.frequentie == "6" and omvang.eenheid == t.eenheid))
    beschikking.check_omvang_voor(voorziening, code=t.code, omvang=omvang,
                             ingangsdatum=t.ingangsdatum if zelfde_nummer else per, einddatum=einddatum)
    if zelfde_nummer:
        def doe(omg: Omgeving) -> None:
            t.einddatum, t.volume, t.eenheid, t.frequentie, t.budget = (einddatum, omvang.volume, omvang.eenheid,
                                                                         omvang.frequentie, omvang.budget)
            beschikking.markeer_gewijzigd(t, "12", omg.nu, referentie_aanbieder=ref)
        return doe
    if t.einddatum is not None and per > t.einddatum:
        raise DomainError(f"Toewijzing {nummer}: de GewensteIngangsdatum {per:%d-%m-%Y} ligt na de einddatum "
                         f"({t.einddatum:%d-%m-%Y}); een wijziging valt binnen de looptijd, een nieuwe periode is een "
                         "nieuw product.", "omvang")
    if per <= t.ingangsdatum:
        raise DomainError(f"Toewijzing {nummer}: een andere omvang over de hele looptijd kan niet op hetzelfde "
                         "ToewijzingNummer; vraag de wijziging met een GewensteIngangsdatum na de ingangsdatum "
                         f"({t.ingangsdatum:%d-%m-%Y}).", "omvang")

    def splits(omg: Omgeving) -> None:
        t.einddatum = per - dt.timedelta(days=1)
        beschikking.markeer_gewijzigd(t, "12", omg.nu, referentie_aanbieder=ref)
        beschikking.nieuwe_toewijzing(session, voorziening=voorziening, client=client, ingangsdatum=per,
                                 einddatum=einddatum, omvang=omvang, commentaar=t.commentaar, nu=omg.nu,
                                 referentie_aanbieder=ref)
    return splits


def wijs_af(session: Session, *, verzoek_id: int, reden: str, omg: Omgeving, door: str = "medewerker") -> Verzoek:
    """Refuse: a WMO319 with VerzoekAntwoord 1 and the RedenAfwijzingVerzoek (WJ759)."""
    if reden not in codelijsten.codes("WJ759"):
        keuzes = ", ".join(f"{c} ({codelijsten.betekenis('WJ759', c)})" for c in codelijsten.codes("WJ759"))
        raise DomainError(f"Reden {reden!r} bestaat niet; kies uit {keuzes}.", "reden")
    v = _open(session, verzoek_id)
    _antwoord(session, v, AFGEWEZEN, reden, omg)
    v.reden_afwijzing = reden
    _besloten(v, "afgewezen", door, omg.nu)
    return v


def in_onderzoek(session: Session, *, verzoek_id: int, omg: Omgeving) -> Verzoek:
    """Tell the aanbieder the request is being looked into (VerzoekAntwoord 2): at most once (TR360)."""
    v = _open(session, verzoek_id)
    if v.status == "in-onderzoek":
        raise DomainError(f"Verzoek {verzoek_id} is al als 'in onderzoek' beantwoord; dat kan één keer. Ken het "
                         "verzoek nu toe of wijs het af.")
    _antwoord(session, v, IN_ONDERZOEK, None, omg)
    v.status = "in-onderzoek"
    return v


def _antwoord(session: Session, v: Verzoek, antwoord: str, reden: str | None, omg: Omgeving) -> None:
    model = Wmo319(header=Header(afzender=omg.gemeente, ontvanger=v.aanbieder,
                                 bericht_identificatie=uitgaand.nieuwe_identificatie(omg.nu)),
                   antwoord=Antwoord(referentie_aanbieder=v.referentie_aanbieder, verzoek_antwoord=antwoord,
                                     reden_afwijzing_verzoek=reden))
    client = beschikking.zoek_client(session, v.bsn)
    uitgaand.plan(session, model=model, afzender=omg.gemeente, ontvanger=v.aanbieder,
                client_id=client.id if client else None, nu=omg.nu, set_identificatie=set_identificatie)


# --- reading -------------------------------------------------------------------------------------

def beschrijving(session: Session, v: Verzoek) -> dict[str, Any]:
    """A request for the work queue: who asks what, what the policy said, and its state."""
    model = _bericht(session, v)
    inhoud: dict[str, Any]
    if v.soort == "VOT":
        p = _aangevraagd(session, v, model)
        inhoud = {"product": _product(p.product), "ingangsdatum": p.toewijzing_ingangsdatum.isoformat(),
                  "einddatum": p.toewijzing_einddatum.isoformat() if p.toewijzing_einddatum else None,
                  "omvang": _omvang(omvang_van(p.omvang, p.budget)), "commentaar": p.commentaar}
    else:
        assert isinstance(model, Wmo317)
        r = model.client.verzoek
        inhoud = {
            "reden_verzoek": r.reden_verzoek,
            "ongewijzigd": [o.toewijzing_nummer for o in r.ongewijzigde_producten],
            "te_wijzigen": [{"toewijzingnummer": w.toewijzing_nummer,
                             "gewenste_ingangsdatum": w.gewenste_ingangsdatum.isoformat(),
                             "einddatum": w.einddatum.isoformat() if w.einddatum else None,
                             "omvang": _omvang(omvang_van(w.omvang, w.budget))} for w in r.te_wijzigen_producten],
            "nieuw": [{"product": _product(n.product), "gewenste_ingangsdatum": n.gewenste_ingangsdatum.isoformat(),
                       "einddatum": n.einddatum.isoformat() if n.einddatum else None,
                       "omvang": _omvang(omvang_van(n.omvang, n.budget))} for n in r.nieuwe_producten]}
    return {"id": v.id, "soort": v.soort, "aanbieder": v.aanbieder, "bsn": v.bsn,
            "referentie_aanbieder": v.referentie_aanbieder, "status": v.status, "advies": v.advies,
            "reden_afwijzing": v.reden_afwijzing, "besloten_door": v.besloten_door,
            "ontvangen_op": v.ontvangen_op.isoformat(),
            "besloten_op": v.besloten_op.isoformat() if v.besloten_op else None, "verzoek": inhoud}


def _product(p: Any) -> dict[str, Any] | None:
    return {"categorie": p.categorie, "code": p.code} if p is not None else None


def _omvang(o: Omvang) -> dict[str, Any]:
    return {"volume": o.volume, "eenheid": o.eenheid, "frequentie": o.frequentie, "budget": o.budget}


def werkvoorraad(session: Session, *, status: tuple[str, ...] = OPEN) -> list[dict[str, Any]]:
    rows = session.scalars(select(Verzoek).where(Verzoek.status.in_(status)).order_by(Verzoek.id)).all()
    return [beschrijving(session, v) for v in rows]


def verzoeken_van(session: Session, *, bsn: str) -> list[Verzoek]:
    return list(session.scalars(select(Verzoek).where(Verzoek.bsn == bsn).order_by(Verzoek.id)))

