"""What a base policy allows its extensions, declared in its `politique.extension` block; anything else an extension
would change is refused:

    extension:
      article: I                          # the section that says so
      ajouter: [dossier.criteres, ...]    # parts it may add its own items to (a list by id, a mapping by key), or
                                          # set when the base leaves them unset; never removing nor changing the base's
      parametres: {prefixes: [...], unites: [...]}   # the parameters it may add or give its own dated values
      regles: {prefixes: [...], effets: [...]}        # the rules it may add or replace, and the effects they may have
        garanties: {acteur: {articles: [...]}, ...}  # (optional) the sections that say what a replacement of a base
                                                     # action keeps: its actor, `nature: obligation`, `si_en_retard`

An extension always states its own id, version, title, text and instances. Each problem names the overlay's file and
line where the change was written. A replacement of a base action never weakens it, whatever the base declares (an
extension adds to its base); `garanties` only gives the sections its refusals cite.
"""
from __future__ import annotations

import json
from collections.abc import Hashable

from ...errors import Issue, json_path
from ..files.merging import is_id_list
from ..model.parameters import flatten_tree
from ..model.policy import Policy
from ..model.vocabulary import RULE_EFFECTS
from .overlay_rights import rights_and_blame

MAIN = "politique"
OWN = {"id", "version", "titre", "texte", "instances", "etend"}
SEPARATE = ("parametres", "regles")      # checked by their own rules below


def check_overlay(base: Policy, merged: dict, removed: list, sources) -> list[Issue]:
    spec = base.raw[MAIN].get("extension") or {}
    context = _Context(base, spec, removed, sources)
    issues = []
    for kind, path, at, value in _differences({k: v for k, v in base.raw.items() if k not in SEPARATE},
                                              {k: v for k, v in merged.items() if k not in SEPARATE}):
        issues += context.part(kind, path, at, value)
    issues += context.parameters(merged.get("parametres"))
    issues += context.rules(merged.get("regles"))
    issues += rights_and_blame(base, merged, sources, spec.get("article"))
    return issues


class _Context:
    def __init__(self, base: Policy, spec: dict, removed: list, sources):
        self.base, self.removed, self.sources = base, removed, sources
        self.article = f" ({spec['article']})" if spec.get("article") else ""
        self.additions = [tuple(path.split(".")) for path in spec.get("ajouter", [])]
        self.parameter_spec = spec.get("parametres") or {"prefixes": [], "unites": []}
        self.rule_spec = spec.get("regles") or {"prefixes": [], "effets": []}
        self.guarantees = self.rule_spec.get("garanties") or {}
        self.allowed = ", ".join(spec.get("ajouter", [])) or "rien"

    def part(self, kind: str, path: tuple, at: tuple, value) -> list[Issue]:
        if path[:1] == (MAIN,) and len(path) > 1 and path[1] in OWN:
            return []
        if kind == "ajoute":
            if any(path[:-1] == allowed or path == allowed for allowed in self.additions):
                return []
            if isinstance(value, dict) and any(allowed[:len(path)] == path for allowed in self.additions):
                return [issue for difference in _differences({}, value, path, at) for issue in self.part(*difference)]
            return [self.sources.issue(at, f"ajoute {_name(path)} : '{self.base.id}' ne permet pas à ses extensions "
                                       f"d'ajouter ici{self.article} ; elles peuvent ajouter à : {self.allowed}")]
        cited = _cited(value)
        if kind == "retire":
            return [self.removal(path, f"retire {_name(path, cited)} de '{self.base.id}' : une extension n'enlève rien à "
                                       f"sa base, elle peut seulement ajouter à : {self.allowed}{self.article}")]
        return [self.sources.issue(at, f"modifie {_name(path, cited)} de '{self.base.id}' : une extension ne peut ni "
                                   "affaiblir ni réécrire ce que fixe sa base, seulement ajouter ses propres éléments "
                                   f"à : {self.allowed}{self.article}")]

    def parameters(self, tree) -> list[Issue]:
        before = {".".join(p): node for p, node in flatten_tree(self.base.raw["parametres"]).items()}
        after = {".".join(p): node for p, node in flatten_tree(tree).items()} if isinstance(tree, dict) else {}
        prefixes, units = self.parameter_spec["prefixes"], self.parameter_spec["unites"]
        allowed = (f"des paramètres sous {', '.join(prefixes)}, en {', '.join(units)}" if prefixes
                   else "aucun paramètre")
        issues = []
        for parameter_id in sorted(set(before) | set(after)):
            old, new = before.get(parameter_id), after.get(parameter_id)
            if _same(old, new):
                continue
            where = ("parametres",) + tuple(parameter_id.split("."))
            cited = _cited(old or new)
            if new is None:
                issues.append(self.removal(where, f"retire le paramètre '{parameter_id}'{cited} de '{self.base.id}' : "
                                                  f"une extension n'enlève rien à sa base{self.article}"))
            elif not _matches(parameter_id, prefixes) or new.get("unite") not in units:
                verb = "donne ses propres valeurs au" if old else "ajoute le"
                issues.append(self.sources.issue(where, f"{verb} paramètre '{parameter_id}'{cited} (en "
                                                 f"{new.get('unite')}) : '{self.base.id}' ne permet à ses extensions que "
                                                 f"{allowed}{self.article} ; les autres sont les siens, retirez "
                                                 "celui-ci"))
            elif old is not None and any(old.get(key) != new.get(key) for key in ("unite", "article")):
                issues.append(self.sources.issue(where, f"change l'unité ou l'article du paramètre '{parameter_id}' de "
                                                 f"'{self.base.id}' : une extension ne donne que son titre et ses "
                                                 f"valeurs datées{self.article}"))
        return issues

    def rules(self, rules) -> list[Issue]:
        before = {rule["id"]: rule for rule in self.base.raw["regles"]}
        after = {rule.get("id"): (index, rule) for index, rule in enumerate(rules or [])
                 if isinstance(rule, dict) and isinstance(rule.get("id"), Hashable)}     # the schema tells the others
        prefixes, effects = self.rule_spec["prefixes"], self.rule_spec["effets"]
        allowed = (f"des règles sous {', '.join(prefixes)}, d'effet {', '.join(effects)}" if prefixes
                   else "aucune règle")
        issues = []
        for rule_id in sorted(set(before) | set(after), key=str):
            old, new = before.get(rule_id), after.get(rule_id)
            if new is not None and _same(old, new[1]):
                continue
            cited = _cited(old or (new[1] if new is not None else None))
            if new is None:
                issues.append(self.removal(("regles", rule_id), f"retire la règle '{rule_id}'{cited} de "
                                                                f"'{self.base.id}' : une extension n'enlève rien à sa "
                                                                f"base{self.article}"))
                continue
            effect = next((name for name in RULE_EFFECTS if name in new[1]), None)
            if not _matches(str(rule_id), prefixes) or effect not in effects:
                verb = "remplace la" if old else "ajoute la"
                issues.append(self.sources.issue(("regles", new[0]), f"{verb} règle '{rule_id}'{cited} (effet "
                                                 f"{effect}) : '{self.base.id}' ne permet à ses extensions que "
                                                 f"{allowed}{self.article} ; les autres sont les siennes, retirez "
                                                 "celle-ci"))
            elif old is not None:
                issues += [self.sources.issue(("regles", new[0], "action") + at, f"la règle '{rule_id}'{cited} {why}")
                           for at, why in _weakened(old.get("action"), new[1].get("action"), self.guarantees)]
        return issues

    def removal(self, item_path: tuple, message: str) -> Issue:
        """Locate a removal at the overlay line that wrote it (a null key or a `retirer: true` item)."""
        for merged_path, document, path, _ in self.removed:
            if item_path[:len(merged_path)] == merged_path or merged_path[:len(item_path)] == item_path:
                return Issue(json_path(item_path), message, document.source, document.line_of(path))
        return self.sources.issue(item_path[:1], message)


def _weakened(old: object, new: object, guarantees: dict) -> list[tuple[tuple, str]]:
    """What an extension's replacement of a base action may not do: move the duty to another party, make an
    obligation an option, or let the base's finding on lateness disappear. Each refusal cites the sections the base
    declares for it (`extension.regles.garanties`), if any."""
    if not isinstance(old, dict) or not isinstance(new, dict):
        return []
    found = []
    if old.get("acteur") != new.get("acteur"):
        found.append((("acteur",), (f"fait passer l'action '{old.get('id')}' de '{old.get('acteur')}' à "
                      f"'{new.get('acteur')}' : une extension ne déplace pas une diligence d'une partie sur une autre"
                      f"{_sections(guarantees, 'acteur')} ; gardez l'acteur de la base")))
    if old.get("nature") == "obligation" and new.get("nature") != "obligation":
        found.append((("nature",), (f"fait de l'obligation '{old.get('id')}' une faculté : une extension ajoute à sa "
                      f"base, elle n'en retire pas les obligations{_sections(guarantees, 'nature')} ; gardez "
                      "nature: obligation")))
    late = old.get("si_en_retard")
    if isinstance(late, dict) and late != new.get("si_en_retard"):
        found.append((("si_en_retard",), (f"fait disparaître ou change le constat '{late.get('constat')}' de la base "
                      "sur une diligence en retard : le retard de la base reste constaté"
                      f"{_sections(guarantees, 'si_en_retard')} ; gardez si_en_retard: {{constat: "
                      f"{late.get('constat')}, cas: {_flow(late.get('cas'))}}}")))
    return found


def _flow(value: object) -> str:
    """['tardive', 'absente'] -> '[tardive, absente]', as the policy writes it."""
    return f"[{', '.join(map(str, value))}]" if isinstance(value, list) else str(value)


def _sections(guarantees: dict, key: str) -> str:
    """' (III.3, III.4)': the sections the base declares for what a replacement keeps ('' when it declares none)."""
    spec = guarantees.get(key)
    articles = spec.get("articles") if isinstance(spec, dict) else None
    return f" ({', '.join(str(article) for article in articles)})" if articles else ""


def _differences(before, after, path=(), at=()):
    """(kind, path by key and id, path in the merged data, the base's value or the added one) of each change."""
    if isinstance(before, dict) and isinstance(after, dict):
        for key in list(before) + [key for key in after if key not in before]:
            if key not in after:
                yield "retire", path + (key,), at + (key,), before[key]
            elif key not in before:
                yield "ajoute", path + (key,), at + (key,), after[key]
            elif not _same(before[key], after[key]):
                yield from _differences(before[key], after[key], path + (key,), at + (key,))
    elif is_id_list(before) and is_id_list(after):
        index = {item["id"]: position for position, item in enumerate(after)}
        old = {item["id"] for item in before}
        for item in before:
            if item["id"] not in index:
                yield "retire", path + (item["id"],), at, item
            elif not _same(item, after[index[item["id"]]]):
                yield "modifie", path + (item["id"],), at + (index[item["id"]],), item
        for item in after:
            if item["id"] not in old:
                yield "ajoute", path + (item["id"],), at + (index[item["id"]],), item
    else:
        yield "modifie", path, at, before


def _cited(spec: object) -> str:
    """' [III.4]': the section an element cites, for a message ('' when it cites none)."""
    return f" [{spec['article']}]" if isinstance(spec, dict) and spec.get("article") else ""


def _name(path: tuple, cited: str = "") -> str:
    """'assurance_qualite' [II] de dossier.criteres"""
    return f"'{path[-1]}'{cited} de {'.'.join(map(str, path[:-1]))}" if len(path) > 1 else f"'{path[0]}'{cited}"



def _matches(identifier: str, prefixes) -> bool:
    return any(identifier == prefix or identifier.startswith(prefix + ".") for prefix in prefixes)


def _same(a, b) -> bool:
    return json.dumps(a, sort_keys=True, default=str) == json.dumps(b, sort_keys=True, default=str)
