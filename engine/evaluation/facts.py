"""Facts in: parsing a YAML or JSON document, and validating it against the policy before any rule runs."""
from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

import fastjsonschema
from jsonschema import Draft202012Validator, ValidationError

from ..documents import parse_json, parse_yaml
from ..errors import FactsError, Issue, json_path
from ..formats import FAST_FORMATS, FORMAT_CHECKER
from ..limits import MAX_EVENTS, MAX_PROBLEMS
from ..policy.model.elements import EventType
from ..schema_messages import schema_message, shown
from ..values import value_issues

TOO_MANY_EVENTS = "{count} événements : au plus " + f"{MAX_EVENTS:,}".replace(",", " ") + " par dossier"


def parse_facts_text(text: str, source: str) -> dict:
    """A facts document (YAML or JSON) -> dict; FactsError with file:line on a syntax error.

    YAML anchors and aliases are refused (a few hundred bytes of them can expand to gigabytes)."""
    if source.endswith(".json"):
        data, issues = parse_json(text, source)
    else:
        document, issues = parse_yaml(text, source, aliases=False)
        data = document.data if document else None
    if issues:
        raise FactsError(issues)
    if not isinstance(data, dict):
        raise FactsError([Issue("", "les faits doivent être un objet (organisme, instance, evenements…)", source)])
    return data


def facts_lines(text: str, source: str):
    """path -> line in a facts document, for messages (JSON is read as YAML here, for its lines only)."""
    document, _ = parse_yaml(text, source, aliases=False)
    lines = document.lines if document else {}

    def line_of(path: str) -> int | None:
        parts = tuple(int(part) if part.isdigit() else part
                      for part in path.replace("[", ".").replace("]", "").split(".") if part)
        while parts not in lines and parts:
            parts = parts[:-1]
        return lines.get(parts)

    return line_of


def _message(error: ValidationError, root_schema: Mapping[str, Any] | bool | None = None) -> str:
    return schema_message(error) + _condition_description(error, root_schema)


def _condition_description(error: ValidationError, root_schema: Mapping[str, Any] | bool | None) -> str:
    """For a problem inside an if/then/else, the description of the schema that holds the condition (it says what
    the condition means to the reader), if it has one."""
    path = list(error.schema_path)
    branch = next((i for i, key in enumerate(path) if key in ("then", "else")), None)
    if not isinstance(root_schema, Mapping) or branch is None:
        return ""
    node: Any = root_schema
    for key in path[:branch]:
        node = node[key]
    return f" ({node['description']})" if isinstance(node, dict) and "description" in node else ""


def event_schema(name: str, spec: EventType) -> dict:
    """The JSON Schema of one event type of a policy's catalogue (its attributes, `requis`, `requis_si`)."""
    schema: dict = {
        "type": "object",
        "required": ["type", "date", *spec.required],
        "additionalProperties": False,
        "properties": {"type": {"const": name}, "date": {"type": "string", "format": "date"},
                       **spec.attributes},
    }
    # requis_si: attributes required when others have given values (`defauts` are not applied here: a default
    # fills an absent attribute for the rules, it never makes a required one present)
    conditional = [{"if": {"required": sorted(case.when),
                           "properties": {key: {"const": value} for key, value in case.when.items()}},
                    "then": {"required": list(case.required)}}
                   for case in spec.required_if]
    if conditional:
        schema["allOf"] = conditional
    return schema


def _conditional_message(error: ValidationError, spec: EventType) -> str | None:
    """'x' is a required property -> says under which values it is (requis_si), from the schema path."""
    path = list(error.schema_path)
    if error.validator != "required" or path[:1] != ["allOf"] or "then" not in path:
        return None
    case = spec.required_if[int(path[1])]
    when = ", ".join(f"{key} vaut {shown(value)}" for key, value in case.when.items())
    return f"{schema_message(error)} (requis quand {when})"


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


def _compiled(schema: dict) -> Any:
    """A yes/no validator compiled to Python; a refusal only sends the facts to jsonschema, so its message is never
    built (detailed_exceptions=False: building it was most of the time spent where a `not` or an `if` fails)."""
    return fastjsonschema.compile(_const_as_enum(schema), formats=FAST_FORMATS, detailed_exceptions=False)


class FactsValidator:
    """A policy's facts schema plus its event catalogue, compiled once.

    Valid facts (the common case) are checked by validators compiled to Python (fastjsonschema); only facts that
    fail go through jsonschema, which lists every problem with its path.
    """

    def __init__(self, facts_schema: dict, event_types: Mapping[str, EventType], year_range: tuple[int, int]) -> None:
        self._document = Draft202012Validator(facts_schema, format_checker=FORMAT_CHECKER)
        self._fast_document = _compiled(facts_schema)
        schemas = {name: event_schema(name, spec) for name, spec in event_types.items()}
        self._events = {name: Draft202012Validator(schema, format_checker=FORMAT_CHECKER)
                        for name, schema in schemas.items()}
        self._fast_events = {name: _compiled(schema) for name, schema in schemas.items()}
        self._date_attributes = {name: [key for key, attribute in spec.attributes.items()
                                        if attribute.get("format") == "date"]
                                 for name, spec in event_types.items()}
        self._specs = event_types
        self._known = ", ".join(sorted(event_types))
        self._date_keys = {name: ("date", *keys) for name, keys in self._date_attributes.items()}
        self._first = date(year_range[0], 1, 1)
        self._last = date(year_range[1], 12, 31)
        self._first_text, self._last_text = self._first.isoformat(), self._last.isoformat()

    def _fast_issues(self, facts) -> list[Issue] | None:
        """None when the compiled validators refuse the facts; else the dates outside the policy's years (what they
        cannot check), in the same pass over the events: a date they accepted is YYYY-MM-DD, so its text compares
        as the day does."""
        found: list[Issue] = []
        try:
            self._fast_document(facts)
            first, last = self._first_text, self._last_text
            for index, event in enumerate(facts["evenements"]):
                kind = event["type"]
                self._fast_events[kind](event)
                for key in self._date_keys[kind]:
                    value = event.get(key)
                    if value is not None and not first <= value <= last:
                        found.extend(self._range_issues(index, event))
                        break
        except (fastjsonschema.JsonSchemaException, KeyError, TypeError):
            return None
        return found

    def issues(self, facts) -> list[Issue]:
        return self.problems(facts)[0]

    def problems(self, facts) -> tuple[list[Issue], int]:
        """(the problems, at most MAX_PROBLEMS; how many more there are). Plain bounded data is checked first
        (engine/values.py), so that nothing below recurses without end or quotes a huge value."""
        if not isinstance(facts, dict):
            return [Issue("", "les faits doivent être un objet JSON")], 0
        found, omitted = value_issues(facts)
        if found:
            return found, omitted
        events = facts.get("evenements")
        if isinstance(events, list) and len(events) > MAX_EVENTS:
            return [Issue("evenements", TOO_MANY_EVENTS.format(count=len(events)))], 0
        found = self._schema_issues(facts)
        return found[:MAX_PROBLEMS], max(0, len(found) - MAX_PROBLEMS)

    def _schema_issues(self, facts: dict) -> list[Issue]:
        fast = self._fast_issues(facts)
        if fast is not None:
            return fast
        found = [Issue(json_path(error.absolute_path), _message(error, self._document.schema))
                 for error in self._document.iter_errors(facts)]
        events = facts.get("evenements")
        if isinstance(events, list):
            for index, event in enumerate(events):
                found.extend(self._event_issues(index, event))
        return found

    def _event_issues(self, index: int, event) -> list[Issue]:
        if not isinstance(event, dict) or not isinstance(event.get("type"), str):
            return []  # the document schema already said so
        where = ("evenements", index)
        validator = self._events.get(event["type"])
        if validator is None:
            return [Issue(json_path(where + ("type",)),
                          f"type d'événement inconnu : {shown(event['type'])} (connus : {self._known})")]
        spec = self._specs[event["type"]]
        found = [Issue(json_path(where + tuple(error.absolute_path)), _conditional_message(error, spec) or _message(error))
                 for error in validator.iter_errors(event)]
        return found or self._range_issues(index, event)

    def _range_issues(self, index: int, event: dict) -> list[Issue]:
        """Dates outside the years the policy's calendars cover."""
        found = []
        for key in ("date", *self._date_attributes[event["type"]]):
            value = event.get(key)
            if value is not None and not self._first <= date.fromisoformat(value) <= self._last:
                found.append(Issue(json_path(("evenements", index, key)), f"{value} : hors des années que couvre cette "
                                   f"politique ({self._first.year}–{self._last.year})"))
        return found

    def check(self, facts) -> None:
        found, omitted = self.problems(facts)
        if found:
            raise FactsError(found, omitted)
