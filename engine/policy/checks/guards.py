"""What a schema cannot say about a rule's guards (`existe`, `sans`, `accomplit`, `au_statut`, `portee`) and about the
findings rules raise (effect `constat`, `si_en_retard`): the names they use exist, paths read declared attributes,
a status guard never feeds a status, a finding is raised only under one of its sections."""
from __future__ import annotations

import string

from ...suggestions import unknown

# what a status guard's rule may do: anything but change the status it depends on (or emit events that could)
STATUS_GUARD_EFFECTS = ("action", "frais", "constat")
FINDING_PLACEHOLDERS = ("date", "source", "statut")


def guard_problems(rule: dict, context, sources, where: tuple):
    when = rule["quand"]
    trigger = when["evenement"]
    for key in ("existe", "sans"):
        if key in when:
            yield from _other_event(when[key], trigger, context, sources, where + ("quand", key))
    if "accomplit" in when and when["accomplit"]["action"] not in context.action_ids:
        yield sources.issue(where + ("quand", "accomplit", "action"),
                            unknown("aucune règle ne définit l'action", when["accomplit"]["action"], context.action_ids))
    if "chemin" in when.get("portee", {}):
        problem = path_problem(when["portee"]["chemin"], trigger, context)
        if problem:
            yield sources.issue(where + ("quand", "portee", "chemin"), problem)
    if "au_statut" in when:
        yield from _status_guard(when["au_statut"], rule, trigger, context, sources, where + ("quand", "au_statut"))


def path_problem(path: str, event: str, context) -> str | None:
    """A date read on an event: `date`, or one of its attributes (a dotted path into it)."""
    if path == "date":
        return None
    attributes = context.event_attributes(event)
    head = path.split(".")[0]
    if attributes is None or head in attributes:
        return None
    return unknown(f"l'événement '{event}' n'a pas d'attribut", head, attributes)


def _other_event(spec: dict, trigger: str, context, sources, where: tuple):
    if not context.known_event(spec["evenement"]):
        yield sources.issue(where + ("evenement",), context.unknown_event(spec["evenement"]))
    for key in ("depuis", "jusqu_au"):
        problem = path_problem(spec[key], trigger, context) if key in spec else None
        if problem:
            yield sources.issue(where + (key,), problem)
    for attribute in spec.get("meme", ()):
        for event in (spec["evenement"], trigger):
            attributes = context.event_attributes(event)
            if attributes is not None and attribute not in attributes:
                yield sources.issue(where + ("meme",), f"l'attribut '{attribute}' n'est pas sur l'événement '{event}'")
    for index, name in enumerate(spec.get("puis_aucun", ())):
        if not context.known_event(name):
            yield sources.issue(where + ("puis_aucun", index), context.unknown_event(name))


def _status_guard(spec: dict, rule: dict, trigger: str, context, sources, where: tuple):
    effect = next((name for name in ("statut", "emettre") if name in rule), None)
    if effect:
        yield sources.issue(where, f"une règle gardée par le statut ne peut pas avoir l'effet '{effect}' : le statut "
                            f"dépendrait de lui-même (effets permis : {', '.join(STATUS_GUARD_EFFECTS)})")
    for key in ("parmi", "hors"):
        for index, status in enumerate(spec.get(key, ())):
            if status not in context.statuses:
                yield sources.issue(where + (key, index), context.unknown_status(status))
    exceptions = spec.get("sauf")
    listed = isinstance(exceptions, list)
    every: list = exceptions if isinstance(exceptions, list) else [exceptions] if exceptions else []
    for index, exception in enumerate(every):
        at = where + (("sauf", index) if listed else ("sauf",))
        if exception["statut"] not in context.statuses:
            yield sources.issue(at + ("statut",), context.unknown_status(exception["statut"]))
        problem = path_problem(exception["chemin"], trigger, context)
        if problem:
            yield sources.issue(at + ("chemin",), problem)


def finding_problems(rule: dict, policy: dict, context, sources, where: tuple):
    """A finding a rule raises is in the catalogue, and when the catalogue lists the finding's sections
    (`articles`), the rule cites one of them."""
    raised = []
    if "constat" in rule:
        raised.append((rule["constat"]["id"], where + ("constat", "id")))
        yield from _message(rule, context, sources, where + ("constat", "message"))
    late = rule.get("action", {}).get("si_en_retard")
    if late:
        raised.append((late["constat"], where + ("action", "si_en_retard", "constat")))
    for finding_id, at in raised:
        finding = policy["constats"].get(finding_id)
        if finding is None:
            yield sources.issue(at, context.unknown_finding(finding_id))
            continue
        sections = finding.get("articles")
        if sections is not None and rule["article"] not in sections:
            yield sources.issue(at, f"la règle '{rule['id']}' ({rule['article']}) lève le constat '{finding_id}', "
                                f"qui n'est pas cité sous {rule['article']} (ses sections : {', '.join(sections)}) : "
                                "ajoutez-la à ses `articles` dans constats.yaml")


def _message(rule: dict, context, sources, where: tuple):
    template = rule["constat"].get("message")
    if template is None:
        return
    try:
        names = {name for _, name, _, _ in string.Formatter().parse(template) if name is not None}
    except ValueError as exc:
        yield sources.issue(where, f"modèle de message invalide : {exc}")
        return
    attributes = context.event_attributes(rule["quand"]["evenement"]) or set()
    known = set(FINDING_PLACEHOLDERS) | attributes
    if "au_statut" not in rule["quand"]:
        known.discard("statut")
    for name in sorted(name for name in names - known if "." not in name):   # {a.b}: a parameter (titles.py)
        yield sources.issue(where, f"variable inconnue {{{name}}} (connues : {', '.join(sorted(known))})")
