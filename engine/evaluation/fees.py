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
from ..policy.model import value_at
from .events import Event


def fees_out(policy: Policy, facts: dict, as_of: date, charged: list[tuple[Rule, Event]]) -> list[dict]:
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
        priced = [(parameter.at(event.date if per_event else due), _quantity(amount.get("fois"), event, facts))
                  for _, event in members]
        priced = [(unit, quantity) for unit, quantity in priced if unit and quantity]
        if not priced:
            continue
        money = policy.currencies[parameter.unit]
        fee = {
            "id": fee_id, "acteur": rule.spec["acteur"],
            money["champ_montant"]: str(sum(unit * quantity for unit, quantity in priced)),
            "devise": money["devise"], "echeance": due.isoformat(), "quantite": sum(q for _, q in priced),
        }
        units = {unit for unit, _ in priced}
        if len(units) == 1:      # one price for every unit charged
            fee["montant_unitaire"] = str(units.pop())
        fee.update({"article": rule.article, "regle": rule_id})
        out.append(fee)
    return out


def _quantity(spec, event: Event, facts: dict) -> int:
    if spec is None:
        return 1
    if "attribut" in spec:
        return int(event.attributes.get(spec["attribut"], 0))
    items = value_at(facts, spec["compte"]) or []
    conditions = spec.get("si", {})
    return sum(1 for item in items
               if all(item.get(key) == value for key, value in conditions.items())
               and _in_period(spec.get("periode"), item, event.date))


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
