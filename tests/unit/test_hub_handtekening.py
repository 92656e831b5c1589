"""The hub's push signature (iwmo.hub): what a receiver accepts and what it does not."""

from __future__ import annotations

import pytest

from infra.traffic import HubParty, PushRefused, pushed_by
from iwmo.hub import HANDTEKENING, handtekening, handtekening_klopt, handtekeningen

BODY = b"<Bericht/>"


def test_a_signature_holds_for_its_secret_its_id_and_its_body_only() -> None:
    h = handtekening("geheim", 7, BODY)
    assert h.startswith("sha256=") and handtekening_klopt("geheim", "7", BODY, h)
    assert not handtekening_klopt("ander", "7", BODY, h)
    assert not handtekening_klopt("geheim", "8", BODY, h)
    assert not handtekening_klopt("geheim", "7", BODY + b" ", h)
    assert not handtekening_klopt("", "7", BODY, h) and not handtekening_klopt("geheim", None, BODY, h)
    assert not handtekening_klopt("geheim", "7", BODY, "sha256=é")  # malformed: no match, no error


def test_during_a_replacement_new_and_old_secrets_both_work() -> None:
    header = handtekeningen(["nieuw", "oud"], 7, BODY)
    assert handtekening_klopt("nieuw", "7", BODY, header) and handtekening_klopt("oud", "7", BODY, header)
    assert handtekening_klopt("nieuw, oud", "7", BODY, handtekening("oud", 7, BODY))  # a receiver with both
    assert not handtekening_klopt("derde", "7", BODY, header)


def _party(headers: dict[str, str], geheimen: dict[str, str]) -> str:
    return pushed_by({code: HubParty(code, None, geheim) for code, geheim in geheimen.items()}, headers, BODY)


def test_a_receiver_without_secret_takes_no_push_and_one_with_secrets_names_the_match() -> None:
    with pytest.raises(PushRefused) as geen:
        _party({}, {"a": ""})
    assert geen.value.status == 403
    ok = {"X-Iwmo-Bericht-Id": "3", HANDTEKENING: handtekening("geheim-b", 3, BODY)}
    assert _party(ok, {"a": "geheim-a", "b": "geheim-b"}) == "b"
    for fout in ({"X-Iwmo-Bericht-Id": "3", HANDTEKENING: "sha256=\u00fc"}, {"X-Iwmo-Bericht-Id": "4"}, {}):
        with pytest.raises(PushRefused) as mis:
            _party({**ok, **fout} if fout else {}, {"a": "geheim-a", "b": "geheim-b"})
        assert mis.value.status == 401
