"""The docs stay in step with the code."""

from __future__ import annotations

from iwmo.regels import REGELS
from tests.conftest import REPO


def test_every_rule_is_listed_in_validation_docs() -> None:
    text = (REPO / "docs" / "validation.md").read_text(encoding="utf-8")
    missing = sorted({r.code for r in REGELS if f"| {r.code} |" not in text})
    assert not missing, f"add these rules to the table in docs/validation.md: {missing}"


def test_readme_names_the_two_commands() -> None:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    assert "make test" in text and "make run" in text
