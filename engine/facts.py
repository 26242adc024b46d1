"""Facts in: parsing a YAML or JSON document, and validating it against the policy before any rule runs."""
from __future__ import annotations

from datetime import date

from jsonschema import Draft202012Validator

from .documents import parse_json, parse_yaml
from .errors import FactsError, Issue, json_path
from .formats import FORMAT_CHECKER


def parse_facts_text(text: str, source: str) -> dict:
    """A facts document (YAML or JSON) -> dict; FactsError with file:line on a syntax error."""
    if source.endswith(".json"):
        data, issues = parse_json(text, source)
    else:
        document, issues = parse_yaml(text, source)
        data = document.data if document else None
    if issues:
        raise FactsError(issues)
    if not isinstance(data, dict):
        raise FactsError([Issue("", "the facts must be a mapping (organisme, instance, evenements…)", source)])
    return data


def _message(error) -> str:
    if error.validator == "format" and error.cause is not None:
        return f"{error.instance!r}: {error.cause}"
    if error.validator == "additionalProperties":
        return error.message.replace("Additional properties are not allowed", "unknown field(s)")
    return error.message


class FactsValidator:
    """A policy's facts schema plus its event catalogue, compiled once."""

    def __init__(self, facts_schema: dict, event_types: dict, year_range: tuple[int, int]):
        self._document = Draft202012Validator(facts_schema, format_checker=FORMAT_CHECKER)
        self._events = {
            name: Draft202012Validator({
                "type": "object",
                "required": ["type", "date", *spec.get("requis", [])],
                "additionalProperties": False,
                "properties": {"type": {"const": name}, "date": {"type": "string", "format": "date"},
                               **spec.get("attributs", {})},
            }, format_checker=FORMAT_CHECKER)
            for name, spec in event_types.items()
        }
        self._known = ", ".join(sorted(event_types))
        self._first = date(year_range[0], 1, 1)
        self._last = date(year_range[1], 12, 31)

    def issues(self, facts) -> list[Issue]:
        if not isinstance(facts, dict):
            return [Issue("", "the facts must be a JSON object")]
        found = [Issue(json_path(error.absolute_path), _message(error)) for error in self._document.iter_errors(facts)]
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
            return [Issue(json_path(where + ("type",)), f"unknown event type '{event['type']}' (known: {self._known})")]
        found = [Issue(json_path(where + tuple(error.absolute_path)), _message(error))
                 for error in validator.iter_errors(event)]
        if not found:
            for key, value in event.items():
                if key == "date" or (isinstance(value, str) and len(value) == 10 and value[4:5] == "-"
                                     and validator.schema["properties"].get(key, {}).get("format") == "date"):
                    day = date.fromisoformat(value)
                    if not self._first <= day <= self._last:
                        found.append(Issue(json_path(where + (key,)), f"{value} is outside the years this policy "
                                           f"covers ({self._first.year}–{self._last.year})"))
        return found

    def check(self, facts) -> None:
        found = self.issues(facts)
        if found:
            raise FactsError(found)
