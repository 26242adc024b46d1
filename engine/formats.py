"""JSON Schema formats the engine checks strictly: calendar dates and French company numbers."""
from __future__ import annotations

import re
from datetime import date
from functools import lru_cache

from jsonschema import FormatChecker
from stdnum.fr import siren as _siren
from stdnum.fr import siret as _siret

FORMAT_CHECKER = FormatChecker(formats=())
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}\Z")


def parse_day(text) -> date:
    """The one date rule of every interface (facts, evaluation dates, query parameters, options): YYYY-MM-DD in
    ASCII digits and nothing else (no 20260101, no week date 2026-W01-1), a day of the calendar. ValueError else."""
    if not isinstance(text, str) or not _ISO_DATE.match(text):
        raise ValueError("une date s'écrit AAAA-MM-JJ")
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ValueError("ce jour n'existe pas dans le calendrier") from None


@FORMAT_CHECKER.checks("date", raises=ValueError)
def is_date(value) -> bool:
    """YYYY-MM-DD and a real day of the calendar (2026-02-30 is refused)."""
    if isinstance(value, str):
        parse_day(value)
    return True


@FORMAT_CHECKER.checks("siren", raises=ValueError)
def is_siren(value) -> bool:
    """9 digits, Luhn-valid, not all zeros (python-stdnum)."""
    if not isinstance(value, str):
        return True
    if not re.fullmatch(r"\d{9}", value):
        raise ValueError("un SIREN a 9 chiffres")
    if set(value) == {"0"} or not _siren.is_valid(value):
        raise ValueError("SIREN invalide (clé de contrôle)")
    return True


@FORMAT_CHECKER.checks("siret", raises=ValueError)
def is_siret(value) -> bool:
    """14 digits, valid check digit (Luhn, or La Poste's rule), not all zeros (python-stdnum)."""
    if not isinstance(value, str):
        return True
    if not re.fullmatch(r"\d{14}", value):
        raise ValueError("un SIRET a 14 chiffres")
    if set(value[:9]) == {"0"} or not _siret.is_valid(value):
        raise ValueError("SIRET invalide (clé de contrôle)")
    return True


def _passes(check):
    def passes(value) -> bool:
        try:
            return check(value)
        except ValueError:
            return False
    return passes


# The same formats for fastjsonschema's compiled validators (a yes/no fast path; jsonschema explains failures).
# Plain ASCII digits are answered here without a regex or python-stdnum (the same rules: Luhn, La Poste's SIRET,
# not all zeros); anything else goes to the checks above, so that the answer is always theirs.
_LA_POSTE = "356000000"


def _luhn(digits: str) -> bool:
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = ord(char) - 48
        if position % 2:
            value = value * 2 - 9 if value > 4 else value * 2
        total += value
    return total % 10 == 0


@lru_cache(maxsize=4096)
def _siren_digits(digits: str) -> bool:
    """9 ASCII digits: Luhn-valid and not all zeros (a SIRET's SIREN is the organisation's: checked once)."""
    return digits != "000000000" and _luhn(digits)


def _fast_siren(value) -> bool:
    if isinstance(value, str) and len(value) == 9 and value.isascii() and value.isdigit():
        return _siren_digits(value)
    return _passes(is_siren)(value)


def _fast_siret(value) -> bool:
    if isinstance(value, str) and len(value) == 14 and value.isascii() and value.isdigit():
        if not _siren_digits(value[:9]):
            return False
        if value.startswith(_LA_POSTE) and value != "35600000000048":
            return sum(map(int, value)) % 5 == 0
        return _luhn(value)
    return _passes(is_siret)(value)


def _fast_date(value) -> bool:
    if isinstance(value, str) and len(value) == 10:
        return _date_text(value)
    return _passes(is_date)(value)


@lru_cache(maxsize=8192)
def _date_text(value: str) -> bool:
    """A text of 10 characters: a day of the calendar written YYYY-MM-DD (the same days recur across dossiers)."""
    if (value.isascii() and value[4] == "-" and value[7] == "-" and value[:4].isdigit() and value[5:7].isdigit()
            and value[8:].isdigit()):
        try:
            date.fromisoformat(value)
        except ValueError:
            return False
        return True
    return _passes(is_date)(value)


FAST_FORMATS = {"date": _fast_date, "siren": _fast_siren, "siret": _fast_siret}
