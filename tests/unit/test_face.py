"""The library's public face: ``import iwmo`` and its names, one error family, and no service code in it."""

from __future__ import annotations

import ast
import inspect
import json
import pkgutil
import subprocess
import sys
from pathlib import Path

import pytest

import iwmo
from iwmo.exceptions import IwmoError
from tests.conftest import TODAY

IWMO = Path(iwmo.__file__).resolve().parent
SERVICE_PACKAGES = ("fastapi", "sqlalchemy", "alembic", "uvicorn", "starlette", "pydantic_settings", "psycopg")


def _modules_after(code: str) -> set[str]:
    """The top-level packages loaded by a fresh interpreter after ``code``."""
    script = f"{code}\nimport json, sys\nprint(json.dumps(sorted({{m.split('.')[0] for m in sys.modules}})))"
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True).stdout
    return set(json.loads(out.splitlines()[-1]))


def test_every_public_name_is_there() -> None:
    assert set(iwmo.__all__) >= {"validate", "is_valid", "iter_errors", "from_xml", "to_xml", "sample", "retour",
                                 "Rapport", "Fout", "IwmoError", "__version__"}
    for name in iwmo.__all__:
        assert getattr(iwmo, name) is not None
    with pytest.raises(AttributeError):
        iwmo.geen_naam  # type: ignore[attr-defined]  # noqa: B018


def test_the_face_works_end_to_end() -> None:
    data = iwmo.to_xml(iwmo.sample("WMO301", today=TODAY))
    rapport = iwmo.validate(data, today=TODAY)
    assert isinstance(rapport, iwmo.Rapport) and rapport.valid and iwmo.is_valid(data, today=TODAY)
    assert list(iwmo.iter_errors(data, today=TODAY)) == []
    fouten = list(iwmo.iter_errors(b"<kapot", today=TODAY))
    assert [f.code for f in fouten] == ["XML"] and all(isinstance(f, iwmo.Fout) for f in fouten)
    assert not iwmo.is_valid(b"<kapot")
    antwoord = iwmo.retour(iwmo.from_xml(data), [], iwmo.RetourOpties("R1", TODAY))
    assert antwoord.type().naam == "WMO302"


def test_retour_is_the_function_also_after_its_module_is_imported() -> None:
    import iwmo.retour  # the import system sets the package attribute to the submodule
    from iwmo.retour import retour
    assert iwmo.retour is retour and callable(iwmo.retour)
    assert sys.modules["iwmo.retour"].NoRetour is iwmo.exceptions.NoRetour


def test_importing_iwmo_is_cheap() -> None:
    loaded = _modules_after("import iwmo")
    assert "lxml" not in loaded and "holidays" not in loaded and not loaded & set(SERVICE_PACKAGES)


def test_the_library_imports_no_service_framework() -> None:
    """Every module of iwmo/, imported in a fresh process: FastAPI, SQLAlchemy and company stay out (and the
    sources do not name them)."""
    names = [m.name for m in pkgutil.walk_packages([str(IWMO)], "iwmo.") if not m.name.endswith("__main__")]
    loaded = _modules_after("\n".join(f"import {n}" for n in names))
    assert not loaded & set(SERVICE_PACKAGES), loaded & set(SERVICE_PACKAGES)
    assert not loaded & {"gateway", "services"}
    for path in IWMO.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.Import | ast.ImportFrom):
                modules = [a.name for a in node.names] if isinstance(node, ast.Import) else [node.module or ""]
                for m in modules:
                    assert m.split(".")[0] not in SERVICE_PACKAGES + ("gateway", "services"), f"{path}: {m}"


def test_every_library_error_is_an_iwmo_error() -> None:
    names = [m.name for m in pkgutil.walk_packages([str(IWMO)], "iwmo.") if not m.name.endswith("__main__")]
    errors = set()
    for name in names:
        module = __import__(name, fromlist=["_"])
        errors |= {obj for _, obj in inspect.getmembers(module, inspect.isclass)
                   if issubclass(obj, BaseException) and obj.__module__.startswith("iwmo")}
    assert errors and all(issubclass(e, IwmoError) for e in errors), errors
    assert {e.__module__ for e in errors} == {"iwmo.exceptions"}  # one flat module


def test_the_errors_stay_importable_where_they_were() -> None:
    from iwmo import catalogue, exceptions, hub, xml
    from iwmo.retour import NoRetour, OnbekendeLocatie  # (``iwmo.retour`` itself is the function)

    assert catalogue.UnknownBericht is exceptions.UnknownBericht
    assert NoRetour is exceptions.NoRetour and OnbekendeLocatie is exceptions.OnbekendeLocatie
    assert xml.BindingError is exceptions.BindingError
    assert hub.HubError is exceptions.HubError and hub.HubUnreachable is exceptions.HubUnreachable


def test_an_unknown_bericht_is_still_a_key_error() -> None:
    from iwmo.catalogue import UnknownBericht, bericht

    for soort in (KeyError, IwmoError, UnknownBericht):
        with pytest.raises(soort):
            bericht("WMO999")
    with pytest.raises(KeyError) as info:
        bericht("WMO999")
    assert str(info.value) == "'WMO999'"
