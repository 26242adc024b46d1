"""Timestamps of the decision log: UTC, ISO 8601 with microseconds and Z, so that they sort as text."""
from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

PARIS = ZoneInfo("Europe/Paris")


def utc_stamp(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def utc_now() -> str:
    return utc_stamp(dt.datetime.now(dt.UTC))


def start_of_day_utc(day: dt.date) -> str:
    """Midnight in Paris on ``day``."""
    return utc_stamp(dt.datetime.combine(day, dt.time(), tzinfo=PARIS))
