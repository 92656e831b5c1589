"""Parties (gemeenten and aanbieders) and their bearer tokens."""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets

from sqlalchemy import select
from sqlalchemy.orm import Session

from gateway.models import Audit, Party, Token, utcnow
from iwmo import codelijsten


class PartyError(ValueError):
    """A party that cannot be registered (bad code, duplicate)."""


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def check_code(rol: str, code: str) -> None:
    if rol == "gemeente":
        if not re.fullmatch(r"[0-9]{4}", code):
            raise PartyError(f"gemeentecode moet 4 cijfers zijn, niet {code!r}")
        if code not in codelijsten.codes("CBS"):
            raise PartyError(f"gemeentecode {code} komt niet voor in de CBS-lijst van gemeenten")
    elif rol == "aanbieder":
        if not re.fullmatch(r"[0-9]{8}", code):
            raise PartyError(f"AGB-code moet 8 cijfers zijn, niet {code!r}")
    else:
        raise PartyError(f"onbekende rol {rol!r}; kies gemeente of aanbieder")


def add_party(session: Session, *, rol: str, code: str, endpoint: str | None = None,
              naam: str | None = None) -> tuple[Party, str]:
    """Register a party and issue its first token. Returns the party and the token (shown once)."""
    check_code(rol, code)
    if session.scalar(select(Party).where(Party.code == code)) is not None:
        raise PartyError(f"partij {code} bestaat al")
    party = Party(rol=rol, code=code, endpoint=endpoint, naam=naam)
    session.add(party)
    session.flush()
    token = issue_token(session, party=party)
    session.add(Audit(actor="admin", action="partij-toegevoegd", details=f"{rol} {code}"))
    return party, token


def issue_token(session: Session, *, party: Party) -> str:
    token = secrets.token_urlsafe(32)
    session.add(Token(party_id=party.id, token_hash=hash_token(token)))
    session.add(Audit(actor="admin", action="token-uitgegeven", details=party.code))
    return token


def revoke_token(session: Session, *, token: str) -> bool:
    row = session.scalar(select(Token).where(Token.token_hash == hash_token(token)))
    if row is None or row.revoked_at is not None:
        return False
    row.revoked_at = utcnow()
    session.add(Audit(actor="admin", action="token-ingetrokken", details=str(row.party_id)))
    return True


def authenticate(session: Session, *, token: str | None) -> Party | None:
    """The party a bearer token belongs to, or None (unknown, revoked or empty)."""
    if not token:
        return None
    wanted = hash_token(token)
    row = session.scalar(select(Token).where(Token.token_hash == wanted))
    if row is None or row.revoked_at is not None or not hmac.compare_digest(row.token_hash, wanted):
        return None
    return session.get(Party, row.party_id)


def party_by_code(session: Session, *, code: str) -> Party | None:
    return session.scalar(select(Party).where(Party.code == code))
