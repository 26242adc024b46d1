"""What happens when an open action is not accomplished in time, as the policy's rules say it: a rule that reacts
to the action's deadline passed (vocabulary.DEADLINE_PASSED) by changing the status, e.g. a withdrawal at the date a
formal notice fixed. Shown beside the action, so the date the trigger names (`a_compter_de`) is read with what it
means; the status, its article and the date all come from the policy and the facts, none from here.
"""
from __future__ import annotations

from datetime import date, timedelta

from ..policy import Policy, Rule
from ..policy.model.rules import EQUALS
from ..policy.model.vocabulary import DEADLINE_PASSED, TRIGGER
from ..wording import short_date


def _reacts_to(rule: Rule, action_id: str) -> bool:
    """The rule fires on this action's deadline passed, on that alone (no guard, no other condition)."""
    conditions = rule.trigger.conditions
    return (rule.trigger.event == DEADLINE_PASSED and rule.status is not None and not rule.has_guards
            and len(conditions) == 1 and conditions[0].attribute == "action"
            and conditions[0].operator == EQUALS and conditions[0].operand == action_id)


def _trigger_event(action: dict, facts: dict | None) -> dict | None:
    """The event of the facts that started the action (its type and date), when the facts list it."""
    origin = action.get("depuis") or {}
    return next((event for event in (facts or {}).get("evenements") or []
                 if event.get("type") == origin.get("evenement") and str(event.get("date")) == origin.get("date")),
                None)


def _date_of(path: str, passed: date, started_by: dict | None) -> date | None:
    """A date of the deadline-passed event: its own (`date`, the day after the due date), or one of the event that
    started the action (`declencheur.<attribut>`)."""
    if path == "date":
        return passed
    head, _, attribute = path.partition(".")
    if head != TRIGGER or started_by is None or not attribute:
        return None
    try:
        return date.fromisoformat(str(started_by.get(attribute)))
    except ValueError:
        return None


def _effective(rule: Rule, passed: date, started_by: dict | None) -> date | None:
    starts = rule.status.starts if rule.status is not None else None
    if starts is None:
        return passed
    if starts.delay is not None:
        return None
    day = _date_of(starts.path, passed, started_by)
    floor = _date_of(starts.not_before, passed, started_by) if starts.not_before else None
    return max(day, floor) if day is not None and floor is not None else day


def lapse_consequences(action: dict, verdict: dict, policy: Policy, facts: dict | None) -> list[str]:
    """'Si elle n'est pas accomplie au plus tard le 01/12/2026 : <status title> à compter du 15/01/2027
    (V.3).' for an open action whose lapse changes the status in force; none for any other."""
    if action["etat"] not in ("a_faire", "en_retard") or not action.get("echeance"):
        return []
    due = date.fromisoformat(action["echeance"])
    started_by = _trigger_event(action, facts)
    out = []
    for rule in policy.rules:
        if not _reacts_to(rule, action["id"]) or rule.status is None:
            continue
        if rule.status.from_statuses is not None and verdict["statut"] not in rule.status.from_statuses:
            continue
        to = rule.status.to
        day = _effective(rule, due + timedelta(days=1), started_by)
        article = policy.labels.status_article(to) or rule.article
        lead = ("Non accomplie au plus tard le" if action["etat"] == "en_retard"
                else "Si elle n'est pas accomplie au plus tard le")
        when = f" à compter du {short_date(day)}" if day is not None else ""
        out.append(f"{lead} {short_date(due)} : {policy.labels.status(to)}{when} ({article}).")
    return out
