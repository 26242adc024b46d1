"""The `clea` command. `run(argv, stdout, stderr) -> int` does the work (tests call it); `main()` only exits.

Exit codes: 0 done; 1 `policy validate` found problems; 2 invalid input or arguments; 3 a broken policy.
Every error is printed as `file:line: path: message`, never as a traceback. One module per command group, each
with `add_parser(commands)`; a handler is `handler(args, stdout, stderr) -> int`.
"""
from __future__ import annotations

import argparse
import codecs
import importlib
import sys
import unicodedata
from importlib import metadata

from ..errors import EngineError, PolicyError
from .common import Parser, ParserExit, UsageError, fail, policies_dir

# Command groups in the order `clea --help` lists them; those needing an optional part (the HTTP service) are
# skipped when its dependencies are not installed.
COMMANDS = ("evaluate", "test", "policy", "batch", "avis", "serve", "account", "log")
# The packages of the optional extras (pyproject.toml: service, postgresql), as imported: only their absence hides a
# command; any other ImportError (a typo in the engine) shows.
OPTIONAL_PACKAGES = frozenset({"fastapi", "uvicorn", "jinja2", "multipart", "python_multipart", "swagger_ui_bundle",
                               "starlette", "psycopg", "argon2"})


class Version(argparse.Action):
    """`clea --version`: the program's version, and each policy's version and revision (loaded only then)."""

    def __init__(self, option_strings, dest, **kwargs):
        super().__init__(option_strings, dest, nargs=0, help="afficher la version et les révisions des politiques")

    def __call__(self, parser, namespace, values, option_string=None):
        from ..policy import load_policies
        try:
            version = metadata.version("clea-rules")
        except metadata.PackageNotFoundError:
            version = "inconnue"
        lines = [f"clea {version}"]
        folder = policies_dir(None)
        try:
            lines += [f"politique {p.id} {p.version} ({p.revision})" for p in load_policies(folder)]
        except PolicyError as error:
            said = [issue.message for issue in error.issues if not issue.path and issue.file == str(folder)]
            why = ("dossier introuvable" if not folder.is_dir() else
                   said[0] if said else "invalides (clea policy validate)")
            lines.append(f"politiques de {folder} : {why}")
        parser.stdout.write("\n".join(lines) + "\n")
        parser.exit()


def build_parser(stdout, stderr) -> Parser:
    parser = Parser(prog="clea", description="Évalue des dossiers selon des règlements écrits en YAML (par défaut : "
                                             "les politiques du projet, policies/).", stdout=stdout, stderr=stderr)
    parser.add_argument("--version", action=Version)
    commands = parser.add_subparsers(dest="command", required=True, parser_class=Parser, metavar="COMMANDE")
    for name in COMMANDS:
        try:
            module = importlib.import_module(f"{__package__}.{name}")
        except ModuleNotFoundError as missing:
            if (missing.name or "").split(".")[0] not in OPTIONAL_PACKAGES:
                raise
            continue
        module.add_parser(commands)
    parser.speak_to(stdout, stderr)
    return parser


def run(argv: list[str], stdout=None, stderr=None) -> int:
    stdout = stdout or sys.stdout
    stderr = stderr or sys.stderr
    try:
        args = build_parser(stdout, stderr).parse_args(argv)
    except UsageError as error:
        stderr.write(f"{error}\n")
        return 2
    except ParserExit as done:       # --help, --version
        return done.status
    try:
        return args.handler(args, stdout, stderr)
    except EngineError as error:
        return fail(stderr, 3 if isinstance(error, PolicyError) else 2, error.issues, omitted=error.omitted)
    except KeyboardInterrupt:
        stderr.write("interrompu\n")
        return 130
    except BrokenPipeError:
        return 0
    except OSError as error:     # a path the system refuses (a name over 255 characters, a loop of links...)
        where = f"{error.filename}: " if error.filename else ""
        stderr.write(f"{where}{error.strerror or error}\n")
        return 2


def _plain(error: UnicodeError):
    """What a terminal that cannot show a character gets instead (PYTHONIOENCODING=ascii, LANG=C): é -> e,
    — -> -, € -> EUR, « » -> "; anything else (a file name that is not UTF-8) as a backslash escape."""
    if not isinstance(error, UnicodeEncodeError):
        raise error
    out = []
    for char in error.object[error.start:error.end]:
        plain = _PLAIN.get(char) or unicodedata.normalize("NFKD", char).encode("ascii", "ignore").decode("ascii")
        out.append(plain or char.encode("ascii", "backslashreplace").decode("ascii"))
    return "".join(out), error.end


_PLAIN = {"—": "-", "–": "-", "€": "EUR", "«": '"', "»": '"', "’": "'", "…": "...", "·": "-", "→": "->",
          "×": "x", "\u00a0": " ", "\u202f": " ", "œ": "oe", "Œ": "OE", "◆": "*"}
codecs.register_error("clea-plain", _plain)


def main() -> None:
    for stream in (sys.stdout, sys.stderr):     # never a traceback for a character the terminal cannot show
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="clea-plain")
    sys.exit(run(sys.argv[1:]))


if __name__ == "__main__":
    main()
