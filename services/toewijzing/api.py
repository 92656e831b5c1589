"""The back office's JSON API: thin routers that parse, call the domain and commit."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel, Field
from sqlalchemy.orm import Session

from services.toewijzing import domain, hubsync, store
from services.toewijzing.models import Client, Toewijzing
from services.toewijzing.varianten import Omvang

router = APIRouter()


def get_session(request: Request) -> Iterator[Session]:
    with request.app.state.session_factory() as session:
        yield session


SessionDep = Annotated[Session, Depends(get_session)]


def _nu(request: Request) -> dt.datetime:
    return request.app.state.clock()  # type: ignore[no-any-return]


class OmvangIn(BaseModel):
    volume: int | None = Field(None, description="aantal eenheden (bij eenheid 83: eurocent)")
    eenheid: str | None = Field(None, description="WJ756: 01 minuut, 04 uur, 14 etmaal, 16 dagdeel, 84 stuks "
                                                  "(inspanning); 82 stuks (output), 83 euro's")
    frequentie: str | None = Field(None, description="WMO757: 1 per dag, 2 per week, 4 per maand, 6 totaal")
    budget: int | None = Field(None, description="budget in eurocent (resultaat zonder productcode)")

    def omvang(self) -> Omvang:
        return Omvang(self.volume, self.eenheid, self.frequentie, self.budget)


class ClientIn(BaseModel):
    bsn: str
    geboortedatum: dt.date
    geslacht: str = Field(description="0 onbekend, 1 man, 2 vrouw")
    achternaam: str
    voorvoegsel: str | None = None
    voorletters: str | None = None
    postcode: str
    huisnummer: int
    straatnaam: str | None = None
    plaatsnaam: str | None = None


class VoorzieningIn(BaseModel):
    wijze: Literal["uren", "resultaat"]
    categorie: str
    code: str | None = None
    aanbieder: str = Field(description="AGB-code van de aanbieder")
    ingangsdatum: dt.date
    einddatum: dt.date | None = None
    omvang: OmvangIn = OmvangIn()
    resultaat: str | None = Field(None, description="het te bereiken resultaat, in woorden (bij wijze resultaat)")
    commentaar: str | None = None


class BeschikkingIn(BaseModel):
    client: ClientIn
    besluitdatum: dt.date
    kenmerk: str | None = None
    voorzieningen: list[VoorzieningIn]

    model_config = {"json_schema_extra": {"examples": [{
        "client": {"bsn": "999990019", "geboortedatum": "1948-03-14", "geslacht": "2", "achternaam": "Jansen",
                   "postcode": "1011AB", "huisnummer": 12},
        "besluitdatum": "2026-11-20",
        "voorzieningen": [
            {"wijze": "uren", "categorie": "01", "code": "01A01", "aanbieder": "12345678",
             "ingangsdatum": "2026-12-01", "einddatum": "2027-11-30",
             "omvang": {"volume": 3, "eenheid": "04", "frequentie": "2"}},
            {"wijze": "resultaat", "categorie": "01", "code": "01A02", "aanbieder": "12345678",
             "ingangsdatum": "2026-12-01", "einddatum": "2027-11-30", "resultaat": "Een schoon en leefbaar huis",
             "omvang": {"volume": 1, "eenheid": "82", "frequentie": "2"}}]}]}}


class EinddatumIn(BaseModel):
    einddatum: dt.date
    reden: str | None = Field(None, description="WMO002; standaard 04 (verlenging) of 05 (verkorting)")


class OmvangWijzigingIn(BaseModel):
    per: dt.date = Field(description="de dag waarop de nieuwe omvang ingaat")
    omvang: OmvangIn


@router.post("/beschikkingen", status_code=201, tags=["beschikkingen"],
             summary="Een beschikking vastleggen en de voorzieningen toewijzen (WMO301)")
def post_beschikking(body: BeschikkingIn, request: Request, session: SessionDep) -> dict[str, Any]:
    nu = _nu(request)
    beschikking = domain.beschik(
        session, gemeente=request.app.state.settings.gemeente, client=domain.ClientGegevens(**body.client.model_dump()),
        besluitdatum=body.besluitdatum, kenmerk=body.kenmerk, nu=nu,
        voorzieningen=[domain.VoorzieningInvoer(**{**v.model_dump(exclude={"omvang"}), "omvang": v.omvang.omvang()})
                       for v in body.voorzieningen])
    session.commit()
    hubsync.verzend_nu(request.app)
    return {"beschikking": beschikking.id, **store.overzicht(session, bsn=body.client.bsn, vandaag=nu.date())}


@router.get("/clienten/{bsn}", tags=["clienten"], summary="Wat de client is toegewezen, door wie, en de berichten")
def get_client(bsn: str, request: Request, session: SessionDep) -> dict[str, Any]:
    return store.overzicht(session, bsn=bsn, vandaag=_nu(request).date())


def _na_wijziging(request: Request, session: Session, t: Toewijzing) -> dict[str, Any]:
    """Commit, send the queued WMO301 and answer with the client's overview."""
    session.commit()
    hubsync.verzend_nu(request.app)
    client = session.get_one(Client, t.client_id)
    return store.overzicht(session, bsn=client.bsn, vandaag=_nu(request).date())


@router.post("/toewijzingen/{nummer}/einddatum", tags=["toewijzingen"],
             summary="Einddatum verlengen (oprekken) of vervroegen (inkorten); zelfde toewijzingnummer")
def post_einddatum(nummer: int, body: EinddatumIn, request: Request, session: SessionDep) -> dict[str, Any]:
    t = domain.wijzig_einddatum(session, gemeente=request.app.state.settings.gemeente, nummer=nummer,
                                einddatum=body.einddatum, reden=body.reden, nu=_nu(request))
    return _na_wijziging(request, session, t)


@router.post("/toewijzingen/{nummer}/omvang", tags=["toewijzingen"],
             summary="Omvang wijzigen: de toewijzing eindigt en een nieuwe gaat in")
def post_omvang(nummer: int, body: OmvangWijzigingIn, request: Request, session: SessionDep) -> dict[str, Any]:
    t = domain.wijzig_omvang(session, gemeente=request.app.state.settings.gemeente, nummer=nummer, per=body.per,
                             omvang=body.omvang.omvang(), nu=_nu(request))
    return _na_wijziging(request, session, t)


@router.post("/toewijzingen/{nummer}/verwijderen", tags=["toewijzingen"],
             summary="Een ten onrechte verzonden toewijzing verwijderen (reden 13)")
def post_verwijderen(nummer: int, request: Request, session: SessionDep) -> dict[str, Any]:
    t = domain.verwijder(session, gemeente=request.app.state.settings.gemeente, nummer=nummer, nu=_nu(request))
    return _na_wijziging(request, session, t)


@router.post("/hub/ophalen", tags=["hub"], summary="Berichten uit de hub ophalen, verwerken en beantwoorden")
def post_ophalen(request: Request) -> dict[str, int]:
    return hubsync.synchroniseer(request.app)


@router.get("/health", tags=["operations"])
def health() -> dict[str, str]:
    return {"status": "ok"}
