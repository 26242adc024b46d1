"""A loaded, checked policy (Policy), its rules (engine/policy/model/rules.py), and the set of policies in service (PolicySet).

A Policy is immutable once built; its revision is a hash of its canonical content (engine/policy/building.py).
"""
from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from pathlib import Path
from typing import Any, Protocol, TypeVar

from ...calendar import Conventions, Duration, WorkingDayCalendar, public_holidays
from ...errors import Issue
from ...shipped import schemas_folder
from .dated import in_force
from .days import day_of
from .display import units_of
from .dossier import DossierChecks
from .elements import CalendarModel, Elements, EventType, FindingType, Head, StatusModel, TerritoryVersion
from .labels import Labels
from .parameters import Parameter
from .rules import Rule
from .templates import Template
from .titles import is_parameter, render_title

SCHEMAS_DIR = schemas_folder()
T = TypeVar("T")
_NOT_MADE = object()


def schemas_dir() -> Path:
    return SCHEMAS_DIR


class SourceMap(Protocol):
    """Where each part of a policy was written (engine/policy/files: Sources, MergedSources)."""

    def locate(self, path: tuple) -> tuple[str | None, int | None]: ...

    def issue(self, path: tuple, message: str) -> Issue: ...


class FilesSnapshot(Protocol):
    """A policy's own files as written (engine/policy/versions/snapshots.py: Snapshot)."""

    @property
    def id(self) -> str: ...

    @property
    def parameters(self) -> Mapping[str, Any]: ...


@dataclass
class Policy:
    """A loaded, checked policy: what an evaluation needs, prepared once."""

    id: str
    version: str
    title: str
    directory: Path
    revision: str
    raw: dict          # the merged YAML as written: only for its revision, diff, history, checks and an overlay's merge
    parameters: dict[str, Parameter]
    rules: tuple[Rule, ...]
    facts_schema: dict
    elements: Elements
    extends: str | None = None
    base: Policy | None = field(default=None, repr=False, compare=False)   # the policy it extends
    snapshot: FilesSnapshot | None = field(default=None, repr=False, compare=False)   # its own files as written
    sources: SourceMap | None = field(default=None, repr=False, compare=False)   # where each part was written
    dossier: DossierChecks | None = field(default=None, repr=False, compare=False)   # its dossier checks, compiled
    _calendars: dict[str, WorkingDayCalendar] = field(default_factory=dict, repr=False)
    _derived: dict[tuple, Any] = field(default_factory=dict, repr=False, compare=False)   # made once (derived)

    # --- the typed parts (engine/policy/model/elements.py) -----------------------------------------------------
    @cached_property
    def head(self) -> Head:
        return self.elements.head

    @cached_property
    def status_model(self) -> StatusModel:
        return self.elements.statuses

    @cached_property
    def calendar_model(self) -> CalendarModel:
        return self.elements.calendar

    @cached_property
    def event_types(self) -> Mapping[str, EventType]:
        return self.elements.event_types

    @cached_property
    def finding_types(self) -> Mapping[str, FindingType]:
        return self.elements.findings

    @cached_property
    def instances(self) -> tuple[str, ...]:
        return self.head.instances

    # --- what the rest of the engine reads -------------------------------------------------------
    @cached_property
    def units(self) -> dict[str, dict]:
        """Each unit's title as a person writes it (€ HT, jours ouvrés), for texts."""
        return units_of(self.head.currencies, self.calendar_model.duration_units)

    def rule_title(self, rule: Rule, day: date) -> str:
        """A rule's title with the values it quotes ({parameter}) in force on day."""
        return self.quoting_values(rule.title, day)

    def quoting_values(self, text: Template, day: date) -> str:
        """A rule's text (title, finding message) with each {parameter} it quotes as the value in force on day;
        rendered once for each set of values in force (a value changes only on the dates the policy gives)."""
        _, quoted, rendered = self.derived(("cite", id(text)), lambda: self._quoting(text))
        positions = tuple([parameter.position(day) for parameter in quoted])
        known = rendered.get(positions)
        if known is None:
            known = rendered[positions] = render_title(text, self.parameters, self.units, day)
        return known

    def _quoting(self, text: Template) -> tuple[Template, tuple[Parameter, ...], dict[tuple[int, ...], str]]:
        """The text (kept: its id stays its own), the parameters it quotes, its renderings by their positions."""
        return text, tuple(self.parameters[p.name] for p in text.placeholders
                           if is_parameter(p) and p.name in self.parameters), {}

    def derived(self, key: tuple, make: Callable[[], T]) -> T:
        """What follows from the policy alone (a text of one of its values), made the first time it is asked."""
        known = self._derived.get(key, _NOT_MADE)
        if known is _NOT_MADE:
            known = self._derived[key] = make()
        return known

    @cached_property
    def rules_by_id(self) -> Mapping[str, Rule]:
        """Each rule by its id (as first written: an amended rule's texts are its variants)."""
        return {rule.id: rule for rule in self.rules}

    @cached_property
    def rule_variants(self) -> tuple[Rule, ...]:
        """Every text of every rule, compiled each as its own rule: a rule as first written, then each amendment
        (a policy without amendments: its rules, in order)."""
        return tuple(variant for rule in self.rules for variant in rule.variants())

    @cached_property
    def event_defaults(self) -> dict[str, dict]:
        """Per event type, the values its absent attributes take (`defauts`), as the rules see them."""
        return {name: dict(spec.defaults) for name, spec in self.event_types.items() if spec.defaults}

    @cached_property
    def date_attributes(self) -> Mapping[str, frozenset[str]]:
        """Per event type of the catalogue, its attributes that hold a date (their schema's `format: date`)."""
        return {name: frozenset(key for key, schema in spec.every_attribute.items()
                                if isinstance(schema, Mapping) and schema.get("format") == "date")
                for name, spec in self.event_types.items()}

    @cached_property
    def amended_event_types(self) -> Mapping[str, EventType]:
        """The event types amended from a date (`versions`): an event of one is read under the text of its date."""
        return {name: spec for name, spec in self.event_types.items() if spec.versions}

    @cached_property
    def planned_event_types(self) -> frozenset[str]:
        return frozenset(name for name, spec in self.event_types.items() if spec.planned)

    @cached_property
    def labels(self) -> Labels:
        """The policy's words for its identifiers (status titles, actors, natures, events, rules…)."""
        return Labels(self.elements, self.rules_by_id, self.quoting_values)

    @cached_property
    def conventions(self) -> Conventions:
        return self.calendar_model.conventions

    def conventions_at(self, day: date) -> Conventions:
        """The conventions in force for a delay read on `day` (its amendments: `calendrier.conventions.versions`)."""
        return self.calendar_model.conventions_at(day)

    @cached_property
    def year_range(self) -> tuple[int, int]:
        return self.calendar_model.years

    def calendar(self, territory: str, day: date | None = None) -> WorkingDayCalendar:
        """The working-day calendar of a territory, built on first use and kept: for a delay read on `day`, the text
        of the territory in force then (its amendments: `calendrier.territoires.<t>.versions`)."""
        version = self.territory_version(territory, day)
        key = territory if version is None else f"{territory}@{version.number}"
        found = self._calendars.get(key)
        if found is None:
            first, last = self.year_range
            model = self.calendar_model.territories[territory]
            holidays = public_holidays(model.territory if version is None else version.territory, first, last)
            found = WorkingDayCalendar(territory, holidays, first, last)
            self._calendars[key] = found
        return found

    def territory_version(self, territory: str, day: date | None) -> TerritoryVersion | None:
        """The amendment of a territory in force for a delay read on `day` (None: the first text)."""
        model = self.calendar_model.territories.get(territory)
        return in_force(model.versions, day) if model is not None and model.versions and day is not None else None

    def calendar_of(self, actor: str | None, facts: dict, day: date | None = None) -> WorkingDayCalendar:
        """The calendar whose working days count an actor's deadlines: its own territory, the one the facts give
        (`territoire_des_faits`), else the default one; `day`: the date the delay is read on."""
        spec = self.calendar_model.actors.get(actor) if actor else None
        territory = spec.territory if spec is not None else None
        if territory is None and spec is not None and spec.facts_territory is not None:
            territory = value_at(facts, spec.facts_territory)
        return self.calendar(territory or self.calendar_model.default_territory, day)

    @property
    def default_calendar(self) -> WorkingDayCalendar:
        return self.calendar(self.calendar_model.default_territory)

    def default_calendar_at(self, day: date) -> WorkingDayCalendar:
        """The default territory's calendar for a delay read on `day`."""
        return self.calendar(self.calendar_model.default_territory, day)

    def duration(self, parameter_id: str, day: date) -> Duration | None:
        parameter = self.parameters[parameter_id]
        amount = parameter.at(day)
        if amount is None:
            return None
        counting = self.calendar_model.duration_units[parameter.unit].counting
        return Duration(parameter.unit, counting, amount)

    def parameters_at(self, day: date | str) -> list[dict]:
        """Every parameter's value in force on day (a date or AAAA-MM-JJ), with its unit and article (None before its
        first value). A string that is not a day raises FactsError, as an evaluation's date does."""
        day = day_of(day)
        out = []
        for parameter in self.parameters.values():
            entry = parameter.entry_at(day)
            value = entry.value if entry else None
            out.append({
                "id": parameter.id,
                "titre": parameter.title,
                "valeur": str(value) if value is not None and parameter.unit in self.head.currencies else value,
                "unite": parameter.unit,
                "article": parameter.article,
                "depuis": entry.since.isoformat() if entry else None,
            })
        return out

    def describe(self) -> dict:
        return {"id": self.id, "version": self.version, "revision": self.revision}


class PolicySet:
    """Every policy of a folder, by id and by the instance it answers for."""

    def __init__(self, policies: list[Policy]) -> None:
        self._by_id = {policy.id: policy for policy in policies}
        self._by_instance = {instance: policy for policy in policies for instance in policy.instances}

    def ids(self) -> list[str]:
        return sorted(self._by_id)

    def get(self, policy_id: str) -> Policy:
        return self._by_id[policy_id]

    def for_instance(self, instance: str) -> Policy | None:
        return self._by_instance.get(instance)

    def instances(self) -> list[str]:
        return sorted(self._by_instance)

    @property
    def snapshots(self) -> dict[str, FilesSnapshot]:
        """Each policy's files as they were when loaded: the baseline a reload compares the new ones with."""
        return {policy.id: policy.snapshot for policy in self._by_id.values() if policy.snapshot is not None}

    def __iter__(self) -> Iterator[Policy]:
        return iter(self._by_id[key] for key in self.ids())

    def __len__(self) -> int:
        return len(self._by_id)


def value_at(data: object, dotted: str) -> Any:
    """data['a']['b'] for 'a.b'; None where a part is missing or not a mapping."""
    for part in dotted.split("."):
        if not isinstance(data, dict):
            return None
        data = data.get(part)
    return data
