"""The back office's JSON API: thin routers that parse, call the domain and commit.

Every route but /health and the hub's signed push (/berichten) asks for an API token
(TOEWIJZING_API_TOKENS, see infra.auth)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, Response
from sqlalchemy.orm import Session

from infra.auth import protected_router
from infra.http import NowDep, SessionDep, get_settings
from infra.hub_api import TrafficDep, add_hub_routes, commit_and_send
from services.toewijzing import hub, overzicht, schemas
from services.toewijzing.domain import aansluiting, beschikking, verzoeken
from services.toewijzing.domain.omgeving import Omgeving
from services.toewijzing.domain.varianten import Catalogus, catalogus
from services.toewijzing.models import Client, Toewijzing, Verzoek
from services.toewijzing.settings import ToewijzingSettings

router = APIRouter()  # open: /health and the signed push
protected = protected_router()


SettingsDep = Annotated[ToewijzingSettings, Depends(get_settings)]


def _producten(settings: SettingsDep) -> Catalogus:
    return catalogus(settings.producten)


def _omgeving(settings: SettingsDep, nu: NowDep) -> Omgeving:
    return hub.omgeving(settings, nu)


def _gemeente(settings: SettingsDep) -> str:
    return settings.gemeente


ProductenDep = Annotated[Catalogus, Depends(_producten)]
OmgevingDep = Annotated[Omgeving, Depends(_omgeving)]
#: the gemeente this service works for (its CBS code)
GemeenteDep = Annotated[str, Depends(_gemeente)]


@protected.post("/beschikkingen", status_code=201, response_model=schemas.BeschikkingVastgelegd,
                tags=["beschikkingen"], summary="Een beschikking vastleggen en de voorzieningen toewijzen (WMO301)")
def post_beschikking(body: schemas.BeschikkingIn, session: SessionDep, traffic: TrafficDep, gemeente: GemeenteDep,
                     producten: ProductenDep, nu: NowDep, settings: SettingsDep) -> dict[str, Any]:
    hub = traffic.client(gemeente)
    waarschuwingen = aansluiting.controleer(
        ((f"voorzieningen.{i}.aanbieder", v.aanbieder) for i, v in enumerate(body.voorzieningen)),
        aangesloten=hub.aangesloten if hub is not None else None, beleid=settings.onbekende_aanbieder)
    besluit = beschikking.beschik(
        session, gemeente=gemeente, client=body.client, besluitdatum=body.besluitdatum, kenmerk=body.kenmerk, nu=nu,
        producten=producten, voorzieningen=[v.invoer() for v in body.voorzieningen])
    commit_and_send(session, traffic)
    return {"beschikking": besluit.id, "waarschuwingen": waarschuwingen,
            **overzicht.overzicht(session, bsn=body.client.bsn, vandaag=nu.date(), producten=producten)}


@protected.get("/clienten/{bsn}", response_model=schemas.ClientOverzicht, tags=["clienten"],
               summary="Wat de client is toegewezen, door wie, en de berichten")
def get_client(bsn: str, session: SessionDep, producten: ProductenDep, nu: NowDep) -> dict[str, Any]:
    return overzicht.overzicht(session, bsn=bsn, vandaag=nu.date(), producten=producten)


#: a page of a list: ``limit`` rows after id ``na``
LimitDep = Annotated[int, Query(ge=1, le=overzicht.MAX_LIMIT, description="hoeveel per pagina (hoogstens 1000)")]
NaDep = Annotated[int | None, Query(ge=0, le=2**63 - 1, description="alleen na dit id: `volgende` van de vorige "
                                                                     "pagina")]
AanbiederFilter = Annotated[str | None, Query(pattern=r"^[0-9]{8}$", description="AGB-code van de aanbieder")]


@protected.get("/clienten", response_model=schemas.Clienten, tags=["clienten"],
               summary="De clienten, per pagina (op id), met filters op aanbieder en de status van hun toewijzingen")
def get_clienten(session: SessionDep, nu: NowDep, aanbieder: AanbiederFilter = None,
                 status: Annotated[Literal[overzicht.CLIENT_STATUS] | None, Query(  # type: ignore[valid-type]
                     description="met een toewijzing die actueel is (vandaag of later, niet verwijderd), waar de "
                                 "aanbieder nog niet op antwoordde (onbeantwoord), of die hij geaccepteerd of "
                                 "afgewezen heeft; met aanbieder: een toewijzing van die aanbieder")] = None,
                 na: NaDep = None, limit: LimitDep = 100) -> dict[str, Any]:
    return overzicht.clienten(session, vandaag=nu.date(), aanbieder=aanbieder, status=status, na=na, limit=limit)


def _selectie(aanbieder: AanbiederFilter = None,
              bsn: Annotated[str | None, Query(pattern=r"^[0-9]{9}$", description="BSN van de client")] = None,
              categorie: Annotated[str | None, Query(pattern=r"^[0-9]{2}$", description="productcategorie")] = None,
              product: Annotated[str | None, Query(pattern=r"^[0-9A-Za-z]{5}$", description="productcode")] = None,
              actief_op: Annotated[dt.date | None, Query(description="alleen toewijzingen die op deze dag gelden "
                                                                     "(niet verwijderd)")] = None,
              wijze: Annotated[Literal["uren", "resultaat"] | None, Query()] = None) -> overzicht.Selectie:
    return overzicht.Selectie(aanbieder=aanbieder, bsn=bsn, categorie=categorie, code=product, actief_op=actief_op,
                              wijze=wijze)


SelectieDep = Annotated[overzicht.Selectie, Depends(_selectie)]


@protected.get("/toewijzingen", response_model=schemas.Toewijzingen, tags=["toewijzingen"],
               summary="De toewijzingen, per pagina (op id), met filters")
def get_toewijzingen(session: SessionDep, selectie: SelectieDep, producten: ProductenDep, nu: NowDep,
                     na: NaDep = None, limit: LimitDep = 100) -> dict[str, Any]:
    return overzicht.toewijzingen(session, selectie=selectie, vandaag=nu.date(), producten=producten, na=na,
                                  limit=limit)


@protected.get("/toewijzingen/export.csv", response_class=Response, tags=["toewijzingen"],
               summary="De toewijzingen als CSV (dezelfde filters; met BSN, tenzij zonder_bsn=true)",
               responses={200: {"content": {"text/csv": {"schema": {"type": "string"}}}}})
def get_toewijzingen_csv(session: SessionDep, selectie: SelectieDep, producten: ProductenDep, nu: NowDep,
                         zonder_bsn: Annotated[bool, Query(description="zonder de kolom bsn (voor wie buiten de "
                                                                       "eigen administratie)")] = False) -> Response:
    """Every toewijzing in the selection, not one page: the gemeente's own administration; the BSN is in it
    unless ``zonder_bsn``."""
    csv = overzicht.export_csv(session, selectie=selectie, vandaag=nu.date(), producten=producten,
                               zonder_bsn=zonder_bsn)
    return Response(csv, media_type="text/csv",
                    headers={"Content-Disposition": 'attachment; filename="toewijzingen.csv"'})


@protected.get("/berichten", response_model=schemas.Berichten, tags=["berichten"],
               summary="De berichten van de gemeente, per pagina (op id): wat wacht, wat is afgekeurd, ...")
def get_berichten(session: SessionDep,
                  status: Annotated[list[Literal[overzicht.BERICHT_STATUS]], Query(  # type: ignore[valid-type]
                      description="te-verzenden: wacht in de wachtrij (met wacht_op); verzonden: door de hub "
                                  "aangenomen; afgekeurd: door de ontvanger afgekeurd (ons bericht in de retour, of "
                                  "een ontvangen bericht door ons); fout: door de hub geweigerd, of een retour op "
                                  "niets van ons; verwerkt: ontvangen en verwerkt. Herhaalbaar: een van deze")] = [],  # noqa: B006
                  bericht: Annotated[str | None, Query(pattern=r"^WMO[0-9]{3}$",
                                                       description="alleen dit berichttype")] = None,
                  richting: Annotated[Literal["uit", "in"] | None, Query()] = None,
                  na: NaDep = None, limit: LimitDep = 100) -> dict[str, Any]:
    return overzicht.berichten(session, status=status, bericht=bericht, richting=richting, na=na, limit=limit)


def _na_wijziging(session: Session, traffic: TrafficDep, t: Toewijzing, producten: Catalogus,
                  nu: dt.datetime) -> dict[str, Any]:
    """Commit, send the queued WMO301 and answer with the client's overview."""
    commit_and_send(session, traffic)
    client = session.get_one(Client, t.client_id)
    return overzicht.overzicht(session, bsn=client.bsn, vandaag=nu.date(), producten=producten)


@protected.post("/toewijzingen/{nummer}/einddatum", response_model=schemas.ClientOverzicht, tags=["toewijzingen"],
                summary="Einddatum verlengen (oprekken) of vervroegen (inkorten); zelfde toewijzingnummer")
def post_einddatum(nummer: int, body: schemas.EinddatumIn, session: SessionDep, traffic: TrafficDep,
                   gemeente: GemeenteDep, producten: ProductenDep, nu: NowDep) -> dict[str, Any]:
    t = beschikking.wijzig_einddatum(session, gemeente=gemeente, nummer=nummer, einddatum=body.einddatum,
                                     reden=body.reden, nu=nu, in_overleg=body.in_overleg_met_aanbieder)
    return _na_wijziging(session, traffic, t, producten, nu)


@protected.post("/toewijzingen/{nummer}/omvang", response_model=schemas.ClientOverzicht, tags=["toewijzingen"],
                summary="Omvang wijzigen: de toewijzing eindigt en een nieuwe gaat in; een budget of totaal wijzigt "
                        "op hetzelfde nummer")
def post_omvang(nummer: int, body: schemas.OmvangWijzigingIn, session: SessionDep, traffic: TrafficDep,
                gemeente: GemeenteDep, producten: ProductenDep, nu: NowDep) -> dict[str, Any]:
    t = beschikking.wijzig_omvang(session, gemeente=gemeente, nummer=nummer, per=body.per, omvang=body.omvang.omvang(),
                                  nu=nu, reden=body.reden, in_overleg=body.in_overleg_met_aanbieder)
    return _na_wijziging(session, traffic, t, producten, nu)


@protected.post("/toewijzingen/{nummer}/verwijderen", response_model=schemas.ClientOverzicht, tags=["toewijzingen"],
                summary="Een ten onrechte verzonden toewijzing verwijderen (reden 13)")
def post_verwijderen(nummer: int, session: SessionDep, traffic: TrafficDep, gemeente: GemeenteDep,
                     producten: ProductenDep, nu: NowDep) -> dict[str, Any]:
    t = beschikking.verwijder(session, gemeente=gemeente, nummer=nummer, nu=nu)
    return _na_wijziging(session, traffic, t, producten, nu)


@protected.get("/verzoeken", response_model=list[schemas.Verzoek], tags=["verzoeken"],
               summary="De werkvoorraad: verzoeken van aanbieders (WMO315/317)")
def get_verzoeken(session: SessionDep, status: Annotated[
        Literal["open", "alle"], Query(description="open: wacht op een besluit (ook 'in onderzoek'); alle")] = "open",
) -> list[dict[str, Any]]:
    keuze = verzoeken.OPEN if status == "open" else ("open", "in-onderzoek", "toegekend", "afgewezen")
    return verzoeken.werkvoorraad(session, status=keuze)


@protected.get("/verzoeken/{verzoek_id}", response_model=schemas.Verzoek, tags=["verzoeken"],
               summary="Eén verzoek met het advies van het beleid")
def get_verzoek(verzoek_id: int, session: SessionDep) -> dict[str, Any]:
    return verzoeken.beschrijving(session, verzoeken.verzoek(session, verzoek_id=verzoek_id))


def _na_besluit(session: Session, traffic: TrafficDep, v: Verzoek) -> dict[str, Any]:
    """Commit, send the queued WMO301 or WMO319 and answer with the request's state."""
    commit_and_send(session, traffic)
    return verzoeken.beschrijving(session, v)


@protected.post("/verzoeken/{verzoek_id}/toekennen", response_model=schemas.Verzoek, tags=["verzoeken"],
                summary="Toekennen zoals gevraagd: WMO301 met de ReferentieAanbieder van het verzoek")
def post_toekennen(verzoek_id: int, body: schemas.ToekennenIn, session: SessionDep, traffic: TrafficDep,
                   omg: OmgevingDep) -> dict[str, Any]:
    v = verzoeken.ken_toe(session, verzoek_id=verzoek_id, omg=omg, client=body.client, resultaat=body.resultaat)
    return _na_besluit(session, traffic, v)


@protected.post("/verzoeken/{verzoek_id}/afwijzen", response_model=schemas.Verzoek, tags=["verzoeken"],
                summary="Afwijzen: WMO319 met VerzoekAntwoord 1 en de reden")
def post_afwijzen(verzoek_id: int, body: schemas.AfwijzenIn, session: SessionDep, traffic: TrafficDep,
                  omg: OmgevingDep) -> dict[str, Any]:
    v = verzoeken.wijs_af(session, verzoek_id=verzoek_id, reden=body.reden, omg=omg)
    return _na_besluit(session, traffic, v)


@protected.post("/verzoeken/{verzoek_id}/in-onderzoek", response_model=schemas.Verzoek, tags=["verzoeken"],
                summary="Laten weten dat het verzoek wordt onderzocht: WMO319 met VerzoekAntwoord 2 (één keer)")
def post_in_onderzoek(verzoek_id: int, session: SessionDep, traffic: TrafficDep, omg: OmgevingDep) -> dict[str, Any]:
    v = verzoeken.in_onderzoek(session, verzoek_id=verzoek_id, omg=omg)
    return _na_besluit(session, traffic, v)


@router.get("/health", response_model=schemas.Health, tags=["operations"])
def health() -> schemas.Health:
    return schemas.Health(status="ok")


add_hub_routes(router, protected)
@protected.post("/toewijzingen/opvragen", response_model=schemas.Opgevraagd,
                tags=["toewijzingen"], summary="Toewijzingen op nummer en/of van een cliënt, van een aanbieder of van "
                                               "alle, met starts en stops (voor de declaratie-service: één vraag "
                                               "per declaratie of per cliënt)")
def post_opvragen(body: schemas.OpvragenIn, session: SessionDep) -> dict[str, Any]:
    return {"toewijzingen": overzicht.toewijzingen_op_nummer(session, aanbieder=body.aanbieder, nummers=body.nummers,
                                                             bsn=body.client),
            "clienten": overzicht.clienten_van(session, aanbieder=body.aanbieder, bsns=body.bsns)}


router.include_router(protected)
