"""A rule's amendments (`versions`), and a finding's severity amended from a date, checked when a policy loads: each is dated after the one before, never before
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
    yield from dated_problems(rule.get("versions") or [], f"de la règle '{rule['id']}'", sources, where)
    for number, version in enumerate(rule.get("versions") or []):
        chosen = (version.get("selon") or {}).get("dernier_evenement")
        if chosen is not None and not context.known_event(chosen):
            yield sources.issue(where + ("versions", number, "selon", "dernier_evenement"), context.unknown_event(chosen))


def finding_versions(policy: dict, context, sources) -> Iterator[Issue]:
    """A finding's severity amended from a date (`constats.<id>.versions`): the same order and decision checks."""
    for finding_id, spec in (policy.get("constats") or {}).items():
        if isinstance(spec, dict):
            yield from dated_problems(spec.get("versions") or [], f"du constat '{finding_id}'", sources,
                                      ("constats", finding_id))


def convention_versions(policy: dict, context, sources) -> Iterator[Issue]:
    """The calendar's conventions amended from a date (`calendrier.conventions.versions`): the same checks."""
    conventions = (policy.get("calendrier") or {}).get("conventions") or {}
    yield from dated_problems(conventions.get("versions") or [], "des conventions de calcul", sources,
                              ("calendrier", "conventions"))
    territories = (policy.get("calendrier") or {}).get("territoires") or {}
    for name, territory in territories.items() if isinstance(territories, dict) else ():
        if isinstance(territory, dict):
            yield from dated_problems(territory.get("versions") or [], f"du territoire « {name} »", sources,
                                      ("calendrier", "territoires", name))


def dated_problems(versions: list, whose: str, sources, where: tuple) -> Iterator[Issue]:
    """Versions dated one after the other, none before its own decision unless declared retroactive."""
    previous: str | None = None
    for number, version in enumerate(versions):
        at = where + ("versions", number)
        since = str(version["depuis"])
        if previous is not None and since <= previous:
            yield sources.issue(at + ("depuis",), f"la version du {day_text(since)} {whose} n'est pas après celle "
                                f"du {day_text(previous)} : les versions se suivent, chacune en vigueur jusqu'à la "
                                "suivante ; rangez-les par date, sans deux versions le même jour")
        previous = since if previous is None or since > previous else previous
        decided = str(version["decision"]["date"])
        if decided > since and not _motivated(version.get("retroactif")):
            yield sources.issue(at + ("depuis",), f"la version du {day_text(since)} {whose} a été décidée le "
                                f"{day_text(decided)} : elle s'appliquerait aux faits datés d'avant sa décision ; "
                                f"datez-la au plus tôt du {day_text(decided)}, ou, si la rétroactivité est voulue, "
                                "dites-le avec sa raison : retroactif: {motif: \"…\"}")


def _motivated(mark: object) -> bool:
    return isinstance(mark, dict) and bool(str(mark.get("motif") or "").strip())
