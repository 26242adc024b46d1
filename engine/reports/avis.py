"""The drafted avis of a verdict as a French text an instructor can edit, with the recourse deadline as a date.

The recourse paragraph and the rule that gives its delay are policy data (dossier.avis.recours). Its deadline is
counted exactly as that rule counts it (same parameter, same actor's calendar, same conventions), from:
1. the `notification` date given (`clea avis --notification D`), else
2. the notification of a refusal already in the events (the rule's open action in the verdict), else
3. the evaluation date (the avis drafted today, the decision assumed notified the same day).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from ..calendar import shift

_MONTHS = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
           "novembre", "décembre")
_DAYS = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")
_SENS = {"favorable": "FAVORABLE", "defavorable": "DÉFAVORABLE"}


def long_date(day: date) -> str:
    """2026-04-14 -> 'mardi 14 avril 2026'."""
    first = "1er" if day.day == 1 else str(day.day)
    return f"{_DAYS[day.weekday()]} {first} {_MONTHS[day.month - 1]} {day.year}"


@dataclass(frozen=True)
class Recourse:
    notification: date
    deadline: date
    delay: str              # '30 jours ouvrés'
    article: str
    text: str               # the policy's paragraph, filled in
    source: str             # where the notification date comes from: option | evenements | date_evaluation


def recourse(policy, verdict: dict, facts: dict, notification: date | None = None) -> Recourse | None:
    """The recourse a refusal would open, or None when the policy declares none."""
    spec = ((policy.data.get("dossier") or {}).get("avis") or {}).get("recours")
    if not spec:
        return None
    rule = next(rule for rule in policy.rules if rule.id == spec["regle"])
    parameter = rule.spec["echeance"]["delai"]
    source = "option"
    if notification is None:
        opened = [a for a in verdict["actions"] if a["regle"] == rule.id]
        if opened:
            notification, source = date.fromisoformat(opened[-1]["depuis"]["date"]), "evenements"
        else:
            notification, source = date.fromisoformat(verdict["date_evaluation"]), "date_evaluation"
    duration = policy.duration(parameter, notification)
    if duration is None:
        return None
    deadline = shift(notification, duration, backward=False, calendar=policy.calendar_of(rule.spec["acteur"], facts),
                     conventions=policy.conventions)
    units = policy.data["calendrier"]["unites_de_duree"]
    delay = f"{duration.amount} {units[duration.unit].get('titre', duration.unit)}"
    text = spec["texte"].format(delai=delay, notification=long_date(notification), echeance=long_date(deadline))
    return Recourse(notification, deadline, delay, spec["article"], text, source)


def _fr(iso: str) -> str:
    return long_date(date.fromisoformat(iso))


def avis_text(policy, verdict: dict, facts: dict, notification: date | None = None) -> str:
    """The draft: proposed direction, criteria not met / not judged / met with motifs and sections,
    completeness, other findings, and when unfavourable the right of recourse and its deadline."""
    organisation = facts.get("organisme") or {}
    lines = [f"PROJET D'AVIS — {policy.title}",
             f"Candidat : {organisation.get('denomination', '(dénomination non renseignée)')} — "
             f"SIREN {organisation.get('siren', '?')}",
             f"Instance : {verdict['instance']} — avis préparé le {_fr(verdict['date_evaluation'])}",
             f"Politique {verdict['politique']['id']} {verdict['politique']['version']}", ""]
    draft = verdict.get("avis_propose")
    criteria = verdict.get("criteres") or []
    if draft is None:
        lines.append("Cette politique ne déclare pas de critères : aucun avis n'est proposé.")
        return "\n".join(lines) + "\n"
    article = ((policy.data.get("dossier") or {}).get("avis") or {}).get("article")
    lines += [f"Sens proposé : {_SENS[draft['sens']]}" + (f" (avis motivé au regard des critères, {article})"
                                                             if article else ""), ""]
    groups = (("Critères non satisfaits", [c for c in criteria if c["satisfait"] is False]),
              ("Critères qui ne peuvent être appréciés en l'état", [c for c in criteria if c["satisfait"] is None]),
              ("Critères satisfaits", [c for c in criteria if c["satisfait"] is True]))
    for heading, members in groups:
        if not members:
            continue
        lines.append(f"{heading} ({len(members)}) :")
        for criterion in members:
            lines.append(f"  - {criterion.get('titre', criterion['id'])} [{criterion['article']}, {criterion['id']}]")
            lines += [f"      • {motif}" for motif in criterion["motifs"]]
        lines.append("")
    completeness = verdict.get("completude")
    if completeness is not None:
        if completeness["complet"]:
            lines.append("Complétude du dossier : complet.")
        else:
            lines.append(f"Complétude du dossier : INCOMPLET ({len(completeness['manquants'])} pièce(s) manquante(s)) :")
            lines += [f"  - {m.get('titre', m['chemin'])} ({m['chemin']}) [{m['article']}]"
                      for m in completeness["manquants"]]
        lines.append("")
    listed = ((policy.data.get("dossier") or {}).get("completude") or {}).get("constat")  # shown just above
    others = [f for f in verdict["constats"] if completeness is None or f["id"] != listed]
    if others:
        lines.append("Autres constats à examiner :")
        lines += [f"  - [{f['gravite']}] {f['message']} [{f['article']}]" for f in others]
        lines.append("")
    if draft["sens"] == "defavorable":
        found = recourse(policy, verdict, facts, notification)
        if found is not None:
            lines.append(f"Voies et délais de recours ({found.article}) :")
            lines.append(f"  {found.text}")
            lines.append(f"  Date limite de réception du recours : {found.deadline.isoformat()} "
                         f"(notification le {found.notification.isoformat()}, délai de {found.delay}).")
            lines.append("")
    return "\n".join(lines)
