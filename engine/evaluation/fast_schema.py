"""A JSON schema compiled once into a yes/no Python validator (fastjsonschema), for the facts' common case: valid.
A refusal only sends the facts to jsonschema (engine/evaluation/facts.py), which says what is wrong and where."""
from __future__ import annotations

from functools import partial
from typing import Any

import fastjsonschema

from ..formats import FAST_FORMATS

__all__ = ["compiled"]

_RAISE = ("raise JsonSchemaValueException(", "raise JsonSchemaValuesException(")
_SCHEMA_MAPS = frozenset({"properties", "patternProperties", "$defs", "definitions", "dependentSchemas"})


def _const_as_enum(schema: Any, *, named: bool = False) -> Any:
    """The same schema with each `const: x` written `enum: [x]` (the same test in fastjsonschema, whose
    `detailed_exceptions=False` cannot compile a `const`). named: a map of names to schemas, not a schema."""
    if isinstance(schema, list):
        return [_const_as_enum(item) for item in schema]
    if not isinstance(schema, dict):
        return schema
    if named:
        return {key: _const_as_enum(value) for key, value in schema.items()}
    out = {key: _const_as_enum(value, named=key in _SCHEMA_MAPS) for key, value in schema.items() if key != "const"}
    if "const" not in schema:
        return out
    if "enum" in out:                    # both: each must hold
        return {"allOf": [out, {"enum": [schema["const"]]}]}
    return {**out, "enum": [schema["const"]]}


def compiled(schema: dict) -> Any:
    """A yes/no validator compiled to Python; a refusal only sends the facts to jsonschema, so its message is never
    built (detailed_exceptions=False: building it was most of the time spent where a `not` or an `if` fails).

    What the generated code still builds when it raises, the message's path filled with `.format(**locals())`, is
    removed from its `raise` lines: an `if` whose condition fails (an optional field left out) raises on valid facts, and
    filling that text was 3 % of an evaluation. Only the messages change; no test the code makes is touched."""
    code = fastjsonschema.compile_to_code(_const_as_enum(schema), formats=FAST_FORMATS, detailed_exceptions=False)
    lines = [line.replace(".format(**locals())", "") if line.lstrip().startswith(_RAISE) else line
             for line in code.splitlines()]
    namespace: dict[str, Any] = {}
    exec(compile("\n".join(lines), "<schéma compilé>", "exec"), namespace)    # noqa: S102 - fastjsonschema's own code
    root = next(line for line in lines if line.startswith("def ")).split("(", 1)[0].removeprefix("def ")
    return partial(namespace[root], custom_formats=FAST_FORMATS)
