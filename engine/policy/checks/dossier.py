"""What a schema cannot say about the references of a policy's dossier checks (its optional `dossier` file).

Findings, events and the rule an unfavourable avis quotes exist; ids are unique. Articles are checked with every
other `article` of the policy. Paths, conditions and templates are checked as they are built, at load
(engine/policy/loading/dossier.py).
"""
from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ...errors import Issue
from ...suggestions import unknown
from .rule_versions import dated_problems

SECTION = "dossier"


def check_dossier_section(policy: dict, context: Any, sources: Any) -> Iterator[Issue]:
    dossier = policy.get(SECTION)
    if not dossier:
        return
    where = (SECTION,)
    completeness = dossier.get("completude")
    if completeness:
        yield from _finding(completeness.get("constat"), context, sources, where + ("completude", "constat"))
        yield from _unique(completeness["pieces"], sources, where + ("completude", "pieces"))
        for index, piece in enumerate(completeness["pieces"]):
            at = where + ("completude", "pieces", index)
            yield from _finding(piece.get("constat"), context, sources, at + ("constat",))
        window = completeness.get("en_instruction") or {}
        emit = completeness.get("emettre") or {}
        if emit and emit["evenement"] not in context.derived_types:
            yield sources.issue(where + ("completude", "emettre", "evenement"),
                                unknown("événement émis non déclaré dans evenements.derives :", emit["evenement"],
                                        context.derived_types))
        for block, key, names in (("en_instruction", "depuis", [window["depuis"]] if window else []),
                                  ("en_instruction", "jusqu_a", window.get("jusqu_a", [])),
                                  ("emettre", "dates", emit.get("dates", []))):
            for name in names:
                if not context.known_event(name):
                    yield sources.issue(where + ("completude", block, key), context.unknown_event(name))
    criteria = dossier.get("criteres", [])
    yield from _unique(criteria, sources, where + ("criteres",))
    amended = [(("criteres", index), f"du critère '{item['id']}'", item) for index, item in enumerate(criteria)] + [
        (("controles", index), f"du contrôle '{item['id']}'", item) for index, item in enumerate(dossier.get(
            "controles", []))]
    for part, whose, element in amended:      # amendments: in order, after their decision, a known event
        place: tuple = where + part
        yield from dated_problems(element.get("versions") or [], whose, sources, place)
        for number, version in enumerate(element.get("versions") or []):
            chosen = (version.get("selon") or {}).get("dernier_evenement")
            if chosen is not None and not context.known_event(chosen):
                yield sources.issue(place + ("versions", number, "selon", "dernier_evenement"),
                                    context.unknown_event(chosen))
    controls = dossier.get("controles", [])
    yield from _unique(controls, sources, where + ("controles",))
    for index, control in enumerate(controls):
        yield from _finding(control["constat"], context, sources, where + ("controles", index, "constat"))
    avis = dossier.get("avis") or {}
    if "si_defavorable" in avis:
        yield from _deadline_paragraph(avis["si_defavorable"], policy, sources, where + ("avis", "si_defavorable"))


def _finding(finding: str | None, context: Any, sources: Any, path: tuple) -> Iterator[Issue]:
    if finding is not None and finding not in context.findings:
        yield sources.issue(path, context.unknown_finding(finding))


def _unique(items: list, sources: Any, path: tuple) -> Iterator[Issue]:
    seen = set()
    for index, item in enumerate(items):
        if item["id"] in seen:
            yield sources.issue(path + (index, "id"), f"id en double : '{item['id']}' (déjà pris plus haut dans "
                                "cette liste) ; donnez-lui un id propre")
        seen.add(item["id"])


def _deadline_paragraph(spec: dict, policy: dict, sources: Any, path: tuple) -> Iterator[Issue]:
    rules = {rule["id"]: rule for rule in policy["regles"]}
    rule = rules.get(spec["regle"])
    if rule is None:
        yield sources.issue(path + ("regle",), unknown("règle inconnue", spec["regle"], rules))
    elif "delai" not in rule.get("action", {}).get("echeance", {}):
        yield sources.issue(path + ("regle",), f"la règle '{spec['regle']}' n'est pas une action à délai "
                            "(action.echeance.delai)")

