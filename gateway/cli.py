"""``iwmo gateway ...``: run the hub and administer its parties (the arguments: :mod:`gateway.commands`)."""

from __future__ import annotations

import argparse
import os
from typing import TextIO

from pydantic import ValidationError
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from gateway import routing
from gateway.db import make_engine, migrate, session_factory
from gateway.parties import PartyError, add_party, issue_token, nieuw_push_geheim, party_by_code
from gateway.settings import GatewaySettings


def serve(settings: GatewaySettings, *, host: str, port: int, workers: int) -> None:
    """One process: the API with push delivery in it. Several: API processes without push, and one
    push process beside them (push is serial per pair; in its own process it does not wait for the
    API's threads)."""
    import uvicorn

    from gateway.serving import ENV, PROTOCOL
    from infra.logs import configure_logging

    configure_logging(settings.log_level)  # uvicorn's own lines too: log_config=None keeps it from setting up its own
    os.environ[ENV] = str(settings.header_timeout_seconds)  # read by the protocol, in every worker process
    if workers == 1:
        from gateway.app import create_app

        uvicorn.run(create_app(settings), host=host, port=port, log_config=None, access_log=False, http=PROTOCOL)
        return
    migrate(settings.database_url)
    from gateway.pushd import start_push_process

    pusher = start_push_process() if settings.push_enabled else None
    os.environ["GATEWAY_PUSH_ENABLED"] = "false"  # read by the API processes' create_app()
    os.environ["GATEWAY_MIGRATE_ON_START"] = "false"
    try:
        uvicorn.run("gateway.app:create_app", factory=True, host=host, port=port, workers=workers,
                    log_config=None, access_log=False, http=PROTOCOL)
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
    if args.gateway_command == "route":
        return _route(factory, args, out, err)
    if args.gateway_command == "wachtend":
        with factory() as session:
            for w in routing.wachtend(session):
                print(f"{w.ontvanger} {w.bericht} {w.aantal} sinds {w.oudste:%Y-%m-%d %H:%M} {w.aflevering}"
                      + (f" ({w.laatste_fout})" if w.laatste_fout else ""), file=out)
        return 0
    rol, code = ("gemeente", args.gemeente) if args.gemeente else ("aanbieder", args.aanbieder)
    with factory() as session:
        bestaand = party_by_code(session, code=code)
        if bestaand is not None and bestaand.rol == rol and not args.endpoint:
            # registered before (a second run of the same script): a new token, printed last as always
            token = issue_token(session, party=bestaand)
            session.commit()
            print(f"{rol} {code} was al geregistreerd; een extra token uitgegeven (de eerdere blijven geldig; "
                  f"intrekken: POST /admin/tokens/intrekken).", file=out)
            print("Token (bewaar het; het wordt niet opnieuw getoond):", file=out)
            print(token, file=out)
            return 0
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


def _route(factory: sessionmaker[Session], args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    with factory() as session:
        party = party_by_code(session, code=args.code)
        if party is None:
            print(f"iwmo gateway route: geen partij {args.code}", file=err)
            return 2
        try:
            if args.bericht and args.weg:
                for bericht in args.bericht:
                    routing.remove_route(session, party=party, bericht=bericht)
            elif args.bericht:
                if not (args.endpoint or args.ophalen):
                    print("iwmo gateway route: geef --endpoint URL, --ophalen of --weg", file=err)
                    return 2
                routing.set_routes(session, party=party, berichten=args.bericht, endpoint=args.endpoint)
        except PartyError as exc:
            print(f"iwmo gateway route: {exc}", file=err)
            return 2
        session.commit()
        for route in routing.routes_of(session, party=party):
            print(f"{route.bericht} -> {route.endpoint or 'ophalen'}", file=out)
        print(f"overige typen -> {party.endpoint or 'ophalen'}", file=out)
        if party.push_geheim:
            print(f"Push-geheim: {party.push_geheim}", file=out)
    return 0


def _push_geheim(factory: sessionmaker[Session], code: str, out: TextIO, err: TextIO) -> int:
    with factory() as session:
        party = party_by_code(session, code=code)
        if party is None or not (party.endpoint or any(r.endpoint for r in routing.routes_of(session, party=party))):
            print(f"iwmo gateway push-geheim: geen partij met endpoint {code}", file=err)
            return 2
        geheim = nieuw_push_geheim(session, party=party)
        session.commit()
    print(f"Nieuw push-geheim voor {code} (pushes dragen tot de volgende vervanging ook de handtekening met het "
          "vorige; zet het nieuwe bij de ontvanger en haal daarna het oude weg):", file=out)
    print(geheim, file=out)
    return 0
