"""The file in which ``iwmo suite`` keeps the API tokens of its services, read by the commands that call
them (``iwmo scenario``, ``iwmo aanbieder``). Light on purpose: the commands' parsers name its place.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

#: where ``iwmo suite`` keeps the API tokens (IWMO_API_TOKENS points elsewhere)
TOKENS_PATH = Path(os.environ.get("IWMO_API_TOKENS", "var/suite/api-tokens.json"))


def read_tokens(pad: Path) -> dict[str, dict[str, str]]:
    """The API tokens ``iwmo suite`` wrote (``{"toewijzing": {...}, "aanbieder": {...}}``); empty when the
    file is not there; ValueError (one line, naming the file) when it cannot be read as such."""
    if not pad.is_file():
        return {}
    try:
        data = json.loads(pad.read_text())
        if not isinstance(data, dict) or not all(isinstance(t, dict) for t in data.values()):
            raise ValueError("verwacht {\"toewijzing\": {naam: token}, \"aanbieder\": {agb: token}}")
        return {dienst: {str(n): str(t) for n, t in tokens.items()} for dienst, tokens in data.items()}
    except (OSError, ValueError) as exc:
        raise ValueError(f"{pad}: geen bestand met API-tokens ({exc})") from None
