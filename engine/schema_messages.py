"""JSON Schema errors in French, for the people who read them.

jsonschema's messages are English sentences; each error also says which keyword failed (`validator`), the keyword's
value in the schema and the value found. `schema_message(error)` writes one French sentence from those, by kind;
the caller keeps the error's path (`json_path(error.absolute_path)`). Values echoed are shortened (`shown`), so a
long text or a whole object pasted in the wrong place does not flood the message. Keys and values stay as written.
"""
from __future__ import annotations

import ast
import json
import re
from itertools import islice
from typing import Any

from jsonschema.exceptions import ValidationError

SHORT = 40  # characters of a value echoed in a message
LISTED = 12  # allowed values or fields listed before "…"

_TYPES = {"object": "un objet", "array": "une liste", "string": "une chaîne de caractères", "integer": "un entier",
          "number": "un nombre", "boolean": "un booléen (true ou false)", "null": "null"}
_FORMATS = {"date": "une date AAAA-MM-JJ", "date-time": "une date et heure ISO 8601", "time": "une heure ISO 8601",
            "email": "une adresse électronique", "uri": "une URI", "uuid": "un UUID", "ipv4": "une adresse IPv4",
            "siren": "un SIREN (9 chiffres)", "siret": "un SIRET (14 chiffres)"}


def shown(value, limit: int = SHORT) -> str:
    """A value as it would be written in the document (strings quoted, JSON otherwise), cut to `limit` characters."""
    if isinstance(value, str):
        text = value if len(value) <= limit else value[:limit - 1] + "…"
        return f"'{text}'"
    try:
        text = json.dumps(value, ensure_ascii=False, default=str, separators=(", ", ": "))
    except (TypeError, ValueError):
        text = repr(value)
    return text if len(text) <= limit else text[:limit - 1] + "…"


def listed(values, limit: int = LISTED) -> str:
    """'a', 'b', 'c' — at most `limit` of them, then …"""
    values = list(values)
    parts = [shown(value) for value in values[:limit]]
    return ", ".join(parts) + (", …" if len(values) > limit else "")


def type_name(value) -> str:
    """The JSON type of a Python value, in French."""
    if value is None:
        return _TYPES["null"]
    if isinstance(value, bool):
        return _TYPES["boolean"]
    if isinstance(value, int):
        return _TYPES["integer"]
    if isinstance(value, float):
        return _TYPES["number"]
    if isinstance(value, str):
        return _TYPES["string"]
    if isinstance(value, (list, tuple)):
        return _TYPES["array"]
    if isinstance(value, dict):
        return _TYPES["object"]
    return type(value).__name__


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'s' if count > 1 else ''}"


def _keyword(error: ValidationError) -> str | None:
    """The keyword that failed (None: a `false` schema)."""
    return error.validator if isinstance(error.validator, str) else None


def _value(error: ValidationError) -> Any:
    """The failed keyword's value in the schema (any JSON value)."""
    return error.validator_value


def _required(error: ValidationError) -> str:
    # jsonschema yields one error per missing property, its message starting with the property's repr
    match = re.match(r"^('(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\") is a required property", error.message)
    name = ast.literal_eval(match.group(1)) if match else None
    if name is None and isinstance(error.instance, dict):
        missing = [key for key in _value(error) if key not in error.instance]
        name = missing[0] if missing else None
    return f"champ obligatoire manquant : {shown(name)}" if name is not None else "champ obligatoire manquant"


def _type(error: ValidationError) -> str:
    expected = _value(error) if isinstance(_value(error), list) else [_value(error)]
    wanted = " ou ".join(_TYPES.get(kind, str(kind)) for kind in expected)
    return f"doit être {wanted} ; trouvé {type_name(error.instance)} : {shown(error.instance)}"


def _unknown_fields(error: ValidationError) -> str:
    schema, instance = error.schema, error.instance
    if not isinstance(instance, dict) or not isinstance(schema, dict):
        return "champ non admis ici"
    known = schema.get("properties", {})
    patterns = schema.get("patternProperties", {})
    # the first unknown fields only (enough to show them and say there are more): an object of 60,000 unknown keys
    # costs what its message shows
    extra = list(islice((key for key in instance if key not in known and not any(re.search(p, key) for p in patterns)),
                        LISTED + 1))
    if not extra:
        return "champ non admis ici"
    text = ("champ inconnu : " if len(extra) == 1 else "champs inconnus : ") + listed(extra)
    return text + (f" (champs admis : {listed(known)})" if known else "")


def _format(error: ValidationError) -> str:
    if error.cause is not None and str(error.cause):
        return f"{shown(error.instance)} : {error.cause}"
    return f"{shown(error.instance)} n'est pas {_FORMATS.get(_value(error), f'au format {_value(error)}')}"


def _duplicates(items) -> list:
    seen, twice = [], []
    for item in items:
        if item in seen and item not in twice:
            twice.append(item)
        seen.append(item)
    return twice


def _closest(errors: list[ValidationError]) -> ValidationError:
    """The error of the alternative the value was most likely meant to be: one whose type fits, with fewest errors,
    and in it the deepest one (jsonschema's best_match often picks a branch of another type)."""
    branches: dict = {}
    for error in errors:
        branches.setdefault(error.relative_schema_path[0], []).append(error)
    fitting = [found for found in branches.values()
               if not any(e.validator == "type" and not e.relative_path for e in found)]
    chosen = min(fitting, key=len) if fitting else errors
    return max(chosen, key=lambda e: len(e.relative_path))


def _alternatives(error: ValidationError) -> str:
    if not error.context:
        return "correspond à plusieurs des formes admises alors qu'une seule est permise"
    wrong_type = [e for e in error.context if e.validator == "type" and not e.relative_path]
    if len(wrong_type) == len({e.relative_schema_path[0] for e in error.context}):
        kinds = [k for e in wrong_type for k in (_value(e) if isinstance(_value(e), list) else [_value(e)])]
        wanted = " ou ".join(dict.fromkeys(_TYPES.get(k, str(k)) for k in kinds))
        return f"doit être {wanted} ; trouvé {type_name(error.instance)} : {shown(error.instance)}"
    closest = _closest(error.context)
    where = "".join(f"[{part}]" if isinstance(part, int) else f".{part}" for part in closest.relative_path)
    where = f"{where.lstrip('.')} : " if where else ""
    return f"ne correspond à aucune des formes admises ; la plus proche : {where}{schema_message(closest)}"


def _dependent(error: ValidationError) -> str:
    instance = error.instance if isinstance(error.instance, dict) else {}
    for key, needs in (_value(error) or {}).items():
        missing = [need for need in needs if key in instance and need not in instance]
        if missing:
            return f"{shown(key)} exige aussi {listed(missing)}"
    return "champ exigé par un autre manquant"


def _sized(error: ValidationError, what: str) -> str:
    bound = _value(error)
    count = len(error.instance) if hasattr(error.instance, "__len__") else 0
    least = (_keyword(error) or "").startswith("min")
    return f"{'au moins' if least else 'au plus'} {_plural(bound, what)} ; trouvé {count}"


_BY_KIND = {
    "required": _required,
    "type": _type,
    "enum": lambda e: f"valeur non admise : {shown(e.instance)} ; valeurs admises : {listed(e.validator_value)}",
    "const": lambda e: f"doit valoir {shown(e.validator_value)} ; trouvé {shown(e.instance)}",
    "additionalProperties": _unknown_fields,
    "unevaluatedProperties": _unknown_fields,
    "format": _format,
    "pattern": lambda e: f"{shown(e.instance)} ne respecte pas la forme attendue (motif {e.validator_value})",
    "minimum": lambda e: f"doit être supérieur ou égal à {shown(e.validator_value)} ; trouvé {shown(e.instance)}",
    "maximum": lambda e: f"doit être inférieur ou égal à {shown(e.validator_value)} ; trouvé {shown(e.instance)}",
    "exclusiveMinimum": lambda e: f"doit être strictement supérieur à {shown(e.validator_value)} ; "
                                  f"trouvé {shown(e.instance)}",
    "exclusiveMaximum": lambda e: f"doit être strictement inférieur à {shown(e.validator_value)} ; "
                                  f"trouvé {shown(e.instance)}",
    "multipleOf": lambda e: f"doit être un multiple de {shown(e.validator_value)} ; trouvé {shown(e.instance)}",
    "minLength": lambda e: f"{shown(e.instance)} est trop court : au moins {_plural(e.validator_value, 'caractère')}",
    "maxLength": lambda e: f"{shown(e.instance)} est trop long : au plus {_plural(e.validator_value, 'caractère')}",
    "minItems": lambda e: _sized(e, "élément"),
    "maxItems": lambda e: _sized(e, "élément"),
    "minProperties": lambda e: _sized(e, "champ"),
    "maxProperties": lambda e: _sized(e, "champ"),
    "uniqueItems": lambda e: f"éléments en double : {listed(_duplicates(e.instance))}",
    "oneOf": _alternatives,
    "anyOf": _alternatives,
    "not": lambda e: (f"champ non admis ici : {listed(e.validator_value['required'])}"
                      if isinstance(e.validator_value, dict) and set(e.validator_value) == {"required"}
                      else f"{shown(e.instance)} n'est pas admis ici"),
    "contains": lambda e: "la liste ne contient aucun élément de la forme attendue",
    "minContains": lambda e: f"la liste doit contenir au moins {e.validator_value} élément(s) de la forme attendue",
    "maxContains": lambda e: f"la liste doit contenir au plus {e.validator_value} élément(s) de la forme attendue",
    "dependentRequired": _dependent,
    "dependencies": _dependent,
    "items": lambda e: "trop d'éléments dans la liste",
    "additionalItems": lambda e: "trop d'éléments dans la liste",
    "unevaluatedItems": lambda e: "éléments non admis dans la liste",
    None: lambda e: f"aucune valeur n'est admise ici ; trouvé {shown(e.instance)}",  # a `false` schema
}


def schema_message(error: ValidationError) -> str:
    """One French sentence saying what is wrong with the value at the error's path."""
    kind = _BY_KIND.get(_keyword(error))
    if kind is None:
        return f"valeur non admise : {shown(error.instance)} (règle « {_keyword(error)} » du schéma)"
    return kind(error)
