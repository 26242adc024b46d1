"""The JSON Schemas a policy names or embeds: its facts schema (politique.schema_faits, read by facts_schema.py),
the fields it adds to it (faits.yaml) and the schema of each event attribute (evenements.yaml). Each is checked
against the JSON Schema meta-schema and compiled as the evaluation's validators compile it (engine/fast_schema.py),
when the policy is validated: a policy that validates can evaluate.

References are local only (``#/$defs/...``): a validator never fetches anything. A problem names where the
schema goes wrong, never quotes it.
"""
from __future__ import annotations

import json

from jsonschema import Draft202012Validator
from jsonschema.exceptions import SchemaError
from referencing import Registry
from referencing.exceptions import Unresolvable
from referencing.jsonschema import DRAFT202012

from ...errors import Issue, json_path
from ...fast_schema import compiled
from ...values import value_issues
from .folder import Sources

NOT_A_SCHEMA = "pas un schéma JSON : en {where}, la valeur ne respecte pas la règle '{keyword}' du méta-schéma"
REMOTE_REF = "pas un schéma JSON que ce moteur utilise : en {where}, une référence qui n'est pas locale ('#/…')"
NOT_PLAIN = "pas un schéma JSON : en {where}, {problem}"
NOT_COMPILED = "pas un schéma JSON que ce moteur sait compiler : {reason}"
DANGLING_REF = "pas un schéma JSON : en {where}, une référence qui ne mène à aucune partie du schéma"
_HERE = "urn:clea:schema"      # the base a schema's local references are read against (it has no $id of its own here)


_CHECKED: dict[str, str | None] = {}     # a schema's JSON text (keys in their order) -> its problem, or None
_CHECKED_MOST = 1024


def schema_problem(schema) -> str | None:
    """Why ``schema`` cannot serve as a JSON Schema here, or None. A schema met before (an overlay reads its base's
    facts schema; event attributes repeat the same few) is checked once per process."""
    found, _ = value_issues(schema)     # plain bounded data first: nothing below recurses without end or fails to hash
    if found:
        return NOT_PLAIN.format(where=found[0].path or "$", problem=found[0].message)
    key = json.dumps(schema, ensure_ascii=False, separators=(",", ":"))   # plain data: one text per schema
    if key not in _CHECKED:
        if len(_CHECKED) >= _CHECKED_MOST:
            _CHECKED.clear()
        _CHECKED[key] = _problem(schema)
    return _CHECKED[key]


def _problem(schema) -> str | None:
    try:
        Draft202012Validator.check_schema(schema)
    except SchemaError as exc:
        return NOT_A_SCHEMA.format(where=json_path(exc.absolute_path) or "$", keyword=exc.validator)
    references = list(_references(schema, ()))
    remote = next((path for path, target in references if not target.startswith("#")), None)
    if remote is not None:
        return REMOTE_REF.format(where=json_path(remote) or "$")
    try:
        compiled(schema)
    except Exception as exc:  # noqa: BLE001 - whatever the compiler trips on, the schema is unusable
        dangling = next((path for path, target in references if not _leads_somewhere(schema, target)), None)
        if dangling is not None:
            return DANGLING_REF.format(where=json_path(dangling))
        return NOT_COMPILED.format(reason=type(exc).__name__)
    return None


def _references(node, path: tuple):
    """(path, target) of each `$ref` and `$dynamicRef` written as text."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key in ("$ref", "$dynamicRef") and isinstance(value, str):
                yield path + (key,), value
            yield from _references(value, path + (key,))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _references(value, path + (index,))


def _leads_somewhere(schema, target: str) -> bool:
    """Whether a local reference (a JSON pointer `#/$defs/x` or an anchor `#name`) names a part of the schema, as
    jsonschema's own resolver (referencing) reads it; what it cannot read is left to the compiler's message."""
    resolver = Registry().with_resource(_HERE, DRAFT202012.create_resource(schema)).resolver(_HERE)
    try:
        resolver.lookup(target)
    except Unresolvable:
        return False
    except Exception:  # noqa: BLE001 - a shape the resolver trips on: the compiler's message stands
        return True
    return True


def attribute_schema_issues(assembled: dict, sources: Sources) -> list[Issue]:
    """Each event attribute's schema, checked as the evaluation will use it."""
    found = []
    types = (assembled.get("evenements") or {}).get("types") or {}
    for name, spec in types.items():
        listed = (spec or {}).get("versions")
        texts: list[tuple[tuple, dict]] = [((), spec or {})]
        texts += [(("versions", n), v) for n, v in enumerate(listed if isinstance(listed, list) else []) if isinstance(v, dict)]
        for at, text in texts:
            for attribute, schema in (text.get("attributs") or {}).items():
                problem = schema_problem(schema)
                if problem is not None:
                    found.append(sources.issue(("evenements", "types", name, *at, "attributs", attribute), problem))
    return found
