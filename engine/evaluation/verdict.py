"""The verdict: every part of one evaluation put together (engine/evaluation/parts.py), with, when asked, the
`explication` of each action, fee, status change and finding, and serialised once (engine/evaluation/serial.py)."""
from __future__ import annotations

from datetime import date

from ..policy import Policy, Rule
from ..policy.model.policy import value_at
from ..wording import short_date
from . import explanations
from .actions import ActionBook
from .dossier import SettledDossier
from .events import Event
from .parts import ActionPart, Conformity, FeePart, FindingPart, StatusChange, Verdict
from .serial import to_json, verdict_json
from .status import Timeline


def assemble(policy: Policy, facts: dict, as_of: date, *, timeline: Timeline, actions: ActionBook,
             fees: list[FeePart], findings: list[tuple[FindingPart, Rule, Event]], dossier: SettledDossier,
             trace: list[dict], explain: bool = False) -> dict:
    """findings: (finding, rule, event) of the rules with a `constat` effect."""
    ordered = actions.ordered()
    late = actions.findings
    raised = [finding for finding, _, _ in findings]
    checked = dossier.findings
    if not explain:
        action_parts = [action.part() for action in ordered]
    else:
        explained = {id(action): explanations.action(policy, action, facts, as_of) for action in ordered}
        action_parts = [action.part(explained[id(action)]) for action in ordered]
        # a late action (always one of the actions) is explained once: its finding carries a copy of that
        late = [finding._replace(explanation=_copy(explained[id(action)])) for finding, action in zip(late, actions.late)]
        checked = [{**finding, "explication": explanations.dossier_finding(finding, dossier.trace)}
                   for finding in checked]
        raised = [finding._replace(explanation=explanations.rule_finding(policy, rule, event))
                  for finding, rule, event in findings]
    ordered_findings = [((f.id, f.order or f.message), to_json(f)) for f in late + raised]
    ordered_findings += [((f["id"], f["message"]), f) for f in checked]
    found = [finding for _, finding in sorted(ordered_findings, key=lambda pair: pair[0])]
    identity = {item.key: value for item in policy.head.identity if (value := value_at(facts, item.path)) is not None}
    period_name = policy.status_model.period_name
    period = None
    if period_name:
        latest = timeline.periods[-1] if timeline.periods else None
        period = (period_name, None if latest is None else {
            "debut": latest.start.isoformat(), "fin": latest.shown_last_day.isoformat(),
            "renouvelee": latest.renewals > 0, **_scope_stated(policy, latest.opened_by),
        })
    return verdict_json(Verdict(
        as_of.isoformat(), policy.describe(), facts["instance"], timeline.status, identity or None, period,
        dossier.parts, tuple(status_history(policy, timeline, explain)), tuple(action_parts), tuple(fees),
        tuple(found), _conformity(policy, timeline, action_parts, found), tuple(dossier.trace + trace)))


def _copy(explanation: dict) -> dict:
    return {**explanation, "texte": list(explanation["texte"])}


def _scope_stated(policy: Policy, opened_by: Event | None) -> dict:
    """Under a policy with a scope: the scope the event that opened the period states (a decision's own field),
    None when it states none (engine/evaluation/scope.py)."""
    scope = policy.head.scope
    if scope is None:
        return {}
    return {scope.name: None if opened_by is None else value_at(opened_by.attributes, scope.name)}


def _conformity(policy: Policy, timeline: Timeline, actions: list[ActionPart], findings: list[dict]) -> Conformity:
    """Non conforming: a finding of a listed severity, an overdue obligation of a listed actor (once: not again
    when its rule already gave such a finding), or a listed status."""
    conformity = policy.head.conformity
    serious = [f for f in findings if f["gravite"] in conformity.severities]
    reasons = [f["message"] for f in serious]
    reported = {f.get("regle") for f in serious}
    reasons += [f"Obligation non accomplie à l'échéance du {short_date(a.due)} : "
                f"« {policy.labels.rule(a.rule, a.since_date)} » ({a.article})."
                for a in actions if a.actor in conformity.actors and a.state == "en_retard"
                and a.rule not in reported]
    if timeline.status in conformity.statuses:
        status = policy.status_model.values[timeline.status]
        reasons.insert(0, f"{status.title} ({status.article}).")
    return Conformity(not reasons, tuple(reasons))


def status_history(policy: Policy, timeline: Timeline, explain: bool) -> list[StatusChange]:
    """Each change of status, dated, with the rule that made it (none when the period ran out)."""
    out = []
    for (day, status, rule_id, _), cause in zip(timeline.history, timeline.causes):
        if day is None:
            continue
        article = policy.labels.status_article(status)
        if cause is not None:
            known = policy.rules_by_id.get(rule_id) if rule_id is not None else None
            article = known.article if known is not None else article
        explanation = None
        if explain:
            period = next((p for p in timeline.periods if p.ended == day), None)
            explanation = explanations.status_change(policy, day, status, cause, period)
        out.append(StatusChange(day.isoformat(), status, rule_id, article, explanation))
    return out
