"""The events of one evaluation: those of the facts (known on the evaluation date, or planned), the meetings of
the policy's calendar sessions, and those derived while the rules run (a deadline passed, an event a rule emits).
An attribute the facts leave out takes the catalogue's default (`defauts`), so the rules see a real value."""
from __future__ import annotations

import datetime
from dataclasses import dataclass
from datetime import date

from ..policy import Policy
from ..policy.model.policy import value_at
from ..policy.model.sessions import scheduled_meetings


@dataclass
class Event:
    key: str
    type: str
    date: date
    attributes: dict
    source: str           # where it comes from: "evenements[3]", or the rule that produced it
    parent: Event | None = None     # a derived event: the event it follows from
    rule_id: str | None = None        # ... and the rule that derived it

    def flat(self) -> dict:
        return {**self.attributes, "type": self.type, "date": self.date.isoformat()}

    def date_at(self, path: str) -> datetime.date | None:
        """The event's date ('date') or one of its date attributes; None when absent."""
        if path == "date":
            return self.date
        value = value_at(self.attributes, path)
        return date.fromisoformat(value) if isinstance(value, str) and len(value) == 10 else None


class EventStore:
    """Every event of the evaluation by key; the rounds assert the new ones, the other parts read them by type."""

    def __init__(self, policy: Policy, facts: dict, as_of: date):
        self.as_of = as_of
        self.events: dict[str, Event] = {}
        self._by_type: dict[str, list[Event]] = {}      # type -> its events known on as_of, sorted when asked
        self._sorted: set[str] = set()                   # the types whose list is sorted now
        planned = policy.planned_event_types
        defaults, amended = policy.event_defaults, policy.amended_event_types
        for index, raw in enumerate(facts["evenements"]):
            day = date.fromisoformat(raw["date"])
            if day <= as_of or raw["type"] in planned:
                own = amended[raw["type"]].at(day).defaults if raw["type"] in amended else defaults.get(raw["type"], {})
                attributes = {**own, **{k: v for k, v in raw.items() if k not in ("type", "date")}}
                self._add(Event(f"e{index}", raw["type"], day, attributes, f"evenements[{index}]"))
        meetings = scheduled_meetings(policy.calendar_model.sessions, list(self.events.values()))
        for index, (type_, day, source) in enumerate(meetings):
            own = amended[type_].at(day).defaults if type_ in amended else defaults.get(type_, {})
            self._add(Event(f"s{index}", type_, day, dict(own), source))

    def _add(self, event: Event) -> None:
        self.events[event.key] = event
        if event.date <= self.as_of:
            self._by_type.setdefault(event.type, []).append(event)
            self._sorted.discard(event.type)

    def __getitem__(self, key: str) -> Event:
        return self.events[key]

    def derive(self, type_: str, day: date, attributes: dict, source: str, *, parent: Event | None = None,
               rule_id: str | None = None) -> Event:
        key = f"d{len(self.events)}"
        event = Event(key, type_, day, attributes, source, parent, rule_id)
        self._add(event)
        return event

    def of_type(self, type_: str) -> list[Event]:
        """Events of a type known on the evaluation date, in date order (kept by type, sorted once until another of
        the type comes)."""
        found = self._by_type.get(type_)
        if found is None:
            return []
        if type_ not in self._sorted:
            found.sort(key=lambda e: (e.date, e.key))
            self._sorted.add(type_)
        return list(found)
