"""The few words of the pages that no policy gives: the engine's own vocabulary (the proposed avis's direction)
and the log's timestamps in Paris time. Dates and amounts are written by engine/wording.py, a policy's
identifiers by its labels (engine/policy/labels.py)."""
from __future__ import annotations

from datetime import datetime

from ...wording import short_date
from ..timeutil import PARIS

SENS = {"favorable": "favorable", "defavorable": "défavorable"}


def timestamp(value: str | None) -> str:
    """A stored UTC timestamp '2026-11-27T08:51:11.123456Z' -> '27/11/2026 à 09:51:11' (Paris time)."""
    if not value:
        return "—"
    try:
        moment = datetime.fromisoformat(value).astimezone(PARIS)
    except ValueError:
        return value
    return f"{short_date(moment.date())} à {moment:%H:%M:%S}"
