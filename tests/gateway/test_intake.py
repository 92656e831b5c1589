"""Intake: every check in the hub's order, each refusal with its hub error code; nothing half-stored."""

from __future__ import annotations

import copy
import datetime as dt
import gzip
from collections.abc import Iterator

import pytest
from lxml import etree

from gateway.intake import MAX_XSD_DETAILS
from iwmo.regels import MAX_PER_REGEL
from iwmo.retour import RetourOpties, retour
from iwmo.samples import sample
from iwmo.xml import to_xml
from tests.conftest import TODAY, reference_path
from tests.gateway.conftest import Hub, make_hub


def xml(naam: str = "WMO301", **changes: str) -> bytes:
    m = sample(naam, today=TODAY)
    for attr, value in changes.items():
        setattr(m.header, attr, value)  # type: ignore[attr-defined]
    return to_xml(m)


def stored(hub: Hub, code: str) -> list[dict]:  # type: ignore[type-arg]
    return hub.client.get("/mailbox", headers=hub.auth(code)).json()


def assert_refused(response, status: int, foutcode: str) -> None:  # type: ignore[no-untyped-def]
    assert response.status_code == status, response.text
    body = response.json()
    assert body["foutcode"] == foutcode
    assert body["omschrijving"]


def test_accepted_message_is_stored_for_its_receiver(hub: Hub) -> None:
    r = hub.send("0363", xml())
    assert r.status_code == 202, r.text
    body = r.json()
    assert body["status"] == "ontvangen" and body["bericht"] == "WMO301"
    box = stored(hub, "12345678")
    assert [m["id"] for m in box] == [body["id"]]
    assert stored(hub, "87654321") == [] and stored(hub, "0363") == []


@pytest.mark.parametrize("authorization", [None, "Bearer nope", "Basic abc", "Bearer "])
def test_authentication_required(hub: Hub, authorization: str | None) -> None:
    headers = {"Authorization": authorization} if authorization else {}
    assert_refused(hub.client.post("/berichten", content=xml(), headers=headers), 401, "IB002")


def test_revoked_token_is_refused(hub: Hub) -> None:
    token = hub.tokens["0363"]
    assert hub.send("0363", xml()).status_code == 202  # the token is now remembered by this process
    r = hub.client.post("/admin/tokens/intrekken", json={"token": token},
                        headers={"Authorization": "Bearer test-admin-token"})
    assert r.json() == {"ingetrokken": True}
    assert_refused(hub.send("0363", xml()), 401, "IB002")


def test_size_limit_is_enforced_while_streaming(database_url: str) -> None:
    hub: Iterator[Hub] = make_hub(database_url, max_bytes=20_000)
    h = next(hub)
    try:
        big = xml().replace(b"Hulp bij het huishouden", b"x" * 30_000)
        assert_refused(h.send("0363", big), 413, "IB003")  # a gemeente: the GGK's code
        assert_refused(h.send("12345678", big), 413, "IB012")  # an aanbieder: VECOZO's

        def chunks() -> Iterator[bytes]:  # no Content-Length: the limit must hold on the stream itself
            for _ in range(100):
                yield b"<" * 1000

        r = h.client.post("/berichten", content=chunks(), headers=h.auth("0363"))
        assert_refused(r, 413, "IB003")
        assert stored(h, "12345678") == []
    finally:
        hub.close()


def test_compressed_body_is_refused(hub: Hub) -> None:
    r = hub.send("0363", gzip.compress(xml()), **{"Content-Encoding": "gzip"})
    assert_refused(r, 415, "BRS14")  # compressed is no well-formed XML


@pytest.mark.parametrize("body", [b"", b"\x00\x01\xff garbage", b"<wmo301:Bericht", b"<a><b></a>"])
def test_not_well_formed(hub: Hub, body: bytes) -> None:
    assert_refused(hub.send("0363", body), 400, "BRS14")


def test_unknown_message_type(hub: Hub) -> None:
    body = xml().replace(b"iwmo/3_2/wmo301/schema", b"iwmo/3_2/wmo399/schema")
    assert_refused(hub.send("0363", body), 400, "IB004")


@pytest.mark.parametrize(("sender", "naam"), [("12345678", "WMO301"), ("0363", "WMO305"), ("0363", "WMO323"),
                                              ("12345678", "WMO319"), ("0363", "WMO302")])
def test_role_may_not_send_this_type(hub: Hub, sender: str, naam: str) -> None:
    assert_refused(hub.send(sender, xml(naam)), 403, "IB008")


@pytest.mark.parametrize(("sender", "code"), [("0363", "IB001"), ("12345678", "IB014")])
def test_xsd_violation(hub: Hub, sender: str, code: str) -> None:
    naam = "WMO301" if sender == "0363" else "WMO305"
    body = xml(naam).replace(b"<iwmo:Dagtekening>", b"<iwmo:Dagtekening>x", 1)
    r = hub.send(sender, body)
    assert_refused(r, 400, code)
    assert any("Dagtekening" in d for d in r.json()["details"])


def test_afzender_must_be_the_authenticated_party(hub: Hub) -> None:
    assert_refused(hub.send("0363", xml(afzender="0384")), 403, "IB009")
    assert_refused(hub.send("12345678", xml("WMO305", afzender="87654321")), 403, "IB009")


@pytest.mark.parametrize(("sender", "naam", "ontvanger", "code"), [
    ("0363", "WMO301", "11111111", "IB005"), ("12345678", "WMO305", "0518", "IB010")])
def test_receiver_must_be_known(hub: Hub, sender: str, naam: str, ontvanger: str, code: str) -> None:
    assert_refused(hub.send(sender, xml(naam, ontvanger=ontvanger)), 422, code)


def test_identificatie_unique_per_sender_and_type(hub: Hub) -> None:
    assert hub.send("0363", xml()).status_code == 202
    assert_refused(hub.send("0363", xml()), 409, "BRS20")
    # another type, or another sender, may use the same Identificatie
    assert hub.send("0363", xml("WMO319")).status_code == 202
    other = sample("WMO301", today=TODAY)
    other.header.afzender = "0384"
    assert hub.send("0384", to_xml(other)).status_code == 202
    assert len(stored(hub, "12345678")) == 3


def test_rules_are_enforced_when_configured(database_url: str) -> None:
    gen = make_hub(database_url, rules_for=["WMO317"])
    h = next(gen)
    try:
        bad = sample("WMO317", today=TODAY)
        bad.client.verzoek.nieuwe_producten[0].gewenste_ingangsdatum = TODAY  # TR380
        r = h.send("12345678", to_xml(bad))
        assert_refused(r, 422, "BRS28")
        assert any(d.startswith("TR380") for d in r.json()["details"])
        assert h.send("12345678", xml("WMO317")).status_code == 202
    finally:
        gen.close()


def test_a_schema_fault_is_still_ib014_with_the_rules_on(database_url: str) -> None:
    """The validator now also runs the rules on a schema-invalid message; the hub's intake answers as before:
    the XSD refusal (IB014 for an aanbieder), with the schema faults in its details, and no BRS28."""
    gen = make_hub(database_url, rules_for=["WMO317"])
    h = next(gen)
    try:
        bad = sample("WMO317", today=TODAY)
        bad.client.verzoek.nieuwe_producten[0].gewenste_ingangsdatum = TODAY  # TR380
        body = to_xml(bad).replace(b"</wmo317:Header>", b"<wmo317:Onbekend>x</wmo317:Onbekend></wmo317:Header>")
        r = h.send("12345678", body)
        assert_refused(r, 400, "IB014")
        details = r.json()["details"]
        assert details and not any(d.startswith("TR380") for d in details), details
    finally:
        gen.close()


def _herhaald(naam: str, klasse: str, n: int, *, xsd_fout: bool = False) -> bytes:
    """The sample with its first ``klasse`` repeated ``n`` times (and, with ``xsd_fout``, an unknown
    element in each copy: one XSD violation per copy)."""
    root = etree.fromstring(xml(naam))
    proto = next(root.iter(f"{{*}}{klasse}"))
    if xsd_fout:
        etree.SubElement(proto, proto.tag.replace(klasse, "Onbekend")).text = "x"
    parent = proto.getparent()
    assert parent is not None
    for _ in range(n - 1):
        parent.append(copy.deepcopy(proto))
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def test_brs28_answer_is_capped_and_states_what_was_left_out(database_url: str) -> None:
    """Issue 15: 2,000 copies of one product with the rules on gave a 383 MB BRS28 answer (one line per
    overlapping pair). Now one fault per product, at most MAX_PER_REGEL per rule, and a last line with the
    count left out."""
    gen = make_hub(database_url, rules_for=["WMO301"])
    h = next(gen)
    try:
        r = h.send("0363", _herhaald("WMO301", "ToegewezenProduct", 2000))
        assert_refused(r, 422, "BRS28")
        details = r.json()["details"]
        assert {d.split(":")[0] for d in details[:-1]} == {"TR302", "TR101"}
        assert len(details) == 2 * MAX_PER_REGEL + 1
        assert details[-1].startswith(f"... en {2 * (1999 - MAX_PER_REGEL)} fouten meer")
        assert len(r.content) < 1_000_000
    finally:
        gen.close()


def test_ib014_answer_is_capped_and_states_what_was_left_out(hub: Hub) -> None:
    r = hub.send("12345678", _herhaald("WMO315", "AangevraagdProduct", 3000, xsd_fout=True))
    assert_refused(r, 400, "IB014")
    details = r.json()["details"]
    assert len(details) == MAX_XSD_DETAILS + 1
    assert details[-1] == f"... en {3000 - MAX_XSD_DETAILS} XSD-fouten meer (weggelaten)"


def test_rules_are_not_enforced_by_default(hub: Hub) -> None:
    bad = sample("WMO317", today=TODAY)
    bad.client.verzoek.nieuwe_producten[0].gewenste_ingangsdatum = TODAY
    assert hub.send("12345678", to_xml(bad)).status_code == 202


def test_official_example_is_accepted(database_url: str) -> None:
    path = reference_path() / "voorbeeldberichten" / "WMO301.xml"
    if not path.is_file():
        pytest.skip(f"official examples not found at {path}")
    gen = make_hub(database_url)
    h = next(gen)
    try:
        h.add_party("aanbieder", "42420001")
        assert h.send("0384", path.read_bytes()).status_code == 202
    finally:
        gen.close()


# --- XML attacks ------------------------------------------------------------------------------

XXE = b"""<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><r>&x;</r>"""
LAUGHS = b"""<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">
<!ENTITY e "&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;"><!ENTITY f "&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;">]><l>&f;&f;&f;&f;</l>"""


@pytest.mark.parametrize("body", [XXE, LAUGHS, b"<a>" * 5000 + b"</a>" * 5000], ids=["xxe", "laughs", "deep"])
def test_xml_attacks_are_refused(hub: Hub, body: bytes) -> None:
    r = hub.send("0363", body)
    assert_refused(r, 400, "BRS14")
    assert b"root:" not in r.content


def test_thirty_megabytes_is_refused(hub: Hub) -> None:
    body = b"<a>" + b"x" * (30 * 1024 * 1024) + b"</a>"
    assert_refused(hub.send("0363", body), 413, "IB003")


def test_nothing_is_stored_after_a_refusal(hub: Hub) -> None:
    hub.send("0363", xml(afzender="0384"))
    hub.send("0363", b"<x/>")
    assert stored(hub, "12345678") == []
    # the refused Identificatie is still free
    assert hub.send("0363", xml()).status_code == 202


def test_an_extra_token_works_next_to_the_first_until_that_is_revoked(hub: Hub) -> None:
    admin = {"Authorization": "Bearer test-admin-token"}
    r = hub.client.post("/admin/parties/0363/tokens", headers=admin)
    assert r.status_code == 201 and r.json()["code"] == "0363"
    nieuw = r.json()["token"]
    assert nieuw != hub.tokens["0363"]
    hub.client.post("/admin/tokens/intrekken", json={"token": hub.tokens["0363"]}, headers=admin)
    assert_refused(hub.send("0363", xml()), 401, "IB002")
    r = hub.client.post("/berichten", content=xml(), headers={"Authorization": f"Bearer {nieuw}",
                                                               "Content-Type": "application/xml"})
    assert r.status_code == 202, r.text
    missing = hub.client.post("/admin/parties/9999/tokens", headers=admin)
    assert missing.status_code == 404 and missing.json()["foutcode"] == "ADM02"
    assert hub.client.post("/admin/parties/0363/tokens").status_code == 401


def test_brs28_is_about_the_message_itself_not_todays_date(database_url: str) -> None:
    gen = make_hub(database_url, rules_for=["WMO301"])
    h = next(gen)
    try:  # TR135 (a Dagtekening after today) is the receiver's check against its own clock (8848), not XSLT
        morgen = sample("WMO301", today=TODAY + dt.timedelta(days=1))
        assert h.send("0363", to_xml(morgen)).status_code == 202
    finally:
        gen.close()


# --- retourberichten: one per heenbericht, from its receiver (IV028) ---------------------------------

def _retour(heen: object, ident: str) -> bytes:
    return to_xml(retour(heen, [], RetourOpties(ident, TODAY)))  # type: ignore[arg-type]


def test_a_retour_comes_from_the_receiver_of_its_heenbericht(hub: Hub) -> None:
    heen = sample("WMO301", today=TODAY)  # 0363 -> 12345678
    heen_id = hub.send("0363", to_xml(heen)).json()["id"]
    vals = retour(heen, [], RetourOpties("R-VALS", TODAY))
    vals.header.ontvanger = "87654321"  # another aanbieder answers in its own name
    r = hub.send("87654321", to_xml(vals))
    assert_refused(r, 422, "IB021")
    assert stored(hub, "0363") == []  # nothing reached the gemeente
    assert hub.send("12345678", _retour(heen, "R-ECHT")).status_code == 202  # the receiver's own retour counts
    meta = hub.client.get(f"/berichten/{heen_id}", headers={**hub.auth("0363"), "Accept": "application/json"}).json()
    assert meta["retour"]["bericht"] == "WMO302"


def test_a_retour_without_its_heenbericht_is_refused(hub: Hub) -> None:
    nooit = sample("WMO301", today=TODAY)
    nooit.header.bericht_identificatie.identificatie = "NOOIT-VERST"
    assert_refused(hub.send("12345678", _retour(nooit, "R-1")), 422, "IB021")


def test_a_heenbericht_gets_one_retour(hub: Hub) -> None:
    heen = sample("WMO301", today=TODAY)
    hub.send("0363", to_xml(heen))
    assert hub.send("12345678", _retour(heen, "R-1")).status_code == 202
    assert_refused(hub.send("12345678", _retour(heen, "R-2")), 409, "IB021")
    declaratie = sample("WMO323", today=TODAY)  # 12345678 -> 0363
    hub.send("12345678", to_xml(declaratie))
    assert hub.send("0363", _retour(declaratie, "A-1")).status_code == 202
    assert_refused(hub.send("0363", _retour(declaratie, "A-2")), 409, "IB019")


def test_the_same_retour_sent_again_is_brs20_like_any_resend(hub: Hub) -> None:
    heen = sample("WMO301", today=TODAY)
    hub.send("0363", to_xml(heen))
    eerst = _retour(heen, "R-1")
    assert hub.send("12345678", eerst).status_code == 202
    assert_refused(hub.send("12345678", eerst), 409, "BRS20")  # the sender knows it arrived


def test_threads_refusing_different_xsd_faults_each_answer_with_their_own() -> None:
    """The hub checks messages in a thread pool: each IB001 names the fault of its own message (one
    schema object shared by the threads mixed their faults up, or lost them: iwmo.schemas)."""
    from gateway.intake import check
    from gateway.parties import Ingelogd
    from iwmo.exceptions import HubError
    from tests.gelijktijdig import met_fout, tegelijk

    gemeente = Ingelogd(id=1, rol="gemeente", code="0363")

    def herhaal(element: str, body: bytes) -> list[str]:
        verkeerd = []
        for _ in range(200):
            try:
                check(None, sender=gemeente, body=body, max_bytes=1_000_000)  # type: ignore[arg-type]  # refused before the session is used
                verkeerd.append(f"{element}: accepted")
            except HubError as fout:
                if fout.foutcode != "IB001" or not fout.details or not all(element in d for d in fout.details):
                    verkeerd.append(f"{element}: {fout.foutcode} {fout.details}")
        return verkeerd

    verkeerd = tegelijk(herhaal, {"Geslacht": met_fout(xml(), "Geslacht", "7"),
                                  "Huisnummer": met_fout(xml(), "Huisnummer", "abc")})
    assert verkeerd == [], verkeerd[:5]
