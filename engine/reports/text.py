"""A verdict as a short French text for a person: status, validity, open actions by due date, fees, findings."""
from __future__ import annotations

from decimal import Decimal

_STATES = {"accomplie": "accomplie", "a_faire": "à faire", "en_retard": "EN RETARD", "echue": "échue"}


def _fr(day: str | None) -> str:
    if not day:
        return "—"
    year, month, dd = day.split("-")
    return f"{dd}/{month}/{year}"


def verdict_text(verdict: dict, period_name: str | None = None) -> str:
    lines = [f"Verdict au {_fr(verdict['date_evaluation'])} — instance {verdict['instance']}",
             f"Politique {verdict['politique']['id']} {verdict['politique']['version']} "
             f"({verdict['politique']['revision'][:19]}…)",
             f"Statut : {verdict['statut']}"]
    period = verdict.get(period_name) if period_name else None
    if period:
        renewed = " (renouvelée)" if period["renouvelee"] else ""
        lines.append(f"{period_name.capitalize()} : du {_fr(period['debut'])} au {_fr(period['fin'])}{renewed}")
    conformity = verdict["verdict"]
    lines.append("Conforme : oui" if conformity["conforme"] else "Conforme : NON")
    for reason in conformity["motifs"]:
        lines.append(f"  - {reason}")
    open_actions = [a for a in verdict["actions"] if a["etat"] in ("a_faire", "en_retard")]
    done = [a for a in verdict["actions"] if a["etat"] not in ("a_faire", "en_retard")]
    lines.append("")
    lines.append(f"Actions ouvertes ({len(open_actions)}) :" if open_actions else "Actions ouvertes : aucune")
    for action in open_actions:
        mark = "!!" if action["etat"] == "en_retard" else "  "
        lines.append(f" {mark} {_fr(action['echeance'])}  {action['id']} ({action['acteur']}, {action['nature']}) "
                     f"— {_STATES[action['etat']]} [{action['article']}, {action['regle']}]")
    if done:
        lines.append(f"Actions closes ({len(done)}) :")
        for action in done:
            when = f", le {_fr(action['accomplie_le'])}" if action.get("accomplie_le") else ""
            late = " hors délai" if action.get("dans_les_delais") is False else ""
            lines.append(f"    {_fr(action['echeance'])}  {action['id']} — {_STATES[action['etat']]}{when}{late} "
                         f"[{action['article']}]")
    lines.append("")
    if verdict["frais"]:
        total: dict[str, Decimal] = {}
        lines.append("Frais dus à ce jour :")
        for fee in verdict["frais"]:
            amount_key = next(k for k in fee if k.startswith("montant") and k != "montant_unitaire")
            total[fee["devise"]] = total.get(fee["devise"], Decimal(0)) + Decimal(fee[amount_key])
            unit = f" × {fee['montant_unitaire']}" if "montant_unitaire" in fee else ""
            lines.append(f"    {_fr(fee['echeance'])}  {fee['id']} : {fee[amount_key]} {fee['devise']} "
                         f"({fee['quantite']}{unit}) [{fee['article']}]")
        lines.append("    Total : " + ", ".join(f"{amount} {currency}" for currency, amount in total.items()))
    else:
        lines.append("Frais dus à ce jour : aucun")
    if verdict["constats"]:
        lines.append("Constats :")
        for finding in verdict["constats"]:
            lines.append(f"  - [{finding['gravite']}] {finding['id']} ({finding['article']}) : {finding['message']}")
    return "\n".join(lines) + "\n"
