"""A JSON schema compiled once into a yes/no Python validator (fastjsonschema), for the facts' common case: valid.
A refusal only sends the facts to jsonschema (engine/evaluation/facts.py), which says what is wrong and where."""
from __future__ import annotations

import re
from functools import partial
from typing import Any

from fastjsonschema.draft2019 import CodeGeneratorDraft2019
from fastjsonschema.generator import repr_default
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

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self.text_sets: dict[frozenset[str], str] = {}     # texts a test looks up (keys, an enum) -> a global's name
        super().__init__(*args, **kwargs)

    def exc(self, msg: str, *args: Any, append_to_msg: str | None = None, rule: str | None = None) -> None:
        self.l('raise JsonSchemaValueException("refus")')

    @property
    def _here(self) -> dict:
        """The schema being compiled: a mapping whenever one of its keywords is."""
        definition = self._definition
        assert isinstance(definition, dict)
        return definition

    def _plain_keys(self) -> bool:
        """Whether the object's extra keys are only allowed or refused: no pattern nor schema for them. Then no set
        of its keys is made and emptied key by key (fastjsonschema's way, kept otherwise)."""
        extra = self._here.get("additionalProperties", True)
        return "patternProperties" not in self._here and (extra is True or extra is False or extra == {})

    def generate_required(self) -> None:
        """Each required key looked up (`"a" in data and ...`), no set made and subtracted."""
        required = self._here["required"]
        if not isinstance(required, list) or not required or not all(isinstance(key, str) for key in required):
            super().generate_required()
            return
        self.create_variable_is_dict()
        with self.l("if {variable}_is_dict:"):
            present = " and ".join(f"{key!r} in {self._variable}" for key in required)
            with self.l("if not ({}):", present):
                self.exc("")

    def generate_properties(self) -> None:
        """Each property looked up in the object itself when its extra keys need no set (see _plain_keys)."""
        if not self._plain_keys():
            super().generate_properties()
            return
        self.create_variable_is_dict()
        with self.l("if {variable}_is_dict:"):
            for key, definition in self._here["properties"].items():
                name = re.sub(r"($[^a-zA-Z]|[^a-zA-Z0-9])", "", key)
                with self.l('if "{}" in {variable}:', self.e(key)):
                    self.l('{variable}__{0} = {variable}["{1}"]', name, self.e(key))
                    self.generate_func_code_block(definition, f"{self._variable}__{name}",
                                                  "{}.{}".format(self._variable_name, self.e(key).replace(
                                                      "{", "{{").replace("}", "}}")), clear_variables=True)
                if self._use_default and isinstance(definition, dict) and "default" in definition:
                    self.l('else: {variable}["{}"] = {}', self.e(key), repr_default(definition["default"]))

    def generate_additional_properties(self) -> None:
        """`additionalProperties: false` as one test: the object's keys within its properties' (a frozenset)."""
        if not self._plain_keys() or self._here["additionalProperties"] is not False:
            super().generate_additional_properties()
            return
        name = self._global(frozenset(self._here.get("properties", {})))
        self.create_variable_is_dict()
        with self.l("if {variable}_is_dict:"), self.l("if not {variable}.keys() <= {}:", name):
            self.exc("")

    def generate_enum(self) -> None:
        """An enum of texts as one lookup in a frozenset (not one comparison per value)."""
        enum = self._here["enum"]
        if not isinstance(enum, list) or len(enum) < 2 or not all(isinstance(value, str) for value in enum):
            super().generate_enum()
            return
        name = self._global(frozenset(enum))
        with self.l("if not (isinstance({variable}, str) and {variable} in {}):", name):
            self.exc("")

    def _global(self, texts: frozenset[str]) -> str:
        """The name of a global holding this frozenset of texts (one per distinct set)."""
        return self.text_sets.setdefault(texts, f"TEXTS_{len(self.text_sets)}")

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
    namespace: dict[str, Any] = {name: keys for keys, name in generator.text_sets.items()}
    exec(compile(code, "<schéma compilé>", "exec"), namespace)    # noqa: S102 - fastjsonschema's own code
    root = next(line for line in code.splitlines() if line.startswith("def ")).split("(", 1)[0].removeprefix("def ")
    return partial(namespace[root], custom_formats=FAST_FORMATS)
