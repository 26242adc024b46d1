"""Facts in: parsing a YAML or JSON document, and validating it against the policy before any rule runs."""
from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import date
from itertools import chain, islice
from typing import Any

import fastjsonschema
from jsonschema import Draft202012Validator, ValidationError

from ..documents import parse_json, parse_yaml
from ..errors import FactsError, Issue, json_path
from ..fast_schema import compiled as _compiled
from ..formats import FORMAT_CHECKER
from ..limits import MAX_EVENTS, MAX_PROBLEMS, MAX_STRING_LENGTH
from ..policy.model.elements import EventType
from ..schema_messages import LISTED, schema_message, shown
from ..values import value_issues
from .event_texts import AmendedEvents, previous_text, version_note

TOO_MANY_EVENTS = "{count} événements : au plus " + f"{MAX_EVENTS:,}".replace(",", " ") + " par dossier"
TOO_MANY_ITEMS = "{count} éléments : au plus {limit} (maxItems du schéma des faits)"


# a string of MAX_STRING_LENGTH characters written with \uXXXX escapes, its key and indentation fit in this
LONGEST_LINE = 6 * MAX_STRING_LENGTH + 1_000
LONG_LINE = ("une ligne de {length} caractères : trop longue pour un document de faits en YAML (un texte a au plus "
             + f"{MAX_STRING_LENGTH:,}".replace(",", " ") + " caractères)")


def _number(value: int) -> str:
    return f"{value:,}".replace(",", " ")


def _too_long_line(text: str) -> tuple[int, int] | None:
    """(line number, length) of the first line longer than LONGEST_LINE, or None (a cheap scan)."""
    if len(text) <= LONGEST_LINE:
        return None
    for number, line in enumerate(text.split("\n"), start=1):
        if len(line) > LONGEST_LINE:
            return number, len(line)
    return None


def list_caps(schema, where: tuple = ()) -> list[tuple[tuple, int]]:
    """Every list of the facts schema that has a maxItems, as (path with "*" for a list's items, the cap), found by
    following properties and items: the lists a document may not make longer."""
    caps: list[tuple[tuple, int]] = []
    if not isinstance(schema, dict):
        return caps
    if isinstance(schema.get("maxItems"), int):
        caps.append((where, schema["maxItems"]))
    for key, child in (schema.get("properties") or {}).items():
        caps.extend(list_caps(child, where + (key,)))
    if isinstance(schema.get("items"), dict):
        caps.extend(list_caps(schema["items"], where + ("*",)))
    return caps


def _too_long(data, pattern: tuple, limit: int, where: tuple = ()) -> Iterator[Issue]:
    """Lists at ``pattern`` in ``data`` longer than ``limit`` (a cheap walk: only the capped paths are visited)."""
    if not pattern:
        if isinstance(data, list) and len(data) > limit:
            yield Issue(json_path(where), TOO_MANY_ITEMS.format(count=_number(len(data)), limit=_number(limit)))
        return
    head, rest = pattern[0], pattern[1:]
    if head == "*":
        if isinstance(data, list):     # its own length was checked before (list_caps puts a parent first)
            for index, item in enumerate(data):
                yield from _too_long(item, rest, limit, where + (index,))
    elif isinstance(data, dict) and head in data:
        yield from _too_long(data[head], rest, limit, where + (head,))


def parse_facts_text(text: str, source: str) -> dict:
    """A facts document (YAML or JSON) -> dict; FactsError with file:line on a syntax error.

    YAML anchors and aliases are refused (a few hundred bytes of them can expand to gigabytes). A YAML line longer
    than any string the limits admit (MAX_STRING_LENGTH, even written with escapes) is refused before the YAML
    parser reads the document (it would spend seconds on a 5 MB string only to refuse it)."""
    issues: list[Issue]
    if source.endswith(".json"):
        data, issues = parse_json(text, source)
    else:
        long_line = _too_long_line(text)
        data, issues = parse_json(text, source) if long_line and text.lstrip().startswith("{") else (None, [])
        if long_line and (issues or data is None):      # JSON on one long line (standard input, a paste) is read
            number, length = long_line
            raise FactsError([Issue("", LONG_LINE.format(length=_number(length)), source, number)])
        if not long_line:
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


_NO_TEXT: EventType | None = None      # no text before the one applied (a type never amended)
def _trimmed(event: dict, spec: EventType) -> dict:
    """The event with at most LISTED + 1 of its unknown keys (the known ones all kept, in order): its problems and
    their messages are the same (a message lists the first unknown keys, then "…"), their cost bounded."""
    known = {"type", "date", *spec.attributes}
    if len(event) <= len(known) + LISTED:
        return event
    unknown = list(islice((key for key in event if key not in known), LISTED + 1))
    return {**{key: value for key, value in event.items() if key in known}, **{key: event[key] for key in unknown}}


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
        self._amended = AmendedEvents(event_types, lambda name, spec: (Draft202012Validator(
            event_schema(name, spec), format_checker=FORMAT_CHECKER), _compiled(event_schema(name, spec))))
        self._date_attributes = {name: [key for key, attribute in spec.every_attribute.items()
                                        if attribute.get("format") == "date"]
                                 for name, spec in event_types.items()}
        self._specs = event_types
        self._caps = list_caps(facts_schema)
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
                (self._fast_events[kind] if kind not in self._amended else self._amended.chosen(kind, event)[0][1])(event)
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
        fast = self._fast_issues(facts)
        if fast is not None:
            return fast[:MAX_PROBLEMS], max(0, len(fast) - MAX_PROBLEMS)
        return self._bounded(self._invalid_issues(facts))

    @staticmethod
    def _bounded(issues: Iterator[Issue]) -> tuple[list[Issue], int]:
        """The first MAX_PROBLEMS problems, and 1 when there is at least one more: the check stops there (a bad
        document costs no more than listing what is shown, whatever it holds)."""
        found = list(islice(issues, MAX_PROBLEMS + 1))
        return found[:MAX_PROBLEMS], len(found) - len(found[:MAX_PROBLEMS])

    def _invalid_issues(self, facts: dict) -> Iterator[Issue]:
        """The problems of facts that failed the fast check, lazily: lists longer than the schema's caps first (then
        nothing else is checked), else the schema's problems, then each event's."""
        too_long = list(islice(chain.from_iterable(_too_long(facts, pattern, limit) for pattern, limit in self._caps),
                               MAX_PROBLEMS + 1))
        if too_long:
            yield from too_long
            return
        for error in self._document.iter_errors(facts):
            yield Issue(json_path(error.absolute_path), _message(error, self._document.schema))
        events = facts.get("evenements")
        if isinstance(events, list):
            for index, event in enumerate(events):
                yield from self._event_issues(index, event)

    def _event_issues(self, index: int, event) -> list[Issue]:
        if not isinstance(event, dict) or not isinstance(event.get("type"), str):
            return []  # the document schema already said so
        where = ("evenements", index)
        validator = self._events.get(event["type"])
        if validator is None:
            return [Issue(json_path(where + ("type",)),
                          f"type d'événement inconnu : {shown(event['type'])} (connus : {self._known})")]
        spec, previous = self._specs[event["type"]], _NO_TEXT
        if event["type"] in self._amended:      # the text in force on the event's date
            (validator, _), applied = self._amended.chosen(event["type"], event)
            spec, previous = applied, previous_text(applied, spec)
        event = _trimmed(event, spec)
        found = [Issue(json_path(where + tuple(error.absolute_path)), (_conditional_message(error, spec)
                       or _message(error)) + (version_note(error, spec, previous) if spec.applied else ""))
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
