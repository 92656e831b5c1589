"""iwmo: the iWmo 3.2 message layer (catalogue, safe parsing, typed models, validation, retour).

The public face::

    import iwmo

    rapport = iwmo.validate(data)             # a Rapport: bericht, berichtcode, valid, fouten
    iwmo.is_valid(data)                       # True or False
    for fout in iwmo.iter_errors(data): ...   # the faults (Fout: code, locaties, retourcode, details)
    bericht = iwmo.from_xml(data)             # typed model; iwmo.to_xml(bericht) gives the XML back
    iwmo.sample("WMO301")                     # a valid example message
    iwmo.retour(heen, fouten, iwmo.RetourOpties(identificatie, dagtekening))  # the retour the receiver owes

Every error the library raises is an :class:`IwmoError`. The names are loaded on first use (PEP 562), so
``import iwmo`` stays cheap and ``iwmo validate`` never pays for the models it does not need.
"""

from __future__ import annotations

import sys
import types
from importlib import import_module
from typing import TYPE_CHECKING, Any

from iwmo.exceptions import IwmoError

if TYPE_CHECKING:
    from iwmo.regels import Fout
    from iwmo.retour import RetourOpties, retour
    from iwmo.samples import sample
    from iwmo.validation import Rapport, is_valid, iter_errors, validate
    from iwmo.xml import from_xml, to_xml

__version__ = "0.1.0"

__all__ = ["Fout", "IwmoError", "Rapport", "RetourOpties", "__version__", "from_xml", "is_valid", "iter_errors",
           "retour", "sample", "to_xml", "validate"]

#: public name -> the module that defines it, imported on first access
_LAZY = {
    "validate": "iwmo.validation", "is_valid": "iwmo.validation", "iter_errors": "iwmo.validation",
    "Rapport": "iwmo.validation", "Fout": "iwmo.regels",
    "from_xml": "iwmo.xml", "to_xml": "iwmo.xml", "sample": "iwmo.samples",
    "retour": "iwmo.retour", "RetourOpties": "iwmo.retour",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'iwmo' has no attribute {name!r}")
    value = getattr(import_module(module), name)
    globals()[name] = value  # once loaded, a plain attribute
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))


class _Iwmo(types.ModuleType):
    """``iwmo.retour`` is the function, also after ``import iwmo.retour``: the import system then sets the
    package's attribute to the submodule, which this replaces with the function of that name (the
    module itself stays in ``sys.modules``, so ``from iwmo.retour import RetourOpties`` works as before)."""

    def __setattr__(self, name: str, value: Any) -> None:
        if name == "retour" and isinstance(value, types.ModuleType):
            value = value.retour
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Iwmo
