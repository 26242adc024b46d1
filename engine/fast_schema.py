"""A JSON schema compiled once into a yes/no Python validator (fastjsonschema), for the facts' common case: valid.
A refusal only sends the facts to jsonschema (engine/evaluation/facts.py), which says what is wrong and where."""
from __future__ import annotations

from functools import partial
from typing import Any

from fastjsonschema.draft2019 import CodeGeneratorDraft2019
from fastjsonschema.ref_resolver import RefResolver

from .formats import FAST_FORMATS

__all__ = ["compiled"]

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


class _YesNo(CodeGeneratorDraft2019):
    """fastjsonschema's code, for a yes or a no: what it raises carries no message (a refusal sends the facts to
    jsonschema, which says what is wrong); an `if` whose condition fails (an optional field left out) raises on
    valid facts, and filling that message's path (`.format(**locals())`) was 3 % of an evaluation."""

    def exc(self, msg: str, *args: Any, append_to_msg: str | None = None, rule: str | None = None) -> None:
        self.l('raise JsonSchemaValueException("refus")')

    def generate_unique_items(self) -> None:
        """Items told apart as a set tells them: where fastjsonschema's own test keeps true apart from 1 (and
        compares objects and lists), this one says "not unique", or raises TypeError on an object or a list: a
        refusal either way, so jsonschema decides. It never accepts what that test refuses, and it makes no function
        per list (two per person in the facts: 2 % of an evaluation)."""
        definition = self._definition
        if not isinstance(definition, dict) or not definition.get("uniqueItems"):
            return
        self.create_variable_is_list()
        with self.l("if {variable}_is_list:"):
            self.create_variable_with_length()
            with self.l("if {variable}_len > len(set({variable})):"):
                self.exc("")


def compiled(schema: dict) -> Any:
    """A yes/no validator compiled to Python (fastjsonschema's generator, messages left out: see _YesNo); a refusal
    only sends the facts to jsonschema. Raises TypeError on some refusals (see _YesNo.generate_unique_items)."""
    definition = _const_as_enum(schema)
    generator = _YesNo(definition, resolver=RefResolver.from_schema(definition, handlers={}, store={}),
                       formats=FAST_FORMATS, detailed_exceptions=False)
    code = generator.global_state_code + "\n" + generator.func_code
    namespace: dict[str, Any] = {}
    exec(compile(code, "<schéma compilé>", "exec"), namespace)    # noqa: S102 - fastjsonschema's own code
    root = next(line for line in code.splitlines() if line.startswith("def ")).split("(", 1)[0].removeprefix("def ")
    return partial(namespace[root], custom_formats=FAST_FORMATS)
