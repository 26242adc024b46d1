"""The years a policy's calendars cover, against the dossiers already evaluated under it (the decision log knows
their dates): narrowing them would make those dossiers invalid — their verdicts could no longer be given again.

Refused unless the calendar says why: `annees: {debut, fin, reduction: {motif: "…"}}`.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from ...errors import Issue
from ..model.display import day_text
from ..model.policy import Policy

MARK = "reduction"


@dataclass(frozen=True)
class Evaluated:
    """What the decision log holds of one policy: the first and last day its dossiers bear (their evaluation dates
    and their events' dates), and how many decisions."""
    first: str
    last: str
    decisions: int


def uncovered_years(policies: Iterable[Policy], evaluated: Mapping[str, Evaluated]) -> list[Issue]:
    """Each policy whose years (calendrier.annees) no longer cover the days of the dossiers evaluated under it."""
    issues = []
    for policy in policies:
        span = evaluated.get(policy.id)
        if span is None:
            continue
        first, last = policy.year_range
        if first <= int(span.first[:4]) and int(span.last[:4]) <= last:
            continue
        years = policy.raw["calendrier"]["annees"]
        mark = years.get(MARK)
        if isinstance(mark, dict) and str(mark.get("motif") or "").strip():
            continue
        keep = min(first, int(span.first[:4])), max(last, int(span.last[:4]))
        message = (f"les années {first}–{last} ne couvrent plus les dossiers déjà évalués : le journal des décisions "
                   f"en compte {span.decisions} de la politique {policy.id}, datés du {day_text(span.first)} au "
                   f"{day_text(span.last)} (dates d'évaluation et des événements) ; ils deviendraient invalides et "
                   f"leurs verdicts ne pourraient plus être rendus ; gardez debut: {keep[0]} et fin: {keep[1]} au "
                   "moins, ou, si c'est voulu, dites-le avec sa raison : reduction: {motif: \"…\"}")
        where = ("calendrier", "annees")
        issues.append(policy.sources.issue(where, message) if policy.sources is not None
                      else Issue("calendrier.annees", message, str(policy.directory / "calendrier.yaml")))
    return issues
