"""The routes every service has towards the hub: its push (``POST /berichten``) and collecting on demand
(``POST /hub/ophalen``), over the app's :class:`~infra.traffic.HubTraffic`.

A push must carry the hub's signature made with the push secret of one of the service's parties (checked
before the body is read as XML; without any secret the service takes no pushes: 403 before the body is
read at all). A message of a type the service does not own, or for a party it does not play, is refused
with 421 and nothing is stored: the hub keeps it for its owner.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Request
from pydantic import BaseModel, Field
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from infra.http import MAX_BERICHT, read_capped
from infra.inbound import NotAddressed, NotAMessage, NotOwned
from infra.traffic import GEEN_PUSH, HubTraffic, PushRefused, pushed_by


class PushAntwoord(BaseModel):
    """What became of a pushed message."""

    bericht: str = Field(description="het berichttype, bijv. WMO305")
    status: str = Field(description="verwerkt | afgekeurd | onbekend")
    nieuw: bool = Field(description="false: al eerder ontvangen (niets veranderd, geen tweede retour)")


class Synchronisatie(BaseModel):
    ontvangen: int = Field(description="nieuwe berichten opgehaald en verwerkt")
    verzonden: int = Field(description="berichten uit de wachtrij door de hub aangenomen")


def commit_and_send(session: Session, traffic: HubTraffic) -> None:
    """Commit a change, then offer what it queued to the hub at once (never failing the caller: what the hub
    does not take now goes with the next round)."""
    session.commit()
    traffic.send_now()


def get_traffic(request: Request) -> HubTraffic:
    traffic: HubTraffic = request.app.state.traffic
    return traffic


TrafficDep = Annotated[HubTraffic, Depends(get_traffic)]


def add_hub_routes(open_router: APIRouter, protected: APIRouter) -> None:
    """Put the push route on ``open_router`` (the hub signs it; no API token) and the on-demand
    collection on ``protected``."""

    @open_router.post("/berichten", tags=["hub"], response_model=PushAntwoord,
                      summary="Een bericht dat de hub aflevert (push): opslaan, beoordelen, beantwoorden",
                      openapi_extra={"requestBody": {"required": True, "content": {"application/xml": {
                          "schema": {"type": "string"}}}}})
    async def post_bericht(request: Request, traffic: TrafficDep) -> PushAntwoord:
        if not traffic.takes_pushes():  # before reading anything
            raise HTTPException(403, GEEN_PUSH)
        body = await read_capped(request, MAX_BERICHT, lambda: HTTPException(413, "bericht groter dan 25 MB"))
        hub_id = request.headers.get("X-Iwmo-Bericht-Id", "")
        try:
            party = pushed_by(traffic.parties, request.headers, body)
            ontvangen = await run_in_threadpool(lambda: traffic.receive(
                body, party=party, hub_id=int(hub_id) if hub_id.isdigit() else None))
        except PushRefused as exc:
            raise HTTPException(exc.status, str(exc)) from None
        except NotAddressed:  # signed for one of our parties, addressed to another: as a wrong signature
            raise HTTPException(401, "handtekening van de hub ontbreekt of klopt niet") from None
        except NotOwned as exc:
            raise HTTPException(421, str(exc)) from None
        except NotAMessage as exc:
            raise HTTPException(400, str(exc)) from None
        await run_in_threadpool(traffic.send_now)
        return PushAntwoord(bericht=ontvangen.bericht.bericht, status=ontvangen.bericht.status, nieuw=ontvangen.nieuw)

    @protected.post("/hub/ophalen", tags=["hub"], response_model=Synchronisatie,
                    summary="Berichten uit de hub ophalen (alleen de typen van deze dienst), verwerken en beantwoorden; "
                            "dan de wachtrij verzenden")
    def post_ophalen(traffic: TrafficDep) -> Synchronisatie:
        return Synchronisatie(**traffic.synchronise())
