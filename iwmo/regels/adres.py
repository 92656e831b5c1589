"""Rules on contact data and addresses (WMO301)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from iwmo.regels.core import Context, Hit, regel

NL_POSTCODE = re.compile(r"[1-9][0-9]{3}[A-Z]{2}")
WMO301 = ("WMO301",)


@regel("CD025", WMO301, "Als Adres/LandCode NL is, dan is Huis verplicht.")
def huis_bij_nl(ctx: Context) -> Iterator[Hit]:
    for adres in ctx.all("Adres"):
        land = ctx.get(adres, "LandCode")
        if land is not None and land.text == "NL" and ctx.get(adres, "Huis") is None:
            yield Hit([land])


@regel("CD034", WMO301, "Als Soort adres 01 (BRP-adres) of 03 (verblijfadres) is, dan is Postcode verplicht.")
def postcode_bij_soort(ctx: Context) -> Iterator[Hit]:
    for contact in ctx.all("Contact"):
        soort = ctx.get(contact, "Soort")
        if soort is not None and soort.text in ("01", "03") and ctx.get(contact, "Adres", "Postcode") is None:
            yield Hit([soort])


@regel("CS089", WMO301, "Als LandCode NL is, moet Postcode een Nederlandse postcode zijn (1234AB).")
def nl_postcode(ctx: Context) -> Iterator[Hit]:
    for adres in ctx.all("Adres"):
        postcode = ctx.get(adres, "Postcode")
        if postcode is not None and ctx.text(adres, "LandCode") == "NL" \
                and not NL_POSTCODE.fullmatch(postcode.text or ""):
            yield Hit([postcode], f"Postcode {postcode.text!r} heeft niet het formaat van een Nederlandse postcode.")


@regel("CD005", WMO301, "LandCode is verplicht als Postcode gevuld is, en moet anders leeg zijn.")
def landcode_bij_postcode(ctx: Context) -> Iterator[Hit]:
    for adres in ctx.all("Adres"):
        postcode = ctx.get(adres, "Postcode")
        land = ctx.get(adres, "LandCode")
        if postcode is not None and land is None:
            yield Hit([postcode], "Postcode is gevuld: LandCode moet gevuld zijn.")
        elif postcode is None and land is not None:
            yield Hit([land], "Postcode is leeg: LandCode moet leeg zijn.")


@regel("CD009", WMO301, "Periode mag alleen gevuld zijn als Soort adres 04 (tijdelijk adres) is.")
def periode_bij_tijdelijk(ctx: Context) -> Iterator[Hit]:
    for contact in ctx.all("Contact"):
        periode = ctx.get(contact, "Periode")
        if periode is not None and ctx.text(contact, "Soort") != "04":
            yield Hit([periode])


@regel("TR006", WMO301, "Contact moet Telefoon bevatten, en/of Huis en Postcode.")
def contact_bereikbaar(ctx: Context) -> Iterator[Hit]:
    for contact in ctx.all("Contact"):
        if ctx.get(contact, "Telefoon") is not None:
            continue
        adres = ctx.get(contact, "Adres")
        if adres is None or ctx.get(adres, "Huis") is None or ctx.get(adres, "Postcode") is None:
            yield Hit([contact])


@regel("TR061", WMO301, "De client moet minstens een Contact hebben met Soort 01, 02 of 03.")
def client_adres(ctx: Context) -> Iterator[Hit]:
    for cg in ctx.all("Contactgegevens"):
        soorten = {ctx.text(c, "Soort") for c in cg}
        if not soorten & {"01", "02", "03"}:
            yield Hit([cg])
