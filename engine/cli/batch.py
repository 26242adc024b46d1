"""`clea evaluate-batch INPUT [--date D] [--jobs N] [--output OUT] [--policies DIR]`

Exit status: 0 the run completed (every line answered: invalid lines get an error object, and their count is
reported on stderr); 1 completed, but the engine failed on some lines (an internal error, also reported per line);
2 bad arguments or unreadable input/output; 3 the policy is broken or a worker died; 130 interrupted (Ctrl-C);
143 terminated (SIGTERM). With --output, the file appears only when the run completed (written to a temporary file
beside it, then renamed): never half-written, and no temporary file is left behind.
"""
from __future__ import annotations

import argparse
import os
import re
import signal
import stat
import sys
import tempfile
import threading
from contextlib import contextmanager, suppress
from datetime import date, datetime
from pathlib import Path
from typing import BinaryIO, TextIO
from zoneinfo import ZoneInfo

from tqdm import tqdm

from ..batch import WorkerError, default_jobs, run_batch
from ..errors import PolicyError
from ..formats import parse_day
from ..policy import load_policies
from .common import policies_dir as resolve_policies

NAME = "evaluate-batch"


def add_parser(subparsers) -> argparse.ArgumentParser:
    parser = subparsers.add_parser(
        NAME,
        help="évaluer de nombreux dossiers : des lignes JSON en entrée, un verdict par ligne en sortie",
        description="Évalue des faits donnés en lignes JSON (un dossier par ligne) et écrit une ligne JSON par "
                    "ligne non vide, dans l'ordre : le verdict, ou {\"ligne\": n, \"erreurs\": [...]} pour une "
                    "ligne qui n'est pas un dossier valide. Le travail est réparti sur plusieurs processus.",
    )
    parser.add_argument("input", metavar="ENTREE", help="fichier de lignes JSON, ou - pour l'entrée standard")
    parser.add_argument("--date", metavar="AAAA-MM-JJ",
                        help="date d'évaluation de toutes les lignes (par défaut : aujourd'hui à Paris)")
    parser.add_argument("--jobs", metavar="N", type=int, default=None,
                        help=f"processus de travail (par défaut : tous les cœurs, ici {default_jobs()})")
    parser.add_argument("--output", metavar="SORTIE",
                        help="écrire les verdicts dans SORTIE, d'un seul coup (par défaut : la sortie standard)")
    parser.add_argument("--policies", metavar="DOSSIER", default=None,
                        help="dossier des politiques (par défaut : $CLEA_POLICIES, sinon policies/ du projet)")
    parser.set_defaults(handler=run)
    return parser


def _evaluation_date(text: str | None) -> date:
    """The --date value (strictly YYYY-MM-DD), or today in Europe/Paris: one date for the whole run."""
    if text is None:
        return datetime.now(ZoneInfo("Europe/Paris")).date()
    return parse_day(text)


class Terminated(Exception):
    """SIGTERM arrived during the run."""


@contextmanager
def sigterm_as_exception():
    """Turn SIGTERM into an exception while the run lasts, so that the temporary output is removed and the workers
    stopped, as on Ctrl-C (the default action would end the process at once)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def terminate(signum, frame):
        raise Terminated

    previous = signal.signal(signal.SIGTERM, terminate)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


@contextmanager
def atomic_output(path: Path):
    """A binary stream whose content replaces `path` only if the block completes; else nothing is left behind."""
    descriptor, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    try:
        with os.fdopen(descriptor, "wb") as stream:
            yield stream
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, _mode_for(path))
        os.replace(temporary, path)
    except BaseException:
        with suppress(FileNotFoundError):
            os.unlink(temporary)
        raise


def binary_stream(stream: TextIO) -> BinaryIO:
    """Where to write UTF-8 bytes for a text stream: its own buffer (standard output), or, for a stream that has none
    (a test's StringIO), the text decoded."""
    buffer = getattr(stream, "buffer", None)
    if buffer is not None:
        stream.flush()      # what was written as text comes first
        return buffer
    return _DecodingWriter(stream)      # type: ignore[return-value]


class _DecodingWriter:
    def __init__(self, stream: TextIO) -> None:
        self._stream = stream

    def write(self, data: bytes) -> int:
        return self._stream.write(data.decode("utf-8"))


def _mode_for(path: Path) -> int:
    """Keep an existing file's permissions; a new file gets the usual 0666 minus the umask (mkstemp uses 0600)."""
    with suppress(FileNotFoundError):
        return path.stat().st_mode & 0o7777
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


YAML_SUFFIXES = (".yaml", ".yml")


def _looks_like_yaml(source) -> bool:
    """The input's first non-blank line is a YAML mapping or document start, not a JSON object: one clear message
    for the whole input rather than one "invalid JSON" per line."""
    try:
        head = source.peek(4096)[:4096]
    except (AttributeError, OSError):
        return False
    first = next((line.strip() for line in head.splitlines() if line.strip() and not line.startswith(b"#")), b"")
    return first == b"---" or bool(re.match(rb"^[A-Za-z_][\w-]*\s*:(\s|$)", first))


def run(args: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> int:
    def fail(message: str, status: int = 2) -> int:
        stderr.write(f"clea {NAME} : {message}\n")
        return status

    try:
        as_of = _evaluation_date(args.date)
    except ValueError:
        return fail(f"--date : {args.date!r} n'est pas une date AAAA-MM-JJ du calendrier")
    jobs = default_jobs() if args.jobs is None else args.jobs
    if jobs < 1:
        return fail(f"--jobs : au moins 1, pas {jobs}")
    output = Path(args.output) if args.output else None
    if output is not None and not output.parent.is_dir():
        return fail(f"--output : dossier introuvable : {output.parent}")
    if output is not None and output.is_dir():
        return fail(f"--output : est un dossier : {output}")
    if args.input != "-" and Path(args.input).suffix.lower() in YAML_SUFFIXES:
        return fail(f"{args.input} : un document YAML ; evaluate-batch lit des lignes JSON (un dossier JSON par "
                    "ligne) ; pour un seul dossier YAML : clea evaluate")

    policies_dir = str(resolve_policies(args.policies))
    if not Path(policies_dir).is_dir():
        return fail(f"--policies : dossier des politiques introuvable : {policies_dir}")
    try:
        policies = load_policies(policies_dir)
    except PolicyError as exc:
        return fail("la politique est invalide :\n" + "\n".join(f"  {issue}" for issue in exc.issues), 3)
    outside = [p for p in policies if not p.year_range[0] <= as_of.year <= p.year_range[1]]
    if outside:   # an argument error, told before any line is read (not one error per line)
        first, last = outside[0].year_range
        return fail(f"--date : {as_of.isoformat()} est hors des années que couvre la politique "
                    f"{outside[0].id} ({first}–{last})")

    try:
        source: BinaryIO = sys.stdin.buffer if args.input == "-" else open(args.input, "rb")  # noqa: SIM115 - closed below
    except FileNotFoundError:
        return fail(f"{args.input} : fichier introuvable")
    except IsADirectoryError:
        return fail(f"{args.input} : est un dossier, pas un fichier")
    except OSError as exc:
        return fail(f"{args.input} : illisible : {exc.strerror}")
    if args.input != "-" and not stat.S_ISREG(os.fstat(source.fileno()).st_mode) \
            and not stat.S_ISFIFO(os.fstat(source.fileno()).st_mode):
        source.close()
        return fail(f"{args.input} : ni un fichier ni un tube (un périphérique ne se lit pas en lignes JSON)")
    if _looks_like_yaml(source):
        source.close()
        return fail(f"{args.input} : un document YAML ; evaluate-batch lit des lignes JSON (un dossier JSON par "
                    "ligne) ; pour un seul dossier YAML : clea evaluate")

    progress = None
    if stderr.isatty():
        progress = tqdm(total=None if args.input == "-" else count_lines(args.input), file=stderr, unit=" lines",
                        unit_scale=True, dynamic_ncols=True)
    try:
        with sigterm_as_exception(), source:
            if output is None:
                summary = _run(source, binary_stream(stdout), as_of, policies, policies_dir, jobs, progress)
            else:
                with atomic_output(output) as sink:
                    summary = _run(source, sink, as_of, policies, policies_dir, jobs, progress)
    except KeyboardInterrupt:
        return fail("interrompu" + ("; rien n'a été écrit" if output else ""), 130)
    except Terminated:
        return fail("arrêté" + ("; rien n'a été écrit" if output else ""), 143)
    except WorkerError as exc:
        return fail(f"{exc}" + ("; rien n'a été écrit" if output else ""), 3)
    except BrokenPipeError:
        raise   # the reader went away (`| head`): the CLI ends quietly
    except OSError as exc:
        return fail(f"lecture ou écriture impossible : {exc.strerror or exc}"
                    + ("; rien n'a été écrit" if output else ""))
    finally:
        if progress is not None:
            progress.close()

    stderr.write(f"clea {NAME} : {summary.lines} lignes, {summary.verdicts} verdicts, {summary.invalid} invalides"
                 + (f", {summary.failed} erreurs internes" if summary.failed else "") + "\n")
    return 1 if summary.failed else 0


def _run(source, sink, as_of, policies, policies_dir, jobs, progress):
    def advance(done: int) -> None:
        progress.update(done - progress.n)

    return run_batch(source, sink, as_of=as_of, policies=policies, policies_dir=policies_dir, jobs=jobs,
                     on_progress=advance if progress is not None else None)


def count_lines(path: str) -> int | None:
    """Number of lines of a file (a quick binary scan), for the progress bar's total; None if it cannot be read."""
    total, last = 0, b"\n"
    try:
        with open(path, "rb") as stream:
            while block := stream.read(1 << 20):
                total += block.count(b"\n")
                last = block[-1:]
    except OSError:
        return None
    return total + (last != b"\n")
