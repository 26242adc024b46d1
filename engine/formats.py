"""JSON Schema formats the engine checks strictly: calendar dates and French company numbers."""
from __future__ import annotations

import re
from datetime import date

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
    if set(value) == {"0"}:
        raise ValueError("000000000 n'est le SIREN d'aucune entreprise (il passe la clé de contrôle, mais l'INSEE "
                         "ne l'attribue pas)")
    if not _siren.is_valid(value):
        raise ValueError("SIREN invalide (clé de contrôle)")
    return True


@FORMAT_CHECKER.checks("siret", raises=ValueError)
def is_siret(value) -> bool:
    """14 digits, valid check digit (Luhn, or La Poste's rule), not all zeros (python-stdnum)."""
    if not isinstance(value, str):
        return True
    if not re.fullmatch(r"\d{14}", value):
        raise ValueError("un SIRET a 14 chiffres")
    if set(value[:9]) == {"0"}:
        raise ValueError("un SIRET commençant par 000000000 n'est celui d'aucun établissement (ce SIREN n'est "
                         "pas attribué)")
    if not _siret.is_valid(value):
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
FAST_FORMATS = {"date": _passes(is_date), "siren": _passes(is_siren), "siret": _passes(is_siret)}
