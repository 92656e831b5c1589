"""The client's letter as a page: HTML (print-friendly, one template) and the same page as PDF (WeasyPrint).

What the letter says is decided in :mod:`services.plan.domain.brief`; this module only renders it."""

from __future__ import annotations

from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape

from services.plan.domain.brief import Brief

_TEMPLATES = Environment(loader=FileSystemLoader(Path(__file__).parent / "templates"),
                         autoescape=select_autoescape(["html"]), trim_blocks=True, lstrip_blocks=True)


def html(brief: Brief) -> str:
    return _TEMPLATES.get_template("brief.html").render(brief=brief)


def pdf(pagina: str) -> bytes:
    """The page as a PDF (A4, as printed). WeasyPrint is imported here: it takes a second to load."""
    from weasyprint import HTML

    data: bytes = HTML(string=pagina).write_pdf()
    return data
