"""What a decision log stores, whatever the database: the columns of a row, how a decision becomes one (masked,
with the hash of the facts as received) and how a row reads back as a record (``clea log export``)."""
from __future__ import annotations

import hashlib
import json

from ..compact_json import compact
from .masking import mask, parsed_paths
from .timeutil import utc_now

COLUMNS = ("decision_id", "enregistre_le", "date_evaluation", "politique_id", "politique_version",
           "politique_revision", "faits_sha256", "appelant", "adresse", "faits", "verdict")


class DecisionLogError(Exception):
    """The decision log cannot be opened, written or read."""


def facts_hash(facts) -> str:
    """A stable hash of a facts document: canonical JSON (sorted keys, no spaces), SHA-256."""
    return "sha256:" + hashlib.sha256(compact(facts, sort_keys=True, default=str)).hexdigest()


def log_row(decision: dict, paths: tuple) -> tuple:
    """The columns of one decision, in COLUMNS order, masked by ``paths``: masked once, each part encoded once.
    The facts and the verdict stay UTF-8 bytes (each database's INSERT, insert_sql, stores them as text), not
    decoded here to be encoded again by the database's driver."""
    politique = decision["politique"]
    masked = mask({"faits": decision["faits"], "verdict": decision["verdict"]}, paths)
    return (decision["decision_id"], utc_now(), decision["date_evaluation"], politique["id"],
            politique.get("version", ""), politique.get("revision", ""), facts_hash(decision["faits"]),
            decision.get("appelant"), decision.get("adresse"), _dump(masked["faits"]), _dump(masked["verdict"]))


def log_rows(decisions: list[dict], personal: tuple[str, ...], own: tuple[tuple, ...]) -> list[tuple]:
    """The rows of a request's decisions, masked by the policies' ``personal`` paths and the log's ``own``."""
    paths = parsed_paths(personal) + own
    return [log_row(decision, paths) for decision in decisions]


def _dump(value) -> bytes:
    return compact(value, default=str)


_TEXT_FROM_UTF8 = ("faits", "verdict")     # the columns log_row gives as UTF-8 bytes


def insert_sql(table: str, placeholder: str, text_from_utf8: str) -> str:
    """The INSERT of a row of log_row into ``table``: ``placeholder`` for a value, ``text_from_utf8`` (the same
    placeholder turned into text by the database) for the columns given as UTF-8 bytes."""
    values = ", ".join(text_from_utf8 if column in _TEXT_FROM_UTF8 else placeholder for column in COLUMNS)
    return f"INSERT INTO {table} ({', '.join(COLUMNS)}) VALUES ({values})"


def log_record(row: dict) -> dict:
    """A stored row (column -> value) as the record `clea log export` writes."""
    return {
        "decision_id": row["decision_id"],
        "enregistre_le": row["enregistre_le"],
        "date_evaluation": row["date_evaluation"],
        "politique": {"id": row["politique_id"], "version": row["politique_version"],
                      "revision": row["politique_revision"]},
        "faits_sha256": row["faits_sha256"],
        "appelant": row["appelant"],
        "adresse": row["adresse"],
        "faits": json.loads(row["faits"]),
        "verdict": json.loads(row["verdict"]),
    }
