"""What a base policy forbids its extensions, declared in its `politique.extension` block:

    extension:
      article: I                            # the section that says so
      ajout_seulement: [dossier.criteres]   # lists of items by id an extension may add to, never remove nor change
      fixe:                                 # parameters and rules (by id prefix) an extension may not touch
        parametres: [some.prefix]
        regles: [some.prefix]

Each problem names the overlay's file and line where the change was written.
"""
from __future__ import annotations

import json

from ..errors import Issue, json_path
from .parameters import flatten_tree
from .model import Policy

MAIN = "politique"


def check_overlay(base: Policy, merged: dict, documents: dict, removed: list, sources) -> list[Issue]:
    rules = base.data[MAIN].get("extension") or {}
    issues = []
    if not _same(merged.get(MAIN, {}).get("extension"), base.data[MAIN].get("extension")):
        issues.append(sources.issue((MAIN, "extension"), f"an extension cannot change what '{base.id}' allows its "
                                    "extensions to do"))
    article = f" ({rules['article']})" if rules.get("article") else ""
    for dotted in rules.get("ajout_seulement", []):
        issues += _add_only(base, merged, tuple(dotted.split(".")), removed, sources, article)
    fixed = rules.get("fixe") or {}
    issues += _fixed_parameters(base, merged, fixed.get("parametres", []), removed, sources, article)
    issues += _fixed_rules(base, merged, fixed.get("regles", []), removed, sources, article)
    return issues


def _add_only(base, merged, path, removed, sources, article) -> list[Issue]:
    before, after = _at(base.data, path), _at(merged, path)
    if not isinstance(before, list):
        return []
    after = after if isinstance(after, list) else []
    index_of = {item.get("id"): index for index, item in enumerate(after) if isinstance(item, dict)}
    name = ".".join(path)
    issues = []
    for item in before:
        item_id, cited = item.get("id"), f" [{item.get('article')}]" if item.get("article") else ""
        if item_id not in index_of:
            issues.append(_removal(path + (item_id,), removed, sources, path,
                                   f"removes '{item_id}'{cited} from {name} of '{base.id}': an extension may only "
                                   f"add to {name}{article}"))
        elif not _same(item, after[index_of[item_id]]):
            issues.append(sources.issue(path + (index_of[item_id],), f"changes '{item_id}'{cited} of {name} of "
                                        f"'{base.id}': an extension may not weaken nor rewrite it, only add items "
                                        f"of its own{article}"))
    return issues


def _fixed_parameters(base, merged, prefixes, removed, sources, article) -> list[Issue]:
    if not prefixes:
        return []
    before = {".".join(p): node for p, node in flatten_tree(base.data["parametres"]).items()}
    tree = merged.get("parametres")
    after = {".".join(p): node for p, node in flatten_tree(tree).items()} if isinstance(tree, dict) else {}
    issues = []
    for parameter_id in sorted(set(before) | set(after)):
        if not _matches(parameter_id, prefixes) or _same(before.get(parameter_id), after.get(parameter_id)):
            continue
        where = ("parametres",) + tuple(parameter_id.split("."))
        message = (f"changes parameter '{parameter_id}', which '{base.id}' fixes for its extensions{article}: "
                   "an extension keeps the base's values")
        issues.append(sources.issue(where, message) if parameter_id in after
                      else _removal(where, removed, sources, ("parametres",), message))
    return issues


def _fixed_rules(base, merged, prefixes, removed, sources, article) -> list[Issue]:
    if not prefixes:
        return []
    before = {rule["id"]: rule for rule in base.data["regles"]}
    after = {rule.get("id"): (index, rule) for index, rule in enumerate(merged.get("regles", [])) if isinstance(rule, dict)}
    issues = []
    for rule_id in sorted(set(before) | set(after), key=str):
        if not _matches(str(rule_id), prefixes):
            continue
        new = after.get(rule_id)
        if new is not None and _same(before.get(rule_id), new[1]):
            continue
        message = (f"changes rule '{rule_id}', which '{base.id}' fixes for its extensions{article}: an extension "
                   "keeps the base's rule")
        issues.append(sources.issue(("regles", new[0]), message) if new is not None
                      else _removal(("regles", rule_id), removed, sources, ("regles",), message))
    return issues


def _removal(item_path: tuple, removed: list, sources, container: tuple, message: str) -> Issue:
    """Locate a removal at the overlay line that wrote it (a null key or a `retirer: true` item)."""
    for merged_path, document, path, _ in removed:
        if item_path[:len(merged_path)] == merged_path or merged_path[:len(item_path)] == item_path:
            return Issue(json_path(item_path), message, document.source, document.line_of(path))
    return sources.issue(container, message)


def _matches(identifier: str, prefixes) -> bool:
    return any(identifier == prefix or identifier.startswith(prefix + ".") for prefix in prefixes)


def _at(data, path: tuple):
    for key in path:
        if not isinstance(data, dict):
            return None
        data = data.get(key)
    return data


def _same(a, b) -> bool:
    return json.dumps(a, sort_keys=True, default=str) == json.dumps(b, sort_keys=True, default=str)
