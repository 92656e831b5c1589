"""Dashboard sessions: logging in with a token opens a session whose random key goes into the browser's
cookie; the token itself never leaves the login form. Plain functions over the database.

Only hashes are stored: of the session key, and for the operator an HMAC of the admin token keyed with
the session key (so the table reveals nothing to guess the admin token from). A viewer holds at most
:data:`PER_KIJKER` sessions; logging in again ends the session of the cookie it came with.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets

from sqlalchemy import ColumnElement, delete, select
from sqlalchemy.orm import Session

from gateway.dashboard import Kijker
from gateway.models import DashboardSessie, Party, Token
from gateway.parties import hash_token

#: how long a session lasts after logging in
DUUR = dt.timedelta(hours=8)
#: sessions one token (or the operator) may hold at once; a new login ends the oldest beyond this
PER_KIJKER = 20


def _beheer(sleutel: str, admin_token: str) -> str:
    return hmac.new(sleutel.encode(), admin_token.encode(), hashlib.sha256).hexdigest()


def open_sessie(session: Session, *, token: str, admin_token: str | None, nu: dt.datetime,
                vorige: str | None = None) -> str | None:
    """A new session for the viewer behind ``token`` (a party's valid token or the admin token), or None
    (nothing written) when the token opens nothing. Returns the key for the cookie. The session of
    ``vorige`` (the cookie the login came with) ends, and so do expired ones and the viewer's oldest
    beyond :data:`PER_KIJKER`."""
    if not token:
        return None
    sleutel = secrets.token_urlsafe(32)
    zelfde: ColumnElement[bool]
    rij = DashboardSessie(sleutel_hash=hash_token(sleutel), verloopt_at=nu + DUUR, created_at=nu)
    if admin_token and hmac.compare_digest(token.encode(), admin_token.encode()):
        rij.beheer_hash = _beheer(sleutel, admin_token)
        zelfde = DashboardSessie.beheer_hash.is_not(None)
    else:
        token_id = session.scalar(select(Token.id).where(Token.token_hash == hash_token(token),
                                                         Token.revoked_at.is_(None)))
        if token_id is None:
            return None
        rij.token_id = token_id
        zelfde = DashboardSessie.token_id == token_id
    session.execute(delete(DashboardSessie).where(DashboardSessie.verloopt_at <= nu))
    sluit_sessie(session, sleutel=vorige)
    houden = select(DashboardSessie.id).where(zelfde).order_by(DashboardSessie.id.desc()).limit(PER_KIJKER - 1)
    session.execute(delete(DashboardSessie).where(zelfde, DashboardSessie.id.not_in(houden.scalar_subquery())))
    session.add(rij)
    return sleutel


def kijker(session: Session, *, sleutel: str | None, admin_token: str | None, nu: dt.datetime) -> Kijker:
    """Who is looking: the party or operator of a live session, else an anonymous viewer."""
    if not sleutel:
        return Kijker()
    rij = session.execute(
        select(DashboardSessie.beheer_hash, Party.code)
        .outerjoin(Token, (Token.id == DashboardSessie.token_id) & Token.revoked_at.is_(None))
        .outerjoin(Party, Party.id == Token.party_id)
        .where(DashboardSessie.sleutel_hash == hash_token(sleutel), DashboardSessie.verloopt_at > nu)).first()
    if rij is None:
        return Kijker()
    if rij.beheer_hash is not None:
        huidig = _beheer(sleutel, admin_token) if admin_token else ""
        return Kijker(beheer=True) if hmac.compare_digest(rij.beheer_hash, huidig) else Kijker()
    return Kijker(code=rij.code) if rij.code else Kijker()


def sluit_sessie(session: Session, *, sleutel: str | None) -> None:
    if sleutel:
        session.execute(delete(DashboardSessie).where(DashboardSessie.sleutel_hash == hash_token(sleutel)))
