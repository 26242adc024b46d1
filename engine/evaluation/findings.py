"""Findings that rules raise (effect `constat`): the catalogue's finding, cited under the rule's section, with a
message from the rule's template.

    constat: {id: <finding id>, message: "<template>"}      message optional

Placeholders: {date} (the trigger's), {source} (where the trigger is in the facts), {statut} (the status on the
trigger's date; only in a rule with an `au_statut` guard), any attribute of the trigger that is a plain value, and
{<parameter>} (its value in force on the trigger's date, with its unit: engine/policy/titles.py).
Without a message: "<the finding's title> (<source>, <date>)."

A message is read by a person: a date is written as a French text writes it (15/09/2026), whether the trigger's own
or an attribute its catalogue schema declares `format: date`, and a status by the policy's title of it
(statuts.yaml: `titre`), never its code.
"""
from __future__ import annotations

from ..policy import Policy, Rule
from ..policy.model.effects import FindingEffect
from ..policy.model.templates import Placeholder
from ..policy.model.titles import parameter_value
from ..policy.model.vocabulary import ENGINE_EVENT_DATES, ENGINE_EVENT_STATUSES, ENGINE_EVENTS
from ..wording import short_date
from .events import Event
from .parts import FindingPart

MISSING = "?"      # what a placeholder naming no value of the trigger reads


def _written(value: object, is_date: bool, is_status: bool, policy: Policy) -> object:
    """An attribute's value as a message quotes it: a date 15/09/2026, a status by its title, else as it is."""
    if isinstance(value, str) and is_date:
        try:
            return short_date(value)
        except ValueError:
            return value
    return policy.labels.status(value) if isinstance(value, str) and is_status else value


def quoted_values(policy: Policy, event: Event, status: str | None, *, spoken: bool = True) -> dict[str, object]:
    """What a finding's message may quote of its trigger, each value as a person reads it (the module's docstring);
    spoken=False: as the machine writes it (ISO dates, status codes), what findings are ordered by."""
    engine_event = event.type in ENGINE_EVENTS
    dates = ENGINE_EVENT_DATES if engine_event else policy.date_attributes.get(event.type, frozenset())
    statuses = ENGINE_EVENT_STATUSES if engine_event else frozenset()
    values: dict[str, object] = {key: _written(value, spoken and key in dates, spoken and key in statuses, policy)
                                 for key, value in event.attributes.items()
                                 if isinstance(value, (str, int, float, bool))}
    stated = (policy.labels.status(status) if spoken else status) if status else MISSING
    values.update({"date": short_date(event.date) if spoken else event.date.isoformat(), "source": event.source,
                   "statut": stated})
    return values


def _message(policy: Policy, effect: FindingEffect, event: Event, values: dict[str, object]) -> str:
    if effect.message is None:
        return f"{policy.finding_types[effect.id].title} ({event.source}, {values['date']})."

    def value_of(placeholder: Placeholder) -> str:
        quoted = parameter_value(placeholder, policy.parameters, policy.units, event.date)
        if quoted is not None:
            return quoted
        value = values.get(placeholder.name, MISSING) if placeholder.key is None else MISSING
        return value if isinstance(value, str) else str(value)
    return effect.message.render(value_of)


def rule_finding(policy: Policy, rule: Rule, effect: FindingEffect, event: Event, status: str | None) -> FindingPart:
    """The finding, its message as a person reads it; ordered (FindingPart.order) by the message the machine would
    write, so that the wording never reorders the verdict's findings (ISO dates sort by time)."""
    message = _message(policy, effect, event, quoted_values(policy, event, status))
    order = _message(policy, effect, event, quoted_values(policy, event, status, spoken=False))
    return FindingPart(effect.id, policy.finding_types[effect.id].severity_on(event.date), rule.article, rule.id,
                       message, order=order)
