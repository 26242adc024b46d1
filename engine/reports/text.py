"""A verdict as a French text, as an administration writes it: the policy's words (rule titles, status titles,
actors, natures), dates JJ/MM/AAAA, amounts 12,50 € HT, each finding once, criteria with their motives, what an
overdue action means; with the verdict's explanations (`evaluate(..., explain=True)`) under each item."""
from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from ..policy import Policy
from ..wording import capitalised, of, plural, short_date
from .reading import explanation

STATES = {"accomplie": "accomplie", "a_faire": "à faire", "en_retard": "EN RETARD", "echue": "échue"}
OPEN = ("a_faire", "en_retard")
INDENT = " " * 14


def verdict_text(verdict: dict, policy: Policy) -> str:
    """The whole verdict, in sections: heading, status, conformity, actions, fees, findings, dossier."""
    lines = _heading(verdict, policy) + _status(verdict, policy) + _conformity(verdict, policy)
    lines += _actions(verdict, policy) + _fees(verdict, policy) + _findings(verdict, policy)
    lines += _dossier(verdict, policy)
    return "\n".join(lines).rstrip("\n") + "\n"


def explanation_lines(item: dict, policy: Policy, indent: str = INDENT) -> list[str]:
    """An item's `explication` (when the verdict has them), one sentence a line, as a person reads it."""
    return [f"{indent}· {sentence}" for sentence in explanation(item, policy)]


def action_title(action: dict, policy: Policy) -> str:
    return f"{policy.labels.rule(action['regle'], action['depuis']['date'])} ({action['article']})"


def action_state(action: dict, policy: Policy) -> str:
    """'EN RETARD depuis le 01/11/2026', 'accomplie le 10/11/2020, dans le délai', 'à faire, sans délai'…"""
    state = action["etat"]
    if state == "accomplie":
        timing = {True: ", dans le délai", False: ", hors délai", None: ""}[action.get("dans_les_delais")]
        return f"accomplie le {short_date(action['accomplie_le'])}{timing}"
    if state in ("en_retard", "echue") and action["echeance"]:
        return f"{STATES[state]} depuis le {short_date(_day_after(action['echeance']))}"
    if state == "echue":     # an action without a due date lapses when what it needed ended
        return STATES[state]
    return STATES[state] + ("" if action["echeance"] else ", sans délai fixé par le texte")


def action_party(action: dict, policy: Policy) -> str:
    """'obligation de l'organisme', 'faculté du candidat'."""
    return f"{policy.labels.nature(action['nature'])} {of(policy.labels.actor(action['acteur']))}"


def _day_after(iso: str) -> str:
    return (date.fromisoformat(iso) + timedelta(days=1)).isoformat()


def _heading(verdict: dict, policy: Policy) -> list[str]:
    described = verdict["politique"]
    lines = [f"Situation du dossier au {short_date(verdict['date_evaluation'])}"]
    identity = verdict.get("identite") or {}
    lines += [f"{title} : {identity[key]}" for key, title in policy.labels.identity() if key in identity]
    lines.append(f"Règlement appliqué : {policy.title}, version {described['version']} "
                 f"(révision {described['revision'][:19]}…)")
    return lines + [""]


def _status(verdict: dict, policy: Policy) -> list[str]:
    labels = policy.labels
    article = labels.status_article(verdict["statut"])
    history = verdict.get("historique_statut") or []
    since = f", depuis le {short_date(history[-1]['date'])}" if history else ""
    lines = [f"Statut : {labels.status(verdict['statut'])}{f' ({article})' if article else ''}{since}"]
    period_name = policy.status_model.period_name
    period = verdict.get(period_name) if period_name else None
    if period:
        renewed = ", renouvelée" if period["renouvelee"] else ""
        lines.append(f"{capitalised(str(period_name))} : du {short_date(period['debut'])} au {short_date(period['fin'])}"
                     f"{renewed}")
    if verdict.get("portee"):
        lines.append(f"Portée : {verdict['portee']['message']}")
    if any(change.get("explication") for change in history):
        lines.append("Évolution du statut :")
        for change in history:
            lines.append(f"  {short_date(change['date'])}  {labels.status(change['statut'])}")
            lines += explanation_lines(change, policy)
    return lines + [""]


def _conformity(verdict: dict, policy: Policy) -> list[str]:
    conformity = verdict["verdict"]
    if conformity["conforme"]:
        return ["Conformité : conforme", ""]
    listed = {finding["message"] for finding in verdict["constats"]}
    lines = ["Conformité : NON CONFORME"]
    lines += [f"  – {reason}" for reason in conformity["motifs"] if reason not in listed]
    serious = [f for f in verdict["constats"] if f["message"] in conformity["motifs"]]
    if serious:
        lines.append(f"  – {plural(len(serious), 'constat')} ci-dessous, marqué{'s' if len(serious) > 1 else ''} "
                     "« rend non conforme »")
    return lines + [""]


def _actions(verdict: dict, policy: Policy) -> list[str]:
    open_actions = [a for a in verdict["actions"] if a["etat"] in OPEN]
    closed = [a for a in verdict["actions"] if a["etat"] not in OPEN]
    lines = [f"Actions à mener ({len(open_actions)})" if open_actions else "Actions à mener : aucune"]
    for action in open_actions:
        lines += _action(action, policy)
    if closed:
        lines.append(f"Actions accomplies ou échues ({len(closed)})")
        for action in closed:
            lines += _action(action, policy)
    return lines + [""]


def _action(action: dict, policy: Policy) -> list[str]:
    mark = "!!" if action["etat"] == "en_retard" else "  "
    due = short_date(action["echeance"]) if action["echeance"] else "sans délai"
    lines = [f"{mark} {due:<11}{action_state(action, policy)} — {action_party(action, policy)}",
             f"{INDENT}{action_title(action, policy)}"]
    if action["etat"] == "en_retard" and not action.get("explication"):
        lines.append(f"{INDENT}{capitalised(_lateness(action, policy))}.")
    return lines + explanation_lines(action, policy)[1:]    # its first sentence repeats the rule's title


def _lateness(action: dict, policy: Policy) -> str:
    actors = policy.head.conformity.actors
    who = policy.labels.actor(action["acteur"])
    if action["acteur"] in actors:
        return f"obligation {of(who)} non remplie : rend l'évaluation non conforme"
    return f"retard {of(who)}, sans effet sur la conformité de l'évaluation"


def _fees(verdict: dict, policy: Policy) -> list[str]:
    fees = verdict["frais"]
    if not fees:
        return ["Frais dus à ce jour : aucun", ""]
    labels = policy.labels
    totals: dict[str | None, Decimal] = {}
    lines = ["Frais dus à ce jour"]
    for fee in fees:
        unit = labels.fee_unit(fee)
        amount_field = policy.head.currencies[unit].amount_field if unit else "montant"
        totals[unit] = totals.get(unit, Decimal(0)) + Decimal(fee[amount_field])
        title = fee_title(fee, policy)
        detail = ("" if fee.get("quantite", 1) == 1 else f" ({fee['quantite']} × "
                  f"{labels.fee_amount(fee, 'montant_unitaire')})" if "montant_unitaire" in fee
                  else f" ({fee['quantite']} unités à des prix différents)")
        lines.append(f"  {short_date(fee['echeance']):<12}{title} : {labels.fee_amount(fee)}{detail} "
                     f"({fee['article']})")
        lines += explanation_lines(fee, policy)
    lines.append("  Total : " + ", ".join(labels.money(total, unit) for unit, total in totals.items()))
    return lines + [""]


def fee_title(fee: dict, policy: Policy) -> str:
    rule = policy.rules_by_id.get(fee["regle"])
    if rule is None or rule.fee is None:
        return fee["id"]
    return policy.parameters[rule.fee.amount.parameter].title


def _findings(verdict: dict, policy: Policy) -> list[str]:
    findings = verdict["constats"]
    if not findings:
        return ["Constats : aucun", ""]
    serious = set(verdict["verdict"]["motifs"])
    lines = [f"Constats ({len(findings)})"]
    for finding in findings:
        effect = " — rend non conforme" if finding["message"] in serious else ""
        lines.append(f"  – {capitalised(finding['gravite'])} ({finding['article']}){effect} : {finding['message']}")
        lines += explanation_lines(finding, policy, "      ")
    return lines + [""]


def _dossier(verdict: dict, policy: Policy) -> list[str]:
    lines = []
    completeness = verdict.get("completude")
    if completeness is not None:
        if completeness["complet"]:
            lines.append("Dossier : complet")
        else:
            missing = plural(len(completeness["manquants"]), "pièce manquante", "pièces manquantes")
            idle = " (aucune demande en instruction : sans constat)" if completeness.get("en_instruction") is False else ""
            lines.append(f"Dossier : incomplet, {missing}{idle}")
            lines += [f"  – {m.get('titre', m['chemin'])} ({m['article']})" for m in completeness["manquants"]]
    criteria = verdict.get("criteres") or []
    if criteria:
        met = sum(1 for c in criteria if c["satisfait"] is True)
        lines.append(f"Critères : {met} sur {len(criteria)} satisfaits")
        words = {True: "satisfait", False: "NON SATISFAIT", None: "ne peut être apprécié"}
        for criterion in criteria:
            lines.append(f"  – {words[criterion['satisfait']]} ({criterion['article']}) : "
                         f"{criterion.get('titre', criterion['id'])}")
            lines += [f"      · {motif}" for motif in criterion["motifs"]]
    draft = verdict.get("avis_propose")
    if draft and (completeness or {}).get("en_instruction") is False:
        lines.append("Avis : aucune demande n'est en instruction à cette date, aucun avis n'est proposé")
    elif draft:
        avis = policy.dossier.avis if policy.dossier is not None else None
        lines.append(f"Avis proposé : {(avis.words.sense(draft['sens']) if avis else draft['sens']).lower()}")
    return lines
