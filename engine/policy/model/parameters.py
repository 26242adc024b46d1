"""Dated parameters: a value per start date, the one in force at a date, and the units they are counted in."""
from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from functools import cached_property


@dataclass(frozen=True)
class DatedValue:
    since: date
    value: object           # int (durations, counts) or Decimal (amounts)
    source: dict            # decision / correction metadata, as written in the policy


@dataclass(frozen=True)
class Parameter:
    id: str
    title: str
    article: str
    unit: str
    values: tuple[DatedValue, ...]   # sorted by `since`, strictly increasing

    @cached_property
    def _since(self) -> list[date]:
        return [value.since for value in self.values]

    def position(self, day: date) -> int:
        """How many of its values have taken effect on day: the same number, the same value."""
        return bisect_right(self._since, day)

    def at(self, day: date):
        """The value in force on day, or None before the first value (the rule did not exist yet)."""
        entry = self.entry_at(day)
        return entry.value if entry is not None else None

    def entry_at(self, day: date) -> DatedValue | None:
        position = self.position(day)
        return self.values[position - 1] if position else None


def parse_amount(raw) -> Decimal | None:
    """'12.5' -> Decimal('12.50'); None unless a finite, non-negative amount with at most 2 decimals."""
    try:
        amount = Decimal(str(raw))
    except (InvalidOperation, ValueError):
        return None
    if not amount.is_finite() or amount < 0 or amount != amount.quantize(Decimal("0.01")):
        return None
    return amount.quantize(Decimal("0.01"))


def flatten_tree(tree: dict, prefix: tuple = ()) -> dict[tuple, dict]:
    """{'frais': {'instruction': {...valeurs...}}} -> {('frais', 'instruction'): {...}}: the folder is the namespace."""
    found: dict[tuple, dict] = {}
    for key, node in tree.items():
        if isinstance(node, dict) and "valeurs" in node:
            found[prefix + (key,)] = node
        elif isinstance(node, dict):
            found.update(flatten_tree(node, prefix + (key,)))
    return found


def merge_dated(base: list, own: list) -> list[tuple[object, bool]]:
    """An extension's dated values merged with its base's by date: (entry, from own) sorted by `depuis`; on one date
    its own value replaces the base's. So a value it dates from 2027 leaves the base's in force before 2027."""
    by_date = {str(entry.get("depuis")): (entry, False) for entry in base if isinstance(entry, dict)}
    by_date.update({str(entry.get("depuis")): (entry, True) for entry in own if isinstance(entry, dict)})
    return [by_date[day] for day in sorted(by_date)]


def dated_values(node) -> list[dict]:
    """A parameter node's dated values as written (its `valeurs`), whatever else is wrong with it."""
    values = node.get("valeurs") if isinstance(node, dict) else None
    return [v for v in values if isinstance(v, dict)] if isinstance(values, list) else []
