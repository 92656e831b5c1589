"""``iwmo gateway ...``: run the hub and administer its parties."""

from __future__ import annotations

import argparse
import os
from typing import TextIO

from pydantic import ValidationError
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from gateway.db import make_engine, migrate, session_factory
from gateway.parties import PartyError, add_party, nieuw_push_geheim, party_by_code
from gateway.settings import GatewaySettings


def add_arguments(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    g = sub.add_parser("gateway", help="de hub (GGK/VECOZO-simulatie) draaien en beheren",
                       description="De hub. Database: GATEWAY_DATABASE_URL (standaard sqlite:///./var/gateway.db).")
    gsub = g.add_subparsers(dest="gateway_command", required=True, metavar="ACTIE")
    s = gsub.add_parser("serve", help="start de hub (migreert de database eerst)")
    s.add_argument("--host", default="127.0.0.1", help="adres om op te luisteren (standaard 127.0.0.1)")
    s.add_argument("--port", type=int, default=8000, help="poort (standaard 8000)")
    s.add_argument("--workers", type=int, default=1,
                   help="aantal API-processen (PostgreSQL aanbevolen bij meer dan 1); bij meer dan 1 levert "
                        "een eigen proces de push-berichten af")
    gsub.add_parser("push", help="alleen push-aflevering draaien (een eigen proces; op PostgreSQL mogen er meer "
                                 "naast elkaar draaien)",
                    description="Levert berichten af aan partijen met een endpoint tot SIGTERM of Ctrl-C. "
                                "Zet dan GATEWAY_PUSH_ENABLED=false voor de API-processen.")
    a = gsub.add_parser("add-party", help="registreer een gemeente of aanbieder; de laatste regel is het token")
    who = a.add_mutually_exclusive_group(required=True)
    who.add_argument("--gemeente", metavar="CBS", help="4-cijferige CBS-gemeentecode, bijv. 0363")
    who.add_argument("--aanbieder", metavar="AGB", help="8-cijferige AGB-code")
    a.add_argument("--endpoint", help="URL waarop de hub berichten aflevert (push); zonder: ophalen (pull)")
    a.add_argument("--naam", help="naam van de partij (alleen ter informatie)")
    g2 = gsub.add_parser("push-geheim", help="een nieuw push-geheim voor een partij met endpoint (de hub ondertekent "
                                             "ook nog met het vorige, tot de volgende vervanging)")
    g2.add_argument("code", help="CBS- of AGB-code van de partij")


def serve(settings: GatewaySettings, *, host: str, port: int, workers: int) -> None:
    """One process: the API with push delivery in it. Several: API processes without push, and one
    push process beside them (push is serial per pair; in its own process it does not wait for the
    API's threads)."""
    import uvicorn

    if workers == 1:
        from gateway.app import create_app

        uvicorn.run(create_app(settings), host=host, port=port, log_level="info", access_log=False)
        return
    migrate(settings.database_url)
    from gateway.pushd import start_push_process

    pusher = start_push_process() if settings.push_enabled else None
    os.environ["GATEWAY_PUSH_ENABLED"] = "false"  # read by the API processes' create_app()
    os.environ["GATEWAY_MIGRATE_ON_START"] = "false"
    try:
        uvicorn.run("gateway.app:create_app", factory=True, host=host, port=port, workers=workers,
                    log_level="info", access_log=False)
    finally:
        if pusher is not None:
            pusher.terminate()
            pusher.wait(timeout=15)


def main(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    try:
        settings = GatewaySettings()
    except ValidationError as exc:
        for e in exc.errors():
            print(f"iwmo gateway: ongeldige instelling {'.'.join(map(str, e['loc'])) or ''}: {e['msg']}", file=err)
        return 2
    if args.gateway_command == "serve":
        serve(settings, host=args.host, port=args.port, workers=args.workers)
        return 0
    if args.gateway_command == "push":
        from gateway.pushd import run_push

        migrate(settings.database_url)
        run_push(settings)
        return 0
    migrate(settings.database_url)
    factory = session_factory(make_engine(settings.database_url))
    if args.gateway_command == "push-geheim":
        return _push_geheim(factory, args.code, out, err)
    rol, code = ("gemeente", args.gemeente) if args.gemeente else ("aanbieder", args.aanbieder)
    with factory() as session:
        try:
            party, token = add_party(session, rol=rol, code=code, endpoint=args.endpoint, naam=args.naam)
        except PartyError as exc:
            waar = make_url(settings.database_url).render_as_string(hide_password=True)
            print(f"iwmo gateway add-party: {exc} in {waar} (een extra token: POST "
                  f"/admin/parties/{code}/tokens; een andere database: GATEWAY_DATABASE_URL)", file=err)
            return 2
        session.commit()
    print(f"{rol} {party.code} geregistreerd{' met endpoint ' + party.endpoint if party.endpoint else ''}.", file=out)
    if party.push_geheim:
        print(f"Push-geheim (de ontvanger controleert er de handtekening van elke push mee): {party.push_geheim}",
              file=out)
    print("Token (bewaar het; het wordt niet opnieuw getoond):", file=out)
    print(token, file=out)
    return 0


def _push_geheim(factory: sessionmaker[Session], code: str, out: TextIO, err: TextIO) -> int:
    with factory() as session:
        party = party_by_code(session, code=code)
        if party is None or not party.endpoint:
            print(f"iwmo gateway push-geheim: geen partij met endpoint {code}", file=err)
            return 2
        geheim = nieuw_push_geheim(session, party=party)
        session.commit()
    print(f"Nieuw push-geheim voor {code} (pushes dragen tot de volgende vervanging ook de handtekening met het "
          "vorige; zet het nieuwe bij de ontvanger en haal daarna het oude weg):", file=out)
    print(geheim, file=out)
    return 0
