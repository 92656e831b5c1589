"""The gemeente's contracts with aanbieders: per product, unit and period the tariff in eurocent.

A data file (DECLARATIE_CONTRACTEN, YAML or JSON, like the bundled demonstration data/contracten.yaml) with
per aanbieder its products. TR418: the ProductTarief in a Prestatie must equal the contract tariff of its
product for the unit, on the Prestatie's begindatum. A tariff per hour also holds when the aanbieder
declares in minutes (TR341 allows minutes on a toewijzing in hours): the ProductTarief is then the tariff
per hour (docs/declaratie.md says why this reading).

A product may be contracted ``taakgericht`` (the third execution variant, IV074): the gemeente pays the
aanbieder for the task as a whole, outside the declaratie, so a Prestatie on it is refused with a reason.
"""

from __future__ import annotations

import datetime as dt
from functools import cache
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, model_validator

DEMO_CONTRACTEN = Path(__file__).resolve().parent.parent / "data" / "contracten.yaml"


class ContractProduct(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    categorie: str = Field(pattern=r"^[0-9]{2}$")
    code: str | None = Field(None, pattern=r"^[0-9A-Z]{5}$")
    bekostiging: Literal["per prestatie", "taakgericht"] = Field(
        "per prestatie", description="taakgericht: betaald buiten de declaratie, geen prestaties (IV074)")
    eenheid: str | None = Field(None, pattern=r"^[0-9]{2}$", description="WJ756; niet bij taakgericht")
    tarief: int | None = Field(None, ge=0, description="eurocent per eenheid; niet bij taakgericht")
    van: dt.date
    tot: dt.date | None = None

    @model_validator(mode="after")
    def _periode(self) -> ContractProduct:
        if self.tot is not None and self.tot < self.van:
            raise ValueError("tot ligt voor van")
        if self.bekostiging == "per prestatie" and (self.eenheid is None or self.tarief is None):
            raise ValueError("een product dat per prestatie betaald wordt heeft een eenheid en een tarief")
        return self

    def geldt_op(self, dag: dt.date) -> bool:
        return self.van <= dag and (self.tot is None or dag <= self.tot)


class Contract(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    aanbieder: str = Field(pattern=r"^[0-9]{8}$")
    producten: list[ContractProduct]


class Contracten(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    demonstratie: bool = False
    contracten: list[Contract]

    def product(self, aanbieder: str, categorie: str, code: str | None, eenheid: str,
                dag: dt.date) -> ContractProduct | None:
        """The contracted product for this unit on ``dag``; an hourly contract serves minutes too."""
        eenheden = (eenheid, "04") if eenheid == "01" else (eenheid,)
        for contract in self.contracten:
            if contract.aanbieder != aanbieder:
                continue
            for e in eenheden:
                for p in contract.producten:
                    if (p.categorie, p.code, p.eenheid) == (categorie, code, e) and p.geldt_op(dag) \
                            and p.bekostiging == "per prestatie":
                        return p
        return None

    def taakgericht(self, aanbieder: str, categorie: str, code: str | None, dag: dt.date) -> bool:
        """Whether the product is contracted taakgericht on ``dag``: not paid per Prestatie."""
        return any(c.aanbieder == aanbieder and p.bekostiging == "taakgericht" and (p.categorie, p.code) == (categorie, code)
                   and p.geldt_op(dag) for c in self.contracten for p in c.producten)

    def heeft_contract(self, aanbieder: str) -> bool:
        return any(c.aanbieder == aanbieder for c in self.contracten)


@cache
def laad(pad: Path = DEMO_CONTRACTEN) -> Contracten:
    return Contracten.model_validate(yaml.safe_load(pad.read_bytes()))
