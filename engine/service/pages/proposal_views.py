"""What the proposal pages show, built from the proposals' store and the policies in service (no routes here)."""
from __future__ import annotations

from datetime import date
from pathlib import Path

from ...errors import json_path
from ...evaluation import today_in_paris
from ...policy import PolicySet
from ...policy.versions.publications import read_journal
from ...proposals import NEW_VALUE, Proposal, ProposalStore, change_text, previous_value, stale_files, value_words
from ...proposals.impact import impact_state
from ...proposals.store import CHECKS
from ...reports.impact import change_text as change_text_of
from ...wording import short_date

FIELD_LABELS = {"valeur": "Nouvelle valeur", "depuis": "Date d'effet", "decision_reference": "Décision",
                "decision_date": "Date de la décision", "motif": "Motif de la correction", "": "Proposition"}


def policy_title(policies: PolicySet, policy_id: str) -> str:
    return policies.get(policy_id).title if policy_id in policies.ids() else policy_id


def summary(proposal: Proposal, policies: PolicySet) -> dict:
    """A proposal in a row of the history: who, when, what, which decision."""
    change = proposal.change
    policy = policies.get(proposal.policy) if proposal.policy in policies.ids() else None
    known = policy is not None and change.parameter in policy.parameters
    return {"id": proposal.id, "etat": proposal.state, "etat_libelle": proposal.state_label,
            "auteur": proposal.author.name, "le": proposal.created, "politique": policy_title(policies, proposal.policy),
            "quoi": change_text(change, policy) if known and policy is not None else change.parameter,
            "decision": change.decision_reference or (f"correction : {change.motive}" if change.motive else ""),
            "approbateur": next((e.who.name for e in proposal.history if e.what == "approuvee"), None)}


def detail(store: ProposalStore, proposal: Proposal, policies: PolicySet) -> dict:
    """Everything the proposal's page shows."""
    change = proposal.change
    policy = policies.get(proposal.policy)
    parameter = policy.parameters[change.parameter]
    before = previous_value(policy, change)
    checks = store.read_json(proposal.id, CHECKS) or {}
    inherited = []
    for entry in (checks.get("diff") or {}).get("politiques", []):
        for changed in entry.get("parametres", []):
            for value in changed.get("valeurs_modifiees", []):
                inherited += [policy_title(policies, other) for other in value.get("heritee_par", [])]
                if changed["id"] == change.parameter and value["depuis"] == change.since:
                    before = value["avant"]      # as it was when the proposal was checked (kept once published)
    stale = stale_files(proposal, store.policies) if proposal.open else []
    impact = impact_state(store, proposal.id)
    for record in (impact or {}).get("dossiers", []):        # in words when shown (the policy in service's)
        record["textes"] = [change_text_of(change, policy) for change in record.get("changements", [])]
    since = date.fromisoformat(change.since)
    today = today_in_paris()
    default_day = date(since.year, 12, 31) if since > today else today
    return {
        "p": proposal, "resume": summary(proposal, policies), "parametre": parameter,
        "politique": policy, "nouvelle": change.kind == NEW_VALUE,
        "avant": value_words(policy, change.parameter, before), "apres": value_words(policy, change.parameter, change.value),
        "depuis": change.since, "herite_par": sorted(set(inherited)),
        "controles": checks, "perimee": stale, "impact": impact, "impact_date": default_day,
        "historique": [{"quoi": e.label, "qui": e.who.name, "le": e.at, "motif": e.motive, "detail": e.detail}
                       for e in proposal.history],
        "cas": [_case(case) for case in (checks.get("cas") or {}).get("echoues", [])],
        "cas_joues": (checks.get("cas") or {}).get("joues", 0),
    }


def _case(case: dict) -> dict:
    rows = []
    for difference in case["ecarts"]:
        rows.append({"ligne": difference["ligne"], "chemin": difference["chemin"], "attendu": difference["attendu"],
                     "obtenu": difference["obtenu"],
                     "corrections": [{"ou": json_path(tuple(c["chemin"])), "avant": c["avant"], "apres": c["apres"],
                                      "texte": c.get("texte") or f"{c['avant']} → {c['apres']}"}
                                     for c in difference["corrections"]]})
    return {"fichier": case["fichier"], "nom": case["nom"], "ecarts": rows,
            "corrigeable": any(r["corrections"] for r in rows)}


def publications(policies: PolicySet, serving: Path) -> list[dict]:
    """Every publication of the policies in service, newest first, with the versions to compare for its diff."""
    rows = []
    for policy in policies:
        entries, _ = read_journal(policy.directory)
        for index, entry in enumerate(entries):
            previous = f"{entry.commit}~1"
            rows.append({"politique": policy.title, "le": entry.day, "jour": short_date(entry.day),
                         "decision": entry.decision, "commit": entry.commit,
                         "diff": f"/changements?avant={previous}&apres={entry.commit}", "rang": index})
    return sorted(rows, key=lambda row: (row["le"], row["rang"]), reverse=True)


def form_values(form: dict) -> dict:
    """The form's fields as typed (or the defaults of a new proposal)."""
    defaults = {"nature": NEW_VALUE, "valeur": "", "depuis": "", "decision_reference": "", "decision_date": "",
                "motif": ""}
    return {**defaults, **{key: str(form.get(key) or "") for key in defaults if form.get(key) is not None}}


def existing_values(policy, parameter_id: str) -> list[dict]:
    parameter = policy.parameters[parameter_id]
    return [{"depuis": value.since.isoformat(), "valeur": value_words(policy, parameter_id, value.value)}
            for value in parameter.values]
