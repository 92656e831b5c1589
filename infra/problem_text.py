"""An error answer of the suite (a problem, see infra.problem) as lines of text, for the command lines and
the scenario runner. Imports nothing: a command loads it without FastAPI."""

from __future__ import annotations

from typing import Any


def describe(status: int, antwoord: Any) -> list[str]:
    """``"422 Ongeldige invoer: <detail>"`` and one line per fault (``"  client.voorleters: onbekend veld"``);
    an answer in another shape as it came."""
    if not isinstance(antwoord, dict) or "detail" not in antwoord:
        return [f"{status} {antwoord}"]
    code = f" [{antwoord['foutcode']}]" if antwoord.get("foutcode") else ""
    regels = [f"{status} {antwoord.get('title') or 'fout'}{code}: {antwoord['detail']}"]
    for f in antwoord.get("fouten") or []:
        if not isinstance(f, dict):
            continue
        waar = f"{f['veld']}: " if f.get("veld") else ""
        regel = f" ({f['regel']})" if f.get("regel") and f["regel"] not in str(f.get("fout")) else ""
        regels.append(f"  {waar}{f.get('fout')}{regel}")
    return regels
