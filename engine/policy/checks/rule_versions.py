"""A rule's amendments (`versions`), checked when a policy loads: each is dated after the one before, never before
its own decision unless it says why (`retroactif: {motif}`), and the event that selects it is in the catalogue.

Each amendment's text (its `quand` and effect) is checked like the first one (engine/policy/checks/meaning.py
calls `version_bodies`).
"""
from __future__ import annotations

from collections.abc import Iterator

from ...errors import Issue
from ..model.display import day_text
from ..model.vocabulary import RULE_EFFECTS


def version_bodies(rule: dict) -> Iterator[tuple[int, dict]]:
    """Each amendment as a rule of its own (the rule's id, article and title, the amendment's text), by position."""
    for number, version in enumerate(rule.get("versions") or []):
        body = {key: rule[key] for key in ("id", "article", "titre") if key in rule}
        body.update({key: version[key] for key in ("titre", "quand", *RULE_EFFECTS) if key in version})
        yield number, body


def version_problems(rule: dict, context, sources, where: tuple) -> Iterator[Issue]:
    versions = rule.get("versions") or []
    previous: str | None = None
    for number, version in enumerate(versions):
        at = where + ("versions", number)
        since = str(version["depuis"])
        if previous is not None and since <= previous:
            yield sources.issue(at + ("depuis",), f"la version du {day_text(since)} de la règle '{rule['id']}' "
                                f"n'est pas après celle du {day_text(previous)} : les versions se suivent, chacune "
                                "en vigueur jusqu'à la suivante ; rangez-les par date, sans deux versions le même "
                                "jour")
        previous = since if previous is None or since > previous else previous
        decided = str(version["decision"]["date"])
        if decided > since and not _motivated(version.get("retroactif")):
            yield sources.issue(at + ("depuis",), f"la version du {day_text(since)} de la règle '{rule['id']}' a "
                                f"été décidée le {day_text(decided)} : elle s'appliquerait aux faits datés d'avant sa "
                                f"décision ; datez-la au plus tôt du {day_text(decided)}, ou, si la rétroactivité est "
                                "voulue, dites-le avec sa raison : retroactif: {motif: \"…\"}")
        chosen = (version.get("selon") or {}).get("dernier_evenement")
        if chosen is not None and not context.known_event(chosen):
            yield sources.issue(at + ("selon", "dernier_evenement"), context.unknown_event(chosen))


def _motivated(mark: object) -> bool:
    return isinstance(mark, dict) and bool(str(mark.get("motif") or "").strip())
