"""The explanation of a count (engine/evaluation/explanations.py, what `--explain` prints): the holidays and
weekends it skipped between the day after the anchor and the due date, both included (the anchor « ce jour-là non
compté »), and the calendar-day and month notes. Dates checked on the 2026 calendar."""
from __future__ import annotations

from engine.calendar import Conventions, Duration
from engine.evaluation.explanations import counting

from .tiny import d, policy

TINY = policy()
METRO = TINY.default_calendar


def test_working_days_list_the_holidays_and_weekends_skipped():
    # Thu 2 Apr 2026 + 3 working days = Wed 8 Apr: Sat 4, Sun 5 and Easter Monday 6 Apr skipped
    data, text = counting(TINY, d("2026-04-02"), d("2026-04-08"), Duration("jours_ouvres", "working_days", 3),
                          METRO, False)
    assert data["jours_feries"] == [{"date": "2026-04-06", "nom": "Lundi de Pâques"}]
    assert data["week_ends"] == [["2026-04-04", "2026-04-05"]]
    assert "(ce jour-là non compté)" in text and text.endswith("→ mercredi 8 avril 2026.")
    assert "week-ends non comptés : samedi 4 et dimanche 5 avril" in text


def test_the_due_day_itself_is_in_the_interval():
    # Fri 3 Apr + 1 working day... the due date's own day is listed when closed (never, for working days) and the
    # anchor's never: Fri 1 May 2026 (Fête du Travail) as anchor is not listed
    data, _ = counting(TINY, d("2026-05-01"), d("2026-05-04"), Duration("jours_ouvres", "working_days", 1), METRO, False)
    assert data["jours_feries"] == [] and data["week_ends"] == [["2026-05-02", "2026-05-03"]]


def test_backwards_from_the_day_before_the_anchor():
    # 21 May 2026 - 5 working days = 13 May: Ascension 14 May skipped, the anchor 21 May not in the interval;
    # the due date 13 May is its first day
    data, _ = counting(TINY, d("2026-05-21"), d("2026-05-13"), Duration("jours_ouvres", "working_days", 5), METRO, True)
    assert data["jours_feries"] == [{"date": "2026-05-14", "nom": "Ascension"}]
    assert data["week_ends"] == [["2026-05-16", "2026-05-17"]] and data["sens"] == "avant"


def test_one_day_weekends_and_a_week_end_across_months():
    # Sat 31 Jan 2026 and Sun 1 Feb 2026: one weekend across two months
    data, text = counting(TINY, d("2026-01-30"), d("2026-02-02"), Duration("jours_ouvres", "working_days", 1), METRO,
                          False)
    assert data["week_ends"] == [["2026-01-31", "2026-02-01"]]
    assert "samedi 31 janvier et dimanche 1er février" in text


def test_a_weekend_cut_by_an_end_of_the_interval_lists_its_one_day():
    # from Sat 3 Jan 2026 (not counted) + 1 working day = Mon 5 Jan: only Sun 4 Jan skipped
    data, text = counting(TINY, d("2026-01-03"), d("2026-01-05"), Duration("jours_ouvres", "working_days", 1), METRO,
                          False)
    assert data["week_ends"] == [["2026-01-04"]] and "week-ends non comptés : dimanche 4 janvier " in text
    # Sun 11 Jan 2026 - 1 working day = Fri 9 Jan: the interval is Fri 9 to Sat 10, only Sat 10 skipped
    data, text = counting(TINY, d("2026-01-11"), d("2026-01-09"), Duration("jours_ouvres", "working_days", 1), METRO,
                          True)
    assert data["week_ends"] == [["2026-01-10"]] and "week-ends non comptés : samedi 10 janvier" in text
    # Fri 9 Jan + 1 working day = Mon 12 Jan: the whole weekend, Sat 10 and Sun 11
    data, _ = counting(TINY, d("2026-01-09"), d("2026-01-12"), Duration("jours_ouvres", "working_days", 1), METRO,
                       False)
    assert data["week_ends"] == [["2026-01-10", "2026-01-11"]]


def test_calendar_days_not_extended():
    data, text = counting(TINY, d("2026-10-01"), d("2026-10-31"), Duration("jours", "calendar_days", 30), METRO, False)
    assert "reportee_au_jour_ouvre" not in data
    assert "l'échéance tombe un jour non ouvré et n'est pas reportée" in text


def test_calendar_days_extended():
    extended = policy(conventions=Conventions(False, True))
    data, text = counting(extended, d("2026-10-01"), d("2026-11-02"), Duration("jours", "calendar_days", 30),
                          extended.default_calendar, False)
    assert data["reportee_au_jour_ouvre"] is True and "reportée au jour ouvré suivant" in text


def test_months_clamped():
    data, text = counting(TINY, d("2026-01-31"), d("2026-02-28"), Duration("mois", "months", 1), METRO, False)
    assert data["fin_de_mois"] is True and "(28/02/2026)" in text
    data, _ = counting(TINY, d("2026-01-28"), d("2026-02-28"), Duration("mois", "months", 1), METRO, False)
    assert "fin_de_mois" not in data


def test_weekends_across_the_end_of_a_year():
    # Fri 30 Dec 2022 + 1 working day = Mon 2 Jan 2023: Sat 31 Dec 2022 and Sun 1 Jan 2023 (Jour de l'an, a Sunday:
    # a weekend day, not listed among the holidays)
    data, text = counting(TINY, d("2022-12-30"), d("2023-01-02"), Duration("jours_ouvres", "working_days", 1), METRO,
                          False)
    assert data["week_ends"] == [["2022-12-31", "2023-01-01"]] and data["jours_feries"] == []
    assert "week-ends non comptés : samedi 31 décembre et dimanche 1er janvier " in text
    # Mon 21 Dec 2026 + 10 working days = Wed 6 Jan 2027: Fri 25 Dec and Fri 1 Jan skipped, and two weekends,
    # one in each year
    data, _ = counting(TINY, d("2026-12-21"), d("2027-01-06"), Duration("jours_ouvres", "working_days", 10), METRO,
                       False)
    assert [h["date"] for h in data["jours_feries"]] == ["2026-12-25", "2027-01-01"]
    assert data["week_ends"] == [["2026-12-26", "2026-12-27"], ["2027-01-02", "2027-01-03"]]
