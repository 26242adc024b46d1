"""A verdict as a page: what the template shows, in the policy's words (engine/policy/labels.py) and as the reports
word it (engine/reports/): each result with its explanation, the dossier's timeline, and the files to download.

Used for a dossier evaluated on the page and for a logged decision. A decision logged under a policy no longer in
service is shown with the words of the policy in service (an identifier with no title is shown as it is).
"""
from __future__ import annotations

import base64
import json
from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal

from markupsafe import Markup

from ...policy import Policy, PolicySet
from ...reports.avis import avis_text
from ...reports.consequences import lapse_consequences
from ...reports.html import timeline_figure, verdict_html
from ...reports.ics import open_actions, verdict_ics
from ...reports.reading import explanation, readable
from ...reports.text import OPEN, action_party, action_state, fee_title
from ...wording import capitalised

_STATE_ORDER = ("en_retard", "a_faire", "echue", "accomplie")


def _status_class(policy: Policy, status: str) -> str:
    """The colour of a status: its family's (statut-active, statut-suspendue…: clea.css), neutre without one."""
    family = policy.labels.status_family(status)
    return f"statut-{family}" if family else "neutre"


def _data_uri(media_type: str, content: str) -> str:
    return f"data:{media_type};base64,{base64.b64encode(content.encode('utf-8')).decode('ascii')}"


def downloads(verdict: dict, facts: dict, policy: Policy, decision_id: str | None) -> list[dict]:
    """Files offered beside the verdict, carried in the page itself (nothing kept on the server to fetch later)."""
    identity = verdict.get("identite") or {}
    stem = f"{next(iter(identity.values()), 'dossier')}-{verdict['date_evaluation']}"
    document = {"decision_id": decision_id, **verdict} if decision_id else verdict
    count = len(open_actions(verdict))
    files = [{"libelle": f"Les échéances ({count}) pour un agenda (ICS)", "nom": f"echeances-{stem}.ics",
              "lien": _data_uri("text/calendar;charset=utf-8", verdict_ics(verdict, policy))} if count else None,
             {"libelle": "La page imprimable (HTML)", "nom": f"verdict-{stem}.html",
              "lien": _data_uri("text/html;charset=utf-8", verdict_html(verdict, policy, facts))},
             {"libelle": "Le verdict (JSON)", "nom": f"verdict-{stem}.json",
              "lien": _data_uri("application/json", json.dumps(document, ensure_ascii=False, indent=2))}]
    if verdict.get("avis_propose") and (verdict.get("completude") or {}).get("en_instruction") is not False:
        files.append({"libelle": "Le projet d'avis (texte)", "nom": f"avis-{stem}.txt",
                      "lien": _data_uri("text/plain;charset=utf-8", avis_text(policy, verdict, facts))})
    return [item for item in files if item]


def _readable(item: dict, policy: Policy) -> dict:
    """The item with its explanation's sentences as a person reads them (engine/reports/reading.py)."""
    if not (item.get("explication") or {}).get("texte"):
        return item
    return {**item, "explication": {**item["explication"], "texte": explanation(item, policy)}}


def _action(action: dict, policy: Policy, verdict: dict, facts: dict) -> dict:
    origin = action.get("depuis") or {}
    return {**_readable(action, policy), "titre": policy.labels.rule(action["regle"], action["depuis"]["date"]),
            "consequences": lapse_consequences(action, verdict, policy, facts),
            "qui": capitalised(action_party(action, policy)), "etat_texte": action_state(action, policy),
            "origine": {"titre": policy.labels.event(origin["evenement"]), "date": origin["date"]} if origin else None}


def _totals(policy, fees: list[dict]) -> list[str]:
    sums: dict[str, Decimal] = defaultdict(Decimal)
    for fee in fees:
        unit = policy.labels.fee_unit(fee)
        if unit is not None:
            sums[unit] += Decimal(fee[policy.head.currencies[unit].amount_field])
    return [policy.labels.money(total, unit) for unit, total in sums.items()]


def instance_titles(policies: Iterable[Policy]) -> dict[str, str]:
    """How the pages name an instance (the facts' `instance`, a criterion's `source`): the title of its policy."""
    return {instance: policy.title for policy in policies for instance in policy.instances}


def _criteria(verdict: dict, titles: dict[str, str]) -> list[dict]:
    """The criteria, each naming the policy that set it when they come from more than one."""
    criteria = verdict.get("criteres") or []
    several = len({criterion.get("source") for criterion in criteria}) > 1
    return [{**criterion, "fixe_par": titles.get(criterion["source"], criterion["source"])
             if several and criterion.get("source") else None} for criterion in criteria]


def _reasons(verdict: dict, status: dict) -> list[str]:
    """The conformity's motives, but the status's own (« <status title> (<article>). »): the page shows the
    status once, with its article, just above."""
    own = f"{status['titre']} ({status['article']})."
    return [reason for reason in verdict["verdict"]["motifs"] if reason != own]


def _trace(verdict: dict, policy: Policy) -> list[dict]:
    """The rules applied, by their titles (a criterion's rule by the criterion's), and the facts they read."""
    criteria = {c["regle"]: c["titre"] for c in verdict.get("criteres") or [] if c.get("regle") and c.get("titre")}
    return [{"titre": criteria.get(step["regle"]) or policy.labels.rule(step["regle"]), "article": step["article"],
             "faits": [readable(fact, policy) for fact in step["faits"]]} for step in verdict.get("trace", [])]


def verdict_view(verdict: dict, facts: dict, policy: Policy, *, decision_id: str | None = None,
                 policies: PolicySet | None = None) -> dict:
    labels = policy.labels
    titles = instance_titles(policies if policies is not None else [policy])
    period_name = policy.status_model.period_name
    actions = sorted((_action(action, policy, verdict, facts) for action in verdict.get("actions", [])),
                     key=lambda a: (a["echeance"] or "9999", _STATE_ORDER.index(a["etat"]), a["id"]))
    history = [{**_readable(change, policy), "titre": labels.status(change["statut"]),
                "article": labels.status_article(change["statut"]) or change["article"],
                "regle_titre": labels.rule(change["regle"], change["date"]) if change.get("regle") else None}
               for change in verdict.get("historique_statut") or []]
    status = {"id": verdict["statut"], "titre": labels.status(verdict["statut"]),
              "article": labels.status_article(verdict["statut"]), "classe": _status_class(policy, verdict["statut"]),
              "non_conforme": verdict["statut"] in policy.head.conformity.statuses}
    completeness = verdict.get("completude") or {}
    return {
        "verdict": verdict, "decision_id": decision_id,
        "identite": [(title, verdict["identite"][key]) for key, title in labels.identity()
                     if key in (verdict.get("identite") or {})],
        "statut": status,
        "motifs": [readable(reason, policy) for reason in _reasons(verdict, status)],
        "periode": {"nom": period_name, **verdict[period_name]} if period_name and verdict.get(period_name) else None,
        "historique": history,
        "ouvertes": [a for a in actions if a["etat"] in OPEN],
        "closes": [a for a in actions if a["etat"] not in OPEN],
        "frais": [{**_readable(fee, policy), "titre": fee_title(fee, policy), "montant": labels.fee_amount(fee),
                   "unitaire": labels.fee_amount(fee, "montant_unitaire") if "montant_unitaire" in fee else None}
                  for fee in verdict.get("frais", [])],
        "totaux": _totals(policy, verdict.get("frais", [])),
        "constats": [{**_readable(finding, policy), "titre": labels.finding(finding["id"]),
                      "message": readable(finding["message"], policy)}
                     for finding in verdict.get("constats", [])],
        "gravites_non_conformes": list(policy.head.conformity.severities),
        "criteres": _criteria(verdict, titles),
        "en_instruction": completeness.get("en_instruction") is not False,
        "trace": _trace(verdict, policy),
        "instance_titre": titles.get(verdict["instance"], verdict["instance"]),
        "politique_titre": policy.title if policy.id == verdict["politique"]["id"] else verdict["politique"]["id"],
        "chronologie": Markup(timeline_figure(verdict, policy, facts)),
        "telechargements": downloads(verdict, facts, policy, decision_id),
        "politique_connue": policy.id == verdict["politique"]["id"]
        and policy.revision == verdict["politique"]["revision"],
    }
