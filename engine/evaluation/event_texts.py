"""The validators of the event types amended from a date (`evenements.types.<type>.versions`): one per text, an
event checked under the text in force on its own date; a problem found under an amendment names it, and a
requirement the amendment introduced says from when (facts dated before keep the requirements before)."""
from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from jsonschema import ValidationError

from ..policy.model.display import day_text
from ..policy.model.elements import EventType, EventVersion

Built = tuple[Any, Any]      # (the jsonschema validator, the compiled one) of one text


class AmendedEvents:
    """Per amended event type, each of its texts (from which day, its validators, the type as in force)."""

    def __init__(self, event_types: Mapping[str, EventType], build: Callable[[str, EventType], Built]) -> None:
        self._texts: dict[str, list[tuple[str, Built, EventType]]] = {
            name: [(text.applied.since.isoformat() if text.applied else "", build(name, text), text)
                   for text in spec.texts()]
            for name, spec in event_types.items() if spec.versions}

    def __contains__(self, kind: object) -> bool:
        return kind in self._texts

    def chosen(self, kind: str, event: dict) -> tuple[Built, EventType]:
        """The validators and the text of an amended type in force on the event's date (the first text when the date
        is unreadable: its problem is reported by the document's schema)."""
        day = event.get("date")
        found = self._texts[kind][0]
        if isinstance(day, str):
            for text in self._texts[kind]:
                if text[0] <= day:
                    found = text
        return found[1], found[2]


def version_note(error: ValidationError, spec: EventType, previous: EventType | None) -> str:
    """What an event's problem under an amendment adds: the requirement it introduced, from when and by which
    decision; else the version applied."""
    version = spec.applied
    if version is None:
        return ""
    source = _source(version)
    if error.validator == "required" and isinstance(error.instance, dict) and previous is not None:
        listed = error.validator_value if isinstance(error.validator_value, list) else []
        missing = [name for name in listed if name not in error.instance]
        if missing and all(name not in previous.required and name in spec.required for name in missing):
            return (f" (requis à partir du {day_text(version.since)} pour les événements « {spec.title} »"
                    f"{f', {source}' if source else ''})")
    return f" (version du {day_text(version.since)} du type d'événement « {spec.title} »{f', {source}' if source else ''})"


def previous_text(spec: EventType, every: EventType) -> EventType | None:
    """The text in force before `spec` (an amendment) of the type `every` (None: `spec` is the first text)."""
    if spec.applied is None:
        return None
    number = spec.applied.number
    return every if number == 1 else every.at(every.versions[number - 2].since)


def _source(version: EventVersion) -> str:
    decision = version.decision
    if decision is None:
        return ""
    parts = [f"décision du {day_text(decision.day)}" if decision.day else None, decision.reference]
    return ", ".join(part for part in parts if part)
