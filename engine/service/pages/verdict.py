"""A verdict as a page: what the template shows, in the policy's words (titles of statuses, rules, events, findings).

Used for a dossier evaluated on the page and for a logged decision; the policy may be absent (a decision logged
under a policy no longer in service): ids are then shown as they are.
"""
from __future__ import annotations

import base64
import json
import re
from decimal import Decimal

from ...reports.avis import avis_text
from . import labels

_EVENT_PATH = re.compile(r"^evenements\[(\d+)\]$")
_OPEN = ("a_faire", "en_retard")


class Words:
    """Titles from a policy, falling back to the id when the policy (or the item) is unknown."""

    def __init__(self, policy):
        self.policy = policy
        self.rules = {rule.id: rule for rule in policy.rules} if policy else {}

    def _data(self, *keys) -> dict:
        data = self.policy.data if self.policy else {}
        for key in keys:
            data = (data or {}).get(key) or {}
        return data

    def status(self, status_id: str) -> str:
        return self._data("statuts", "valeurs").get(status_id, {}).get("titre", status_id)

    def event(self, event_type: str) -> str:
        found = self._data("evenements", "types").get(event_type, {}).get("titre")
        return found or labels.ENGINE_EVENTS.get(event_type, event_type)

    def finding(self, finding_id: str) -> str:
        return self._data("constats").get(finding_id, {}).get("titre", finding_id)

    def rule(self, rule_id: str) -> str:
        rule = self.rules.get(rule_id)
        return rule.title if rule else rule_id

    def actor(self, actor: str) -> str:
        return actor.replace("_", " ").capitalize()


def _event_at(facts: dict, path: str) -> dict | None:
    match = _EVENT_PATH.match(path)
    events = facts.get("evenements") if isinstance(facts, dict) else None
    if match and isinstance(events, list) and int(match[1]) < len(events) and isinstance(events[int(match[1])], dict):
        return events[int(match[1])]
    return None


def _event_text(words: Words, event: dict) -> str:
    details = ", ".join(f"{key.replace('_', ' ')} : {labels.value(value)}"
                        for key, value in event.items() if key not in ("type", "date"))
    return f"{words.event(event.get('type', '?'))} le {labels.day(event.get('date'))}" + (f" ({details})" if details else "")


def status_reasons(verdict: dict, facts: dict, words: Words) -> list[dict]:
    """The status rules that fired towards the current status, latest last, with the facts that fired them."""
    reasons = []
    for entry in verdict.get("trace", []):
        rule = words.rules.get(entry["regle"])
        if rule is None or rule.effect != "statut" or rule.spec.get("vers") != verdict["statut"]:
            continue
        events = [_event_at(facts, path) for path in entry.get("faits", [])]
        reasons.append({"regle": rule.id, "titre": rule.title, "article": rule.article,
                        "faits": [_event_text(words, event) for event in events if event]})
    return reasons


def _action(words: Words, action: dict, facts: dict) -> dict:
    origin = action.get("depuis") or {}
    return {**action, "titre": words.rule(action["regle"]), "qui": words.actor(action["acteur"]),
            "origine": f"{words.event(origin['evenement'])} le {labels.day(origin.get('date'))}" if origin else None}


def _data_uri(media_type: str, content: str) -> str:
    return f"data:{media_type};base64,{base64.b64encode(content.encode('utf-8')).decode('ascii')}"


def downloads(verdict: dict, facts: dict, policy, decision_id: str | None) -> list[dict]:
    """Files offered beside the verdict, carried in the page itself (nothing kept on the server to fetch later)."""
    stem = f"{(facts.get('organisme') or {}).get('siren', 'dossier')}-{verdict['date_evaluation']}"
    document = {"decision_id": decision_id, **verdict} if decision_id else verdict
    files = [{"libelle": "Le verdict (JSON)", "nom": f"verdict-{stem}.json", "format": "JSON",
              "lien": _data_uri("application/json", json.dumps(document, ensure_ascii=False, indent=2))}]
    if policy is not None and verdict.get("avis_propose"):
        files.append({"libelle": "Le projet d'avis (texte)", "nom": f"avis-{stem}.txt", "format": "texte",
                      "lien": _data_uri("text/plain;charset=utf-8", avis_text(policy, verdict, facts))})
    return files


def _status_class(policy, status: str) -> str:
    """alerte: a status that makes a verdict non conforming; ok: one the period runs in; else neutre."""
    if policy is None:
        return "neutre"
    if status in ((policy.data["politique"].get("conformite") or {}).get("statuts") or ()):
        return "alerte"
    return "ok" if status in ((policy.statuses.get("periode") or {}).get("statuts_actifs") or ()) else "neutre"


def verdict_view(verdict: dict, facts: dict, policy, *, decision_id: str | None = None) -> dict:
    words = Words(policy)
    organisation = facts.get("organisme") if isinstance(facts.get("organisme"), dict) else {}
    period = (policy.statuses.get("periode") or {}) if policy else {}
    period_name = period.get("nom")
    actions = sorted((_action(words, action, facts) for action in verdict.get("actions", [])),
                     key=lambda action: (action["echeance"] or "", action["id"]))
    totals: dict[str, Decimal] = {}
    for fee in verdict.get("frais", []):
        key = next(k for k in fee if k.startswith("montant_") and k != "montant_unitaire")
        totals[(fee["devise"], key)] = totals.get((fee["devise"], key), Decimal(0)) + Decimal(fee[key])
    return {
        "verdict": verdict, "decision_id": decision_id,
        "organisme": {"denomination": organisation.get("denomination"), "siren": organisation.get("siren")},
        "statut": {"id": verdict["statut"], "titre": words.status(verdict["statut"]),
                   "classe": _status_class(policy, verdict["statut"])},
        "periode": {"nom": period_name, **verdict[period_name]} if verdict.get(period_name) else None,
        "raisons": status_reasons(verdict, facts, words),
        "ouvertes": [a for a in actions if a["etat"] in _OPEN],
        "closes": [a for a in actions if a["etat"] not in _OPEN],
        "frais": [{**fee, "titre": words.rule(fee["regle"])} for fee in verdict.get("frais", [])],
        "totaux": [labels.fee_amount({"devise": currency, key: str(total)}) for (currency, key), total in totals.items()],
        "constats": [{**finding, "titre": words.finding(finding["id"])} for finding in verdict.get("constats", [])],
        "telechargements": downloads(verdict, facts, policy, decision_id),
        "politique_connue": policy is not None and policy.revision == verdict["politique"]["revision"],
    }
