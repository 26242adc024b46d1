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
from ..policy.model.effects import FindingEffect
from ..policy.model.templates import Placeholder
from ..policy.model.titles import parameter_value
from .events import Event
from .parts import FindingPart

MISSING = "?"      # what a placeholder naming no value of the trigger reads


def rule_finding(policy: Policy, rule: Rule, effect: FindingEffect, event: Event, status: str | None) -> FindingPart:
    finding = policy.finding_types[effect.id]
    values: dict[str, object] = {key: value for key, value in event.attributes.items()
                                 if isinstance(value, (str, int, float, bool))}
    values.update({"date": event.date.isoformat(), "source": event.source, "statut": status or MISSING})
    if effect.message is None:
        message = f"{finding.title} ({event.source}, {values['date']})."
    else:
        def value_of(placeholder: Placeholder) -> str:
            quoted = parameter_value(placeholder, policy.parameters, policy.units, event.date)
            if quoted is not None:
                return quoted
            value = values.get(placeholder.name, MISSING) if placeholder.key is None else MISSING
            return value if isinstance(value, str) else str(value)
        message = effect.message.render(value_of)
    return FindingPart(effect.id, finding.severity_on(event.date), rule.article, rule.id, message)
