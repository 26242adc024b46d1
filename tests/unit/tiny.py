"""A tiny policy built in memory from the engine's typed objects (engine/policy/model/), for the unit tests:
no folder, no YAML, no server. Every test states the few parameters, rules and statuses it needs.

Its calendar is metropolitan France (the `holidays` library, as the policies declare it) over 2025-2027;
its duration units count as their names say: `jours_ouvres`, `jours`, `mois`, `ans`.
"""
from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

from engine.calendar import Conventions, Territory
from engine.evaluation.events import Event, EventStore
from engine.policy.model.effects import Effect
from engine.policy.model.elements import (
    ActorModel,
    CalendarModel,
    Conformity,
    Currency,
    DurationUnit,
    Elements,
    FindingType,
    Head,
    StatusModel,
    StatusValue,
    TerritoryModel,
)
from engine.policy.model.parameters import DatedValue, Parameter
from engine.policy.model.policy import Policy
from engine.policy.model.rules import Guards, Rule, Trigger
from engine.policy.model.templates import Template

FIRST_YEAR, LAST_YEAR = 2025, 2027
METROPOLE = Territory("metropole", "FR")
PLAIN = Conventions(backward_clear_days=False, extend_to_working_day=False)
NO_GUARD = Guards()
UNITS = {"jours_ouvres": "working_days", "jours": "calendar_days", "mois": "months", "ans": "years"}


def parameter(pid: str, unit: str, *values: tuple[str, object]) -> Parameter:
    """A dated parameter: (since, value) pairs, amounts in euros as strings."""
    dated = tuple(DatedValue(date.fromisoformat(since), Decimal(v) if unit == "eur" else v, {})
                  for since, v in values)
    return Parameter(pid, f"paramètre {pid}", "art. X", unit, dated)


def policy(*parameters: Parameter, rules: tuple[Rule, ...] = (), statuses: StatusModel | None = None,
           conventions: Conventions = PLAIN,
           findings: tuple[str, ...] = ("retard",)) -> Policy:
    head = Head("tiny", "1", "Politique minuscule", None, ("tiny",), Conformity(),
                {"eur": Currency("eur", "EUR", "montant_ht", "€")})
    calendar = CalendarModel((FIRST_YEAR, LAST_YEAR), conventions,
                             {unit: DurationUnit(unit, counting) for unit, counting in UNITS.items()},
                             "metropole", {"metropole": TerritoryModel("metropole", METROPOLE)},
                             {"organisme": ActorModel("organisme"), "certificateur": ActorModel("certificateur")})
    statuses = statuses or StatusModel({"aucun": StatusValue("aucun", "art. 1", "Aucun")}, "aucun")
    elements = Elements(head, statuses, calendar, {}, {},
                        {f: FindingType(f, "art. 9", "majeure", f"Constat {f}") for f in findings})
    return Policy("tiny", "1", "Politique minuscule", Path("."), "r0", {}, {p.id: p for p in parameters},
                  rules, {}, elements)


def rule(rid: str, event: str, effect: Effect, guards: Guards = NO_GUARD, article: str = "art. 5") -> Rule:
    return Rule(rid, article, Template.parse(f"règle {rid}"), Trigger(event), guards, effect, None, None)


def store(tiny: Policy, as_of: str, *events: tuple[str, str] | tuple[str, str, dict]) -> EventStore:
    """The events of the facts (type, date[, attributes]), keyed e0, e1… in the order given."""
    facts = {"evenements": [{"type": e[0], "date": e[1], **(e[2] if len(e) > 2 else {})} for e in events]}
    return EventStore(tiny, facts, date.fromisoformat(as_of))


def event(key: str, type_: str, day: str, **attributes: object) -> Event:
    return Event(key, type_, date.fromisoformat(day), dict(attributes), f"evenements[{key[1:]}]")


def d(text: str) -> date:
    return date.fromisoformat(text)
