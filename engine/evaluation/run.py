"""One evaluation: the facts' events matched by the policy's rules in a durable_rules session, in rounds.

Rounds: the dossier's events are asserted; what the rules produce that other rules may follow from (a deadline
passed, an event a rule emits) is asserted in the next round, until nothing new comes. A match whose rule has a
guard (engine/evaluation/guards.py) waits until the round's events are all asserted, then applies once its guard
holds; matches still waiting are checked again whenever nothing else is left to assert. Then the status is run over
time (a status guard can be checked only from then on), and the period's own events (its end, its anniversaries)
are asserted for the rules that follow them.
"""
from __future__ import annotations

from datetime import date

from ..calendar import shift
from ..policy import Policy, Rule
from ..policy.model.effects import (
    ActionEffect,
    EffectiveDate,
    EmitEffect,
    FeeEffect,
    FindingEffect,
    StatusEffect,
)
from ..policy.model.elements import Scope
from ..policy.model.rules import version_label
from .actions import ActionBook
from .dossier import DossierResult, check_dossier
from .events import Event, EventStore
from .fees import Charged, fees_out
from .findings import rule_finding
from .guards import Guards
from .parts import FindingPart
from .period import period_events, status_machine
from .session import CompiledRules, Session
from .status import Transition
from .verdict import assemble


class Evaluation:
    def __init__(self, policy: Policy, rules: CompiledRules, facts: dict, as_of: date, *, explain: bool = False,
                 extensions: tuple[Scope, ...] = (), dossier: DossierResult | None = None):
        self.policy = policy
        self.rules = rules                   # the policy's compiled rules (engine/evaluation/session.py)
        self.facts = facts
        self.as_of = as_of
        self.explain = explain               # add each item's `explication` (built at the end, only then)
        self.store = EventStore(policy, facts, as_of)
        self.actions = ActionBook(policy, facts, self.store)
        self.guards = Guards(policy, self.store, self.actions, facts, extensions)   # extensions: their scopes
        self.fees: list[Charged] = []
        self.findings: list[tuple[FindingPart, Rule, Event]] = []    # what rules with a `constat` effect found
        self.transitions: list[Transition] = []
        self.trace: list[dict] = []
        self._waiting: list[tuple[Rule, Event]] = []
        # the dossier checks' result on these facts (given when already computed under the same checks)
        self.dossier = dossier if dossier is not None else check_dossier(policy, facts, as_of)

    def verdict(self) -> dict:
        with self.rules.session() as session:
            settled, emitted = self.dossier.settle(self.store.events.values(), self.as_of)
            pending = dict(self.store.events)
            pending.update(self._dossier_events(emitted))
            self._rounds(session, pending)
            machine = status_machine(self.policy, self.store)
            timeline = machine.run(self.transitions, self.as_of)
            self.guards.timeline = timeline
            self._rounds(session, {event.key: event for event in period_events(machine, self.store, timeline)})
            self.actions.settle(timeline)
        return assemble(self.policy, self.facts, self.as_of, timeline=timeline, actions=self.actions,
                        fees=fees_out(self.policy, self.facts, self.as_of, self.fees, explain=self.explain),
                        findings=self.findings, dossier=settled, trace=self.trace, explain=self.explain)

    def _dossier_events(self, emitted: tuple[str, dict, str] | None) -> dict[str, Event]:
        """What the dossier checks emit (e.g. a dossier to complete) is asserted with the events."""
        if emitted is None:
            return {}
        type_, attributes, source = emitted
        event = self.store.derive(type_, self.as_of, attributes, source)
        return {event.key: event}

    def _rounds(self, session: Session, pending: dict[str, Event]) -> None:
        while True:
            if pending:
                new = self._assert(session, pending)
            else:
                released = self._release()
                if released is None:
                    return
                new = released
            created = [event for batch in new for event in batch]
            created += self.actions.resolve()
            pending = {event.key: event for event in created}

    def _assert(self, session: Session, pending: dict[str, Event]) -> list[list[Event]]:
        fired = session.assert_facts(pending)
        fired.sort(key=lambda match: (self.store[match[1]].date, match[1], match[0]))
        new = []
        for rule_index, key in fired:
            rule, event = self.policy.rule_variants[rule_index], self.store[key]
            if rule.versions and not self._in_force(rule, event):
                continue
            if rule.guards.in_scope is not None and not self.guards.in_scope(rule.guards.in_scope, event):
                continue                     # a scope never changes during an evaluation: decided at once
            if rule.has_guards:
                self._waiting.append((rule, event))
            else:
                new.append(self._apply(rule, event))
        return new

    def _in_force(self, rule: Rule, event: Event) -> bool:
        """A text of an amended rule applies to an event only when it is the version in force on the date that
        selects it: the event's own, or that of the latest event of the type the amendment names, up to it."""
        def selecting(latest_event: str | None) -> date:
            if latest_event is None:
                return event.date
            found = [other.date for other in self.store.of_type(latest_event) if other.date <= event.date]
            return max(found, default=event.date)
        return rule.version_index(selecting) == rule.version_number

    def _release(self) -> list[list[Event]] | None:
        """Apply the waiting matches whose guard now holds (in date order); None when none does."""
        holds = [self.guards.hold(rule, event) for rule, event in self._waiting]
        if not any(holds):
            return None
        ready = [match for match, ok in zip(self._waiting, holds) if ok]
        self._waiting = [match for match, ok in zip(self._waiting, holds) if not ok]
        ready.sort(key=lambda match: (match[1].date, match[1].key))
        return [self._apply(rule, event) for rule, event in ready]

    def _apply(self, rule: Rule, event: Event) -> list[Event]:
        self.trace.append({"regle": rule.id, "article": rule.article, "faits": [event.source],
                           **({"version": version_label(rule)} if rule.versions else {})})
        effect = rule.effect
        if isinstance(effect, ActionEffect):
            self.actions.open(rule, effect, event)
        elif isinstance(effect, FeeEffect):
            self.fees.append((rule, effect, event))
        elif isinstance(effect, FindingEffect):
            self.findings.append((rule_finding(self.policy, rule, effect, event, self.guards.status_on(event.date)),
                                  rule, event))
        elif isinstance(effect, StatusEffect):
            effective = self._effective_date(effect.starts, event)
            if effective is not None:
                self.transitions.append(Transition(effective, (event.date, event.key), rule.id, effect.to,
                                                   effect.from_statuses, effect.opens_period, event.source, event,
                                                   effect.starts))
        elif isinstance(effect, EmitEffect):
            effective = self._effective_date(effect.starts, event)
            if effective is not None:
                return [self.store.derive(effect.event, effective, {}, f"regle {rule.id} ({event.source})",
                                          parent=event, rule_id=rule.id)]
        return []

    def _effective_date(self, starts: EffectiveDate | None, event: Event) -> date | None:
        if starts is None:
            return event.date
        day = event.date_at(starts.path)
        if day is not None and starts.delay is not None:
            duration = self.policy.duration(starts.delay, event.date)
            if duration is None:
                return None
            day = shift(day, duration, backward=False, calendar=self.policy.default_calendar_at(event.date),
                        conventions=self.policy.conventions_at(event.date))
        floor = event.date_at(starts.not_before) if starts.not_before is not None else None
        return day if day is None or floor is None else max(day, floor)
