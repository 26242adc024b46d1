"""Clock readings of the service: UTC timestamps for records, today's date in Paris for defaults."""
from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

PARIS = ZoneInfo("Europe/Paris")


def utc_now() -> str:
    """Now, UTC, ISO 8601 with microseconds and Z: such strings sort in time order."""
    return dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def today_paris() -> dt.date:
    return dt.datetime.now(PARIS).date()


def start_of_day_utc(day: dt.date) -> str:
    """Midnight in Paris on ``day``, as a UTC timestamp in the format of :func:`utc_now`."""
    midnight = dt.datetime.combine(day, dt.time(), tzinfo=PARIS)
    return midnight.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
