"""Fees: what the rules with a `frais` effect charged, grouped by due date (the event's, or its quarter's end),
listed when due on or before the evaluation date.

A group is priced at the unit amount in force on its due date (`valeur_au: echeance`, the default), or each charge
at the amount in force on the date of its own event (`valeur_au: evenement`: a charge dated before a parameter's
first value, or when it is 0, costs nothing). `fois` multiplies: an attribute of the event, or a count of items of
the facts that meet `si` and, with `periode: {depuis: <field>, jusqu_au: <field>}`, whose own dates (each optional,
inclusive) hold the event's date.
"""
from __future__ import annotations

from collections import defaultdict
from datetime import date

from ..calendar import quarter_end
from ..policy import Policy, Rule
from ..policy.model.effects import Count, FeeEffect, Period
from ..policy.model.policy import value_at
from . import explanations
from .events import Event
from .parts import Charge, FeePart
from .serial import to_json

Charged = tuple[Rule, FeeEffect, Event]


def fees_out(policy: Policy, facts: dict, as_of: date, charged: list[Charged], *,
             explain: bool = False) -> list[FeePart]:
    grouped: dict[tuple[str, str, date], list[Charged]] = defaultdict(list)
    for rule, effect, event in charged:
        due = quarter_end(event.date) if effect.quarterly else event.date
        grouped[(rule.id, effect.id, due)].append((rule, effect, event))
    out = []
    for (rule_id, fee_id, due), members in sorted(grouped.items(), key=lambda item: (item[0][2], item[0][1])):
        if due > as_of:
            continue
        rule, effect, _ = members[0]
        amount = effect.amount
        parameter = policy.parameters[amount.parameter]
        priced = [(parameter.at(event.date if amount.per_event else due), *_counted(amount.times, event, facts))
                  for _, _, event in members]
        priced = [(unit, quantity, charge) for unit, quantity, charge in priced if unit and quantity]
        if not priced:
            continue
        money = policy.head.currencies[parameter.unit]
        units = {unit for unit, _, _ in priced}
        out.append(FeePart(
            fee_id, effect.actor, money.amount_field, str(sum(unit * quantity for unit, quantity, _ in priced)),
            money.code, due.isoformat(), sum(q for _, q, _ in priced),
            str(units.pop()) if len(units) == 1 else None,      # one price for every unit charged
            rule.article, rule_id,
            explanations.fee(policy, rule, effect, due, priced, facts) if explain else None))
    return out


def repriced(policy: Policy, facts: dict, as_of: date, charged: list[Charged]) -> list[dict]:
    """The verdict's `frais` for what an evaluation charged (evaluate.evaluated), priced under `policy`: a version
    of the policy that charged them whose rules are the same and whose amounts may differ."""
    return [to_json(fee) for fee in fees_out(policy, facts, as_of, charged)]


def _counted(spec: Count | None, event: Event, facts: dict) -> tuple[int, Charge]:
    """How many units an event charges, and what was counted (the facts' paths), to explain it."""
    if spec is None:
        return 1, Charge(event, ())
    if spec.attribute is not None:
        return int(event.attributes.get(spec.attribute, 0)), Charge(event, (f"{event.source}.{spec.attribute}",))
    items = value_at(facts, spec.items or "") or []
    kept = tuple(f"{spec.items}[{index}]" for index, item in enumerate(items)
                 if all(item.get(key) == value for key, value in spec.conditions)
                 and _in_period(spec.period, item, event.date))
    return len(kept), Charge(event, kept)


def _in_period(spec: Period | None, item: dict, day: date) -> bool:
    if spec is None:
        return True
    start, end = _day(item.get(spec.since or "")), _day(item.get(spec.until or ""))
    return (start is None or start <= day) and (end is None or day <= end)


def _day(value: object) -> date | None:
    """An item's date field (the facts schema says it is a date; anything else bounds nothing)."""
    try:
        return date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None
