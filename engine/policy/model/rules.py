"""A policy's rules as frozen typed objects, built once at load (engine/policy/loading/rules.py).

    - id, article, titre          the title is a Template quoting parameters ({section.delai})
      quand:                      the Trigger (event type and `si` conditions, matched by durable_rules) and the
                                  Guards (checked by the engine: engine/evaluation/guards.py)
      <effect>: {...}             exactly one effect (engine/policy/model/effects.py)
      versions:                   amendments, each in force from `depuis` with its `decision`, stating its `quand` and
        - depuis: 2027-03-01      its effect in full (its `titre` too, or it keeps the one before); `selon` chooses the
          decision: {...}         date that selects it: the trigger's date (default), or the date of the latest event
          selon: {dernier_evenement: TYPE}   of a type up to the trigger (a transitional clause: "applies to the
          quand: ...                         applications filed from D"). Facts dated before keep the version before.
          <effect>: {...}
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date

from .display import day_text
from .effects import (
    ActionEffect,
    Effect,
    EmitEffect,
    FeeEffect,
    FindingEffect,
    Scalar,
    StatusEffect,
)
from .elements import Decision
from .templates import Template

# The operators of a trigger's `si` conditions (besides plain equality).
OPERATORS = ("parmi", "different", "existe", "non_vide")
EQUALS = "egal"


@dataclass(frozen=True)
class Condition:
    """One `si` entry: attribute, operator (egal, parmi, different, existe, non_vide) and operand."""

    attribute: str
    operator: str
    operand: Scalar | tuple[Scalar, ...]


@dataclass(frozen=True)
class Trigger:
    event: str
    conditions: tuple[Condition, ...] = ()


@dataclass(frozen=True)
class After:
    """`apres`: an event of this type before the trigger, within the duration parameter `dans`."""

    event: str
    within: str


@dataclass(frozen=True)
class OtherEvent:
    """`existe` / `sans`: another event of a type, dated within [since, until] (dates of the trigger), equal to
    it on `meme`, and not followed by an event of a type of `puis_aucun`."""

    event: str
    since: str | None = None
    until: str | None = None
    same: tuple[str, ...] = ()
    then_none: tuple[str, ...] = ()


@dataclass(frozen=True)
class Fulfils:
    """`accomplit`: the trigger fulfilled an action of that id (in time or late, when asked)."""

    action: str
    in_time: bool | None = None


@dataclass(frozen=True)
class StatusException:
    """`au_statut.sauf` (one block, or a list of them, one a status): the trigger's date attribute `path` on or
    before the first of `at_latest` read on the event that caused the status; with no `at_latest`, on or before the
    day before the status began (while the previous one was in force)."""

    article: str
    status: str
    path: str
    at_latest: tuple[str, ...] = ()


@dataclass(frozen=True)
class AtStatus:
    """`au_statut`: the status on the trigger's date is among `statuses` (parmi), or not (hors)."""

    statuses: tuple[str, ...]
    among: bool
    unless: tuple[StatusException, ...] = ()


@dataclass(frozen=True)
class InScope:
    """`portee`: a value compared with a scope (politique.portee). `extension`: the value is the scope of one of
    the policy's extensions (`path`: an attribute of the trigger; None: the facts, at each extension's own facts
    path). Else `within`: the value is within the policy's own scope (a policy without one: every value is) or,
    `within` false, outside it (the policy has a scope and the attribute is absent or another value)."""

    path: str | None
    extension: bool = False
    within: bool = True


@dataclass(frozen=True)
class Guards:
    after: After | None = None
    exists: OtherEvent | None = None
    without: OtherEvent | None = None
    fulfils: Fulfils | None = None
    at_status: AtStatus | None = None
    in_scope: InScope | None = None
    # any guard that looks at other events, the actions or the status: the match waits until it holds (a scope
    # guard reads only the facts and the policies: it is decided when the trigger is matched)
    present: bool = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "present", any(guard is not None for guard in (
            self.after, self.exists, self.without, self.fulfils, self.at_status)))


@dataclass(frozen=True)
class RuleVersion:
    """One amendment of a rule: in force from `since` for the facts whose selecting date is on or after it (the
    trigger's date, or that of the latest event of type `latest_event` up to the trigger)."""

    since: date
    decision: Decision | None
    latest_event: str | None
    title: Template
    trigger: Trigger
    guards: Guards
    effect: Effect
    line: int | None


@dataclass(frozen=True)
class Rule:
    id: str
    article: str
    title: Template
    trigger: Trigger
    guards: Guards
    effect: Effect
    file: str | None
    line: int | None
    versions: tuple[RuleVersion, ...] = ()      # its amendments, oldest first (the fields above: the first text)
    applied: RuleVersion | None = None          # in a variant (`variants`): the amendment it is; None: the first text

    def variants(self) -> tuple[Rule, ...]:
        """The rule as first written, then as each amendment makes it: each is compiled as its own rule."""
        return (self,) + tuple(replace(self, title=version.title, trigger=version.trigger, guards=version.guards,
                                       effect=version.effect, applied=version) for version in self.versions)

    def version_index(self, selecting: Callable[[str | None], date]) -> int:
        """Which variant is in force: the newest amendment whose selecting date (`selecting(latest_event)`) is on
        or after its start; 0 (the first text) when none is."""
        for index in range(len(self.versions), 0, -1):
            version = self.versions[index - 1]
            if selecting(version.latest_event) >= version.since:
                return index
        return 0

    @property
    def version_number(self) -> int:
        return 0 if self.applied is None else self.versions.index(self.applied) + 1


    @property
    def has_guards(self) -> bool:
        return self.guards.present

    @property
    def action(self) -> ActionEffect | None:
        return self.effect if isinstance(self.effect, ActionEffect) else None

    @property
    def fee(self) -> FeeEffect | None:
        return self.effect if isinstance(self.effect, FeeEffect) else None

    @property
    def status(self) -> StatusEffect | None:
        return self.effect if isinstance(self.effect, StatusEffect) else None

    @property
    def emits(self) -> EmitEffect | None:
        return self.effect if isinstance(self.effect, EmitEffect) else None

    @property
    def finding(self) -> FindingEffect | None:
        return self.effect if isinstance(self.effect, FindingEffect) else None

    def parameters(self) -> list[str]:
        """The parameters the rule itself reads (its delay, its amount, its guard's duration), in that order."""
        effect = self.effect
        found: list[str | None] = []
        if isinstance(effect, ActionEffect):
            found.append(effect.deadline.delay)
        elif isinstance(effect, FeeEffect):
            found.append(effect.amount.parameter)
        elif isinstance(effect, (StatusEffect, EmitEffect)) and effect.starts is not None:
            found.append(effect.starts.delay)
        found.append(self.guards.after.within if self.guards.after else None)
        return [name for name in dict.fromkeys(found) if name]


def version_label(rule: Rule) -> dict:
    """Which text of an amended rule applied, for the trace and the explanations."""
    version = rule.applied
    if version is None:
        first = day_text(rule.versions[0].since) if rule.versions else None
        return {"numero": 0, "depuis": None,
                "texte": f"texte initial{f', en vigueur avant le {first}' if first else ''}"}
    decision = version.decision
    reference = decision.reference if decision is not None and decision.reference else None
    return {"numero": rule.version_number, "depuis": version.since.isoformat(),
            **({"decision": reference} if reference else {}),
            "texte": f"version en vigueur depuis le {day_text(version.since)}"
                     f"{f', décision : {reference}' if reference else ''}"}
