"""The day a question is asked for (an evaluation's date, the parameters in force): a date, or AAAA-MM-JJ."""
from __future__ import annotations

from datetime import date

from ...errors import FactsError, Issue
from ...formats import parse_day
from ...schema_messages import shown


def day_of(value: date | str) -> date:
    """A date as it is; a string AAAA-MM-JJ as its day. Anything else raises FactsError (at `date`)."""
    if isinstance(value, date):
        return value
    if not isinstance(value, str):
        raise FactsError([Issue("date", f"une date ou une chaîne AAAA-MM-JJ, pas {type(value).__name__}")])
    try:
        return parse_day(value)
    except ValueError:
        raise FactsError([Issue("date", f"{shown(value)} n'est pas une date AAAA-MM-JJ du calendrier")]) from None
