"""Helpers for tests of work that runs in several threads at once (the hub's and the services' thread pools)."""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping


def met_fout(xml: bytes, element: str, waarde: str) -> bytes:
    """``xml`` whose first ``element`` (any prefix) holds ``waarde`` instead: one fault on that element."""
    tekst = xml.decode()
    begin = tekst.index(f":{element}>") + len(element) + 2
    return (tekst[:begin] + waarde + tekst[tekst.index("<", begin):]).encode()


def tegelijk(werk: Callable[[str, bytes], list[str]], berichten: Mapping[str, bytes]) -> list[str]:
    """``werk(naam, bericht)`` for every message, each in a thread of its own, all starting at the same moment;
    what they found wrong, together."""
    start, verkeerd = threading.Barrier(len(berichten)), []

    def draad(naam: str, bericht: bytes) -> None:
        start.wait()
        verkeerd.extend(werk(naam, bericht))

    draden = [threading.Thread(target=draad, args=item) for item in berichten.items()]
    for d in draden:
        d.start()
    for d in draden:
        d.join()
    return verkeerd
