"""The days a PostgreSQL decision log holds of each policy (issue 19: calendar years against the decision log) are
those a SQLite log gives: the first and last of the evaluation dates and of the events' dates, and the count."""
from __future__ import annotations

from engine.policy.checks.log_years import Evaluated
from engine.service.decision_log import DecisionLog, open_log
from engine.service.log_years import evaluated_days

DECISIONS = [
    {"decision_id": "d1", "date_evaluation": "2026-07-01", "politique": {"id": "certifpro", "version": "1"},
     "faits": {"evenements": [{"type": "demande_deposee", "date": "2019-12-02"}, {"type": "x", "date": "masqué"}]},
     "verdict": {}},
    {"decision_id": "d2", "date_evaluation": "2027-01-04", "politique": {"id": "certifpro", "version": "1"},
     "faits": {"evenements": "not a list"}, "verdict": {}},
    {"decision_id": "d3", "date_evaluation": "2026-03-01", "politique": {"id": "cpne_exemple", "version": "1"},
     "faits": {}, "verdict": {}},
]
EXPECTED = {"certifpro": Evaluated("2019-12-02", "2027-01-04", 2), "cpne_exemple": Evaluated("2026-03-01", "2026-03-01", 1)}


def test_a_sqlite_log(tmp_path):
    log = DecisionLog(tmp_path / "log.sqlite3")
    log.record(DECISIONS)
    log.close()
    assert evaluated_days(tmp_path / "log.sqlite3") == EXPECTED
    assert evaluated_days(tmp_path / "none.sqlite3") == {}


def test_a_postgresql_log_gives_the_same(postgresql_url):
    log = open_log(postgresql_url)
    log.record(DECISIONS)
    log.close()
    assert evaluated_days(postgresql_url) == EXPECTED
