"""Calendars: working days per territory (public holidays from the `holidays` library) and durations counted on them."""
from .durations import Conventions, Duration, shift
from .working_days import (
    CalendarRangeError,
    Territory,
    WorkingDayCalendar,
    add_days,
    add_months,
    add_years,
    holiday_names,
    public_holidays,
    quarter_end,
)

__all__ = [
    "CalendarRangeError", "Conventions", "Duration", "Territory", "WorkingDayCalendar", "add_days", "add_months",
    "add_years", "holiday_names", "public_holidays", "quarter_end", "shift",
]
