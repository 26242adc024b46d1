"""The verdict: every part of one evaluation put together in the contract's shape (with, when asked, the
`explication` of each action, fee, status change and finding)."""
from __future__ import annotations

from datetime import date

from ..policy import Policy
from ..policy.model.policy import value_at
from ..wording import short_date
from . import explanations
from .actions import ActionBook


def assemble(policy: Policy, facts: dict, as_of: date, *, timeline, actions: ActionBook, fees: list[dict],
             findings: list[tuple], dossier, trace: list[dict], explain: bool = False) -> dict:
    """findings: (finding, rule, event) of the rules with a `constat` effect."""
    ordered = actions.ordered()
    action_out = [action.out() for action in ordered]
    if explain:
        for out, action in zip(action_out, ordered):
            out["explication"] = explanations.action(policy, action, facts, as_of)
        for finding, action in zip(actions.findings, actions.late):
            finding["explication"] = explanations.action(policy, action, facts, as_of)
        for finding in dossier.findings:
            finding["explication"] = explanations.dossier_finding(finding, dossier.trace)
        for finding, rule, event in findings:
            finding["explication"] = explanations.rule_finding(policy, rule, event)
    findings = sorted(actions.findings + [finding for finding, _, _ in findings] + dossier.findings,
                      key=lambda f: (f["id"], f["message"]))
    verdict = {
        "date_evaluation": as_of.isoformat(),
        "politique": policy.describe(),
        "instance": facts["instance"],
        "statut": timeline.status,
    }
    identity = {item.key: value for item in policy.head.identity if (value := value_at(facts, item.path)) is not None}
    if identity:
        verdict["identite"] = identity
    period_name = policy.status_model.period_name
    if period_name:
        latest = timeline.periods[-1] if timeline.periods else None
        verdict[period_name] = None if latest is None else {
            "debut": latest.start.isoformat(), "fin": latest.shown_last_day.isoformat(),
            "renouvelee": latest.renewals > 0,
        }
    verdict.update(dossier.parts)   # completude, criteres, avis_propose (when the policy declares them)
    verdict.update({
        "historique_statut": status_history(policy, timeline, explain),
        "actions": action_out,
        "frais": fees,
        "constats": findings,
        "verdict": _conformity(policy, timeline, action_out, findings),
        "trace": dossier.trace + trace,
    })
    return verdict


def _conformity(policy: Policy, timeline, actions: list[dict], findings: list[dict]) -> dict:
    """Non conforming: a finding of a listed severity, an overdue obligation of a listed actor (once: not again
    when its rule already gave such a finding), or a listed status."""
    conformity = policy.head.conformity
    serious = [f for f in findings if f["gravite"] in conformity.severities]
    reasons = [f["message"] for f in serious]
    reported = {f.get("regle") for f in serious}
    reasons += [f"Obligation non accomplie à l'échéance du {short_date(a['echeance'])} : "
                f"« {policy.labels.rule(a['regle'], a['depuis']['date'])} » ({a['article']})."
                for a in actions if a["acteur"] in conformity.actors and a["etat"] == "en_retard"
                and a["regle"] not in reported]
    if timeline.status in conformity.statuses:
        status = policy.status_model.values[timeline.status]
        reasons.insert(0, f"{status.title} ({status.article}).")
    return {"conforme": not reasons, "motifs": reasons}


def status_history(policy: Policy, timeline, explain: bool) -> list[dict]:
    """Each change of status, dated, with the rule that made it (none when the period ran out)."""
    out = []
    for (day, status, rule_id, _), cause in zip(timeline.history, timeline.causes):
        if day is None:
            continue
        article = policy.labels.status_article(status)
        if cause is not None:
            article = next((rule.article for rule in policy.rules if rule.id == rule_id), article)
        change = {"date": day.isoformat(), "statut": status, "regle": rule_id, "article": article}
        if explain:
            period = next((p for p in timeline.periods if p.ended == day), None)
            change["explication"] = explanations.status_change(policy, day, status, cause, period)
        out.append(change)
    return out
