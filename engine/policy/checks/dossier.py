"""What a schema cannot say about a policy's dossier checks (its optional `dossier` file).

Paths and conditions parse; findings, events and the rule an unfavourable avis quotes exist; templates use
known placeholders; ids are unique. Articles are checked with every other `article` of the policy.
"""
from __future__ import annotations

import string

from ..conditions.language import parse_condition, parse_path, template_problems
from ...suggestions import unknown

SECTION = "dossier"
AVIS_PLACEHOLDERS = {
    "titre": ("politique",), "candidat": ("denomination", "siren"), "instance": ("instance", "date"),
    "politique": ("politique", "version"), "sens_propose": ("sens",), "sens_motive": ("article",),
    "incomplet": ("nombre",),
}
DEADLINE_PLACEHOLDERS = ("delai", "notification", "echeance")


def check_dossier_section(policy: dict, context, sources):
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
            yield from _conditions(piece, sources, at)
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
    for index, criterion in enumerate(criteria):
        at = where + ("criteres", index)
        for position, path in enumerate(criterion.get("preuves", [])):
            try:
                parse_path(path)
            except ValueError as exc:
                yield sources.issue(at + ("preuves", position), str(exc))
        for position, requirement in enumerate(criterion["exigences"]):
            yield from _conditions(requirement, sources, at + ("exigences", position))
            yield from _template(requirement["motif"], sources, at + ("exigences", position, "motif"))
    controls = dossier.get("controles", [])
    yield from _unique(controls, sources, where + ("controles",))
    for index, control in enumerate(controls):
        at = where + ("controles", index)
        yield from _conditions(control, sources, at)
        yield from _finding(control["constat"], context, sources, at + ("constat",))
        yield from _template(control["message"], sources, at + ("message",))
    avis = dossier.get("avis")
    if avis:
        for key, names in AVIS_PLACEHOLDERS.items():
            yield from _placeholders(avis["libelles"][key], names, sources, where + ("avis", "libelles", key))
        if "si_defavorable" in avis:
            yield from _deadline_paragraph(avis["si_defavorable"], policy, sources, where + ("avis", "si_defavorable"))


def _finding(finding, context, sources, path):
    if finding is not None and finding not in context.findings:
        yield sources.issue(path, context.unknown_finding(finding))


def _unique(items, sources, path):
    seen = set()
    for index, item in enumerate(items):
        if item["id"] in seen:
            yield sources.issue(path + (index, "id"), f"id en double : '{item['id']}' (déjà pris plus haut dans "
                                "cette liste) ; donnez-lui un id propre")
        seen.add(item["id"])


def _conditions(element: dict, sources, path):
    for key in ("si", "exige"):
        raw = element.get(key)
        if raw is None:
            continue
        for index, condition in enumerate(raw if isinstance(raw, list) else [raw]):
            try:
                parse_condition(condition)
            except ValueError as exc:
                yield sources.issue(path + ((key, index) if isinstance(raw, list) else (key,)), str(exc))


def _template(text: str, sources, path):
    for problem in template_problems(text):
        yield sources.issue(path, problem)


def _deadline_paragraph(spec: dict, policy: dict, sources, path):
    rules = {rule["id"]: rule for rule in policy["regles"]}
    rule = rules.get(spec["regle"])
    if rule is None:
        yield sources.issue(path + ("regle",), unknown("règle inconnue", spec["regle"], rules))
    elif "delai" not in rule.get("action", {}).get("echeance", {}):
        yield sources.issue(path + ("regle",), f"la règle '{spec['regle']}' n'est pas une action à délai "
                            "(action.echeance.delai)")
    for key in ("texte", "date_limite"):
        yield from _placeholders(spec[key], DEADLINE_PLACEHOLDERS, sources, path + (key,))


def _placeholders(text: str, known: tuple, sources, path):
    try:
        names = {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}
    except ValueError as exc:
        yield sources.issue(path, f"modèle de texte invalide : {exc} (les accolades {{ }} entourent un nom connu)")
        return
    for name in sorted(names - set(known)):
        yield sources.issue(path, unknown("variable de texte inconnue", "{" + name + "}", [f"{{{k}}}" for k in known]))
