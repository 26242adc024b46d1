"""The calendar's counts and their boundaries, table-driven, on a metropolitan calendar of 2025-2027 built in
memory (engine/calendar). Every date is checked on a calendar; each boundary is pinned on the day itself and on the
day after (or before). The convention quoted is the README's "Counting" paragraph (contract §3): "N jours ouvrés à
compter de X" is the N-th working day after X, X itself not counted; "au plus tard N jours ouvrés avant Y" the
N-th working day before Y; the calendar covers its supported years and a date outside is an input error."""
from __future__ import annotations

import pytest

from engine.calendar import (
    CalendarRangeError,
    Conventions,
    Duration,
    Territory,
    WorkingDayCalendar,
    add_days,
    add_months,
    add_years,
    holiday_names,
    public_holidays,
    quarter_end,
    shift,
)

from .tiny import FIRST_YEAR, LAST_YEAR, METROPOLE, d


@pytest.fixture(scope="module")
def metropole() -> WorkingDayCalendar:
    return WorkingDayCalendar("metropole", public_holidays(METROPOLE, FIRST_YEAR, LAST_YEAR), FIRST_YEAR, LAST_YEAR)


# --- the years covered: "Supported years ...: a date or deadline outside is an input error, never a wrong answer" ---
@pytest.mark.parametrize("day, working", [
    ("2025-01-01", False),   # first covered day: Wed 1 Jan 2025, Jour de l'an
    ("2025-01-02", True),    # the day after: Thu 2 Jan 2025, the first working day covered
    ("2027-12-31", True),    # last covered day: Fri 31 Dec 2027, a working day
    ("2027-12-30", True),    # the day before it: Thu 30 Dec 2027
    ("2027-12-25", False),   # Sat 25 Dec 2027 (Noël on a Saturday)
    ("2027-11-11", False),   # Thu 11 Nov 2027, Armistice: a holiday of the last covered year is kept
    ("2025-11-11", False),   # Tue 11 Nov 2025, Armistice of the first covered year
    ("2026-01-03", False),   # Saturday
    ("2026-01-04", False),   # Sunday
    ("2026-01-02", True),    # Friday
    ("2026-01-05", True),    # Monday
])
def test_is_working_day(metropole, day, working):
    assert metropole.is_working_day(d(day)) is working


@pytest.mark.parametrize("day", ["2024-12-31", "2028-01-01"])   # the day before the first, the day after the last
def test_a_day_outside_the_years_is_an_error(metropole, day):
    with pytest.raises(CalendarRangeError, match="hors du calendrier « metropole » .du 01/01/2025 au 31/12/2027."):
        metropole.is_working_day(d(day))
    with pytest.raises(CalendarRangeError):
        metropole.working_days_after(d(day), 1)
    with pytest.raises(CalendarRangeError):
        metropole.working_days_before(d(day), 1)


@pytest.mark.parametrize("start, count, due", [
    ("2026-03-02", 0, "2026-03-02"),   # 0 working days: the day itself
    ("2026-03-02", 1, "2026-03-03"),   # Mon + 1 = Tue: the day itself is not counted
    ("2026-03-02", 5, "2026-03-09"),   # Mon 2 Mar + 5 = Mon 9 Mar (the weekend skipped)
    ("2026-03-06", 1, "2026-03-09"),   # Fri + 1 = Mon
    ("2026-03-07", 1, "2026-03-09"),   # from a Saturday: the next working day
    ("2026-03-02", 30, "2026-04-14"),  # Easter Monday 6 Apr 2026 skipped (regulation II.3: 30 jours ouvrés)
    ("2026-12-24", 1, "2026-12-28"),   # Noël, then the weekend
    ("2026-12-10", 20, "2027-01-11"),  # 25 Dec and 1 Jan skipped, across the year's end
    ("2027-12-30", 1, "2027-12-31"),   # onto the last covered day
    ("2025-01-01", 1, "2025-01-02"),   # from the first covered day (a holiday)
])
def test_working_days_after(metropole, start, count, due):
    assert metropole.working_days_after(d(start), count) == d(due)


def test_working_days_after_past_the_last_day_is_an_error(metropole):
    # Fri 31 Dec 2027 + 1 working day is Mon 3 Jan 2028, beyond the calendar; 30 Dec + 1 is still inside (above)
    with pytest.raises(CalendarRangeError, match="1 jours ouvrés après le 31/12/2027 dépassent la fin"):
        metropole.working_days_after(d("2027-12-31"), 1)
    with pytest.raises(CalendarRangeError):
        metropole.working_days_after(d("2027-12-30"), 2)


@pytest.mark.parametrize("start, count, due", [
    ("2026-03-09", 0, "2026-03-09"),
    ("2026-03-10", 1, "2026-03-09"),   # Tue - 1 = Mon: the day itself is not counted
    ("2026-03-09", 1, "2026-03-06"),   # Mon - 1 = Fri
    ("2026-03-08", 1, "2026-03-06"),   # from a Sunday: the working day before
    ("2026-05-21", 5, "2026-05-13"),   # Ascension (Thu 14 May 2026) skipped (regulation II.2: 5 jours ouvrés avant)
    ("2025-01-03", 1, "2025-01-02"),   # onto the first working day covered
])
def test_working_days_before(metropole, start, count, due):
    assert metropole.working_days_before(d(start), count) == d(due)


def test_working_days_before_the_first_day_is_an_error(metropole):
    # Thu 2 Jan 2025 is the first working day covered (1 Jan is a holiday): nothing before it
    with pytest.raises(CalendarRangeError, match="1 jours ouvrés avant le 02/01/2025 précèdent le début"):
        metropole.working_days_before(d("2025-01-02"), 1)
    with pytest.raises(CalendarRangeError):
        metropole.working_days_before(d("2025-01-03"), 2)


@pytest.mark.parametrize("day, next_day", [
    ("2026-10-30", "2026-10-30"),   # Fri: itself
    ("2026-10-31", "2026-11-02"),   # Sat -> Mon 2 Nov (Sun 1 Nov is Toussaint)
    ("2026-11-11", "2026-11-12"),   # Armistice (Wed) -> Thu
])
def test_next_working_day(metropole, day, next_day):
    assert metropole.next_working_day(d(day)) == d(next_day)


# --- what `--explain` lists as skipped besides weekends: the holidays on a weekday, both ends included ---
@pytest.mark.parametrize("first, last, holidays", [
    ("2026-01-01", "2026-01-01", [("2026-01-01", "Jour de l'an")]),     # Thu 1 Jan 2026: both ends, the same day
    ("2026-01-02", "2026-01-04", []),                                    # Fri to Sun: a weekend is no holiday
    ("2026-04-03", "2026-04-07", [("2026-04-06", "Lundi de Pâques")]),   # Easter Monday, 6 Apr 2026
    ("2026-04-06", "2026-04-06", [("2026-04-06", "Lundi de Pâques")]),   # the day itself
    ("2026-04-07", "2026-04-10", []),                                    # the day after
    ("2026-10-31", "2026-11-02", []),                                    # Toussaint on Sun 1 Nov 2026: not listed
    ("2026-11-10", "2026-11-11", [("2026-11-11", "Armistice")]),         # last end included (Wed 11 Nov)
    ("2026-03-10", "2026-03-09", []),                                    # an empty interval
    ("2027-12-30", "2027-12-31", []),                                    # the calendar's last days
    ("2024-12-30", "2025-01-01", [("2025-01-01", "Jour de l'an")]),      # from before the calendar's first year
])
def test_weekday_holidays(metropole, first, last, holidays):
    assert metropole.weekday_holidays(d(first), d(last)) == [(d(day), name) for day, name in holidays]


# --- the territory's holidays: the library's, minus those removed, plus those added, every covered year ---
def test_holidays_removed_and_added_each_covered_year():
    territory = Territory("test", "FR", removed=("Lundi de Pentecôte",), added=("12-26",))
    found = public_holidays(territory, 2025, 2027)
    assert d("2026-05-25") not in found                          # Whit Monday removed
    assert found[d("2026-05-14")] == "Ascension"                  # the others kept
    for year in (2025, 2026, 2027):                               # the added day, first and last year included
        assert found[d(f"{year}-12-26")] == "jour férié ajouté (12-26)"
    assert d("2024-12-26") not in found and d("2028-12-26") not in found
    assert found[d("2027-11-11")] == "Armistice" and found[d("2025-01-01")] == "Jour de l'an"
    assert d("2028-01-01") not in found and d("2024-12-25") not in found


def test_an_added_day_keeps_the_library_name():
    # 14 July is already Fête nationale: adding it does not rename it
    found = public_holidays(Territory("test", "FR", added=("07-14",)), 2026, 2026)
    assert found[d("2026-07-14")] == "Fête nationale"


def test_holiday_names():
    names = holiday_names(METROPOLE, 2026, 2026)
    assert {"Jour de l'an", "Lundi de Pentecôte", "Noël", "Armistice"} <= names
    assert "Vendredi saint" not in names                     # Alsace-Moselle only
    assert "Vendredi saint" in holiday_names(Territory("am", "FR", subdivision="57"), 2026, 2026)


# --- months and years: "keep the day number, clamped to the month's end (31 Jan + 1 month = 28/29 Feb)" ---
@pytest.mark.parametrize("day, months, due", [
    ("2026-01-31", 1, "2026-02-28"),
    ("2028-01-31", 1, "2028-02-29"),   # a leap year
    ("2026-01-30", 1, "2026-02-28"),
    ("2026-01-28", 1, "2026-02-28"),   # the day exists: kept
    ("2026-03-31", 1, "2026-04-30"),
    ("2026-12-15", 1, "2027-01-15"),   # across the year's end
    ("2026-01-15", -1, "2025-12-15"),  # backwards across it
    ("2026-11-30", 3, "2027-02-28"),
    ("2026-05-10", 0, "2026-05-10"),
    ("2026-05-10", 12, "2027-05-10"),
    ("2026-05-10", -12, "2025-05-10"),
])
def test_add_months(day, months, due):
    assert add_months(d(day), months) == d(due)


@pytest.mark.parametrize("day, years, due", [
    ("2025-03-10", 3, "2028-03-10"),
    ("2028-02-29", 1, "2029-02-28"),   # no 29 Feb: the month's last day
    ("2026-06-01", -1, "2025-06-01"),
])
def test_add_years(day, years, due):
    assert add_years(d(day), years) == d(due)


def test_add_days():
    assert add_days(d("2026-02-27"), 2) == d("2026-03-01")
    assert add_days(d("2026-03-01"), -1) == d("2026-02-28")


# --- quarters: "Certificate fees are grouped by calendar quarter, due on its last day" ---
@pytest.mark.parametrize("day, end", [
    ("2026-01-01", "2026-03-31"), ("2026-03-31", "2026-03-31"), ("2026-04-01", "2026-06-30"),
    ("2026-06-30", "2026-06-30"), ("2026-07-01", "2026-09-30"), ("2026-09-30", "2026-09-30"),
    ("2026-10-01", "2026-12-31"), ("2026-12-31", "2026-12-31"), ("2026-02-14", "2026-03-31"),
    ("2026-05-15", "2026-06-30"), ("2026-11-15", "2026-12-31"),
])
def test_quarter_end(day, end):
    assert quarter_end(d(day)) == d(end)


# --- durations on conventions (engine/calendar/durations.py) ---
PLAIN = Conventions(backward_clear_days=False, extend_to_working_day=False)
CLEAR = Conventions(backward_clear_days=True, extend_to_working_day=False)
EXTEND = Conventions(backward_clear_days=False, extend_to_working_day=True)


@pytest.mark.parametrize("start, counting, amount, backward, conventions, due", [
    ("2026-03-02", "working_days", 5, False, PLAIN, "2026-03-09"),
    ("2026-03-02", "working_days", 5, False, CLEAR, "2026-03-09"),     # clear days only count backwards
    ("2026-05-21", "working_days", 5, True, PLAIN, "2026-05-13"),
    ("2026-05-21", "working_days", 5, True, CLEAR, "2026-05-12"),      # jours francs: neither end counted
    ("2026-10-01", "calendar_days", 30, False, PLAIN, "2026-10-31"),   # a Saturday, not extended (README example)
    ("2026-10-01", "calendar_days", 30, False, EXTEND, "2026-11-02"),  # extended: Sun 1 Nov Toussaint -> Mon 2 Nov
    ("2026-10-01", "calendar_days", 29, False, EXTEND, "2026-10-30"),  # a Friday: nothing to extend
    ("2026-03-20", "calendar_days", 10, True, PLAIN, "2026-03-10"),
    ("2026-03-20", "calendar_days", 10, True, CLEAR, "2026-03-09"),
    ("2026-03-17", "calendar_days", 10, True, EXTEND, "2026-03-07"),   # backwards: never extended (a Saturday)
    ("2026-01-31", "months", 1, False, PLAIN, "2026-02-28"),
    ("2026-01-31", "months", 1, False, EXTEND, "2026-03-02"),          # Sat 28 Feb -> Mon 2 Mar
    ("2026-03-31", "months", 1, True, PLAIN, "2026-02-28"),
    ("2026-03-31", "months", 1, True, CLEAR, "2026-02-28"),            # clear days do not apply to months
    ("2025-03-15", "years", 1, False, PLAIN, "2026-03-15"),
    ("2025-03-15", "years", 1, False, EXTEND, "2026-03-16"),           # Sun 15 Mar -> Mon 16 Mar
    ("2026-03-15", "years", 1, True, PLAIN, "2025-03-15"),
    ("2026-05-31", "months", 3, True, PLAIN, "2026-02-28"),            # 3 months back: 31 May -> 28 Feb
    ("2026-02-28", "months", 3, False, PLAIN, "2026-05-28"),
    ("2027-03-15", "years", 2, True, PLAIN, "2025-03-15"),
])
def test_shift(metropole, start, counting, amount, backward, conventions, due):
    duration = Duration("u", counting, amount)
    assert shift(d(start), duration, backward=backward, calendar=metropole, conventions=conventions) == d(due)


# --- the ends of other ranges: a calendar ending on a weekend, one whose next year's 1 January is a weekday ---
def test_the_last_day_of_a_calendar_ending_on_a_sunday():
    # 2026-2028: Sat 30 and Sun 31 Dec 2028 follow the last working day (Fri 29 Dec 2028)
    calendar = WorkingDayCalendar("m", public_holidays(METROPOLE, 2026, 2028), 2026, 2028)
    assert calendar.is_working_day(d("2028-12-31")) is False and calendar.is_working_day(d("2028-12-29")) is True
    assert calendar.next_working_day(d("2028-12-29")) == d("2028-12-29")
    with pytest.raises(CalendarRangeError):
        calendar.next_working_day(d("2028-12-30"))


def test_the_day_after_the_last_year_is_not_a_working_day():
    # 2025-2026: Thu 31 Dec 2026 + 1 working day would be Fri 1 Jan 2027, outside the calendar (and a holiday)
    calendar = WorkingDayCalendar("m", public_holidays(METROPOLE, 2025, 2026), 2025, 2026)
    assert calendar.working_days_after(d("2026-12-30"), 1) == d("2026-12-31")
    with pytest.raises(CalendarRangeError):
        calendar.working_days_after(d("2026-12-31"), 1)


def test_the_day_before_the_first_year_is_not_a_working_day():
    # 2026-2027: Fri 2 Jan 2026 is the first working day; Wed 31 Dec 2025 is outside
    calendar = WorkingDayCalendar("m", public_holidays(METROPOLE, 2026, 2027), 2026, 2027)
    with pytest.raises(CalendarRangeError):
        calendar.working_days_before(d("2026-01-02"), 1)
    assert calendar.working_days_before(d("2026-01-05"), 1) == d("2026-01-02")


def test_typed_parts_are_frozen():
    # the calendar's parts are frozen values built once (BRIEF: "frozen typed objects")
    from dataclasses import FrozenInstanceError
    with pytest.raises(FrozenInstanceError):
        METROPOLE.country = "DE"  # type: ignore[misc]
    with pytest.raises(FrozenInstanceError):
        Duration("u", "working_days", 1).amount = 2  # type: ignore[misc]
    with pytest.raises(FrozenInstanceError):
        PLAIN.backward_clear_days = True  # type: ignore[misc]
