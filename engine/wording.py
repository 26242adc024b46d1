"""How French administrative texts write dates, amounts and counts: 31/10/2026, samedi 31 octobre 2026,
1 234,50 € HT, 3 jours. Only typography here; every word of a regulation comes from its policy."""
from __future__ import annotations

from datetime import date
from decimal import Decimal
from functools import lru_cache

MONTHS = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
          "novembre", "décembre")
WEEKDAYS = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")
NBSP = "\u00a0"      # between a number and its unit, and between thousands


def _day(value: date | str | None) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(value)


def _a_day(value: date | str) -> date:
    return value if isinstance(value, date) else date.fromisoformat(value)


# An evaluation's explanations write the same few hundred days again and again (each delay's start and due date,
# the holidays and weekends it skips): each day's texts are made once per process, for the 8,192 days last written
# (22 years of days: a batch over a policy's years mostly finds its days made).
_DAYS_KEPT = 8192


def short_date(value: date | str | None, missing: str = "—") -> str:
    """2026-10-31 (a date or its ISO text) -> '31/10/2026'."""
    if value.__class__ is date:      # the usual case, first
        return _short_date(value)
    day = _day(value)
    return missing if day is None else _short_date(day)


@lru_cache(maxsize=_DAYS_KEPT)
def _short_date(day: date) -> str:
    return f"{day:%d/%m/%Y}"


def long_date(value: date | str) -> str:
    """2026-04-14 -> 'mardi 14 avril 2026' (1er for the first of a month)."""
    return _long_date(value if value.__class__ is date else _a_day(value))


@lru_cache(maxsize=_DAYS_KEPT)
def _long_date(day: date) -> str:
    return f"{_day_month(day)} {day.year}"


def day_month(value: date | str) -> str:
    """2026-04-06 -> 'lundi 6 avril'."""
    return _day_month(_a_day(value))


@lru_cache(maxsize=_DAYS_KEPT)
def _day_month(day: date) -> str:
    first = "1er" if day.day == 1 else str(day.day)
    return f"{WEEKDAYS[day.weekday()]} {first} {MONTHS[day.month - 1]}"


def number(value) -> str:
    """1234.5 -> '1 234,50' for amounts (two decimals), 1234 -> '1 234' for counts."""
    if isinstance(value, int):
        whole, decimals = f"{value:,}", ""
    else:
        text = f"{Decimal(str(value)).quantize(Decimal('0.01')):,}"
        whole, _, cents = text.partition(".")
        decimals = f",{cents}"
    return whole.replace(",", NBSP) + decimals


@lru_cache(maxsize=4096)     # a policy's few prices and totals, written in every explained fee
def amount(value, symbol: str) -> str:
    """'12.50', '€ HT' -> '12,50 € HT'."""
    return f"{number(Decimal(str(value)))}{NBSP}{symbol}"


def plural(count: int, singular: str, plural_form: str | None = None) -> str:
    """3, 'jour' -> '3 jours'; 1, 'jour' -> '1 jour'; 2, 'mois', 'mois' -> '2 mois'."""
    word = singular if abs(count) < 2 else (plural_form or singular + "s")
    return f"{count} {word}"


def capitalised(text: str) -> str:
    """'l'organisme' -> 'L'organisme' (only the first letter)."""
    return text[:1].upper() + text[1:]


def of(phrase: str) -> str:
    """'de' before a noun phrase, contracted: 'le candidat' -> 'du candidat', 'les' -> 'des', "l'Instance" -> "de
    l'Instance"."""
    for article, contracted in (("le ", "du "), ("les ", "des ")):
        if phrase.startswith(article):
            return contracted + phrase[len(article):]
    return "de " + phrase


def enumeration(items: list[str]) -> str:
    """['a', 'b', 'c'] -> 'a, b et c'."""
    items = list(items)
    if len(items) < 2:
        return "".join(items)
    return ", ".join(items[:-1]) + " et " + items[-1]
