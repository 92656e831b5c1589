"""Dependencies point down: services and gateway -> infra -> iwmo. Checked on the imports in the sources
(also those inside functions), so a shortcut upwards cannot creep in."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

#: package -> the top-level packages it must never import
VERBODEN = {
    "iwmo": {"infra", "gateway", "services", "fastapi", "sqlalchemy", "alembic", "uvicorn", "starlette"},
    "infra": {"gateway", "services"},
    "gateway": {"services"},
}


def imports(pad: Path) -> set[tuple[int, str]]:
    boom = ast.parse(pad.read_text(), filename=str(pad))
    uit: set[tuple[int, str]] = set()
    for node in ast.walk(boom):
        if isinstance(node, ast.Import):
            uit |= {(node.lineno, a.name.split(".")[0]) for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            uit.add((node.lineno, node.module.split(".")[0]))
    return uit


@pytest.mark.parametrize("pakket", sorted(VERBODEN))
def test_a_layer_imports_nothing_above_it(pakket: str) -> None:
    fout = [f"{pad.relative_to(ROOT)}:{regel} imports {naam}"
            for pad in sorted((ROOT / pakket).rglob("*.py"))
            for regel, naam in sorted(imports(pad)) if naam in VERBODEN[pakket]]
    assert fout == []


def test_a_service_imports_no_other_service() -> None:
    diensten = [p.name for p in (ROOT / "services").iterdir() if (p / "__init__.py").exists() and (p / "app.py").exists()]
    assert {"toewijzing", "aanbieder"} <= set(diensten)
    fout = []
    for dienst in diensten:
        for pad in sorted((ROOT / "services" / dienst).rglob("*.py")):
            boom = ast.parse(pad.read_text())
            for node in ast.walk(boom):
                modules = ([a.name for a in node.names] if isinstance(node, ast.Import)
                           else [node.module] if isinstance(node, ast.ImportFrom) and node.module else [])
                for m in modules:
                    delen = m.split(".")
                    if delen[0] == "services" and len(delen) > 1 and delen[1] in diensten and delen[1] != dienst:
                        fout.append(f"{pad.relative_to(ROOT)}:{node.lineno} imports {m}")
    assert fout == []
