"""What the decision log holds of each policy: the first and last day its logged dossiers bear (evaluation dates and
events' dates) and how many decisions — so that a policy whose years no longer cover them is refused at start, at
reload and by `clea policy validate --log` (engine/policy/checks/log_years.py). Read with one aggregate query per
kind of date, read-only; a log that does not exist yet holds nothing."""
from __future__ import annotations

import logging
import sqlite3
from pathlib import Path

from ..policy.checks.log_years import Evaluated
from .decision_log import is_postgresql
from .log_records import DecisionLogError

logger = logging.getLogger("clea.service")
DAY = "[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]"
SQLITE = (
    ("SELECT politique_id, MIN(date_evaluation), MAX(date_evaluation), COUNT(*) FROM decisions "
     "GROUP BY politique_id"),
    ("SELECT politique_id, MIN(day), MAX(day), 0 FROM (SELECT d.politique_id, CASE WHEN e.type = 'object' "
     "THEN json_extract(e.value, '$.date') END AS day FROM decisions d, json_each(CASE WHEN json_valid(d.faits) "
     "AND json_type(d.faits, '$.evenements') = 'array' THEN json_extract(d.faits, '$.evenements') ELSE '[]' END) e) "
     f"WHERE day GLOB '{DAY}' GROUP BY politique_id"),
)
POSTGRESQL = (
    ("SELECT politique_id, MIN(date_evaluation), MAX(date_evaluation), COUNT(*) FROM {table} "
     "GROUP BY politique_id"),
    ("SELECT politique_id, MIN(e->>'date'), MAX(e->>'date'), 0 FROM {table}, jsonb_array_elements("
     "CASE WHEN jsonb_typeof(faits::jsonb->'evenements') = 'array' THEN faits::jsonb->'evenements' "
     "ELSE '[]'::jsonb END) e WHERE e->>'date' ~ '^[0-9]{{4}}-[0-9]{{2}}-[0-9]{{2}}$' GROUP BY politique_id"),
)


def logged_days(target) -> dict[str, Evaluated]:
    """evaluated_days, or {} (with a warning in the service's log) when the log cannot be read now: an unreadable
    log must not keep a corrected policy from loading; its own health check reports it."""
    try:
        return evaluated_days(target)
    except DecisionLogError as exc:
        logger.warning("years not compared with the decision log: %s", exc)
        return {}


def evaluated_days(target) -> dict[str, Evaluated]:
    """By policy id, the days its logged dossiers bear; {} when there is no log yet. Raises DecisionLogError."""
    if is_postgresql(target):
        from .log_postgresql import TABLE, fetch_all
        rows = [row for query in POSTGRESQL for row in fetch_all(target, query.format(table=TABLE), ())]
    else:
        rows = _sqlite_rows(Path(target))
    found: dict[str, Evaluated] = {}
    for policy_id, first, last, count in rows:
        if not first or not last:
            continue
        known = found.get(policy_id)
        found[policy_id] = Evaluated(min(first, known.first) if known else first, max(last, known.last) if known
                                     else last, (known.decisions if known else 0) + int(count))
    return found


def _sqlite_rows(path: Path) -> list[tuple]:
    if not path.is_file():
        return []
    try:
        db = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error as exc:
        raise DecisionLogError(f"{path}: impossible d'ouvrir le journal des décisions : {exc}") from exc
    try:
        db.execute("PRAGMA busy_timeout=10000")
        return [row for query in SQLITE for row in db.execute(query)]
    except sqlite3.Error as exc:
        raise DecisionLogError(f"{path}: lecture du journal des décisions impossible : {exc}") from exc
    finally:
        db.close()
