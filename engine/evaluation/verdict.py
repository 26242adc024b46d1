"""The verdict: every part of one evaluation put together in the contract's shape."""
from __future__ import annotations

from datetime import date

from ..policy import Policy


def assemble(policy: Policy, facts: dict, as_of: date, *, timeline, actions: list[dict], fees: list[dict],
             findings: list[dict], dossier, trace: list[dict]) -> dict:
    conformity = policy.data["politique"]["conformite"]
    findings = sorted(findings + dossier.findings, key=lambda f: (f["id"], f["message"]))
    reasons = [f["message"] for f in findings if f["gravite"] in conformity["gravites"]]
    reasons += [f"Obligation « {a['id']} » en retard depuis le {a['echeance']} ({a['article']})."
                for a in actions if a["acteur"] in conformity["acteurs"] and a["etat"] == "en_retard"]
    if timeline.status in conformity.get("statuts", ()):
        status = policy.statuses["valeurs"][timeline.status]
        reasons.insert(0, f"Statut « {timeline.status} » : {status['titre']} ({status['article']}).")
    verdict = {
        "date_evaluation": as_of.isoformat(),
        "politique": policy.describe(),
        "instance": facts["instance"],
        "statut": timeline.status,
    }
    period_name = (policy.statuses.get("periode") or {}).get("nom")
    if period_name:
        latest = timeline.periods[-1] if timeline.periods else None
        verdict[period_name] = None if latest is None else {
            "debut": latest.start.isoformat(), "fin": latest.shown_last_day.isoformat(),
            "renouvelee": latest.renewals > 0,
        }
    verdict.update(dossier.parts)   # completude, criteres, avis_propose (when the policy declares them)
    verdict.update({
        "actions": actions,
        "frais": fees,
        "constats": findings,
        "verdict": {"conforme": not reasons, "motifs": reasons},
        "trace": dossier.trace + trace,
    })
    return verdict
