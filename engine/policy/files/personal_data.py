"""Which facts hold personal data: the fields a policy's schemas mark ``x-donnees-personnelles: true``.

The facts schema marks its fields (a person's name, an e-mail, a free text that may name people), the event
catalogue marks event attributes (evenements.yaml). The decision log masks what is marked (service/masking.py):
the schema says it once, for every deployment, instead of a list of paths kept apart from it.
"""
from __future__ import annotations

MARK = "x-donnees-personnelles"


def personal_data_paths(policy) -> tuple[str, ...]:
    """Mask paths ('faits.organisme.intervenants[*].nom', 'faits.evenements[*].motifs') of the marked fields."""
    found: list[str] = []
    _walk(policy.facts_schema, policy.facts_schema, "faits", found, set())
    for spec in policy.event_types.values():
        for name, schema in spec.every_attribute.items():
            _walk(schema, schema, f"faits.evenements[*].{name}", found, set())
    return tuple(dict.fromkeys(found))


def _walk(schema, root: dict, path: str, found: list[str], seen: set) -> None:
    if not isinstance(schema, dict):
        return
    reference = schema.get("$ref")
    if isinstance(reference, str) and reference.startswith("#/") and (reference, path) not in seen:
        seen.add((reference, path))
        target = root
        for part in reference[2:].split("/"):
            target = target.get(part, {}) if isinstance(target, dict) else {}
        _walk(target, root, path, found, seen)
    if schema.get(MARK) is True:
        found.append(path)
        return
    for name, child in (schema.get("properties") or {}).items():
        _walk(child, root, f"{path}.{name}", found, seen)
    for key in ("items", "additionalProperties"):
        if isinstance(schema.get(key), dict):
            _walk(schema[key], root, f"{path}[*]" if key == "items" else f"{path}.*", found, seen)
    for key in ("allOf", "anyOf", "oneOf"):
        for branch in schema.get(key) or []:
            _walk(branch, root, path, found, seen)
