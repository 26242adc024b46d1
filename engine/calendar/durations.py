"""Due dates: an anchor date shifted by a duration, forward or backward, on an actor's calendar."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from .working_days import WorkingDayCalendar, add_days, add_months, add_years


@dataclass(frozen=True)
class Duration:
    """A count in a unit the policy declared (its name, and how the engine counts it)."""

    unit: str
    counting: str      # working_days | calendar_days | months | years
    amount: int


@dataclass(frozen=True)
class Conventions:
    backward_clear_days: bool        # "N jours francs avant": neither end counted
    extend_to_working_day: bool      # calendar-day deadlines ending on a non-working day move to the next one


def shift(day: date, duration: Duration, *, backward: bool, calendar: WorkingDayCalendar,
          conventions: Conventions) -> date:
    """The due date `duration` after (or before) day. The day itself is never counted."""
    sign = -1 if backward else 1
    if duration.counting == "working_days":
        count = duration.amount + (1 if backward and conventions.backward_clear_days else 0)
        if backward:
            return calendar.working_days_before(day, count)
        return calendar.working_days_after(day, count)
    if duration.counting == "calendar_days":
        due = add_days(day, sign * (duration.amount + (1 if backward and conventions.backward_clear_days else 0)))
    elif duration.counting == "months":
        due = add_months(day, sign * duration.amount)
    else:
        due = add_years(day, sign * duration.amount)
    if conventions.extend_to_working_day and not backward:
        due = calendar.next_working_day(due)
    return due
