"""Many verdicts at once: JSON lines of facts in, one JSON line per dossier out, in input order.

Every non-blank input line gets exactly one output line: the verdict, or an error object
`{"ligne": n, "erreurs": [{"chemin": ..., "message": ...}]}` when that line is not valid facts (n is the line's
number in the input, from 1). One bad line never stops the run.

durable_rules never releases the GIL and is not thread-safe, so the work is spread over processes: each worker
("spawn" start, so no rule engine state is ever copied by fork) loads the policies once, then evaluates chunks of
lines. A bounded window of chunks is in flight, so memory stays flat whatever the input's size, and results are
written in submission order. A worker that dies (a crash in the C engine) breaks the run with WorkerError rather
than hanging it, which is why this uses concurrent.futures and not multiprocessing.Pool.
"""
from __future__ import annotations

import multiprocessing
import os
import signal
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from datetime import date
from typing import BinaryIO, Protocol

from ..compact_json import compact
from ..documents import decode_text, parse_json
from ..errors import FactsError, Issue
from ..evaluation import evaluate
from ..limits import MAX_LINE_BYTES
from ..policy import load_policies

CHUNK_SIZE = 50          # lines per task: large enough to make inter-process traffic negligible
CHUNKS_PER_WORKER = 4    # tasks in flight per worker: keeps workers busy, bounds memory

OK, INVALID, FAILED = "o", "i", "f"     # one letter each: a chunk's kinds travel back as one short string


class WorkerError(RuntimeError):
    """A worker process could not start (its policies failed to load) or died."""


@dataclass
class BatchSummary:
    """What a run did: lines answered, with how many verdicts, invalid lines, and internal failures."""

    lines: int = 0
    verdicts: int = 0
    invalid: int = 0
    failed: int = 0

    def count(self, kind: str) -> None:
        self.lines += 1
        if kind == OK:
            self.verdicts += 1
        elif kind == INVALID:
            self.invalid += 1
        else:
            self.failed += 1


def default_jobs() -> int:
    """The cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:          # not on Linux
        return os.cpu_count() or 1


def _error_line(number: int, issues: Iterable[Issue], omitted: int = 0) -> bytes:
    line = {"ligne": number, "erreurs": [issue.as_dict() for issue in issues]}
    if omitted:
        line["erreurs_non_listees"] = omitted
    return compact(line)


TOO_LONG = f"une ligne de plus de {MAX_LINE_BYTES} octets"


def parse_line(raw: bytes | None) -> tuple[object, list[Issue]]:
    """One input line's facts, or the problems that make it unreadable (raw is None: a line too long, not kept)."""
    if raw is None:
        return None, [Issue("", TOO_LONG)]
    text, issues = decode_text(raw)
    facts, issues = parse_json(text, None) if text is not None else (None, issues)
    return facts, [Issue(i.path, i.message) for i in issues]


class ChunkWorker(Protocol):
    """What answers a chunk of numbered lines (LineEvaluator, ImpactEvaluator)."""

    def answer_chunk(self, chunk: list[tuple[int, bytes | None]]) -> tuple[str, bytes]: ...


class LineEvaluator:
    """Turns one input line into one output line, never raising for a bad line."""

    def __init__(self, policies, as_of: date | str):
        self.policies = policies
        self.as_of = as_of

    def answer(self, number: int, raw: bytes | None) -> tuple[str, bytes]:
        """(kind, output line without newline, UTF-8) where kind is OK, INVALID or FAILED. raw is None for a line
        longer than MAX_LINE_BYTES (not kept)."""
        facts, issues = parse_line(raw)
        if issues:
            return INVALID, _error_line(number, issues)
        try:
            return OK, compact(evaluate(facts, self.as_of, policies=self.policies))
        except FactsError as exc:
            return INVALID, _error_line(number, exc.issues, exc.omitted)
        except Exception as exc:  # noqa: BLE001 - an engine bug on one dossier must not lose the whole run
            return FAILED, _error_line(number, [Issue("", f"erreur interne : {type(exc).__name__} : {exc}"[:500])])

    def answer_chunk(self, chunk: list[tuple[int, bytes | None]]) -> tuple[str, bytes]:
        """(the kind of each line, as one letter each; the output lines joined, each ending with a newline).
        One string per chunk rather than a list: less to pickle between processes, one write; UTF-8 bytes as
        orjson wrote them, never decoded (a verdict line is ~16 KB: 23 µs to decode, as much to encode again)."""
        kinds, lines = [], []
        for number, raw in chunk:
            kind, line = self.answer(number, raw)
            kinds.append(kind)
            lines.append(line)
        return "".join(kinds), b"\n".join(lines) + b"\n"


# --- worker processes ------------------------------------------------------------------------------------------

_worker = None              # what answers chunks in this worker process (answer_chunk(chunk) -> (kinds, text))
_worker_failure: str | None = None


def _start_worker(factory: Callable, args: tuple) -> None:
    """Worker initializer: build this process's worker once (it loads the policies). Never raises, so that the
    reason of a failure reaches the parent with the first task (a raising initializer only says "broken pool")."""
    global _worker, _worker_failure
    signal.signal(signal.SIGINT, signal.SIG_IGN)    # Ctrl-C is the parent's to handle
    try:
        _worker = factory(*args)
    except Exception as exc:  # noqa: BLE001
        _worker_failure = f"{type(exc).__name__}: {exc}"


def _answer_chunk(chunk: list[tuple[int, bytes]]) -> tuple[str, bytes]:
    if _worker is None:
        raise WorkerError(f"un processus de travail n'a pas pu charger les politiques : {_worker_failure}")
    return _worker.answer_chunk(chunk)


def line_evaluator(policies_dir: str, as_of: str) -> LineEvaluator:
    return LineEvaluator(load_policies(policies_dir), as_of)


# --- the pipeline ------------------------------------------------------------------------------------------------

def numbered_lines(source: BinaryIO) -> Iterator[tuple[int, bytes | None]]:
    """(line number from 1, raw line) for every non-blank line; None instead of a line longer than
    MAX_LINE_BYTES, whose rest is read and dropped (memory stays bounded whatever the input)."""
    number = 0
    while raw := source.readline(MAX_LINE_BYTES + 1):
        number += 1
        if len(raw) > MAX_LINE_BYTES and not raw.endswith(b"\n"):
            while (rest := source.readline(MAX_LINE_BYTES)) and not rest.endswith(b"\n"):
                pass
            yield number, None
        elif raw.strip():
            yield number, raw


def _chunks(lines: Iterator[tuple[int, bytes | None]], size: int) -> Iterator[list[tuple[int, bytes | None]]]:
    chunk: list[tuple[int, bytes | None]] = []
    for item in lines:
        chunk.append(item)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _in_order(executor, chunks: Iterator[list], window: int) -> Iterator[tuple[str, bytes]]:
    """Results of each chunk in submission order, with at most `window` chunks in flight."""
    pending: deque = deque()
    for chunk in chunks:
        pending.append(executor.submit(_answer_chunk, chunk))
        if len(pending) >= window:
            yield pending.popleft().result()
    while pending:
        yield pending.popleft().result()


def map_chunks(source: BinaryIO, emit: Callable[[tuple[str, bytes]], None], *, local: Callable[[], ChunkWorker],
               factory: Callable, factory_args: tuple, jobs: int, chunk_size: int | None = None) -> None:
    """Answer every non-blank line of `source`, chunk by chunk, and pass each chunk's answer to `emit` in input order.

    The answers come from a worker: `local()` (already built from loaded policies) when the work stays in this
    process — one job, or an input of a single chunk; otherwise `jobs` processes each build theirs with
    `factory(*factory_args)` (a top-level callable: it is pickled to spawned processes).
    Raises WorkerError if a worker fails; KeyboardInterrupt stops the workers and propagates.
    """
    chunks = _chunks(numbered_lines(source), chunk_size or CHUNK_SIZE)
    first = next(chunks, None)
    if first is None:
        return
    second = next(chunks, None)

    def rest() -> Iterator[list]:
        yield first
        if second is not None:
            yield second
            yield from chunks

    if jobs <= 1 or second is None:
        worker = local()
        for chunk in rest():
            emit(worker.answer_chunk(chunk))
        return

    executor = ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context("spawn"),
                                   initializer=_start_worker, initargs=(factory, factory_args))
    try:
        for results in _in_order(executor, rest(), jobs * CHUNKS_PER_WORKER):
            emit(results)
    except BrokenProcessPool as exc:
        raise WorkerError(f"un processus de travail s'est arrêté ({exc})") from exc
    finally:
        executor.shutdown(wait=True, cancel_futures=True)


def run_batch(source: BinaryIO, sink: BinaryIO, *, as_of: date, policies, policies_dir: str, jobs: int,
              chunk_size: int | None = None, on_progress: Callable[[int], None] | None = None) -> BatchSummary:
    """Evaluate every line of `source` as of `as_of`, writing one line per dossier to `sink`.

    `policies` (already loaded, and so known to be valid) serves when the work stays in this process; otherwise
    `jobs` worker processes each load `policies_dir`.
    """
    summary = BatchSummary()

    def emit(results: tuple[str, bytes]) -> None:
        kinds, text = results
        sink.write(text)
        for kind in kinds:
            summary.count(kind)
        if on_progress is not None:
            on_progress(summary.lines)

    map_chunks(source, emit, local=lambda: LineEvaluator(policies, as_of), factory=line_evaluator,
               factory_args=(policies_dir, as_of.isoformat()), jobs=jobs, chunk_size=chunk_size)
    return summary
