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
from dataclasses import dataclass
from datetime import date

from ..calendar import quarter_end
from ..policy import Policy, Rule
from ..policy.model.policy import value_at
from . import explanations
from .events import Event


@dataclass(frozen=True)
class Charge:
    event: Event
    counted: tuple          # the facts' paths counted: an attribute of the event, or the items that meet `si`


def fees_out(policy: Policy, facts: dict, as_of: date, charged: list[tuple[Rule, Event]], *,
             explain: bool = False) -> list[dict]:
    grouped: dict[tuple, list] = defaultdict(list)
    for rule, event in charged:
        due = quarter_end(event.date) if rule.spec.get("regroupement") == "trimestre" else event.date
        grouped[(rule.id, rule.spec["id"], due)].append((rule, event))
    out = []
    for (rule_id, fee_id, due), members in sorted(grouped.items(), key=lambda item: (item[0][2], item[0][1])):
        if due > as_of:
            continue
        rule = members[0][0]
        amount = rule.spec["montant"]
        parameter = policy.parameters[amount["parametre"]]
        per_event = amount.get("valeur_au") == "evenement"
        priced = [(parameter.at(event.date if per_event else due), *_counted(amount.get("fois"), event, facts))
                  for _, event in members]
        priced = [(unit, quantity, charge) for unit, quantity, charge in priced if unit and quantity]
        if not priced:
            continue
        money = policy.currencies[parameter.unit]
        fee = {
            "id": fee_id, "acteur": rule.spec["acteur"],
            money["champ_montant"]: str(sum(unit * quantity for unit, quantity, _ in priced)),
            "devise": money["devise"], "echeance": due.isoformat(), "quantite": sum(q for _, q, _ in priced),
        }
        units = {unit for unit, _, _ in priced}
        if len(units) == 1:      # one price for every unit charged
            fee["montant_unitaire"] = str(units.pop())
        fee.update({"article": rule.article, "regle": rule_id})
        if explain:
            fee["explication"] = explanations.fee(policy, rule, due, priced, facts)
        out.append(fee)
    return out


def _counted(spec, event: Event, facts: dict) -> tuple[int, Charge]:
    """How many units an event charges, and what was counted (the facts' paths), to explain it."""
    if spec is None:
        return 1, Charge(event, ())
    if "attribut" in spec:
        return int(event.attributes.get(spec["attribut"], 0)), Charge(event, (f"{event.source}.{spec['attribut']}",))
    items = value_at(facts, spec["compte"]) or []
    conditions = spec.get("si", {})
    kept = tuple(f"{spec['compte']}[{index}]" for index, item in enumerate(items)
                 if all(item.get(key) == value for key, value in conditions.items())
                 and _in_period(spec.get("periode"), item, event.date))
    return len(kept), Charge(event, kept)


def _in_period(spec: dict | None, item: dict, day: date) -> bool:
    if not spec:
        return True
    start, end = _day(item.get(spec.get("depuis", ""))), _day(item.get(spec.get("jusqu_au", "")))
    return (start is None or start <= day) and (end is None or day <= end)


def _day(value) -> date | None:
    """An item's date field (the facts schema says it is a date; anything else bounds nothing)."""
    try:
        return date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None
