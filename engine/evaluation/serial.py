"""The verdict's typed parts (engine/evaluation/parts.py) as the contract's JSON, in one place: field names and
their order exactly as schemas/verdict.schema.json and every consumer (reports, service, decision log) read them."""
from __future__ import annotations

from .parts import ActionPart, FeePart, FindingPart, StatusChange, Verdict

Part = ActionPart | FeePart | FindingPart | StatusChange


def to_json(part: Part) -> dict:
    """One part as a plain dict; an `explication` (when built) comes last."""
    if isinstance(part, ActionPart):
        out = _action(part)
    elif isinstance(part, FeePart):
        out = _fee(part)
    elif isinstance(part, FindingPart):
        out = {"id": part.id, "gravite": part.severity, "article": part.article, "regle": part.rule,
               "message": part.message}
    else:
        out = {"date": part.date, "statut": part.status, "regle": part.rule, "article": part.article}
    if part.explanation is not None:
        out["explication"] = part.explanation
    return out


def verdict_json(verdict: Verdict) -> dict:
    """The verdict as the contract's JSON, its keys in the contract's order."""
    out: dict = {"date_evaluation": verdict.as_of, "politique": verdict.policy, "instance": verdict.instance,
                 "statut": verdict.status}
    if verdict.identity:
        out["identite"] = verdict.identity
    if verdict.period is not None:
        name, period = verdict.period
        out[name] = period
    out.update(verdict.dossier)
    out.update({
        "historique_statut": [to_json(change) for change in verdict.history],
        "actions": [to_json(action) for action in verdict.actions],
        "frais": [to_json(fee) for fee in verdict.fees],
        "constats": list(verdict.findings),
        "verdict": {"conforme": verdict.conformity.conforming, "motifs": list(verdict.conformity.reasons)},
        "trace": list(verdict.trace),
    })
    return out


def _action(part: ActionPart) -> dict:
    out: dict = {"id": part.id, "acteur": part.actor, "nature": part.nature, "echeance": part.due,
                 "etat": part.state, "article": part.article, "regle": part.rule,
                 "depuis": {"evenement": part.since_event, "date": part.since_date}}
    if part.done_on is not None:
        out["accomplie_le"] = part.done_on
        if part.in_time is not None:
            out["dans_les_delais"] = part.in_time
    return out


def _fee(part: FeePart) -> dict:
    out: dict = {"id": part.id, "acteur": part.actor, part.amount_field: part.amount, "devise": part.currency,
                 "echeance": part.due, "quantite": part.quantity}
    if part.unit_amount is not None:
        out["montant_unitaire"] = part.unit_amount
    out.update({"article": part.article, "regle": part.rule})
    return out
