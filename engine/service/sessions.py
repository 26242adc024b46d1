"""Server-side sessions: what a browser's cookie opens, kept in the decision log's database (SQLite or PostgreSQL),
so that closing one revokes it everywhere, at once, and a restart forgets none.

The cookie holds a random identifier (32 bytes, URL-safe); the database keeps only its SHA-256, who it is for
(``sujet``: the journal today, an account later) and when it expires. A copy of the cookie taken before sign-out
opens nothing after it. Several servers sharing a PostgreSQL log share their sessions.
"""
from __future__ import annotations

import hashlib
import secrets
import sqlite3
import time
from pathlib import Path

from .decision_log import DecisionLogError, is_postgresql

LIFETIME = 8 * 3600     # seconds: a working day

_TABLE = "clea_sessions"
_CREATE = (f"CREATE TABLE IF NOT EXISTS {_TABLE} (empreinte TEXT PRIMARY KEY, sujet TEXT NOT NULL, "
           "expire_le DOUBLE PRECISION NOT NULL)")


def _digest(session_id: str) -> str:
    return hashlib.sha256(session_id.encode("utf-8", "surrogatepass")).hexdigest()


class SessionStore:
    """Open, check and close sessions in the log's database at ``target`` (a SQLite file or a PostgreSQL URL).
    Every call is one short transaction (the pages call it from a worker thread); raises DecisionLogError."""

    def __init__(self, target, lifetime: int = LIFETIME) -> None:
        self.target = target
        self.lifetime = lifetime
        self._mark = "%s" if is_postgresql(target) else "?"
        self._execute(_CREATE, ())

    def open(self, subject: str, now: float | None = None) -> str:
        """A new session for ``subject``: the identifier to give the browser (never stored as such)."""
        now = time.time() if now is None else now
        session_id = secrets.token_urlsafe(32)
        self._execute(f"DELETE FROM {_TABLE} WHERE expire_le < {self._mark}", (now,))
        self._execute(f"INSERT INTO {_TABLE} (empreinte, sujet, expire_le) VALUES "
                      f"({self._mark}, {self._mark}, {self._mark})", (_digest(session_id), subject, now + self.lifetime))
        return session_id

    def subject(self, session_id: str, now: float | None = None) -> str | None:
        """Whom an open, unexpired session is for; None for an unknown, closed or expired one."""
        if not session_id or len(session_id) > 200:
            return None
        now = time.time() if now is None else now
        rows = self._execute(f"SELECT sujet FROM {_TABLE} WHERE empreinte = {self._mark} AND expire_le >= "
                             f"{self._mark}", (_digest(session_id), now), fetch=True)
        return rows[0][0] if rows else None

    def close(self, session_id: str) -> None:
        """Revoke a session: its cookie, and every copy of it, opens nothing from now on."""
        if session_id and len(session_id) <= 200:
            self._execute(f"DELETE FROM {_TABLE} WHERE empreinte = {self._mark}", (_digest(session_id),))

    def close_all(self, subject: str) -> None:
        """Revoke every session of ``subject`` (e.g. after its token was changed)."""
        self._execute(f"DELETE FROM {_TABLE} WHERE sujet = {self._mark}", (subject,))

    def _execute(self, sql: str, params: tuple, fetch: bool = False) -> list[tuple]:
        if is_postgresql(self.target):
            return _postgresql(self.target, sql, params, fetch)
        try:
            db = sqlite3.connect(Path(self.target), isolation_level=None)
        except sqlite3.Error as exc:
            raise DecisionLogError(f"{self.target}: impossible d'ouvrir les sessions : {exc}") from exc
        try:
            db.execute("PRAGMA busy_timeout=10000")
            cursor = db.execute(sql.replace("DOUBLE PRECISION", "REAL"), params)
            return cursor.fetchall() if fetch else []
        except sqlite3.Error as exc:
            raise DecisionLogError(f"{self.target}: sessions illisibles : {exc}") from exc
        finally:
            db.close()


def _postgresql(url: str, sql: str, params: tuple, fetch: bool) -> list[tuple]:
    from .log_postgresql import _connect, _psycopg, _reason, redacted

    psycopg = _psycopg()
    connection = _connect(url, autocommit=True)
    try:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall() if fetch else []
    except psycopg.Error as exc:
        raise DecisionLogError(f"{redacted(url)}: sessions illisibles : {_reason(exc)}") from exc
    finally:
        connection.close()
