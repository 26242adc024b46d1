"""One evaluation: the facts' events matched by the policy's rules in a durable_rules session, in rounds.

Rounds: the dossier's events are asserted; what the rules produce that other rules may follow from (a deadline
passed, an event a rule emits) is asserted in the next round, until nothing new comes. Then the status is run
over time, and the period's own events (its end, its anniversaries) are asserted for the rules that follow them.
"""
from __future__ import annotations

from datetime import date

from ..calendar import shift
from ..policy import Policy, Rule
from .actions import ActionBook
from .dossier import check_dossier
from .events import Event, EventStore
from .fees import fees_out
from .period import period_events, status_machine
from .status import Transition
from .verdict import assemble


class Evaluation:
    def __init__(self, policy: Policy, rules, facts: dict, as_of: date):
        self.policy = policy
        self.rules = rules                   # the policy's compiled rules (engine/evaluation/session.py)
        self.facts = facts
        self.as_of = as_of
        self.store = EventStore(policy, facts, as_of)
        self.actions = ActionBook(policy, facts, self.store)
        self.fees: list = []
        self.transitions: list[Transition] = []
        self.trace: list[dict] = []
        self._deferred: list = []
        self.dossier = check_dossier(policy, facts)

    def verdict(self) -> dict:
        with self.rules.session() as session:
            pending = dict(self.store.events)
            pending.update(self._dossier_events())
            self._rounds(session, pending)
            machine = status_machine(self.policy, self.store)
            timeline = machine.run(self.transitions, self.as_of)
            self._rounds(session, {event.key: event for event in period_events(machine, self.store, timeline)})
        return assemble(self.policy, self.facts, self.as_of, timeline=timeline, actions=self.actions.out(),
                        fees=fees_out(self.policy, self.facts, self.as_of, self.fees),
                        findings=self.actions.findings, dossier=self.dossier, trace=self.trace)

    def _dossier_events(self) -> dict:
        """What the dossier checks emit (e.g. a dossier to complete) is asserted with the events."""
        emitted = self.dossier.event(self.store.events.values(), self.as_of)
        if emitted is None:
            return {}
        type_, attributes, source = emitted
        event = self.store.derive(type_, self.as_of, attributes, source)
        return {event.key: event}

    def _rounds(self, session, pending: dict) -> None:
        while pending or self._deferred:
            if not pending:
                deferred, self._deferred = self._deferred, []
                new = [self._apply(rule, event) for rule, event in deferred if self._after_ok(rule, event)]
            else:
                fired = session.assert_facts({key: event.flat() for key, event in pending.items()})
                fired.sort(key=lambda match: (self.store[match[1]].date, match[1], match[0]))
                new = []
                for rule_index, key in fired:
                    rule, event = self.policy.rules[rule_index], self.store[key]
                    if "apres" in rule.when:
                        self._deferred.append((rule, event))
                    else:
                        new.append(self._apply(rule, event))
            created = [event for batch in new for event in batch]
            created += self.actions.resolve()
            pending = {event.key: event for event in created}

    def _after_ok(self, rule: Rule, event: Event) -> bool:
        """`apres`: an event of the given type before this one, within the given duration."""
        spec = rule.when["apres"]
        for earlier in self.store.of_type(spec["evenement"]):
            duration = self.policy.duration(spec["dans"], earlier.date)
            if duration is None or earlier.date >= event.date:
                continue
            limit = shift(earlier.date, duration, backward=False, calendar=self.policy.default_calendar,
                          conventions=self.policy.conventions)
            if event.date <= limit:
                return True
        return False

    def _apply(self, rule: Rule, event: Event) -> list[Event]:
        self.trace.append({"regle": rule.id, "article": rule.article, "faits": [event.source]})
        spec = rule.spec
        if rule.effect == "action":
            self.actions.open(rule, event)
        elif rule.effect == "frais":
            self.fees.append((rule, event))
        elif rule.effect == "statut":
            effective = self._effective_date(spec.get("a_compter_de"), event)
            if effective is not None:
                self.transitions.append(Transition(effective, (event.date, event.key), rule.id, spec["vers"],
                                                   tuple(spec["depuis_statuts"]) if "depuis_statuts" in spec else None,
                                                   bool(spec.get("ouvre_periode")), event.source))
        elif rule.effect == "emettre":
            effective = self._effective_date(spec.get("a_compter_de"), event)
            if effective is not None:
                return [self.store.derive(spec["evenement"], effective, {}, f"regle {rule.id} ({event.source})")]
        return []

    def _effective_date(self, spec, event: Event) -> date | None:
        if spec is None:
            return event.date
        path, delay = (spec, None) if isinstance(spec, str) else (spec["chemin"], spec.get("delai"))
        day = event.date_at(path)
        if day is None or delay is None:
            return day
        duration = self.policy.duration(delay, event.date)
        if duration is None:
            return None
        return shift(day, duration, backward=False, calendar=self.policy.default_calendar,
                     conventions=self.policy.conventions)
