"""Findings that rules raise (effect `constat`): the catalogue's finding, cited under the rule's section, with a
message from the rule's template.

    constat: {id: <finding id>, message: "<template>"}      message optional

Placeholders: {date} (the trigger's), {source} (where the trigger is in the facts), {statut} (the status on the
trigger's date; only in a rule with an `au_statut` guard), any attribute of the trigger that is a plain value, and
{<parameter>} (its value in force on the trigger's date, with its unit: engine/policy/titles.py).
Without a message: "<the finding's title> (<source>, <date>)."
"""
from __future__ import annotations

from ..policy import Policy, Rule
from .events import Event


class _Values(dict):
    def __missing__(self, key):
        return "?"


def rule_finding(policy: Policy, rule: Rule, event: Event, status: str | None) -> dict:
    spec = rule.spec
    finding = policy.findings[spec["id"]]
    values = _Values({key: value for key, value in event.attributes.items()
                      if isinstance(value, (str, int, float, bool))})
    values.update({"date": event.date.isoformat(), "source": event.source, "statut": status or "?"})
    message = (policy.quoting_values(spec["message"], event.date).format_map(values) if spec.get("message")
               else f"{finding['titre']} ({event.source}, {values['date']}).")
    return {"id": spec["id"], "gravite": finding["gravite"], "article": rule.article, "regle": rule.id,
            "message": message}
