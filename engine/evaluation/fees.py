"""Fees: what the rules with a `frais` effect charged, grouped by due date (the event's, or its quarter's end),
priced at the unit amount in force on the due date, listed when due on or before the evaluation date."""
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
        parameter = policy.parameters[rule.spec["montant"]["parametre"]]
        unit_amount = parameter.at(due)
        quantity = sum(_quantity(rule.spec["montant"].get("fois"), event, facts) for _, event in members)
        if unit_amount is None or not unit_amount or not quantity:
            continue
        money = policy.currencies[parameter.unit]
        out.append({
            "id": fee_id, "acteur": rule.spec["acteur"], money["champ_montant"]: str(unit_amount * quantity),
            "devise": money["devise"], "echeance": due.isoformat(), "quantite": quantity,
            "montant_unitaire": str(unit_amount), "article": rule.article, "regle": rule_id,
        })
    return out


def _quantity(spec, event: Event, facts: dict) -> int:
    if spec is None:
        return 1
    if "attribut" in spec:
        return int(event.attributes.get(spec["attribut"], 0))
    items = value_at(facts, spec["compte"]) or []
    conditions = spec.get("si", {})
    return sum(1 for item in items if all(item.get(key) == value for key, value in conditions.items()))
