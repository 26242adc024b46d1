"""The decision log in PostgreSQL (``--log postgresql://user@host/base``): one log for several servers.

The same guarantees as the SQLite log: a request's decisions are committed in one transaction before its
answer leaves the service, with ``synchronous_commit = on`` (the commit returns once the server has flushed it),
so a server killed at any moment has lost no answered decision; when the database cannot be written
(unreachable, read-only, statement timeout) DecisionLogError is raised and the request fails with 503 instead of
answering unlogged. Masking is the caller's, as for SQLite. A connection that broke is opened again on the next
write. Several servers may write at once: each insert is its own row, keyed by its decision id.

Needs the optional extra ``postgresql`` (psycopg 3): ``pip install -e '.[postgresql]'``. Messages never show the
password of the URL.
"""
from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from typing import Any

from .log_records import COLUMNS, DecisionLogError, insert_sql, log_record, log_rows
from .masking import DEFAULT_PATHS, parse_paths

TABLE = "clea_decisions"
_SCHEMA = f"""
CREATE TABLE IF NOT EXISTS {TABLE} (
    numero              BIGSERIAL,
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
CREATE INDEX IF NOT EXISTS {TABLE}_enregistre_le ON {TABLE} (enregistre_le, numero);
"""
_INSERT = insert_sql(TABLE, "%s", "convert_from(%s, 'UTF8')")
_SETTINGS = ("SET synchronous_commit TO on", "SET statement_timeout TO '15s'",
             "SET idle_in_transaction_session_timeout TO '60s'")
CONNECT_TIMEOUT = 10     # seconds


def redacted(url: str) -> str:
    """The URL without its password (user:secret@ and password=secret)."""
    url = re.sub(r"(://[^:/@]*):[^@/]*@", r"\1:***@", url)
    return re.sub(r"(password=)[^&\s]*", r"\1***", url)


def _psycopg():
    try:
        import psycopg
    except ImportError as exc:
        raise DecisionLogError("a PostgreSQL decision log needs the 'postgresql' extra (psycopg 3): "
                               "pip install -e '.[postgresql]'") from exc
    return psycopg


def _connect(url: str, **options):
    psycopg = _psycopg()
    try:
        connection = psycopg.connect(url, connect_timeout=CONNECT_TIMEOUT, **options)
    except psycopg.Error as exc:
        raise DecisionLogError(f"{redacted(url)}: impossible d'ouvrir le journal des décisions : {_reason(exc)}") from exc
    return connection


def _reason(exc) -> str:
    return redacted(str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__)


class PostgresDecisionLog:
    """The writer: one connection, used by one thread at a time (a lock makes sure), opened again if it broke."""

    _db: Any = None      # the psycopg connection (psycopg is imported only when a log is opened)

    def __init__(self, url: str, *, mask_paths=DEFAULT_PATHS) -> None:
        self.url = url
        self.path = redacted(url)        # what messages name
        self._mask_paths = parse_paths(mask_paths)
        self._lock = threading.Lock()
        with self._lock:
            self._open()
            try:
                with self._db.transaction():
                    # two servers starting at once must not race on CREATE TABLE IF NOT EXISTS
                    self._db.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", (TABLE,))
                    self._db.execute(_SCHEMA)
            except _psycopg().Error as exc:
                self._drop()
                raise DecisionLogError(f"{self.path}: cannot create the decision log: {_reason(exc)}") from exc

    def _open(self) -> None:
        self._db = _connect(self.url, autocommit=True)
        try:
            for statement in _SETTINGS:
                self._db.execute(statement)
        except _psycopg().Error as exc:
            self._drop()
            raise DecisionLogError(f"{self.path}: cannot set up the connection: {_reason(exc)}") from exc

    def _drop(self) -> None:
        if self._db is not None:
            try:
                self._db.close()
            finally:
                self._db = None

    def record(self, decisions: list[dict], personal: tuple[str, ...] = ()) -> None:
        """Commit decisions in one transaction, or raise DecisionLogError and commit none."""
        self.write([self.rows(decisions, personal)])

    def rows(self, decisions: list[dict], personal: tuple[str, ...] = ()) -> list[tuple]:
        """The decisions as the rows :meth:`write` stores: masked, encoded, the facts hashed."""
        return log_rows(decisions, personal, self._mask_paths)

    def write(self, groups: list[list[tuple]]) -> None:
        """Commit the rows of several requests in one transaction (group commit), or raise DecisionLogError and
        commit none. A connection found broken (the server restarted, a proxy cut it) is opened again and the
        transaction tried once more: it had not committed."""
        rows = [row for group in groups for row in group]
        psycopg = _psycopg()
        with self._lock:
            for attempt in (1, 2):
                try:
                    if self._db is None or self._db.closed or self._db.broken:
                        self._drop()
                        self._open()
                    with self._db.transaction(), self._db.cursor() as cursor:
                        cursor.executemany(_INSERT, rows)
                    return
                except psycopg.Error as exc:
                    broken = self._db is not None and (self._db.closed or self._db.broken)
                    if broken:
                        self._drop()
                    if not (broken and attempt == 1):
                        raise DecisionLogError(f"cannot write to the decision log {self.path}: {_reason(exc)}") \
                            from exc

    def probe(self) -> None:
        """Raise DecisionLogError unless a write could be made now: the connection (opened again if it broke)
        takes a transaction id, which a server down, read-only or in recovery refuses; nothing is written."""
        psycopg = _psycopg()
        with self._lock:
            try:
                if self._db is None or self._db.closed or self._db.broken:
                    self._drop()
                    self._open()
                with self._db.transaction():
                    self._db.execute("SELECT txid_current()")
            except psycopg.Error as exc:
                if self._db is not None and (self._db.closed or self._db.broken):
                    self._drop()
                raise DecisionLogError(f"cannot write to the decision log {self.path}: {_reason(exc)}") from exc

    def close(self) -> None:
        with self._lock:
            self._drop()


def read_postgresql(url: str, *, since: str | None = None) -> Iterator[dict]:
    """The logged decisions, oldest first, streamed in a read-only transaction."""
    psycopg = _psycopg()
    connection = _connect(url)
    try:
        connection.read_only = True
        query = f"SELECT {', '.join(COLUMNS)} FROM {TABLE}"
        parameters: tuple = ()
        if since is not None:
            query += " WHERE enregistre_le >= %s"
            parameters = (since,)
        with connection.cursor(name="clea_log_export") as cursor:
            cursor.itersize = 500
            cursor.execute(query + " ORDER BY enregistre_le, numero", parameters)
            for row in cursor:
                yield log_record(dict(zip(COLUMNS, row)))
    except psycopg.errors.UndefinedTable as exc:
        raise DecisionLogError(f"{redacted(url)}: aucun journal des décisions ici") from exc
    except psycopg.Error as exc:
        raise DecisionLogError(f"{redacted(url)}: lecture du journal des décisions impossible : "
                               f"{_reason(exc)}") from exc
    finally:
        connection.close()


def fetch_all(url: str, query: str, parameters: tuple) -> list[tuple]:
    """The rows of one query, in a read-only transaction (the journal's searches on the web pages)."""
    psycopg = _psycopg()
    connection = _connect(url)
    try:
        connection.read_only = True
        with connection.cursor() as cursor:
            cursor.execute(query, parameters)
            return cursor.fetchall()
    except psycopg.errors.UndefinedTable as exc:
        raise DecisionLogError(f"{redacted(url)}: aucun journal des décisions ici") from exc
    except psycopg.Error as exc:
        raise DecisionLogError(f"{redacted(url)}: lecture du journal des décisions impossible : "
                               f"{_reason(exc)}") from exc
    finally:
        connection.close()
