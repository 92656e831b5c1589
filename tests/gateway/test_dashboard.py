"""The dashboard: flows per pair with their retours and codes, one message with XML and validation report,
personal data masked unless the viewer is a party to the message."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select, update

from gateway import sessions
from gateway.app import create_app
from gateway.models import DashboardSessie
from gateway.settings import GatewaySettings
from iwmo.regels import Fout
from iwmo.retour import RetourOpties, retour
from iwmo.samples import BSN, sample
from iwmo.xml import to_xml
from tests.conftest import TODAY
from tests.gateway.conftest import ADMIN_TOKEN, Hub, make_hub


def verkeer(hub: Hub) -> dict[str, int]:
    """A WMO301 answered with an approving WMO302, and a WMO305 answered with a refusing WMO306."""
    ids = {}
    heen = sample("WMO301", today=TODAY)
    ids["301"] = hub.send("0363", to_xml(heen)).json()["id"]
    ids["302"] = hub.send("12345678", to_xml(retour(heen, [], RetourOpties("R1", TODAY)))).json()["id"]
    start = sample("WMO305", today=TODAY)
    ids["305"] = hub.send("12345678", to_xml(start)).json()["id"]
    tr326 = Fout("TR326", ["/Bericht/Client/StartProducten/StartProduct/Begindatum"], "9326", "loopt al")
    antwoord = retour(start, [tr326], RetourOpties("R2", TODAY))
    r = hub.send("0363", to_xml(antwoord))
    assert r.status_code == 202, r.text
    ids["306"] = r.json()["id"]
    return ids


@pytest.fixture
def open_hub(database_url: str) -> Iterator[Hub]:
    yield from make_hub(database_url, dashboard_open=True)


def login(hub: Hub, token: str) -> None:
    r = hub.client.post("/dashboard/inloggen", data={"token": token}, follow_redirects=False)
    assert r.status_code == 303, r.text


def test_the_overview_lists_each_pair_with_retours_codes_and_verdicts(open_hub: Hub) -> None:
    verkeer(open_hub)
    page = open_hub.client.get("/dashboard").text
    assert "Gemeente 0363 &harr; aanbieder 12345678" in page
    assert page.index("WMO305") < page.index("WMO301")  # newest first
    assert "WMO302" in page and "WMO306" in page and ">9326<" in page
    assert "1 goedgekeurd" in page and "1 afgekeurd" in page
    assert BSN not in page  # the overview never shows content


def test_the_overview_lists_what_waits_per_receiver_and_type(open_hub: Hub) -> None:
    verkeer(open_hub)
    open_hub.send("12345678", to_xml(sample("WMO323", today=TODAY)))  # no owner collects it
    import re

    wachtend = open_hub.client.get("/dashboard").text.split('id="wachtend"')[1].split("</section>")[0]
    rijen = [re.sub(r"<[^>]+>", " ", r).split() for r in wachtend.split("<tr>")[2:]]
    assert [(r[0], r[1], r[2]) for r in rijen] == [("0363", "WMO302", "1"), ("0363", "WMO305", "1"),
                                                   ("0363", "WMO323", "1"), ("12345678", "WMO301", "1"),
                                                   ("12345678", "WMO306", "1")]
    assert all("–" in r and "ophalen" not in r for r in rijen)  # anonymous: counts, no endpoints or errors
    login(open_hub, open_hub.tokens["0363"])
    eigen = open_hub.client.get("/dashboard").text.split('id="wachtend"')[1].split("</section>")[0]
    rijen = [re.sub(r"<[^>]+>", " ", r).split() for r in eigen.split("<tr>")[2:]]
    assert [(r[0], r[1], r[-1]) for r in rijen] == [("0363", "WMO302", "ophalen"), ("0363", "WMO305", "ophalen"),
                                                    ("0363", "WMO323", "ophalen")]  # a party: its own only
    open_hub.client.post("/mailbox/ontvangen", json={"ids": list(range(1, 10))}, headers=open_hub.auth("0363"))
    open_hub.client.post("/mailbox/ontvangen", json={"ids": list(range(1, 10))}, headers=open_hub.auth("12345678"))
    assert "Niets: alles is afgeleverd." in open_hub.client.get("/dashboard").text


def test_a_message_shows_its_xml_and_report_masked_for_anyone_but_its_parties(open_hub: Hub) -> None:
    ids = verkeer(open_hub)
    anoniem = open_hub.client.get(f"/dashboard/berichten/{ids['301']}").text
    assert "Geldig: geen fouten." in anoniem and "Bsn&gt;•••&lt;/" in anoniem
    assert BSN not in anoniem and "persoonsgegevens gemaskeerd" in anoniem
    assert f'href="/dashboard/berichten/{ids["302"]}"' in anoniem  # its retour, one click away
    login(open_hub, open_hub.tokens["87654321"])  # a party, but not to this message
    assert BSN not in open_hub.client.get(f"/dashboard/berichten/{ids['301']}").text
    login(open_hub, ADMIN_TOKEN)  # the hub operator sees everything masked
    assert BSN not in open_hub.client.get(f"/dashboard/berichten/{ids['301']}").text
    login(open_hub, open_hub.tokens["12345678"])  # the receiver sees its own message
    eigen = open_hub.client.get(f"/dashboard/berichten/{ids['301']}").text
    assert f"Bsn&gt;{BSN}&lt;/" in eigen and "Bekeken als: <span id=\"kijker\">partij 12345678" in eigen


def test_an_invalid_message_shows_the_rule_that_it_breaks(open_hub: Hub) -> None:
    m = sample("WMO317", today=TODAY)
    m.client.verzoek.nieuwe_producten[0].gewenste_ingangsdatum = TODAY  # TR380: must lie after the dagtekening
    bid = open_hub.send("12345678", to_xml(m)).json()["id"]  # the hub does not judge the rules (no BRS28 here)
    page = open_hub.client.get(f"/dashboard/berichten/{bid}").text
    assert "TR380" in page and "NieuwProduct/GewensteIngangsdatum" in page  # code and location, for anyone


def test_a_closed_dashboard_asks_for_a_token(hub: Hub) -> None:
    r = hub.client.get("/dashboard", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/dashboard/inloggen"
    fout = hub.client.post("/dashboard/inloggen", data={"token": "nope"})
    assert "Onbekend of ingetrokken token." in fout.text
    login(hub, hub.tokens["0363"])
    assert "partij 0363" in hub.client.get("/dashboard").text
    hub.client.post("/dashboard/uitloggen")
    assert hub.client.get("/dashboard", follow_redirects=False).status_code == 303


def _cookie(hub: Hub) -> str:
    return hub.client.cookies["iwmo_dashboard"]


def test_the_cookie_holds_a_session_key_never_the_token(hub: Hub) -> None:
    r = hub.client.post("/dashboard/inloggen", data={"token": hub.tokens["0363"]}, follow_redirects=False)
    assert r.status_code == 303
    assert hub.tokens["0363"] not in r.headers["set-cookie"] and "HttpOnly" in r.headers["set-cookie"]
    sleutel = _cookie(hub)
    assert len(sleutel) >= 40 and sleutel != hub.tokens["0363"]
    hub.client.cookies.clear()
    hub.client.cookies.set("iwmo_dashboard", hub.tokens["0363"])  # the token itself opens nothing
    assert hub.client.get("/dashboard", follow_redirects=False).status_code == 303


def test_a_session_ends_with_logging_out_with_its_token_and_with_time(hub: Hub) -> None:
    login(hub, hub.tokens["0363"])
    oud = _cookie(hub)
    hub.client.post("/dashboard/uitloggen")
    hub.client.cookies.set("iwmo_dashboard", oud)  # a copied cookie is dead once its viewer logged out
    assert hub.client.get("/dashboard", follow_redirects=False).status_code == 303
    hub.client.cookies.clear()

    login(hub, hub.tokens["87654321"])
    assert "partij 87654321" in hub.client.get("/dashboard").text
    r = hub.client.post("/admin/tokens/intrekken", json={"token": hub.tokens["87654321"]},
                        headers={"Authorization": f"Bearer {ADMIN_TOKEN}"})
    assert r.json() == {"ingetrokken": True}
    assert hub.client.get("/dashboard", follow_redirects=False).status_code == 303  # revoked: session gone

    login(hub, hub.tokens["12345678"])
    engine = hub.client.app.state.engine  # type: ignore[attr-defined]
    with engine.begin() as conn:
        conn.execute(update(DashboardSessie).values(verloopt_at=dt.datetime.now(dt.UTC) - dt.timedelta(seconds=1)))
    assert hub.client.get("/dashboard", follow_redirects=False).status_code == 303


def test_a_viewer_holds_a_bounded_number_of_sessions(hub: Hub) -> None:
    login(hub, hub.tokens["0363"])
    eerste = _cookie(hub)
    login(hub, hub.tokens["0363"])  # logging in again from the same browser ends the session it came with
    hub.client.cookies.clear()
    hub.client.cookies.set("iwmo_dashboard", eerste)
    assert hub.client.get("/dashboard", follow_redirects=False).status_code == 303
    sleutels = []
    for _ in range(sessions.PER_KIJKER + 5):  # as many browsers: the oldest sessions end
        hub.client.cookies.clear()
        login(hub, hub.tokens["0363"])
        sleutels.append(_cookie(hub))
    engine = hub.client.app.state.engine  # type: ignore[attr-defined]
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(DashboardSessie)).scalar() == sessions.PER_KIJKER
        beheer = conn.execute(select(DashboardSessie.beheer_hash)).scalars().all()
    assert beheer == [None] * sessions.PER_KIJKER
    hub.client.cookies.clear()
    hub.client.cookies.set("iwmo_dashboard", sleutels[-1])
    assert "partij 0363" in hub.client.get("/dashboard").text
    hub.client.cookies.clear()
    hub.client.cookies.set("iwmo_dashboard", sleutels[0])
    assert hub.client.get("/dashboard", follow_redirects=False).status_code == 303


def test_the_table_holds_nothing_to_guess_the_admin_token_from(hub: Hub) -> None:
    login(hub, ADMIN_TOKEN)
    engine = hub.client.app.state.engine  # type: ignore[attr-defined]
    with engine.connect() as conn:
        (opgeslagen,) = conn.execute(select(DashboardSessie.beheer_hash)).one()
    assert opgeslagen and opgeslagen != hashlib.sha256(ADMIN_TOKEN.encode()).hexdigest()
    assert "beheer" in hub.client.get("/dashboard").text


def test_the_operators_session_ends_when_the_admin_token_changes(database_url: str) -> None:
    hubs = make_hub(database_url)
    hub = next(hubs)
    login(hub, ADMIN_TOKEN)
    sleutel = _cookie(hub)
    assert "beheer" in hub.client.get("/dashboard").text
    app = create_app(GatewaySettings(database_url=database_url, admin_token="een-nieuw-admin-token"))
    with TestClient(app) as nieuw:
        nieuw.cookies.set("iwmo_dashboard", sleutel)
        assert nieuw.get("/dashboard", follow_redirects=False).status_code == 303
    app.state.engine.dispose()
    next(hubs, None)


def test_one_pair_shows_its_own_messages_even_when_others_are_busier(open_hub: Hub) -> None:
    verkeer(open_hub)
    andere = sample("WMO301", today=TODAY)
    andere.header.afzender = "0384"
    andere.header.ontvanger = "87654321"
    open_hub.send("0384", to_xml(andere))
    alles = open_hub.client.get("/dashboard").text
    assert "Gemeente 0384 &harr; aanbieder 87654321" in alles and "Gemeente 0363 &harr; aanbieder 12345678" in alles
    een = open_hub.client.get("/dashboard?paar=0363-12345678&ververs=0").text
    assert "Gemeente 0363 &harr; aanbieder 12345678" in een and "0384" not in een
    assert een.count('class="stroom"') == 2


def _persoonlijk(xml: bytes) -> list[str]:
    """Every text below a personal element of the message, in document order."""
    from lxml import etree

    from gateway.dashboard import PERSOONLIJK

    root = etree.fromstring(xml)
    return [t.strip() for el in root.iter() if isinstance(el.tag, str) and etree.QName(el).localname in PERSOONLIJK
            for t in el.itertext() if t.strip()]


@pytest.mark.parametrize("naam", ["WMO301", "WMO302", "WMO305", "WMO306", "WMO307", "WMO308", "WMO315", "WMO316",
                                  "WMO317", "WMO318", "WMO319", "WMO320", "WMO323", "WMO325"])
def test_masking_leaves_no_personal_text_in_any_message(naam: str) -> None:
    from gateway.dashboard import MASKER, maskeer

    xml = to_xml(sample(naam, variant="resultaat", today=TODAY))
    origineel, gemaskeerd = _persoonlijk(xml), _persoonlijk(maskeer(xml))
    assert len(gemaskeerd) == len(origineel)
    assert set(gemaskeerd) <= {MASKER}
    if naam in ("WMO301", "WMO305", "WMO307", "WMO315", "WMO323"):  # these carry the client's details
        assert BSN in origineel


def test_masking_covers_relations_referrers_free_text_and_comments() -> None:
    from gateway.dashboard import maskeer

    xml = to_xml(sample("WMO301", today=TODAY)).replace(
        b"<iwmo:Achternaam>Jansen</iwmo:Achternaam>", b"<iwmo:Achternaam>Jan<!-- c -->sen<?pi x?></iwmo:Achternaam>"
    ).replace(b"<wmo301:Contactgegevens>", b"<wmo301:Relaties><wmo301:Relatie><wmo301:Nummer>42</wmo301:Nummer>"
              b"<wmo301:Naam><iwmo:Achternaam>Pietersen</iwmo:Achternaam></wmo301:Naam></wmo301:Relatie>"
              b"</wmo301:Relaties><wmo301:Commentaar>woont bij dochter</wmo301:Commentaar>"
              b"<wmo301:Contactgegevens>")
    gemaskeerd = maskeer(xml).decode()
    for geheim in ("Jan", "sen", "Pietersen", ">42<", "dochter", "<!--", "<?pi"):
        assert geheim not in gemaskeerd, geheim
    assert "<wmo301:ToewijzingNummer>4711</wmo301:ToewijzingNummer>" in gemaskeerd  # the rest stays readable


def test_a_fault_text_is_shown_only_to_the_parties(open_hub: Hub) -> None:
    m = sample("WMO317", today=TODAY)
    m.client.verzoek.nieuwe_producten[0].gewenste_ingangsdatum = TODAY
    bid = open_hub.send("12345678", to_xml(m)).json()["id"]
    anoniem = open_hub.client.get(f"/dashboard/berichten/{bid}").text
    assert "TR380" in anoniem and "alleen de afzender of de ontvanger" in anoniem
    login(open_hub, open_hub.tokens["12345678"])
    eigen = open_hub.client.get(f"/dashboard/berichten/{bid}").text
    assert "GewensteIngangsdatum moet na de dagtekening" in eigen


def test_a_huge_login_form_is_refused_while_it_streams(hub: Hub) -> None:
    def stroom() -> Iterator[bytes]:
        yield b"token="
        for _ in range(1000):
            yield b"x" * 1000

    r = hub.client.post("/dashboard/inloggen", content=stroom(),
                        headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert r.status_code == 413


def test_attributes_are_dropped_when_masking(open_hub: Hub) -> None:
    xml = to_xml(sample("WMO301", today=TODAY)).replace(
        b"<wmo301:Client>", b'<wmo301:Client xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
                            b'xsi:noNamespaceSchemaLocation="Jansen-999990019">')
    r = open_hub.send("0363", xml)
    assert r.status_code == 202, r.text  # any schema lets xsi attributes through
    page = open_hub.client.get(f"/dashboard/berichten/{r.json()['id']}").text
    assert "Jansen" not in page and BSN not in page


def test_older_flows_are_one_page_further(open_hub: Hub) -> None:
    from gateway.dashboard import stromen

    ids = [open_hub.send("0363", to_xml(_met_ident(f"P{i:03d}"))).json()["id"] for i in range(5)]
    factory = open_hub.client.app.state.session_factory  # type: ignore[attr-defined]
    with factory() as session:
        [paar], volgende = stromen(session, limit=2)
        assert [s.heen.id for s in paar.stromen] == ids[:-3:-1] and volgende == ids[3]
        [paar], volgende = stromen(session, limit=2, voor=volgende)
        assert [s.heen.id for s in paar.stromen] == [ids[2], ids[1]]
        [paar], volgende = stromen(session, limit=2, voor=volgende)
        assert [s.heen.id for s in paar.stromen] == [ids[0]] and volgende is None
    pagina = open_hub.client.get(f"/dashboard?voor={ids[2]}").text
    assert pagina.count('class="stroom"') == 2 and "P001" in pagina and "P004" not in pagina


def _met_ident(ident: str):  # type: ignore[no-untyped-def]
    m = sample("WMO301", today=TODAY)
    m.header.bericht_identificatie.identificatie = ident
    return m


def test_the_overview_costs_a_few_queries_however_many_rows(open_hub: Hub) -> None:
    from tests.sql import selects, statements

    for i in range(30):
        heen = _met_ident(f"Q{i:03d}")
        open_hub.send("0363", to_xml(heen))
        open_hub.send("12345678", to_xml(retour(heen, [], RetourOpties(f"R{i:03d}", TODAY))))
    engine = open_hub.client.app.state.engine  # type: ignore[attr-defined]
    with statements(engine) as gezien:
        page = open_hub.client.get("/dashboard?ververs=0").text
    queries = selects(gezien)
    stromen = page.split('id="wachtend"')[0]
    assert stromen.count('class="stroom"') == 30 and stromen.count(">WMO302<") == 30
    assert len(queries) <= 9, queries  # the flows, their retours, dead letters and what waits: not per row
