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
from ..policy.model.dossier import Avis
from ..policy.model.policy import Policy
from ..wording import capitalised, long_date, short_date


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


def avis_of(policy: Policy) -> Avis | None:
    """The policy's avis wording (dossier.avis), None when it drafts no avis."""
    return policy.dossier.avis if policy.dossier is not None else None


def stated_deadline(policy: Policy, verdict: dict, facts: dict,
                    notification: date | None = None) -> StatedDeadline | None:
    """The deadline an unfavourable decision would state, or None when the policy declares none."""
    avis = avis_of(policy)
    spec = avis.if_unfavourable if avis is not None else None
    if spec is None:
        return None
    source = "option"
    if notification is None:
        opened = [a for a in verdict["actions"] if a["regle"] == spec.rule]
        if opened:
            notification, source = date.fromisoformat(opened[-1]["depuis"]["date"]), "evenements"
        else:
            notification, source = date.fromisoformat(verdict["date_evaluation"]), "date_evaluation"
    parameter = spec.parameter
    duration = policy.duration(parameter, notification)
    if duration is None:    # said, never left out: the delay was not in force on that date
        first = policy.parameters[parameter].values[0].since
        text = (f"Aucun délai n'est en vigueur pour une notification le {long_date(notification)} : "
                f"{policy.parameters[parameter].title} ({spec.article}) s'applique à compter du "
                f"{long_date(first)}.")
        return StatedDeadline(spec.key, spec.title, notification, None, "", spec.article, text, "", source)
    deadline = shift(notification, duration, backward=False, calendar=policy.calendar_of(spec.actor, facts, notification),
                     conventions=policy.conventions_at(notification))
    delay = f"{duration.amount} {policy.units[duration.unit]['titre']}"
    text = spec.text.fill({"delai": delay, "notification": long_date(notification), "echeance": long_date(deadline)})
    line = spec.deadline_line.fill({"delai": delay, "notification": short_date(notification),
                                    "echeance": short_date(deadline)})
    return StatedDeadline(spec.key, spec.title, notification, deadline, delay, spec.article, text, line, source)


def unfavourable_deadline(policy: Policy, verdict: dict, facts: dict, notification: date | None = None) -> dict:
    """{key: deadline as JSON, or None} for `clea avis --format json`; empty when the policy declares none."""
    avis = avis_of(policy)
    if avis is None or avis.if_unfavourable is None:
        return {}
    draft = verdict.get("avis_propose")
    found = stated_deadline(policy, verdict, facts, notification) if draft and draft["sens"] == "defavorable" else None
    return {avis.if_unfavourable.key: None if found is None else found.as_json()}


def _fr(iso: str) -> str:
    return long_date(date.fromisoformat(iso))


def avis_text(policy: Policy, verdict: dict, facts: dict, notification: date | None = None) -> str:
    """The draft: proposed direction, criteria not met / not judged / met with motifs and sections,
    completeness, other findings, and when unfavourable the deadline the decision must state. A person reads it:
    the policy and the instance by the policy's title (as the pages name an instance), each criterion, missing part
    and finding by its title or message and its article, never its identifier or the facts' path."""
    avis = avis_of(policy)
    if avis is None:
        return ""
    words = avis.words
    organisation = facts.get("organisme") or {}
    lines = [words.title.fill({"politique": policy.title}),
             words.candidate.fill({"denomination": organisation.get("denomination", words.no_name),
                                   "siren": organisation.get("siren", "?")}),
             words.instance.fill({"instance": policy.title, "date": _fr(verdict["date_evaluation"])}),
             words.policy.fill({"politique": policy.title, "version": verdict["politique"]["version"]}),
             ""]
    draft = verdict.get("avis_propose")
    criteria = verdict.get("criteres") or []
    if draft is None:
        lines.append(words.no_criteria)
        return "\n".join(lines) + "\n"
    lines += [words.direction.fill({"sens": words.sense(draft["sens"])})
              + words.motivated.fill({"article": avis.article}), ""]
    groups = ((words.not_met, [c for c in criteria if c["satisfait"] is False]),
              (words.not_judged, [c for c in criteria if c["satisfait"] is None]),
              (words.met, [c for c in criteria if c["satisfait"] is True]))
    for heading, members in groups:
        if not members:
            continue
        lines.append(f"{heading} ({len(members)}) :")
        for criterion in members:
            lines.append(f"  - {criterion.get('titre', criterion['id'])} ({criterion['article']})")
            lines += [f"      • {motif}" for motif in criterion["motifs"]]
        lines.append("")
    completeness = verdict.get("completude")
    if completeness is not None:
        if completeness["complet"]:
            lines.append(words.complete)
        else:
            lines.append(words.incomplete.fill({"nombre": len(completeness["manquants"])}))
            lines += [f"  - {m.get('titre', m['chemin'])} ({m['article']})"
                      for m in completeness["manquants"]]
        lines.append("")
    checks = policy.dossier.completeness if policy.dossier is not None else None
    listed = checks.finding.id if checks is not None and checks.finding is not None else None   # shown just above
    others = [f for f in verdict["constats"] if completeness is None or f["id"] != listed]
    if others:
        lines.append(words.other_findings)
        lines += [f"  - {capitalised(f['gravite'])} ({f['article']}) : {f['message']}" for f in others]
        lines.append("")
    if draft["sens"] == "defavorable":
        found = stated_deadline(policy, verdict, facts, notification)
        if found is not None:
            lines += [f"{found.title} ({found.article}) :", f"  {found.text}"]
            lines += [f"  {found.deadline_line}", ""] if found.deadline_line else [""]
    return "\n".join(lines)
