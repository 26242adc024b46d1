"""A case's expected value to update, in the words of the policy (the fee's title, its due date, the amount in the
policy's currency, before → after) rather than the case's path (`attendu.frais[3].<amount field>`)."""
from __future__ import annotations

import re

from ..policy import Policy
from ..wording import short_date

_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_FIELDS = {"echeance": "échéance", "etat": "état", "quantite": "quantité", "statut": "statut",
           "accomplie_le": "accomplie le", "dans_les_delais": "dans les délais", "gravite": "gravité"}
_PARTS = {"frais": "frais", "actions": "action", "constats": "constat", "frais_totaux": "total des frais"}


def _amount_unit(policy: Policy, key: str) -> str | None:
    return next((unit for unit, spec in policy.head.currencies.items() if spec.amount_field == key), None)


def value_words(policy: Policy, key: str, value: str) -> str:
    unit = _amount_unit(policy, key)
    if unit is not None:
        return policy.labels.money(value, unit)
    return short_date(value) if _ISO.match(value) else value


def fee_title(policy: Policy, fee_id: str) -> str:
    """A fee as the board names it: the title of the parameter that prices it (as Changements says it)."""
    rule = next((r for r in policy.rules if r.fee is not None and r.fee.id == fee_id), None)
    parameter = getattr(rule.fee.amount, "parameter", None) if rule is not None and rule.fee is not None else None
    return policy.parameters[parameter].title if parameter in policy.parameters else fee_id


def _item_words(policy: Policy, part: str, item: dict) -> str:
    if part == "frais":
        title = f"frais « {fee_title(policy, str(item.get('id')))} »"
    else:
        title = policy.labels.rule(item["regle"]) if isinstance(item.get("regle"), str) else str(item.get("id", ""))
    due = f" dus le {short_date(item['echeance'])}" if isinstance(item.get("echeance"), str) else ""
    return f"{title}{due}"


def correction_words(policy: Policy | None, path: tuple, verdict: dict, before: str, after: str) -> str:
    """What one update changes, as a person reads it."""
    if policy is None:
        return f"{'.'.join(str(step) for step in path[1:])} : {before} → {after}"
    keys = path[1:]
    key = str(keys[-1])
    if len(keys) >= 3 and isinstance(keys[-2], int) and isinstance(verdict.get(keys[0]), list):
        items = [i for i in verdict[keys[0]] if isinstance(i, dict) and str(i.get(key)) == after]
        subject = _item_words(policy, str(keys[0]), items[0]) if items else _PARTS.get(str(keys[0]), str(keys[0]))
        field = "montant" if _amount_unit(policy, key) else _FIELDS.get(key, key)
        return f"{subject} : {field} {value_words(policy, key, before)} → {value_words(policy, key, after)}"
    if keys[0] == "frais_totaux":
        title = fee_title(policy, key)
        unit = next(iter(policy.head.currencies), None)
        shown = (policy.labels.money(before, unit), policy.labels.money(after, unit)) if unit else (before, after)
        return f"total des frais « {title} » : {shown[0]} → {shown[1]}"
    name = _FIELDS.get(key, key.replace("_", " "))
    return f"{name} : {value_words(policy, key, before)} → {value_words(policy, key, after)}"
