"""Every facts path a policy reads must exist in its facts schema, so that a typo is a policy error, not a criterion
or check that silently never matches.

Read: the dossier checks (`chemin` of conditions and operands, `preuves`), the scope (`portee.chemin_des_faits`),
the actors' `territoire_des_faits`, and what fees count (`fois.compte` and the item fields of its `si`).
A step into an object whose fields the schema does not declare (an open object) is not known either: the policy
declares them (`faits.yaml`, engine/policy/facts_schema.py).
"""
from __future__ import annotations

from ...errors import Issue
from ...suggestions import unknown
from ..conditions.language import PATH_OPERANDS, parse_condition, parse_path
from ..files.folder import Sources
from ..files.merging import MergedSources

DOSSIER = "dossier"


def facts_path_problems(policy: dict, schema: dict, sources) -> list:
    reader = _Reader(schema, sources)
    main = policy["politique"]
    if main.get("portee"):
        reader.path(main["portee"]["chemin_des_faits"], ("politique", "portee", "chemin_des_faits"))
    for actor, spec in policy["calendrier"]["acteurs"].items():
        if "territoire_des_faits" in spec:
            reader.path(spec["territoire_des_faits"], ("calendrier", "acteurs", actor, "territoire_des_faits"))
    for index, rule in enumerate(policy["regles"]):
        count = ((rule.get("frais") or {}).get("montant") or {}).get("fois") or {}
        if "compte" in count:
            where = ("regles", index, "frais", "montant", "fois")
            item = reader.path(count["compte"] + "[*]", where + ("compte",), shown=count["compte"])
            for part in ("si", "reperes"):
                for key in count.get(part, {}):
                    reader.field(item, key, where + (part, key), count["compte"])
    dossier = policy.get(DOSSIER) or {}
    for index, piece in enumerate((dossier.get("completude") or {}).get("pieces", [])):
        reader.conditions(piece, (DOSSIER, "completude", "pieces", index))
        for number, version in enumerate(piece.get("versions") or []):
            reader.conditions(version, (DOSSIER, "completude", "pieces", index, "versions", number))
    for index, criterion in enumerate(dossier.get("criteres", [])):
        for at, text in [((DOSSIER, "criteres", index), criterion)] + [   # the first text, then each amendment
                ((DOSSIER, "criteres", index, "versions", number), version)
                for number, version in enumerate(criterion.get("versions") or [])]:
            for position, path in enumerate(text.get("preuves", [])):
                reader.path(path, at + ("preuves", position))
            for position, requirement in enumerate(text.get("exigences") or []):
                reader.conditions(requirement, at + ("exigences", position))
    for index, control in enumerate(dossier.get("controles", [])):
        reader.conditions(control, (DOSSIER, "controles", index))
        for number, version in enumerate(control.get("versions") or []):
            reader.conditions(version, (DOSSIER, "controles", index, "versions", number))
    return reader.problems


class _Reader:
    def __init__(self, schema: dict, sources: Sources | MergedSources) -> None:
        self.root, self.sources = schema, sources
        self.problems: list[Issue] = []

    def conditions(self, element: dict, at: tuple) -> None:
        for key in ("si", "exige"):
            raw = element.get(key)
            items = raw if isinstance(raw, list) else [] if raw is None else [raw]
            for index, condition in enumerate(items):
                where = at + ((key, index) if isinstance(raw, list) else (key,))
                try:
                    parsed = parse_condition(condition)
                except ValueError:
                    continue     # reported by the dossier checks
                beside = self.path(condition["chemin"], where + ("chemin",), element=True)
                operand = condition[parsed.operator]
                if parsed.operator in PATH_OPERANDS and isinstance(operand, dict):
                    text = operand["chemin"]
                    start = None if text.startswith("$.") else beside
                    if start is not None or text.startswith("$."):
                        self.path(text, where + (parsed.operator, "chemin"), start=start)

    def path(self, text: str, at: tuple, *, start=None, element: bool = False, shown: str | None = None):
        """Walk a path in the schema; report where it leaves it. Returns the schema of the item the value is read
        from (element=True: what a relative operand is read beside), or the final node; None when unknown."""
        try:
            path = parse_path(text)
        except ValueError:
            return None      # reported by the dossier checks
        node = self.root if start is None or path.absolute else start
        holder, done = node, list[str]()
        for step in path.steps:
            properties = _properties(self.root, node)
            if step.key not in properties:
                self._unknown(shown or text, step.key, properties, done, node, at)
                return None
            holder, node = node, _deref(self.root, properties[step.key])
            done.append(step.key)
            if step.selectors:
                items = _deref(self.root, node.get("items")) if isinstance(node, dict) else None
                if not isinstance(items, dict):
                    self.problems.append(self.sources.issue(at, f"chemin des faits '{shown or text}' : "
                                                        f"{'.'.join(done)} n'est pas une liste dans le schéma des faits"))
                    return None
                for selector in step.selectors:
                    if selector is not None and not self.field(items, selector[0], at, shown or text):
                        return None
                holder = node = items
        return holder if element else node

    def field(self, item, key: str, at: tuple, text: str) -> bool:
        if item is None:
            return False
        properties = _properties(self.root, item)
        if key not in properties:
            self._unknown(text, key, properties, [text], item, at)
            return False
        return True

    def _unknown(self, text, key, properties, done, node, at) -> None:
        under = ".".join(done) or "la racine"
        if not properties and isinstance(node, dict) and node.get("additionalProperties") is not False:
            message = (f"chemin des faits '{text}' : {under} ne déclare pas ses champs dans le schéma des faits ; "
                       f"déclarez '{key}' (faits.yaml), pour qu'une faute de frappe soit une erreur de la politique "
                       "et non un critère qui ne s'applique jamais")
        else:
            message = unknown(f"chemin des faits '{text}' : le schéma des faits n'a pas de champ", key, properties,
                              f" sous {under}")
        self.problems.append(self.sources.issue(at, message))


def _deref(root: dict, node):
    seen = 0
    while isinstance(node, dict) and isinstance(node.get("$ref"), str) and node["$ref"].startswith("#/") and seen < 20:
        target = root
        for part in node["$ref"][2:].split("/"):
            target = target.get(part, {}) if isinstance(target, dict) else {}
        node, seen = target, seen + 1
    return node


def _properties(root: dict, node) -> dict:
    """The fields an object schema declares, with those of its alternatives (anyOf, oneOf, allOf)."""
    node = _deref(root, node)
    if not isinstance(node, dict):
        return {}
    found = dict(node.get("properties") or {})
    for key in ("anyOf", "oneOf", "allOf"):
        for branch in node.get(key) or []:
            found.update(_properties(root, branch))
    return found
