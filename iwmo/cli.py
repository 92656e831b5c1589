"""The ``iwmo`` command line.

    iwmo validate [--format text|json] [--today YYYY-MM-DD] FILE... | -
    iwmo sample BERICHT [--variant uren|resultaat] [--today YYYY-MM-DD]
    iwmo retour FILE [--today YYYY-MM-DD] [--identificatie ID] [--fout CODE:XPATH ...]
    iwmo regels [--bericht BERICHT]
    iwmo berichten
    iwmo code CODE... [--json]

Exit status of ``validate``: 0 every file valid, 1 any file invalid, 2 usage or read error.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import io
import json
import os
import re
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, NoReturn, TextIO

from iwmo import __version__, codelijsten
from iwmo.catalogue import BERICHTEN, bericht
from iwmo.exceptions import IwmoError, UnknownBericht
from iwmo.loader import MAX_BYTES
from iwmo.regels import REGELS, Fout
from iwmo.validation import Rapport, validate

if TYPE_CHECKING:
    from importlib.metadata import EntryPoint

EXIT_OK, EXIT_INVALID, EXIT_USAGE = 0, 1, 2


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"geen datum in de vorm YYYY-MM-DD: {text!r}") from None


def _parser(command: str | None = None) -> argparse.ArgumentParser:
    """The whole command line; with ``command``, the built-in command about to run, the installed plugins
    are not looked up (so ``iwmo validate`` loads nothing of the hub or the services)."""
    p = argparse.ArgumentParser(
        prog="iwmo",
        description="iWmo 3.2 berichten valideren, voorbeelden maken en retourberichten opstellen.",
        epilog="Zie docs/validation.md voor wat er gecontroleerd wordt en hoe je een rapport leest.",
    )
    p.add_argument("--version", action="version", version=f"iwmo {__version__}")
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")

    v = sub.add_parser(
        "validate", help="controleer berichten tegen XSD en de regels van de standaard",
        description="Controleert elk bestand tegen de XSD's van het project en de regels van iWmo 3.2 die "
                    "binnen een bericht te controleren zijn (condities CD, constraints CS, technische regels TR). "
                    "Exitcode 0: alles geldig; 1: minstens een bestand ongeldig; 2: gebruiks- of leesfout.",
    )
    v.add_argument("files", nargs="+", metavar="FILE", help="XML-bestand(en); '-' leest van standaardinvoer")
    v.add_argument("--format", choices=("text", "json"), default="text",
                   help="text (standaard) of json: een JSON-array met een object per bestand")
    v.add_argument("--today", type=_date, metavar="YYYY-MM-DD",
                   help="de 'systeemdatum' voor regels die met vandaag vergelijken (TR135); standaard vandaag")

    s = sub.add_parser("sample", help="druk een geldig voorbeeldbericht af",
                       description="Drukt een geldig voorbeeldbericht af (fictieve client, geldig test-BSN).")
    s.add_argument("bericht", metavar="BERICHT", help="WMO301, WMO302, ..., WMO325 (of 301, ...)")
    s.add_argument("--variant", choices=("uren", "resultaat"), default="uren",
                   help="uren: omvang in tijd (uur per week); resultaat: output-eenheden (82) of een budget")
    s.add_argument("--today", type=_date, metavar="YYYY-MM-DD", help="dagtekening van het bericht")

    r = sub.add_parser(
        "retour", help="stel het retourbericht op dat de ontvanger verschuldigd is",
        description="Valideert een heenbericht en drukt het retourbericht af met RetourCodes per berichtklasse "
                    "(0200 geen opmerking, 0001 afgekeurd, 0233 niet beoordeeld, of de specifieke code). "
                    "Een bericht met XSD-fouten krijgt geen retourbericht (exitcode 1).",
    )
    r.add_argument("file", metavar="FILE", help="het heenbericht ('-' voor standaardinvoer)")
    r.add_argument("--today", type=_date, metavar="YYYY-MM-DD", help="DagtekeningRetour en systeemdatum")
    r.add_argument("--identificatie", default=None, help="IdentificatieRetour (standaard: R en 11 willekeurige tekens)")
    r.add_argument("--fout", action="append", default=[], metavar="CODE:XPATH",
                   help="voeg een berichtoverstijgende fout toe, bijv. 9063:/Bericht/Client/StartProducten/StartProduct")

    if command not in BUILTIN:
        _add_plugins(sub, _plugins())

    g = sub.add_parser("regels", help="lijst de regels die de validator controleert",
                       description="Elke regel die de validator binnen een bericht controleert (condities CD, "
                                   "constraints CS, technische regels TR): code, retourcode, de berichten waarin "
                                   "ze geldt en wat ze zegt. De berichtoverstijgende regels toetst de ontvanger "
                                   "(de diensten van de gemeente en de stand-in); iwmo code TR304 zegt wat die "
                                   "betekenen.")
    g.add_argument("--bericht", help="alleen de regels voor dit bericht, bijv. WMO301")
    sub.add_parser("berichten", help="lijst de 14 berichten van iWmo 3.2",
                   description="De berichten van iWmo 3.2: naam, code, heen of retour, van wie naar wie, en het "
                               "bericht dat erop antwoordt.")
    c = sub.add_parser("code", help="wat een retourcode, regelcode, foutcode of code uit een codelijst betekent",
                       description="Zegt wat een code betekent: een retourcode (WJ001, met de regel erachter), een "
                                   "regel (TR, CD, CS ...), een foutcode van de hub (IB, BRS, ADM) of een code uit "
                                   "een andere codelijst van de standaard (een code kan in meer lijsten staan). "
                                   "Exit 0 als elke code bekend is, 1 als er een onbekend is.")
    c.add_argument("codes", nargs="+", metavar="CODE", help="bijv. 9069, TR304, IB010, 0233")
    c.add_argument("--json", action="store_true", help="als JSON: per code een lijst betekenissen")
    return p


#: the entry-point group through which installed packages add commands (the hub, the services). Each entry
#: names a small module (or object) that imports nothing heavy and holds ``HELP`` (one line for
#: ``iwmo --help``), ``add_arguments(parser)`` (fills the command's own parser) and
#: ``main(args, out, err) -> int``, which imports the command's real code only when it runs.
#: An entry may name extras (``gateway.commands [services]``): without them installed (``pip install
#: iwmo-suite``, the message library alone) the command is simply not listed, nor is one whose package is gone.
PLUGIN_GROUP = "iwmo.commands"
_REQUIREMENT = re.compile(r"\s*([A-Za-z0-9][A-Za-z0-9._-]*)[^;]*;(.*)")
_EXTRA = re.compile(r"""extra\s*==\s*["']([^"']+)["']""")


def _extras_installed(ep: EntryPoint) -> bool:
    """Whether every distribution that the entry point's extras ask for is installed."""
    from importlib.metadata import PackageNotFoundError, distribution

    if not ep.extras or ep.dist is None:
        return True
    for requirement in ep.dist.requires or []:
        m = _REQUIREMENT.match(requirement)
        extra = _EXTRA.search(m.group(2)) if m else None
        if m is None or extra is None or extra.group(1) not in ep.extras:
            continue
        try:
            distribution(m.group(1))
        except PackageNotFoundError:
            return False
    return True


def _plugins() -> dict[str, Any]:
    """The commands that installed packages add, by name, in the order the packages declare them."""
    import importlib.metadata  # not at the top: its import alone costs `iwmo validate` tens of ms

    found: dict[str, Any] = {}
    for ep in importlib.metadata.entry_points(group=PLUGIN_GROUP):
        if ep.name in BUILTIN or ep.name in found or not _extras_installed(ep):
            continue
        try:
            found[ep.name] = ep.load()
        except ModuleNotFoundError as exc:  # registered, but its package is gone: not a command here
            if exc.name and ep.module.startswith(exc.name):
                continue
            raise
    return found


def _add_plugins(sub: argparse._SubParsersAction[argparse.ArgumentParser], plugins: dict[str, Any]) -> None:
    for naam, plugin in plugins.items():
        parser = sub.add_parser(naam, help=plugin.HELP)
        plugin.add_arguments(parser)
        parser.set_defaults(_plugin=plugin)


def _read(name: str) -> bytes:
    """At most one byte beyond the size cap (the validator then reports the size): a huge file, or an
    endless one such as /dev/zero, is never read whole."""
    if name == "-":
        return sys.stdin.buffer.read(MAX_BYTES + 1)
    with open(name, "rb") as f:
        # a read of n bytes first allocates n: ask for what the file holds (one more, so that one grown past
        # the cap is seen), not 25 MB each time (that cost 70 us a file); a device without a size gets the cap
        size = os.fstat(f.fileno()).st_size
        return f.read(min(size, MAX_BYTES) + 1 if size else MAX_BYTES + 1)


def _print_text(rapport: Rapport, out: TextIO) -> None:
    soort = f"{rapport.bericht} ({rapport.berichtcode})" if rapport.bericht else "onbekend bericht"
    if rapport.valid:
        print(f"{rapport.file}: {soort} geldig", file=out)
        return
    n = len(rapport.fouten)
    print(f"{rapport.file}: {soort} ONGELDIG, {n} fout{'en' if n != 1 else ''}", file=out)
    for f in rapport.fouten:
        rc = f" [retourcode {f.retourcode}]" if f.retourcode else ""
        print(f"  {f.code}{rc}: {f.details}", file=out)
        for loc in f.locaties:
            print(f"      {loc}", file=out)
    if rapport.weggelaten:
        per_code = ", ".join(f"{code} {n}" for code, n in sorted(rapport.weggelaten.items()))
        print(f"  ... en {sum(rapport.weggelaten.values())} fouten weggelaten (per regel: {per_code})", file=out)


def _json(waarde: Any) -> str:
    """``json.dumps(waarde, ensure_ascii=False, indent=2)``, written by orjson (a tenth of the time: on a
    folder of small messages the standard library's indenting encoder was a tenth of the whole run); a file
    name that is no valid UTF-8 (a surrogate) goes through the standard library, which writes it escaped."""
    import orjson

    try:
        return orjson.dumps(waarde, option=orjson.OPT_INDENT_2).decode()
    except orjson.JSONEncodeError:
        return json.dumps(waarde, ensure_ascii=False, indent=2)


@dataclass(frozen=True)
class Uitslag:
    """One file's verdict, already written out in the asked format (so that workers do the writing too):
    ``leesfout`` when the file could not be read, else ``valid`` and ``tekst`` (the text report, or the
    file's object of the JSON array)."""

    leesfout: str | None
    valid: bool = False
    tekst: str = ""


def _beoordeel(item: tuple[str, bytes | None], *, today: dt.date | None, fmt: str) -> Uitslag:
    """Read (unless the bytes came along: standard input) and validate one file; render its report."""
    name, data = item
    if data is None:
        try:
            data = _read(name)
        except OSError as exc:
            return Uitslag(f"iwmo validate: kan {name} niet lezen: {exc.strerror or exc}")
    rapport = validate(data, today=today, file=name)
    if fmt == "json":
        tekst = _json(rapport.as_dict())
        return Uitslag(None, rapport.valid, "  " + tekst.replace("\n", "\n  "))  # as an element of the array
    buffer = io.StringIO()
    _print_text(rapport, buffer)
    return Uitslag(None, rapport.valid, buffer.getvalue())


def cmd_validate(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Many files are spread over every core (:func:`iwmo.parallel.ordered_map`); the output is the same
    text as one process would write, file by file in input order, streamed: no report is held longer
    than it takes to write it."""
    from functools import partial

    from iwmo.parallel import ordered_map
    from iwmo.schemas import warm

    items = [(name, _read(name) if name == "-" else None) for name in args.files]
    # the schemas compiled once, before the workers fork, instead of once in each of them
    uitslagen = ordered_map(partial(_beoordeel, today=args.today, fmt=args.format), items, prepare=warm)
    geldig = ongeldig = 0
    read_error = False
    if args.format == "json":
        out.write("[")
    for uitslag in uitslagen:
        if uitslag.leesfout is not None:
            print(uitslag.leesfout, file=err)
            read_error = True
            continue
        if args.format == "json":
            out.write(",\n" if geldig + ongeldig else "\n")
        out.write(uitslag.tekst)
        geldig += uitslag.valid
        ongeldig += not uitslag.valid
    if args.format == "json":
        out.write("\n]\n" if geldig + ongeldig else "]\n")
    else:
        print(f"{geldig + ongeldig} bestand(en): {geldig} geldig, {ongeldig} ongeldig", file=out)
    if read_error:
        return EXIT_USAGE
    return EXIT_INVALID if ongeldig else EXIT_OK


def cmd_sample(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from iwmo.samples import sample
    from iwmo.xml import to_xml

    try:
        btype = bericht(args.bericht)
    except UnknownBericht:
        print(f"iwmo sample: onbekend bericht {args.bericht!r}; kies uit {', '.join(BERICHTEN)}", file=err)
        return EXIT_USAGE
    out.write(to_xml(sample(btype.naam, args.variant, args.today)).decode("utf-8"))
    return EXIT_OK


def _parse_fout(text: str) -> Fout:
    code, _, path = text.partition(":")
    if not code or not path.startswith("/"):
        raise ValueError(f"--fout verwacht CODE:XPATH, niet {text}")
    if code not in codelijsten.codes("WJ001"):
        raise ValueError(f"--fout: {code} is geen RetourCode uit de codelijst (WJ001)")
    return Fout(f"RC{code}", [path], code, f"berichtoverstijgende fout {code}")


def cmd_retour(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from iwmo.exceptions import NoRetour, OnbekendeLocatie
    from iwmo.retour import RetourOpties, retour
    from iwmo.xml import from_xml, to_xml

    try:
        data = _read(args.file)
    except OSError as exc:
        print(f"iwmo retour: kan {args.file} niet lezen: {exc.strerror or exc}", file=err)
        return EXIT_USAGE
    try:
        extra = [_parse_fout(t) for t in args.fout]
    except ValueError as exc:
        print(f"iwmo retour: {exc}", file=err)
        return EXIT_USAGE
    today = args.today or dt.date.today()
    rapport = validate(data, today=today, file=args.file)
    if rapport.bericht is None or rapport.fouten and any(f.code in ("XML", "XSD") for f in rapport.fouten):
        _print_text(rapport, err)
        print("iwmo retour: geen retourbericht; het bericht voldoet niet aan het XSD en wordt door de hub "
              "geweigerd.", file=err)
        return EXIT_INVALID
    if not bericht(rapport.bericht).is_heen:
        print(f"iwmo retour: {rapport.bericht} is zelf een retourbericht", file=err)
        return EXIT_USAGE
    import secrets  # here: its import (hashlib, hmac) costs `iwmo validate` about 10 ms

    # random, not by the clock: two retours made in the same minute (or second) must not collide at the hub
    ident = args.identificatie or "R" + secrets.token_hex(6)[:11].upper()
    try:
        antwoord = retour(from_xml(data), rapport.fouten + extra, RetourOpties(ident, today))
    except NoRetour as exc:
        print(f"iwmo retour: {exc}", file=err)
        return EXIT_INVALID
    except OnbekendeLocatie as exc:
        print(f"iwmo retour: {exc}", file=err)
        return EXIT_USAGE
    out.write(to_xml(antwoord).decode("utf-8"))
    return EXIT_OK


def cmd_regels(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    naam = bericht(args.bericht).naam if args.bericht else None
    for r in sorted(REGELS, key=lambda r: r.code):
        if naam and naam not in r.berichten:
            continue
        print(f"{r.code}  {r.retourcode or '-':4}  {','.join(r.berichten):40}  {r.omschrijving}", file=out)
    return EXIT_OK


def cmd_berichten(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    for b in BERICHTEN.values():
        pijl = "gemeente -> aanbieder" if b.verzender == "gemeente" else "aanbieder -> gemeente"
        print(f"{b.naam}  {b.code}  {b.soort:6}  {pijl:22}  partner {b.partner}  {b.omschrijving}", file=out)
    return EXIT_OK


def cmd_code(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from iwmo.uitleg import uitleg

    gevonden = {code: uitleg(code) for code in args.codes}
    if args.json:
        json.dump({code: [{"code": u.code, "soort": u.soort, "bron": u.bron, "betekenis": u.betekenis,
                           "extra": u.extra} for u in lijst] for code, lijst in gevonden.items()},
                  out, ensure_ascii=False, indent=2)
        out.write("\n")
    else:
        for code, lijst in gevonden.items():
            if not lijst:
                print(f"{code}  onbekend: geen retourcode, regel, foutcode van de hub of code uit een codelijst",
                      file=out)
            for u in lijst:
                print(u.regel(), file=out)
                for regel in u.extra:
                    print(f"        {regel}", file=out)
    return EXIT_OK if all(gevonden.values()) else EXIT_INVALID


#: the library's own commands; the hub and the services add theirs as plugins (:data:`PLUGIN_GROUP`)
BUILTIN: dict[str, Callable[[argparse.Namespace, TextIO, TextIO], int]] = {
    "validate": cmd_validate, "sample": cmd_sample, "retour": cmd_retour, "regels": cmd_regels,
    "berichten": cmd_berichten, "code": cmd_code,
}


def main(argv: Sequence[str] | None = None, out: TextIO | None = None, err: TextIO | None = None) -> int:
    out = out or sys.stdout
    err = err or sys.stderr
    argv = sys.argv[1:] if argv is None else list(argv)
    try:
        args = _parser(argv[0] if argv else None).parse_args(argv)
    except SystemExit as exc:  # argparse exits 2 on usage errors, 0 on --help
        return int(exc.code or 0)
    run = BUILTIN.get(args.command) or args._plugin.main
    try:
        return int(run(args, out, err))
    except UnknownBericht as exc:
        print(f"iwmo: onbekend bericht {exc}", file=err)
        return EXIT_USAGE
    except IwmoError as exc:
        print(f"iwmo {args.command}: {exc}", file=err)
        return EXIT_INVALID
    except BrokenPipeError:
        return EXIT_OK


def run() -> NoReturn:
    """The ``iwmo`` command: :func:`main`, then exit with its code. After the library's own commands
    (``validate``, ``sample`` ...: single-threaded, every file closed, a process pool shut down) the process
    ends at once once its output is flushed: tearing the interpreter down (freeing every module, lxml's
    schemas) costs one ``iwmo validate`` about 20 ms of its start-up budget and does nothing for it. The
    commands of the hub and the services exit as usual (their threads, connections and log handlers)."""
    code = main()
    if len(sys.argv) > 1 and sys.argv[1] in BUILTIN:
        for stream in (sys.stdout, sys.stderr):
            with contextlib.suppress(BrokenPipeError, ValueError):  # a reader gone (| head), a closed stream
                stream.flush()
        os._exit(code)
    sys.exit(code)


if __name__ == "__main__":
    run()
