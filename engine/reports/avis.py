"""The drafted avis of a verdict as a French text an instructor can edit; when unfavourable, the deadline the
decision must state, as a date.

Every heading and paragraph is policy data (dossier.avis: `libelles`, and `si_defavorable`, the paragraph an
unfavourable avis quotes with the rule whose delay it states). That deadline is counted exactly as that rule counts
it (same parameter, same actor's calendar, same conventions), from:
1. the `notification` date given (`clea avis --notification D`), else
2. the notification already in the events (the rule's open action in the verdict), else
3. the evaluation date (the avis drafted today, the decision assumed notified the same day).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from ..calendar import shift
from ..wording import long_date, short_date


@dataclass(frozen=True)
class StatedDeadline:
    """The deadline an unfavourable decision states (its policy key, e.g. the right to contest it)."""

    key: str
    title: str
    notification: date
    deadline: date | None   # None: no delay in force on the notification date (the text did not apply yet)
    delay: str              # the amount and the unit's title, e.g. '30 jours ouvrés'
    article: str
    text: str               # the policy's paragraph, filled in (or why there is no deadline)
    deadline_line: str      # the policy's one-line summary, filled in
    source: str             # where the notification date comes from: option | evenements | date_evaluation

    def as_json(self) -> dict:
        return {"article": self.article, "notification": self.notification.isoformat(),
                "echeance": self.deadline.isoformat() if self.deadline else None, "delai": self.delay,
                "texte": self.text}


def _avis_spec(policy) -> dict:
    return (policy.data.get("dossier") or {}).get("avis") or {}


def stated_deadline(policy, verdict: dict, facts: dict, notification: date | None = None) -> StatedDeadline | None:
    """The deadline an unfavourable decision would state, or None when the policy declares none."""
    spec = _avis_spec(policy).get("si_defavorable")
    if not spec:
        return None
    rule = next(rule for rule in policy.rules if rule.id == spec["regle"])
    source = "option"
    if notification is None:
        opened = [a for a in verdict["actions"] if a["regle"] == rule.id]
        if opened:
            notification, source = date.fromisoformat(opened[-1]["depuis"]["date"]), "evenements"
        else:
            notification, source = date.fromisoformat(verdict["date_evaluation"]), "date_evaluation"
    effect = rule.action
    if effect is None or effect.deadline.delay is None:     # the policy checks refuse such a rule for an avis
        return None
    parameter = effect.deadline.delay
    duration = policy.duration(parameter, notification)
    if duration is None:    # said, never left out: the delay was not in force on that date
        first = policy.parameters[parameter].values[0].since
        text = (f"Aucun délai n'est en vigueur pour une notification le {long_date(notification)} : "
                f"{policy.parameters[parameter].title} ({spec['article']}) s'applique à compter du "
                f"{long_date(first)}.")
        return StatedDeadline(spec["cle"], spec["titre"], notification, None, "", spec["article"], text, "", source)
    deadline = shift(notification, duration, backward=False, calendar=policy.calendar_of(effect.actor, facts),
                     conventions=policy.conventions)
    units = policy.data["calendrier"]["unites_de_duree"]
    delay = f"{duration.amount} {units[duration.unit].get('titre', duration.unit)}"
    text = spec["texte"].format(delai=delay, notification=long_date(notification), echeance=long_date(deadline))
    line = spec["date_limite"].format(delai=delay, notification=short_date(notification),
                                      echeance=short_date(deadline))
    return StatedDeadline(spec["cle"], spec["titre"], notification, deadline, delay, spec["article"], text, line,
                          source)


def unfavourable_deadline(policy, verdict: dict, facts: dict, notification: date | None = None) -> dict:
    """{key: deadline as JSON, or None} for `clea avis --format json`; empty when the policy declares none."""
    spec = _avis_spec(policy).get("si_defavorable")
    if not spec:
        return {}
    draft = verdict.get("avis_propose")
    found = stated_deadline(policy, verdict, facts, notification) if draft and draft["sens"] == "defavorable" else None
    return {spec["cle"]: None if found is None else found.as_json()}


def _fr(iso: str) -> str:
    return long_date(date.fromisoformat(iso))


def avis_text(policy, verdict: dict, facts: dict, notification: date | None = None) -> str:
    """The draft: proposed direction, criteria not met / not judged / met with motifs and sections,
    completeness, other findings, and when unfavourable the deadline the decision must state."""
    spec = _avis_spec(policy)
    if not spec:
        return ""
    words = spec["libelles"]
    organisation = facts.get("organisme") or {}
    lines = [words["titre"].format(politique=policy.title),
             words["candidat"].format(denomination=organisation.get("denomination", words["denomination_absente"]),
                                      siren=organisation.get("siren", "?")),
             words["instance"].format(instance=verdict["instance"], date=_fr(verdict["date_evaluation"])),
             words["politique"].format(politique=verdict["politique"]["id"], version=verdict["politique"]["version"]),
             ""]
    draft = verdict.get("avis_propose")
    criteria = verdict.get("criteres") or []
    if draft is None:
        lines.append(words["sans_criteres"])
        return "\n".join(lines) + "\n"
    lines += [words["sens_propose"].format(sens=words["sens"][draft["sens"]])
              + words["sens_motive"].format(article=spec["article"]), ""]
    groups = ((words["criteres_non_satisfaits"], [c for c in criteria if c["satisfait"] is False]),
              (words["criteres_non_appreciables"], [c for c in criteria if c["satisfait"] is None]),
              (words["criteres_satisfaits"], [c for c in criteria if c["satisfait"] is True]))
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
            lines.append(words["complet"])
        else:
            lines.append(words["incomplet"].format(nombre=len(completeness["manquants"])))
            lines += [f"  - {m.get('titre', m['chemin'])} ({m['chemin']}) [{m['article']}]"
                      for m in completeness["manquants"]]
        lines.append("")
    listed = ((policy.data.get("dossier") or {}).get("completude") or {}).get("constat")  # shown just above
    others = [f for f in verdict["constats"] if completeness is None or f["id"] != listed]
    if others:
        lines.append(words["autres_constats"])
        lines += [f"  - [{f['gravite']}] {f['message']} [{f['article']}]" for f in others]
        lines.append("")
    if draft["sens"] == "defavorable":
        found = stated_deadline(policy, verdict, facts, notification)
        if found is not None:
            lines += [f"{found.title} ({found.article}) :", f"  {found.text}"]
            lines += [f"  {found.deadline_line}", ""] if found.deadline_line else [""]
    return "\n".join(lines)
