"""The per-process token cache: valid tokens only, for its ttl, emptied by a revocation."""

from __future__ import annotations

from collections.abc import Iterator

from gateway.parties import Ingelogd, TokenCache, hash_token
from tests.gateway.conftest import ADMIN_TOKEN, Hub


class FakeClock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


PARTY = Ingelogd(1, "gemeente", "0363")


def test_a_remembered_token_expires_after_ttl() -> None:
    clock = FakeClock()
    cache = TokenCache(1.0, clock=clock)
    assert cache.get("secret") is None
    cache.put(hash_token("secret"), PARTY)
    assert cache.get("secret") == PARTY
    assert cache.get("other") is None
    clock.now += 0.99
    assert cache.get("secret") == PARTY
    clock.now += 0.02
    assert cache.get("secret") is None


def test_clear_forgets_everything_and_ttl_zero_remembers_nothing() -> None:
    cache = TokenCache(5.0)
    cache.put(hash_token("secret"), PARTY)
    cache.clear()
    assert cache.get("secret") is None
    off = TokenCache(0)
    off.put(hash_token("secret"), PARTY)
    assert off.get("secret") is None
    assert off.get(None) is None and cache.get("") is None


def test_the_cache_is_bounded() -> None:
    cache = TokenCache(5.0, max_entries=3)
    for i in range(4):
        cache.put(hash_token(f"t{i}"), PARTY)
    assert sum(cache.get(f"t{i}") is not None for i in range(4)) <= 3
    assert cache.get("t3") == PARTY  # the newest is kept


def test_an_admin_body_is_not_read_before_the_admin_token(hub: Hub) -> None:
    def stroom() -> Iterator[bytes]:
        for _ in range(200):
            yield b" " * 65536  # 12.5 MB, chunked

    r = hub.client.post("/admin/parties", content=stroom(), headers={"Content-Type": "application/json"})
    assert r.status_code == 401
    r = hub.client.post("/admin/parties", content=stroom(), headers={
        "Content-Type": "application/json", "Authorization": f"Bearer {ADMIN_TOKEN}"})
    assert r.status_code == 413
