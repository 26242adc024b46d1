"""Working days per territory, and the arithmetic of deadlines (days, working days, months, years).

Working days are precomputed once per territory as a sorted list of ordinals over a closed range of years;
counting is a bisect. A date outside the range raises CalendarRangeError rather than answering wrongly.
"""
from __future__ import annotations

import calendar as _gregorian
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cached_property

import holidays as _holidays


class CalendarRangeError(ValueError):
    """A date falls outside the years a calendar was built for."""


@dataclass(frozen=True)
class Territory:
    """How to build one territory's public holidays from the `holidays` library."""

    name: str
    country: str
    subdivision: str | None = None
    removed: tuple[str, ...] = ()   # holiday names (French) the library lists but the policy does not keep
    added: tuple[str, ...] = ()     # "MM-DD" days the policy adds every year


def public_holidays(territory: Territory, first_year: int, last_year: int) -> dict[date, str]:
    """The territory's public holidays, French names, minus the removed ones, plus the added days."""
    found = _holidays.country_holidays(
        territory.country, subdiv=territory.subdivision, years=range(first_year, last_year + 1), language="fr"
    )
    kept: dict[date, str] = {}
    for day, names in found.items():
        remaining = [name for name in names.split("; ") if name not in territory.removed]
        if remaining:
            kept[day] = "; ".join(remaining)
    for month_day in territory.added:
        month, day_of_month = (int(part) for part in month_day.split("-"))
        for year in range(first_year, last_year + 1):
            kept.setdefault(date(year, month, day_of_month), f"jour férié ajouté ({month_day})")
    return kept


def holiday_names(territory: Territory, first_year: int, last_year: int) -> set[str]:
    """Every holiday name the library knows for a territory (to check a policy's `exclure` list)."""
    found = _holidays.country_holidays(
        territory.country, subdiv=territory.subdivision, years=range(first_year, last_year + 1), language="fr"
    )
    return {name for names in found.values() for name in names.split("; ")}


class WorkingDayCalendar:
    """Monday to Friday, except the given public holidays, between first_year and last_year inclusive."""

    def __init__(self, name: str, holidays: dict[date, str], first_year: int, last_year: int):
        self.name = name
        self.holidays = dict(holidays)
        self.first = date(first_year, 1, 1)
        self.last = date(last_year, 12, 31)
        closed = {day.toordinal() for day in self.holidays}
        self._ordinals = [
            ordinal
            for ordinal in range(self.first.toordinal(), self.last.toordinal() + 1)
            if ordinal not in closed and date.fromordinal(ordinal).weekday() < 5
        ]

    def _check(self, day: date) -> None:
        if not self.first <= day <= self.last:
            raise CalendarRangeError(
                f"le {day:%d/%m/%Y} est hors du calendrier « {self.name} » "
                f"(du {self.first:%d/%m/%Y} au {self.last:%d/%m/%Y})"
            )

    def is_working_day(self, day: date) -> bool:
        self._check(day)
        position = bisect_left(self._ordinals, day.toordinal())
        return position < len(self._ordinals) and self._ordinals[position] == day.toordinal()

    def working_days_after(self, day: date, count: int) -> date:
        """The count-th working day after day (day itself not counted); count 0 gives day."""
        self._check(day)
        if count == 0:
            return day
        position = bisect_right(self._ordinals, day.toordinal()) + count - 1
        if position >= len(self._ordinals):
            raise CalendarRangeError(f"{count} jours ouvrés après le {day:%d/%m/%Y} dépassent la fin du "
                                     f"calendrier « {self.name} » ({self.last:%d/%m/%Y})")
        return date.fromordinal(self._ordinals[position])

    def working_days_before(self, day: date, count: int) -> date:
        """The count-th working day before day (day itself not counted); count 0 gives day."""
        self._check(day)
        if count == 0:
            return day
        position = bisect_left(self._ordinals, day.toordinal()) - count
        if position < 0:
            raise CalendarRangeError(f"{count} jours ouvrés avant le {day:%d/%m/%Y} précèdent le début du "
                                     f"calendrier « {self.name} » ({self.first:%d/%m/%Y})")
        return date.fromordinal(self._ordinals[position])

    def weekday_holidays(self, first: date, last: date) -> list[tuple[date, str]]:
        """The public holidays from first to last (inclusive) that fall on a weekday, with their names: what a
        count in working days skipped besides the weekends, to explain it."""
        if self.first <= first and last <= self.last:
            days, named = self._weekday_holidays
            return named[bisect_left(days, first):bisect_right(days, last)]
        return [(day, name) for day, name in sorted(self.holidays.items()) if first <= day <= last and day.weekday() < 5]

    @cached_property
    def _weekday_holidays(self) -> tuple[list[date], list[tuple[date, str]]]:
        named = sorted((day, name) for day, name in self.holidays.items()
                       if day.weekday() < 5 and self.first <= day <= self.last)
        return [day for day, _ in named], named

    def next_working_day(self, day: date) -> date:
        """day itself if it is a working day, else the next one."""
        return day if self.is_working_day(day) else self.working_days_after(day, 1)


def add_months(day: date, months: int) -> date:
    """Same day number `months` later (or earlier); the month's last day when it has no such day."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    return date(year, month, min(day.day, _gregorian.monthrange(year, month)[1]))


def add_years(day: date, years: int) -> date:
    return add_months(day, 12 * years)


def add_days(day: date, days: int) -> date:
    return day + timedelta(days=days)


def quarter_end(day: date) -> date:
    """The last day of the calendar quarter holding day."""
    last_month = ((day.month - 1) // 3 + 1) * 3
    return date(day.year, last_month, _gregorian.monthrange(day.year, last_month)[1])
