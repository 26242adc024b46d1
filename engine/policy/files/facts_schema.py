"""The facts schema a policy reads: found by name, then extended by the fields the policy declares (`faits`).

`politique.schema_faits` names a file of the policy folder, else one of the engine's schemas/ (so a folder works
wherever it is copied; a path leaving the folder is refused). An overlay reads its base's. The optional file
`faits.yaml` adds the evidence fields a policy reads, as JSON Schema, at a facts path:

    demande.contextualisation:            # an object of the facts schema (a list's items: `organisme.intervenants[*]`)
      properties: {referent_metier: {type: object, ...}}
      required: [...]                     # among its own fields
      additionalProperties: false         # may close an open object, never reopen a closed one

A field the schema already has is refused: a policy adds fields, it never redefines those of its base.
"""
from __future__ import annotations

import copy
import json
from pathlib import Path, PurePosixPath

from ...suggestions import did_you_mean, unknown
from ..model.policy import SCHEMAS_DIR
from .reading import read_policy_text
from .schemas import schema_problem

WHERE = ("politique", "schema_faits")
FIELDS = "faits"


def read_facts_schema(name: str, folder: Path, sources) -> tuple[dict, Path | None, list]:
    """(schema, its file, problems): `name` looked for in the policy folder, then in the engine's schemas/."""
    relative = PurePosixPath(name)
    if relative.is_absolute() or ".." in relative.parts or "\\" in name:
        return {}, None, [sources.issue(WHERE, f"'{name}' sort du dossier de la politique : une politique doit marcher "
                                        "où qu'on la copie ; nommez un fichier de son dossier ou un schéma du moteur "
                                        f"(schemas/), par exemple schema_faits: {relative.name}")]
    candidates = [folder / relative, SCHEMAS_DIR / relative]
    path = next((candidate for candidate in candidates if candidate.exists() or candidate.is_symlink()), None)
    if path is None:
        known = {p.name for base in (folder, SCHEMAS_DIR) for p in base.glob("*.json")}
        return {}, None, [sources.issue(WHERE, f"schéma des faits introuvable : '{name}' n'est ni dans {folder} ni dans "
                                        f"les schémas du moteur ({SCHEMAS_DIR}){did_you_mean(name, known)}")]
    text, problems = read_policy_text(path, within=path.parent)
    if text is None:
        return {}, None, [sources.issue(WHERE, f"schéma des faits {path} : {problems[0].message}")]
    try:
        schema = json.loads(text)
    except (json.JSONDecodeError, RecursionError):
        return {}, None, [sources.issue(WHERE, f"schéma des faits {path} : pas du JSON valide")]
    problem = schema_problem(schema)      # named, never quoted
    if problem is not None:
        return {}, None, [sources.issue(WHERE, f"schéma des faits {path} : {problem}")]
    return schema, path, []


def extend_facts_schema(schema: dict, fields: dict | None, sources) -> tuple[dict, list]:
    """The schema with the policy's own fields added (a copy), and the problems found."""
    if not fields:
        return schema, []
    schema = copy.deepcopy(schema)
    problems = []
    for path, spec in fields.items():
        where = (FIELDS, path)
        node, problem = object_at(schema, path)
        if node is None:
            problems.append(sources.issue(where, problem or f"{path} : pas d'objet ici dans le schéma des faits"))
            continue
        properties = node.setdefault("properties", {})
        for name, field in spec["properties"].items():
            if name in properties:
                problems.append(sources.issue(where + ("properties", name), f"le champ '{name}' existe déjà sous {path} "
                                              "dans le schéma des faits : une politique ajoute ses propres champs, elle "
                                              "ne redéfinit pas ceux de sa base ; choisissez un autre nom"))
                continue
            problem = schema_problem(field)
            if problem is not None:
                problems.append(sources.issue(where + ("properties", name), f"le champ '{name}' : {problem}"))
                continue
            properties[name] = field
        for index, name in enumerate(spec.get("required", [])):
            if name not in spec["properties"]:
                problems.append(sources.issue(where + ("required", index), unknown(
                    "ne peut rendre obligatoire que ses propres champs, pas", name, spec["properties"])))
        node["required"] = list(dict.fromkeys(node.get("required", []) + list(spec.get("required", []))))
        if "additionalProperties" in spec:
            if spec["additionalProperties"] is True and node.get("additionalProperties") is False:
                problems.append(sources.issue(where + ("additionalProperties",), f"{path} est fermé dans le schéma "
                                              "des faits : une politique ne le rouvre pas à des champs non déclarés"))
            else:
                node["additionalProperties"] = spec["additionalProperties"]
    return schema, problems


def object_at(schema: dict, path: str) -> tuple[dict | None, str | None]:
    """The object schema at a facts path ('a.b', 'a.list[*]'), or the reason there is none."""
    node: object = schema
    done: list[str] = []
    for step in path.split("."):
        name, every = (step[:-3], True) if step.endswith("[*]") else (step, False)
        properties = node.get("properties") if isinstance(node, dict) else None
        if not isinstance(properties, dict) or name not in properties:
            under = ".".join(done) or "la racine"
            return None, unknown("le schéma des faits n'a pas de champ", name, properties or {}, f" sous {under}")
        node = properties[name]
        done.append(step)
        if every:
            node = node.get("items") if isinstance(node, dict) else None
            if not isinstance(node, dict):
                return None, f"{'.'.join(done)[:-3]} n'est pas une liste dans le schéma des faits : retirez [*]"
    if not isinstance(node, dict) or "object" not in _types(node):
        return None, f"{path} n'est pas un objet dans le schéma des faits : on n'y ajoute pas de champs"
    return node, None


def _types(node: dict) -> list:
    kind = node.get("type", "object" if "properties" in node else None)
    return kind if isinstance(kind, list) else [kind]
