"""Working days and durations on dates anyone can check on a calendar."""
from __future__ import annotations

from datetime import date

import pytest

from engine.calendar import CalendarRangeError, add_months, add_years, quarter_end


@pytest.fixture(scope="module")
def policy(policies):
    return policies.get("certifpro")


def test_year_end_skips_christmas_and_new_year(policy):
    metropole = policy.calendar("metropole")
    # Thu 24 Dec 2026 + 1 working day: 25 Dec is Christmas, then the weekend -> Mon 28 Dec
    assert metropole.working_days_after(date(2026, 12, 24), 1) == date(2026, 12, 28)
    # 10 Dec 2026 + 20 working days = 11 Jan 2027 (25 Dec and 1 Jan skipped)
    assert metropole.working_days_after(date(2026, 12, 10), 20) == date(2027, 1, 11)


def test_easter_monday(policy):
    # 2 Mar 2026 + 30 working days = 14 Apr 2026: Easter Monday (6 Apr) is skipped
    assert policy.calendar("metropole").working_days_after(date(2026, 3, 2), 30) == date(2026, 4, 14)
    assert not policy.calendar("metropole").is_working_day(date(2026, 4, 6))


def test_ascension_counting_backwards(policy):
    # 21 May 2026 - 5 working days = 13 May: Ascension (Thu 14 May) is skipped
    assert policy.calendar("metropole").working_days_before(date(2026, 5, 21), 5) == date(2026, 5, 13)


def test_whit_monday(policy):
    # Fri 22 May 2026 + 1 working day: Whit Monday 25 May is a holiday -> Tue 26 May
    assert policy.calendar("metropole").working_days_after(date(2026, 5, 22), 1) == date(2026, 5, 26)


def test_alsace_moselle_good_friday_and_saint_stephen(policy):
    alsace = policy.calendar("alsace-moselle")
    # Good Friday 3 Apr 2026 and Easter Monday: 2 Mar + 30 working days = 15 Apr in Alsace-Moselle
    assert alsace.working_days_after(date(2026, 3, 2), 30) == date(2026, 4, 15)
    assert not alsace.is_working_day(date(2026, 4, 3))
    assert policy.calendar("metropole").is_working_day(date(2026, 4, 3))
    # 26 Dec 2025 is a Friday: a holiday in Alsace-Moselle only
    assert not alsace.is_working_day(date(2025, 12, 26))
    assert policy.calendar("metropole").is_working_day(date(2025, 12, 26))


@pytest.mark.parametrize("territory, day", [
    ("976", date(2026, 4, 27)),   # Mayotte, Monday 27 April
    ("972", date(2026, 5, 22)),   # Martinique, Friday 22 May
    ("971", date(2026, 5, 27)),   # Guadeloupe, Wednesday 27 May
    ("973", date(2026, 6, 10)),   # Guyane, Wednesday 10 June
    ("974", date(2026, 12, 21)),  # La Réunion: 20 Dec 2026 is a Sunday; Monday 21 is an ordinary day
])
def test_overseas_abolition_days(policy, territory, day):
    calendar = policy.calendar(territory)
    if territory == "974":
        assert calendar.is_working_day(day)
        assert date(2026, 12, 20) in calendar.holidays
    else:
        assert not calendar.is_working_day(day)
        assert policy.calendar("metropole").is_working_day(day)


def test_policy_removes_local_days_not_in_the_labour_code(policy):
    guadeloupe = policy.calendar("971")
    assert guadeloupe.is_working_day(date(2026, 4, 3))     # Good Friday: not kept for 971
    assert guadeloupe.is_working_day(date(2026, 7, 21))    # Victor Schœlcher day: not kept


def test_months_end_of_month_clamping():
    assert add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert add_months(date(2028, 1, 31), 1) == date(2028, 2, 29)
    assert add_months(date(2026, 8, 31), -6) == date(2026, 2, 28)


def test_leap_day_plus_three_years():
    assert add_years(date(2024, 2, 29), 3) == date(2027, 2, 28)
    assert add_years(date(2024, 2, 29), 4) == date(2028, 2, 29)


def test_quarter_end():
    assert quarter_end(date(2026, 1, 20)) == date(2026, 3, 31)
    assert quarter_end(date(2026, 4, 2)) == date(2026, 6, 30)
    assert quarter_end(date(2026, 12, 31)) == date(2026, 12, 31)


def test_outside_the_supported_years_raises(policy):
    calendar = policy.calendar("metropole")
    with pytest.raises(CalendarRangeError, match="hors du calendrier"):
        calendar.working_days_after(date(2014, 12, 31), 1)
    with pytest.raises(CalendarRangeError):
        calendar.working_days_after(date(2045, 12, 20), 30)
