"""The decision log: every answered evaluation, in an embedded SQLite database (WAL mode) by default, or in a
PostgreSQL database shared by several servers (``postgresql://...``, see :mod:`log_postgresql`).

A decision is committed, and synced to disk, before its answer leaves the service: ``synchronous=FULL`` in WAL
mode makes a commit durable when it returns, so a crash or a kill never loses an answered decision. When a write
fails (full disk, size cap reached, read-only file) :class:`DecisionLogError` is raised and the request fails
instead of answering unlogged. Several processes on one host may share one file (``busy_timeout``).
Personal data is masked (see :mod:`masking`) before anything is written. Both logs store the same columns and
read back the same records (``clea log show/export``).
"""
from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from pathlib import Path

from .log_records import COLUMNS, DecisionLogError, facts_hash, insert_sql, log_record, log_row, log_rows
from .masking import DEFAULT_PATHS, parse_paths

__all__ = ["COLUMNS", "DecisionLog", "DecisionLogError", "facts_hash", "is_postgresql", "log_record", "log_row",
           "log_target", "open_log", "read_decisions"]

_SCHEMA = """
CREATE TABLE IF NOT EXISTS decisions (
    decision_id         TEXT PRIMARY KEY,
    enregistre_le       TEXT NOT NULL,   -- UTC, ISO 8601 with microseconds: sorts as text
    date_evaluation     TEXT NOT NULL,
    politique_id        TEXT NOT NULL,
    politique_version   TEXT NOT NULL,
    politique_revision  TEXT NOT NULL,
    faits_sha256        TEXT NOT NULL,   -- of the facts as received, before masking
    appelant            TEXT,
    adresse             TEXT,
    faits               TEXT NOT NULL,   -- JSON, masked
    verdict             TEXT NOT NULL    -- JSON, masked
);
CREATE INDEX IF NOT EXISTS decisions_enregistre_le ON decisions (enregistre_le);
"""
_INSERT = insert_sql("decisions", "?", "CAST(? AS TEXT)")


def is_postgresql(target) -> bool:
    return isinstance(target, str) and target.startswith(("postgresql://", "postgres://"))


def log_target(text: str):
    """An option's value as a log: a PostgreSQL URL stays text, anything else is a SQLite file path."""
    return text if is_postgresql(text) else Path(text)


def open_log(target, *, mask_paths=DEFAULT_PATHS, max_bytes: int | None = None):
    """The log at ``target``: a PostgreSQL URL or a SQLite file. Raises DecisionLogError."""
    if is_postgresql(target):
        if max_bytes is not None:
            raise DecisionLogError("a size cap (--log-max-size) applies to a SQLite log only; "
                                   "cap a PostgreSQL database with its own quotas")
        from .log_postgresql import PostgresDecisionLog
        return PostgresDecisionLog(target, mask_paths=mask_paths)
    return DecisionLog(target, mask_paths=mask_paths, max_bytes=max_bytes)


class DecisionLog:
    """The writer: one connection, used by one thread at a time (a lock makes sure)."""

    def __init__(self, path: str | Path, *, mask_paths=DEFAULT_PATHS, max_bytes: int | None = None):
        self.path = Path(path)
        self._mask_paths = parse_paths(mask_paths)
        self._lock = threading.Lock()
        if not self.path.parent.is_dir():
            raise DecisionLogError(f"{self.path}: le dossier du journal des décisions n'existe pas : "
                                   f"{self.path.parent} (créez-le, ou choisissez un autre --log)")
        try:
            self._db = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
            mode = self._db.execute("PRAGMA journal_mode=WAL").fetchone()[0]
            if mode.lower() != "wal":
                raise DecisionLogError(f"{self.path}: le système de fichiers ne permet pas le mode WAL ({mode})")
            self._db.execute("PRAGMA synchronous=FULL")
            self._db.execute("PRAGMA busy_timeout=10000")
            self._db.executescript(_SCHEMA)
            if max_bytes is not None:
                page_size = self._db.execute("PRAGMA page_size").fetchone()[0]
                self._db.execute(f"PRAGMA max_page_count={max(1, int(max_bytes) // page_size)}")
        except sqlite3.Error as exc:
            raise DecisionLogError(f"{self.path}: impossible d'ouvrir le journal des décisions : {exc}") from exc

    def record(self, decisions: list[dict], personal: tuple[str, ...] = ()) -> None:
        """Commit decisions in one transaction, or raise DecisionLogError and commit none.

        Each decision: decision_id, date_evaluation, politique {id, version, revision}, faits, verdict,
        appelant, adresse. ``personal``: the mask paths the policies' schemas mark, beside the log's own.
        """
        self.write([self.rows(decisions, personal)])

    def rows(self, decisions: list[dict], personal: tuple[str, ...] = ()) -> list[tuple]:
        """The decisions as the rows :meth:`write` stores: masked, encoded, the facts hashed."""
        return log_rows(decisions, personal, self._mask_paths)

    def write(self, groups: list[list[tuple]]) -> None:
        """Commit the rows of several requests in one transaction, synced once (group commit), or raise
        DecisionLogError and commit none."""
        with self._lock:
            try:
                self._db.execute("BEGIN IMMEDIATE")
                try:
                    for rows in groups:
                        self._db.executemany(_INSERT, rows)
                    self._db.execute("COMMIT")
                except BaseException:
                    if self._db.in_transaction:
                        self._db.execute("ROLLBACK")
                    raise
            except sqlite3.Error as exc:
                raise DecisionLogError(f"cannot write to the decision log {self.path}: {exc}") from exc

    def probe(self) -> None:
        """Raise DecisionLogError unless a write could be made now: the write lock taken (read-only file, locked
        or unreachable database) and room left under the size cap; nothing is written."""
        with self._lock:
            try:
                self._db.execute("BEGIN IMMEDIATE")
                try:
                    pages, most = (self._db.execute(f"PRAGMA {name}").fetchone()[0]
                                   for name in ("page_count", "max_page_count"))
                    free = self._db.execute("PRAGMA freelist_count").fetchone()[0]
                finally:
                    self._db.execute("ROLLBACK")
            except sqlite3.Error as exc:
                raise DecisionLogError(f"cannot write to the decision log {self.path}: {exc}") from exc
        if pages >= most and not free:
            raise DecisionLogError(f"cannot write to the decision log {self.path}: its size cap is reached")

    def close(self) -> None:
        with self._lock:
            self._db.close()


def read_decisions(target, *, since: str | None = None) -> Iterator[dict]:
    """The logged decisions, oldest first, recorded at or after ``since`` (a UTC timestamp as stored).

    Reads a SQLite file read-only (reading never creates a log nor blocks the writers), or a PostgreSQL log in a
    read-only transaction, streamed."""
    if is_postgresql(target):
        from .log_postgresql import read_postgresql
        yield from read_postgresql(target, since=since)
        return
    path = Path(target)
    if not path.is_file():
        raise DecisionLogError(f"{path}: aucun journal des décisions ici")
    try:
        db = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error as exc:
        raise DecisionLogError(f"{path}: impossible d'ouvrir le journal des décisions : {exc}") from exc
    try:
        db.execute("PRAGMA busy_timeout=10000")
        query = f"SELECT {', '.join(COLUMNS)} FROM decisions"
        params: tuple = ()
        if since is not None:
            query += " WHERE enregistre_le >= ?"
            params = (since,)
        for row in db.execute(query + " ORDER BY enregistre_le, rowid", params):
            yield log_record(dict(zip(COLUMNS, row)))
    except sqlite3.Error as exc:
        raise DecisionLogError(f"{path}: cannot read the decision log: {exc}") from exc
    finally:
        db.close()
