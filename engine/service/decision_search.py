"""Finding decisions in the log (read-only): by the day they were recorded (Paris), SIREN and status, newest first;
one decision by its id. Opens the SQLite file read-only for each search, so reading never blocks the writer."""
from __future__ import annotations

import datetime as dt
import json
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from .decision_log import DecisionLogError
from .timeutil import start_of_day_utc

_SUMMARY = ("decision_id, enregistre_le, date_evaluation, politique_id, politique_version, appelant, "
            "json_extract(faits, '$.organisme.siren'), json_extract(faits, '$.organisme.denomination'), "
            "json_extract(verdict, '$.statut'), json_extract(verdict, '$.verdict.conforme')")
_FIELDS = ("decision_id", "enregistre_le", "date_evaluation", "politique_id", "politique_version", "appelant",
           "siren", "denomination", "statut", "conforme")


@dataclass(frozen=True)
class Filters:
    since: dt.date | None = None      # recorded on or after this day (Paris)
    until: dt.date | None = None      # recorded on or before this day (Paris)
    siren: str | None = None
    status: str | None = None


def _connect(path: Path) -> sqlite3.Connection:
    if not path.is_file():
        raise DecisionLogError(f"{path}: no decision log here")
    try:
        db = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        db.execute("PRAGMA busy_timeout=10000")
        return db
    except sqlite3.Error as exc:
        raise DecisionLogError(f"{path}: cannot open the decision log: {exc}") from exc


def search(path: str | Path, filters: Filters, *, limit: int = 50, offset: int = 0) -> tuple[list[dict], bool]:
    """(one summary per decision, newest first; whether more follow)."""
    where, params = [], []
    if filters.since:
        where.append("enregistre_le >= ?")
        params.append(start_of_day_utc(filters.since))
    if filters.until:
        where.append("enregistre_le < ?")
        params.append(start_of_day_utc(filters.until + dt.timedelta(days=1)))
    if filters.siren:
        where.append("json_extract(faits, '$.organisme.siren') = ?")
        params.append(filters.siren)
    if filters.status:
        where.append("json_extract(verdict, '$.statut') = ?")
        params.append(filters.status)
    query = (f"SELECT {_SUMMARY} FROM decisions" + (f" WHERE {' AND '.join(where)}" if where else "")
             + " ORDER BY enregistre_le DESC, rowid DESC LIMIT ? OFFSET ?")
    db = _connect(Path(path))
    try:
        rows = db.execute(query, (*params, limit + 1, offset)).fetchall()
    except sqlite3.Error as exc:
        raise DecisionLogError(f"{path}: cannot read the decision log: {exc}") from exc
    finally:
        db.close()
    found = [dict(zip(_FIELDS, row)) for row in rows[:limit]]
    for record in found:
        record["conforme"] = None if record["conforme"] is None else bool(record["conforme"])
    return found, len(rows) > limit


def find(path: str | Path, decision_id: str) -> dict | None:
    """One logged decision (masked facts and verdict), or None."""
    db = _connect(Path(path))
    try:
        row = db.execute("SELECT decision_id, enregistre_le, appelant, adresse, faits, verdict FROM decisions "
                         "WHERE decision_id = ?", (decision_id,)).fetchone()
    except sqlite3.Error as exc:
        raise DecisionLogError(f"{path}: cannot read the decision log: {exc}") from exc
    finally:
        db.close()
    if row is None:
        return None
    return {"decision_id": row[0], "enregistre_le": row[1], "appelant": row[2], "adresse": row[3],
            "faits": json.loads(row[4]), "verdict": json.loads(row[5])}
