"""Hub errors, modelled on the GGK/VECOZO error codes (IBxxx, BRSxx). A refusal is the library's
:class:`iwmo.exceptions.HubError`, the same class that a client of the hub (iwmo.hub) raises when it
meets one: one error family on both sides of the wire. The hub answers each in the suite's one shape
(infra.problem: problem details with the foutcode)."""

from __future__ import annotations

from infra.schemas import HubProbleem as ErrorBody
from iwmo.exceptions import BudgetOverschreden, HubError

#: input that does not fit (a body, path or query parameter): answered by infra.problem with this code
INVALID_INPUT = "IB018"


class OntvangerOnbekend(HubError):
    """IB005 (a gemeente sends) / IB010 (an aanbieder sends): the addressee is not connected; it says who,
    and which type, so the hub can keep track of what waits at its senders."""

    def __init__(self, *, rol: str, ontvanger: str, bericht: str) -> None:
        super().__init__(422, "IB005" if rol == "gemeente" else "IB010",  # the sender's hub: GGK or VECOZO
                         "Geadresseerde partij is niet aangesloten bij de hub.", [ontvanger])
        self.ontvanger, self.bericht = ontvanger, bericht


def unauthorized() -> HubError:
    return HubError(401, "IB002", "De verzendende partij is niet geautoriseerd: geen of een ongeldig token.")


def too_large(max_bytes: int, rol: str = "aanbieder") -> HubError:
    """IB003 at the gemeenten's side (GGK), IB012 at the aanbieders' (VECOZO)."""
    code = "IB003" if rol == "gemeente" else "IB012"
    return HubError(413, code, f"Payload is groter dan toegestaan (maximaal {max_bytes} bytes).")


def te_traag(seconden: float, min_rate: float = 0, max_seconden: float | None = None) -> HubError:
    """IB408 (the simulation's own; the real hubs' lists have no code for it): the body came in too slowly."""
    verlengd = (f" (plus 1 seconde per {min_rate:g} ontvangen bytes"
                + (f", samen hoogstens {max_seconden:g} seconden)" if max_seconden is not None else ")")
                if min_rate > 0 else "")
    return HubError(408, "IB408", f"Het bericht kwam niet binnen {seconden:g} seconden{verlengd} binnen; de "
                                  "verbinding wordt gesloten.")


def te_duur(exc: BudgetOverschreden) -> HubError:
    """IB422 (the simulation's own): judging the message took longer than the hub's budget per message."""
    return HubError(422, "IB422", f"Het bericht vraagt meer controletijd dan de hub per bericht geeft "
                                  f"(maximaal {exc.budget:g} seconden); het is niet aangenomen.",
                    [f"controle gestopt bij {exc.regel}"])


def not_found() -> HubError:
    return HubError(404, "IB404", "Bericht niet gevonden in uw berichtenbox.")


__all__ = ["OntvangerOnbekend", "INVALID_INPUT", "ErrorBody", "HubError", "not_found", "te_duur", "te_traag", "too_large", "unauthorized"]
