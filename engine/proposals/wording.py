"""A proposal in the words of the board: what changes, from when, by which decision (never a key of the files)."""
from __future__ import annotations

from datetime import date

from ..policy import Policy
from ..wording import short_date
from .model import NEW_VALUE, Change


def value_words(policy: Policy, parameter: str, value: object) -> str:
    """'350,00 € HT', '25 jours ouvrés', '3' — as the pages write a parameter's value."""
    if value is None:
        return "aucune valeur"
    unit = policy.parameters[parameter].unit
    if unit in policy.head.currencies:
        return policy.labels.money(str(value), unit)
    if unit in policy.calendar_model.duration_units:
        return f"{value} {policy.labels.duration_unit(unit)}"
    return str(value)


def previous_value(policy: Policy, change: Change) -> object:
    """The value in force the day before the change applies (for a correction: the value corrected)."""
    parameter = policy.parameters[change.parameter]
    day = date.fromisoformat(change.since)
    if change.kind == NEW_VALUE:
        entries = [value for value in parameter.values if value.since < day]
    else:
        entries = [value for value in parameter.values if value.since == day]
    return entries[-1].value if entries else None


def change_text(change: Change, policy: Policy) -> str:
    """One sentence: « <parameter's title> : <value> à partir du <date> (décision du <date>, <reference>) »."""
    title = policy.parameters[change.parameter].title
    value = value_words(policy, change.parameter, change.value)
    if change.kind == NEW_VALUE:
        return (f"{title} : {value} à partir du {short_date(change.since)} (décision du "
                f"{short_date(change.decision_date)}, {change.decision_reference})")
    return f"{title} : la valeur en vigueur depuis le {short_date(change.since)} corrigée en {value} ({change.motive})"
