"""Valid example messages of all 14 types, with fictitious people and valid (test) BSNs.

``sample("WMO301", variant="uren")`` assigns time (Omvang in hours per week);
``variant="resultaat"`` assigns a result (output units, Eenheid 82) and, where the message allows,
a budget (see docs/toewijzing.md). Dates are relative to ``today`` so that the samples stay valid
against the rules that compare with the Dagtekening and the system date.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Literal

from iwmo.berichten import Bericht
from iwmo.berichten.basis import (
    Achternaam,
    Adres,
    BedragMetDC,
    BerichtIdentificatie,
    Geboortedatum,
    GeslotenPeriode,
    Huis,
    Omvang,
    Product,
    Referentie,
    Telefoon,
    Telefoonnummers,
    TotaalBedragMetDC,
    VerkorteNaam,
    Verwijzer,
    VolledigeNaam,
)
from iwmo.berichten.declaratie import Declaratie, DeclaratieClient, Prestatie, Wmo323
from iwmo.berichten.header import Header
from iwmo.berichten.start_stop import StartClient, StartProduct, StopClient, StopProduct, Wmo305, Wmo307
from iwmo.berichten.toewijzing import Client, Contact, ToegewezenProduct, Wmo301
from iwmo.berichten.verzoek import (
    AangevraagdProduct,
    Antwoord,
    NieuwProduct,
    OngewijzigdProduct,
    TeWijzigenProduct,
    Verzoek,
    VerzoekClient,
    WijzigingClient,
    Wmo315,
    Wmo317,
    Wmo319,
)
from iwmo.catalogue import bericht as bericht_type

Variant = Literal["uren", "resultaat"]
VARIANTS: tuple[Variant, ...] = ("uren", "resultaat")

GEMEENTE = "0363"  # Amsterdam
AANBIEDER = "12345678"
BSN = "999990019"
TOEWIJZINGNUMMER = 4711

#: Messages whose content carries a toewijzing (or a request for one) and so has two variants.
MET_VARIANT = {"WMO301", "WMO302", "WMO315", "WMO316", "WMO317", "WMO318", "WMO323", "WMO325"}


def _header(naam: str, today: dt.date, ident: str) -> Header:
    btype = bericht_type(naam)
    gemeente_zendt = btype.header_afzender == "gemeente"
    return Header(
        afzender=GEMEENTE if gemeente_zendt else AANBIEDER,
        ontvanger=AANBIEDER if gemeente_zendt else GEMEENTE,
        bericht_identificatie=BerichtIdentificatie(identificatie=ident, dagtekening=today),
    )


def _eerste_van_maand(d: dt.date) -> dt.date:
    return d.replace(day=1)


def _periode(today: dt.date) -> tuple[dt.date, dt.date]:
    """Start: the first of this month; end: the last day of the year after."""
    return _eerste_van_maand(today), dt.date(today.year + 1, 12, 31)


def _omvang(variant: Variant) -> Omvang:
    if variant == "uren":
        return Omvang(volume=3, eenheid="04", frequentie="2")  # 3 hours a week
    return Omvang(volume=1, eenheid="82", frequentie="4")  # one result (clean home) a month


def _product(variant: Variant) -> Product:
    return Product(categorie="01", code="01A01" if variant == "uren" else "01R01")


def wmo301(variant: Variant = "uren", today: dt.date | None = None) -> Wmo301:
    today = today or dt.date.today()
    ingang, eind = _periode(today)
    producten = [ToegewezenProduct(
        toewijzing_nummer=TOEWIJZINGNUMMER, product=_product(variant), toewijzingsdatum=today,
        toewijzingstijd=dt.time(9, 30), ingangsdatum=ingang, einddatum=eind, omvang=_omvang(variant),
        commentaar="Hulp bij het huishouden" if variant == "uren" else "Resultaat: een schoon en leefbaar huis",
    )]
    if variant == "resultaat":  # a second, budget-based assignment (aspecifiek met budget)
        producten.append(ToegewezenProduct(
            toewijzing_nummer=TOEWIJZINGNUMMER + 1, product=Product(categorie="02"), toewijzingsdatum=today,
            toewijzingstijd=dt.time(9, 30), ingangsdatum=ingang, einddatum=eind, budget=250_000,
        ))
    return Wmo301(
        header=_header("WMO301", today, "T301-0001"),
        client=Client(
            bsn=BSN,
            geboortedatum=Geboortedatum(datum=dt.date(1948, 3, 14)),
            geslacht="2",
            naam=VolledigeNaam(geslachtsnaam=Achternaam(achternaam="Jansen", voorvoegsel="de"), voornamen="Grietje",
                               voorletters="G", naam_gebruik="1"),
            contactgegevens=[Contact(
                soort="01",
                adres=Adres(huis=Huis(huisnummer=12), postcode="1011AB", straatnaam="Voorbeeldstraat",
                            plaatsnaam="Amsterdam", land_code="NL"),
                telefoon=Telefoonnummers(telefoon01=Telefoon(telefoonnummer="0201234567", landnummer="0031")),
            )],
            toegewezen_producten=producten,
        ),
    )


def _verkorte_naam() -> VerkorteNaam:
    return VerkorteNaam(geslachtsnaam=Achternaam(achternaam="Jansen", voorvoegsel="de"), voorletters="G")


def wmo305(today: dt.date | None = None) -> Wmo305:
    today = today or dt.date.today()
    return Wmo305(
        header=_header("WMO305", today, "S305-0001"),
        client=StartClient(
            bsn=BSN, geboortedatum=Geboortedatum(datum=dt.date(1948, 3, 14)), geslacht="2", naam=_verkorte_naam(),
            start_producten=[StartProduct(
                toewijzing_nummer=TOEWIJZINGNUMMER, product=Product(categorie="01", code="01A01"),
                toewijzing_ingangsdatum=_eerste_van_maand(today), begindatum=_eerste_van_maand(today),
                status_aanlevering="1",
            )],
        ),
    )


def wmo307(today: dt.date | None = None) -> Wmo307:
    today = today or dt.date.today()
    return Wmo307(
        header=_header("WMO307", today, "S307-0001"),
        client=StopClient(
            bsn=BSN, geboortedatum=Geboortedatum(datum=dt.date(1948, 3, 14)), geslacht="2", naam=_verkorte_naam(),
            stop_producten=[StopProduct(
                toewijzing_nummer=TOEWIJZINGNUMMER, product=Product(categorie="01", code="01A01"),
                toewijzing_ingangsdatum=_eerste_van_maand(today), begindatum=_eerste_van_maand(today),
                reden_beeindiging="19", einddatum=today, status_aanlevering="1",
            )],
        ),
    )


def wmo315(variant: Variant = "uren", today: dt.date | None = None) -> Wmo315:
    today = today or dt.date.today()
    ingang, eind = _periode(today)
    return Wmo315(
        header=_header("WMO315", today, "V315-0001"),
        client=VerzoekClient(
            bsn=BSN, geboortedatum=Geboortedatum(datum=dt.date(1948, 3, 14)), geslacht="2", naam=_verkorte_naam(),
            aangevraagde_producten=[AangevraagdProduct(
                referentie_aanbieder="VOT-2026-0001", product=_product(variant), toewijzing_ingangsdatum=ingang,
                toewijzing_einddatum=eind, omvang=_omvang(variant),
                verwijzer=Verwijzer(type="02", naam="Huisartsenpraktijk Centrum"),
            )],
        ),
    )


def wmo317(variant: Variant = "uren", today: dt.date | None = None) -> Wmo317:
    today = today or dt.date.today()
    gewenst = today + dt.timedelta(days=7)
    eind = dt.date(today.year + 1, 12, 31)
    omvang = Omvang(volume=5, eenheid="04", frequentie="2") if variant == "uren" \
        else Omvang(volume=2, eenheid="82", frequentie="4")
    return Wmo317(
        header=_header("WMO317", today, "W317-0001"),
        client=WijzigingClient(bsn=BSN, verzoek=Verzoek(
            referentie_aanbieder="VOW-2026-0001", reden_verzoek="1",
            ongewijzigde_producten=[OngewijzigdProduct(toewijzing_nummer=TOEWIJZINGNUMMER + 1)],
            te_wijzigen_producten=[TeWijzigenProduct(
                toewijzing_nummer=TOEWIJZINGNUMMER, gewenste_ingangsdatum=gewenst, einddatum=eind, omvang=omvang)],
            nieuwe_producten=[NieuwProduct(
                product=Product(categorie="07", code="07A01"), gewenste_ingangsdatum=gewenst, einddatum=eind,
                omvang=Omvang(volume=2, eenheid="16", frequentie="2"))],
        )),
    )


def wmo319(today: dt.date | None = None) -> Wmo319:
    today = today or dt.date.today()
    return Wmo319(
        header=_header("WMO319", today, "A319-0001"),
        antwoord=Antwoord(referentie_aanbieder="VOT-2026-0001", verzoek_antwoord="1", reden_afwijzing_verzoek="3"),
    )


def wmo323(variant: Variant = "uren", today: dt.date | None = None) -> Wmo323:
    today = today or dt.date.today()
    einde = _eerste_van_maand(today) - dt.timedelta(days=1)
    begin = einde.replace(day=1)
    if variant == "uren":
        volume, eenheid, tarief = 13, "04", 3_250  # 13 hours at EUR 32.50
    else:
        volume, eenheid, tarief = 1, "82", 45_000  # one result at EUR 450
    bedrag = volume * tarief
    return Wmo323(
        header=_header("WMO323", today, "D323-0001"),
        declaratie=Declaratie(
            declaratie_nummer=f"D{begin:%Y%m}01", declaratie_periode=GeslotenPeriode(begindatum=begin, einddatum=einde),
            declaratie_dagtekening=today,
            totaal_ingediend_bedrag=TotaalBedragMetDC(totaal_bedrag=bedrag, debet_credit="D"),
            clienten=[DeclaratieClient(bsn=BSN, prestaties=[Prestatie(
                product_referentie=Referentie(referentie_nummer=f"P{begin:%Y%m}-0001"),
                toewijzing_nummer=TOEWIJZINGNUMMER, product_categorie="01",
                product_code="01A01" if variant == "uren" else "01R01",
                product_periode=GeslotenPeriode(begindatum=begin, einddatum=einde),
                geleverd_volume=volume, eenheid=eenheid, product_tarief=tarief,
                ingediend_bedrag=BedragMetDC(bedrag=bedrag, debet_credit="D"),
            )])],
        ),
    )


def sample(naam: str, variant: Variant = "uren", today: dt.date | None = None) -> Bericht:
    """A valid message of type ``naam`` (``WMO301`` .. ``WMO325``)."""
    btype = bericht_type(naam)
    if not btype.is_heen:
        from iwmo.retour import sample_retour

        return sample_retour(sample(btype.partner, variant, today), today=today)
    builders: dict[str, Callable[[], Bericht]] = {
        "WMO301": lambda: wmo301(variant, today), "WMO305": lambda: wmo305(today),
        "WMO307": lambda: wmo307(today), "WMO315": lambda: wmo315(variant, today),
        "WMO317": lambda: wmo317(variant, today), "WMO319": lambda: wmo319(today),
        "WMO323": lambda: wmo323(variant, today),
    }
    return builders[btype.naam]()
