"""Finding decisions in the log, read-only: by the day they were recorded (Paris), SIREN and status, newest first;
one decision by its id. The same searches on a SQLite file (opened read-only: never blocks the writers) and on a
PostgreSQL log (a read-only transaction); the records read back as ``clea log export`` writes them."""
from __future__ import annotations

import datetime as dt
import json
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from .decision_log import is_postgresql
from .log_records import DecisionLogError
from .timeutil import start_of_day_utc

SUMMARY = ("decision_id", "enregistre_le", "date_evaluation", "politique_id", "politique_version", "appelant",
           "siren", "denomination", "statut", "conforme")


@dataclass(frozen=True)
class Filters:
    since: dt.date | None = None      # recorded on or after this day (Paris)
    until: dt.date | None = None      # recorded on or before this day (Paris)
    siren: str | None = None
    status: str | None = None


@dataclass(frozen=True)
class _Dialect:
    table: str
    mark: str                          # the parameter placeholder
    order: str                         # ties between equal timestamps: the insertion order
    siren: str
    denomination: str
    status: str
    conforming: str


_SQLITE = _Dialect("decisions", "?", "rowid", "json_extract(faits, '$.organisme.siren')",
                   "json_extract(faits, '$.organisme.denomination')", "json_extract(verdict, '$.statut')",
                   "json_extract(verdict, '$.verdict.conforme')")
_POSTGRESQL = _Dialect("clea_decisions", "%s", "numero", "(faits::jsonb #>> '{organisme,siren}')",
                       "(faits::jsonb #>> '{organisme,denomination}')", "(verdict::jsonb ->> 'statut')",
                       "(verdict::jsonb #>> '{verdict,conforme}')")


def _query(target, sql: str, params: tuple) -> list[tuple]:
    """Rows of one read-only query on the log at target (a SQLite file or a PostgreSQL URL)."""
    if is_postgresql(target):
        from .log_postgresql import fetch_all
        return fetch_all(target, sql, params)
    path = Path(target)
    if not path.is_file():
        raise DecisionLogError(f"{path}: aucun journal des décisions ici")
    try:
        db = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error as exc:
        raise DecisionLogError(f"{path}: impossible d'ouvrir le journal des décisions : {exc}") from exc
    try:
        db.execute("PRAGMA busy_timeout=10000")
        return db.execute(sql, params).fetchall()
    except sqlite3.Error as exc:
        raise DecisionLogError(f"{path}: cannot read the decision log: {exc}") from exc
    finally:
        db.close()


def search(target, filters: Filters, *, limit: int = 50, offset: int = 0) -> tuple[list[dict], bool]:
    """(one summary per decision, newest first; whether more follow)."""
    sql = _POSTGRESQL if is_postgresql(target) else _SQLITE
    where, params = [], []
    if filters.since:
        where.append(f"enregistre_le >= {sql.mark}")
        params.append(start_of_day_utc(filters.since))
    if filters.until:
        where.append(f"enregistre_le < {sql.mark}")
        params.append(start_of_day_utc(filters.until + dt.timedelta(days=1)))
    if filters.siren:
        where.append(f"{sql.siren} = {sql.mark}")
        params.append(filters.siren)
    if filters.status:
        where.append(f"{sql.status} = {sql.mark}")
        params.append(filters.status)
    query = (f"SELECT decision_id, enregistre_le, date_evaluation, politique_id, politique_version, appelant, "
             f"{sql.siren}, {sql.denomination}, {sql.status}, {sql.conforming} FROM {sql.table}"
             + (f" WHERE {' AND '.join(where)}" if where else "")
             + f" ORDER BY enregistre_le DESC, {sql.order} DESC LIMIT {sql.mark} OFFSET {sql.mark}")
    rows = _query(target, query, (*params, limit + 1, offset))
    found = [dict(zip(SUMMARY, row)) for row in rows[:limit]]
    for record in found:
        conforming = record["conforme"]
        record["conforme"] = None if conforming is None else conforming in (1, True, "true")
    return found, len(rows) > limit


def find(target, decision_id: str) -> dict | None:
    """One logged decision (masked facts and verdict), or None."""
    sql = _POSTGRESQL if is_postgresql(target) else _SQLITE
    rows = _query(target, f"SELECT decision_id, enregistre_le, appelant, adresse, faits, verdict FROM {sql.table} "
                          f"WHERE decision_id = {sql.mark}", (decision_id,))
    if not rows:
        return None
    decision, recorded, caller, address, facts, verdict = rows[0]
    return {"decision_id": decision, "enregistre_le": recorded, "appelant": caller, "adresse": address,
            "faits": json.loads(facts), "verdict": json.loads(verdict)}


def recent_facts(target, limit: int) -> list[str]:
    """The facts (JSON, masked as logged) of the last `limit` distinct dossiers decided, newest first."""
    sql = _POSTGRESQL if is_postgresql(target) else _SQLITE
    rows = _query(target, f"SELECT faits, faits_sha256 FROM {sql.table} ORDER BY enregistre_le DESC LIMIT {sql.mark}",
                  (limit * 4,))
    seen: dict[str, str] = {}
    for facts, digest in rows:
        if digest not in seen and len(seen) < limit:
            seen[digest] = facts
    return list(seen.values())
