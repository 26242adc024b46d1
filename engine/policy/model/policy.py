"""A loaded, checked policy (Policy), its rules (engine/policy/model/rules.py), and the set of policies in service (PolicySet).

A Policy is immutable once built; its revision is a hash of its canonical content (engine/policy/building.py).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from pathlib import Path

from ...calendar import Conventions, Duration, WorkingDayCalendar, public_holidays
from .display import unit_titles
from .dossier import DossierChecks
from .labels import Labels
from .parameters import Parameter
from .rules import Rule
from .templates import Template
from .territories import territory_of
from .titles import render_title

SCHEMAS_DIR = Path(__file__).resolve().parents[3] / "schemas"


def schemas_dir() -> Path:
    return SCHEMAS_DIR


@dataclass
class Policy:
    """A loaded, checked policy: what an evaluation needs, prepared once."""

    id: str
    version: str
    title: str
    directory: Path
    revision: str
    data: dict
    parameters: dict[str, Parameter]
    rules: tuple[Rule, ...]
    facts_schema: dict
    extends: str | None = None
    base: "Policy | None" = field(default=None, repr=False, compare=False)   # the policy it extends
    snapshot: object = field(default=None, repr=False, compare=False)    # its own files as written (snapshots.py)
    sources: object = field(default=None, repr=False, compare=False)     # where each part was written (file:line)
    dossier: DossierChecks | None = field(default=None, repr=False, compare=False)   # its dossier checks, compiled
    _calendars: dict = field(default_factory=dict, repr=False)

    # --- what the rest of the engine reads -------------------------------------------------------
    @property
    def instances(self) -> list[str]:
        return self.data["politique"]["instances"]

    @cached_property
    def units(self) -> dict[str, dict]:
        """Each unit's title as a person writes it (€ HT, jours ouvrés), for texts."""
        return unit_titles(self.data)

    def rule_title(self, rule: Rule, day: date) -> str:
        """A rule's title with the values it quotes ({parameter}) in force on day."""
        return self.quoting_values(rule.title, day)

    def quoting_values(self, text: Template, day: date) -> str:
        """A rule's text (title, finding message) with each {parameter} it quotes as the value in force on day."""
        return render_title(text, self.parameters, self.units, day)

    def source_of(self, section: str, item_id: str) -> "Policy":
        """The policy that wrote an item of a list by id (e.g. a criterion): this one, or the base it inherited it from."""
        if self.base is not None and item_id in {item.get("id") for item in value_at(self.base.data, section) or []}:
            mine = next((item for item in value_at(self.data, section) or [] if item.get("id") == item_id), None)
            theirs = next(item for item in value_at(self.base.data, section) if item.get("id") == item_id)
            if mine == theirs:
                return self.base.source_of(section, item_id)
        return self

    @property
    def event_types(self) -> dict:
        return self.data["evenements"]["types"]

    @cached_property
    def event_defaults(self) -> dict:
        """Per event type, the values its absent attributes take (`defauts`), as the rules see them."""
        return {name: dict(spec["defauts"]) for name, spec in self.event_types.items() if spec.get("defauts")}

    @cached_property
    def planned_event_types(self) -> frozenset:
        return frozenset(name for name, spec in self.event_types.items() if spec.get("planifie"))

    @cached_property
    def labels(self) -> Labels:
        """The policy's words for its identifiers (status titles, actors, natures, events, rules…)."""
        return Labels(self.data, self.rules, self.quoting_values)

    @property
    def statuses(self) -> dict:
        return self.data["statuts"]

    @property
    def findings(self) -> dict:
        return self.data["constats"]

    @property
    def currencies(self) -> dict:
        return self.data["politique"]["unites_monetaires"]

    @cached_property
    def conventions(self) -> Conventions:
        raw = self.data["calendrier"]["conventions"]
        return Conventions(raw["avant_jours_francs"], raw["report_jour_non_ouvre"])

    @cached_property
    def year_range(self) -> tuple[int, int]:
        years = self.data["calendrier"]["annees"]
        return years["debut"], years["fin"]

    def calendar(self, territory: str) -> WorkingDayCalendar:
        """The working-day calendar of a territory, built on first use and kept."""
        found = self._calendars.get(territory)
        if found is None:
            spec = self.data["calendrier"]["territoires"][territory]
            first, last = self.year_range
            holidays = public_holidays(territory_of(territory, spec), first, last)
            found = WorkingDayCalendar(territory, holidays, first, last)
            self._calendars[territory] = found
        return found

    def calendar_of(self, actor: str | None, facts: dict) -> WorkingDayCalendar:
        """The calendar whose working days count an actor's deadlines: its own territory, the one the facts give
        (`territoire_des_faits`), else the default one."""
        calendar = self.data["calendrier"]
        spec = calendar["acteurs"].get(actor, {}) if actor else {}
        territory = spec.get("territoire")
        if territory is None and "territoire_des_faits" in spec:
            territory = value_at(facts, spec["territoire_des_faits"])
        return self.calendar(territory or calendar["territoire_par_defaut"])

    @property
    def default_calendar(self) -> WorkingDayCalendar:
        return self.calendar(self.data["calendrier"]["territoire_par_defaut"])

    def duration(self, parameter_id: str, day: date) -> Duration | None:
        parameter = self.parameters[parameter_id]
        amount = parameter.at(day)
        if amount is None:
            return None
        counting = self.data["calendrier"]["unites_de_duree"][parameter.unit]["compte"]
        return Duration(parameter.unit, counting, amount)

    def parameters_at(self, day: date) -> list[dict]:
        """Every parameter's value in force on day, with its unit and article (None before its first value)."""
        out = []
        for parameter in self.parameters.values():
            entry = parameter.entry_at(day)
            value = entry.value if entry else None
            out.append({
                "id": parameter.id,
                "titre": parameter.title,
                "valeur": str(value) if value is not None and parameter.unit in self.currencies else value,
                "unite": parameter.unit,
                "article": parameter.article,
                "depuis": entry.since.isoformat() if entry else None,
            })
        return out

    def describe(self) -> dict:
        return {"id": self.id, "version": self.version, "revision": self.revision}


class PolicySet:
    """Every policy of a folder, by id and by the instance it answers for."""

    def __init__(self, policies: list[Policy]):
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
    def snapshots(self) -> dict:
        """Each policy's files as they were when loaded: the baseline a reload compares the new ones with."""
        return {policy.id: policy.snapshot for policy in self._by_id.values() if policy.snapshot is not None}

    def __iter__(self):
        return iter(self._by_id[key] for key in self.ids())

    def __len__(self) -> int:
        return len(self._by_id)


def value_at(data, dotted: str):
    """data['a']['b'] for 'a.b'; None where a part is missing or not a mapping."""
    for part in dotted.split("."):
        if not isinstance(data, dict):
            return None
        data = data.get(part)
    return data
