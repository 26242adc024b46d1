"""The `clea` command. `run(argv, stdout, stderr) -> int` does the work (tests call it); `main()` only exits.

Exit codes: 0 done; 1 `policy validate` found problems; 2 invalid input or arguments; 3 a broken policy.
Every error is printed as `file:line: path: message`, never as a traceback. One module per command group, each
with `add_parser(commands)`; a handler is `handler(args, stdout, stderr) -> int`.
"""
from __future__ import annotations

import importlib
import sys

from ..errors import EngineError, PolicyError
from .common import Parser, UsageError, fail

# Command groups in the order `clea --help` lists them; those needing an optional part (the HTTP service) are
# skipped when its dependencies are not installed.
COMMANDS = ("evaluate", "test", "policy", "batch", "avis", "serve", "log")


def build_parser(stderr) -> Parser:
    parser = Parser(prog="clea", description="Evaluate facts against YAML rule policies (default: the project's policies/).",
                    stderr=stderr)
    commands = parser.add_subparsers(dest="command", required=True, parser_class=Parser, metavar="COMMAND")
    for name in COMMANDS:
        try:
            module = importlib.import_module(f"{__name__}.{name}")
        except ImportError:
            continue
        module.add_parser(commands)
    return parser


def run(argv: list[str], stdout=None, stderr=None) -> int:
    stdout = stdout or sys.stdout
    stderr = stderr or sys.stderr
    try:
        args = build_parser(stderr).parse_args(argv)
    except UsageError as error:
        stderr.write(f"{error}\n")
        return 2
    try:
        return args.handler(args, stdout, stderr)
    except EngineError as error:
        return fail(stderr, 3 if isinstance(error, PolicyError) else 2, error.issues, omitted=error.omitted)
    except KeyboardInterrupt:
        stderr.write("interrupted\n")
        return 130
    except BrokenPipeError:
        return 0
    except OSError as error:     # a path the system refuses (a name over 255 characters, a loop of links...)
        where = f"{error.filename}: " if error.filename else ""
        stderr.write(f"{where}{error.strerror or error}\n")
        return 2


def main() -> None:
    for stream in (sys.stdout, sys.stderr):     # a file name that is not UTF-8 is printed, never a traceback
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="backslashreplace")
    sys.exit(run(sys.argv[1:]))


if __name__ == "__main__":
    main()
