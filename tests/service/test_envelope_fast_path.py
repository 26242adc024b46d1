"""The evaluation envelope accepted without jsonschema exactly when the schema and the date rule accept it."""
import pytest

from engine.formats import parse_day
from engine.service.requests import _EVALUATION, evaluation_issues

ENVELOPES = [
    {"faits": {}}, {"faits": {"a": 1}, "date": "2026-03-10"}, {"faits": {}, "date": "2026-02-28"},
    {"faits": {}, "date": "2026-02-29"}, {"faits": {}, "date": "2028-02-29"}, {"faits": {}, "date": "2026-02-30"},
    {"faits": {}, "date": "2026-03-10\n"}, {"faits": {}, "date": "20260310"}, {"faits": {}, "date": "x2026-03-10"},
    {"faits": {}, "date": "٢٠٢٦-03-10"}, {"faits": {}, "date": "2026-3-10"}, {"faits": {}, "date": 20260310},
    {"faits": {}, "date": None}, {"faits": []}, {"faits": None}, {"faits": {}, "autre": 1}, {}, {"date": "2026-03-10"},
    {"faits": {}, "date": "9999-12-31"}, {"faits": {}, "date": "0000-01-01"},
]


def _schema_accepts(envelope) -> bool:
    if next(_EVALUATION.iter_errors(envelope), None) is not None:
        return False
    try:
        "date" in envelope and parse_day(envelope["date"])
    except ValueError:
        return False
    return True


@pytest.mark.parametrize("envelope", ENVELOPES)
def test_no_problem_exactly_when_the_schema_and_the_date_rule_accept(envelope):
    assert (evaluation_issues(envelope) == []) == _schema_accepts(envelope)
