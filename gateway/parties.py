"""Parties (gemeenten and aanbieders) and their bearer tokens."""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
import threading
import time
import weakref
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import bindparam, delete, select
from sqlalchemy.orm import Session

from gateway.models import Audit, OnbekendeOntvanger, Party, Token
from infra.db import utcnow
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
    endpoint = endpoint or None  # an empty endpoint is none: the party collects
    if endpoint is not None and not endpoint.startswith(("http://", "https://")):
        raise PartyError(f"endpoint moet een http(s)-adres zijn, niet {endpoint!r}")
    if session.scalar(select(Party).where(Party.code == code)) is not None:
        raise PartyError(f"partij {code} bestaat al")
    party = Party(rol=rol, code=code, endpoint=endpoint, naam=naam,
                  push_geheim=secrets.token_urlsafe(32) if endpoint else None)
    session.add(party)
    session.flush()
    token = issue_token(session, party=party)
    session.add(Audit(actor="admin", action="partij-toegevoegd", details=f"{rol} {code}"))
    # what its senders were refused (IB005/IB010) goes with their next attempt: no longer waiting as unknown
    session.execute(delete(OnbekendeOntvanger).where(OnbekendeOntvanger.ontvanger == code))
    return party, token


def nieuw_push_geheim(session: Session, *, party: Party) -> str:
    """A new push secret (rotation): pushes are signed with it, and with the one it replaces until the
    next replacement, so the receiver can switch over without refusing anything."""
    party.push_geheim_vorig = party.push_geheim
    party.push_geheim = secrets.token_urlsafe(32)
    session.add(Audit(actor="admin", action="push-geheim-uitgegeven", details=party.code))
    return party.push_geheim


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


@dataclass(frozen=True)
class Ingelogd:
    """The party behind a valid token: what the checks and the mailbox need of it."""

    id: int
    rol: str  # gemeente | aanbieder
    code: str


_party = Party.__table__.c
_token = Token.__table__.c
# built once: the token lookup runs for every request
_AUTHENTICATE = (select(_party.id, _party.rol, _party.code, _token.token_hash)
                 .join_from(Token.__table__, Party.__table__, _token.party_id == _party.id)
                 .where(_token.token_hash == bindparam("token_hash"), _token.revoked_at.is_(None)))


def authenticate(session: Session, *, token: str | None, cache: TokenCache | None = None) -> Ingelogd | None:
    """The party a bearer token belongs to, or None (unknown, revoked or empty). One query."""
    if not token:
        return None
    wanted = hash_token(token)
    row = session.execute(_AUTHENTICATE, {"token_hash": wanted}).first()
    if row is None or not hmac.compare_digest(row.token_hash, wanted):
        return None
    party = Ingelogd(row.id, row.rol, row.code)
    if cache is not None:
        cache.put(wanted, party)
    return party


class TokenCache:
    """Valid tokens remembered for ``ttl`` seconds, so that a sender's stream of messages costs one
    token lookup per ``ttl`` rather than one per message.

    Only valid tokens are remembered (an unknown token is looked up every time). A revocation in
    this process empties the cache at once; another gateway process notices it within ``ttl``.
    ``ttl`` 0 switches the cache off.
    """

    def __init__(self, ttl: float, max_entries: int = 10_000, clock: Callable[[], float] = time.monotonic) -> None:
        self.ttl, self.max_entries, self.clock = ttl, max_entries, clock
        self._entries: dict[str, tuple[float, Ingelogd]] = {}
        self._lock = threading.Lock()

    def get(self, token: str | None) -> Ingelogd | None:
        if not token or self.ttl <= 0:
            return None
        key = hash_token(token)
        with self._lock:
            entry = self._entries.get(key)
        if entry is None or entry[0] <= self.clock():
            return None
        return entry[1]

    def put(self, token_hash: str, party: Ingelogd) -> None:
        if self.ttl <= 0:
            return
        with self._lock:
            if len(self._entries) >= self.max_entries:
                self._entries.clear()
            self._entries[token_hash] = (self.clock() + self.ttl, party)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


def party_by_code(session: Session, *, code: str) -> Party | None:
    return session.scalar(select(Party).where(Party.code == code))


# Parties are never removed, so a code once found stays valid: remember it per database.
_known: weakref.WeakKeyDictionary[object, set[str]] = weakref.WeakKeyDictionary()


def party_exists(session: Session, *, code: str) -> bool:
    """Whether a party with this code is registered (positive answers are remembered)."""
    known = _known.setdefault(session.get_bind(), set())
    if code in known:
        return True
    if session.scalar(select(Party.id).where(Party.code == code)) is None:
        return False
    known.add(code)
    return True
