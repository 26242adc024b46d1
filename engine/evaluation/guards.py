"""Guards: the parts of a rule's `quand` that durable_rules does not match, checked by the engine on the matched event.

durable_rules matches one event on its type and `si` conditions; what a guard asks looks at other events, at the
actions, or at the status, so it is checked once the round's events are all asserted:

    apres:     {evenement: T, dans: <duration>}     an event of type T before the trigger, within the duration
    existe:    {evenement: T, depuis: <chemin>, jusqu_au: <chemin>, meme: [attr], puis_aucun: [U, ...]}
               some other event of type T dated within [depuis, jusqu_au] (each read on the trigger: `date`, or an
               attribute such as `declencheur.date`; each optional, inclusive), equal to the trigger on the `meme`
               attributes both carry, and not followed by an event of a type U up to the trigger
    sans:      {...the keys of existe}              no such event
    accomplit: {action: <id>, dans_les_delais: true|false}
               the trigger is the event that fulfilled an action of that id (in time, or late, when asked)
    portee:    {chemin: <attribute>, dans: true|false} | {chemin: <attribute>?, extension: true}
               the trigger's attribute is (dans) or is not (dans: false) within the policy's own scope (a policy
               without one: every value is within); or it names the scope of one of the policy's extensions
               (without chemin: the facts do, at that extension's own facts path)
    au_statut: {parmi: [...]} | {hors: [...]}, and optionally
               sauf: {statut: S, chemin: <date attribute of the trigger>, au_plus_tard: [<chemin>, ...]}
               the status on the trigger's date (after that day's transitions) is (not) among these; `sauf`: not when
               that status is S and the trigger's date attribute is on or before the date of the event that put the
               organisation in S (the first of `au_plus_tard` it carries)

A guard that does not hold yet may hold later (an action is opened by another guarded rule; the status is known
only once every transition is): the evaluation keeps the match and checks it again (engine/evaluation/run.py).
"""
from __future__ import annotations

from datetime import date

from ..calendar import shift
from ..policy import Policy, Rule
from ..policy.model.elements import Scope
from ..policy.model.policy import value_at
from ..policy.model.rules import After, AtStatus, Fulfils, InScope, OtherEvent
from .actions import ActionBook
from .events import Event, EventStore
from .status import Timeline


class Guards:
    def __init__(self, policy: Policy, store: EventStore, actions: ActionBook, facts: dict | None = None,
                 extensions: tuple[Scope, ...] = ()):
        self.policy = policy
        self.store = store
        self.actions = actions
        self.facts = facts or {}
        self.extensions = extensions                   # the scopes of the policy's extensions (`portee`)
        self.timeline: Timeline | None = None          # set once the status over time is known

    def hold(self, rule: Rule, event: Event) -> bool:
        guards = rule.guards
        if guards.at_status is not None and (self.timeline is None or not self._status_ok(guards.at_status, event)):
            return False
        return ((guards.after is None or self._after(guards.after, event))
                and (guards.exists is None or self._exists(guards.exists, event))
                and (guards.without is None or not self._exists(guards.without, event))
                and (guards.fulfils is None or self._fulfils(guards.fulfils, event))
                and (guards.in_scope is None or self.in_scope(guards.in_scope, event)))

    def status_on(self, day: date) -> str | None:
        return None if self.timeline is None else self.timeline.status_on(day)

    def _after(self, spec: After, event: Event) -> bool:
        for earlier in self.store.of_type(spec.event):
            duration = self.policy.duration(spec.within, earlier.date)
            if duration is None or earlier.date >= event.date:
                continue
            limit = shift(earlier.date, duration, backward=False, calendar=self.policy.default_calendar_at(earlier.date),
                          conventions=self.policy.conventions_at(earlier.date))
            if event.date <= limit:
                return True
        return False

    def _exists(self, spec: OtherEvent, event: Event) -> bool:
        start = event.date_at(spec.since) if spec.since is not None else None
        end = event.date_at(spec.until) if spec.until is not None else None
        if (spec.since is not None and start is None) or (spec.until is not None and end is None):
            return False
        followers = [e for e in self.store.events.values()
                     if e.type in spec.then_none and e.key != event.key and e.date <= event.date]
        for other in self.store.of_type(spec.event):
            if other.key == event.key or (start and other.date < start) or (end and other.date > end):
                continue
            if any(key in other.attributes and key in event.attributes
                   and other.attributes[key] != event.attributes[key] for key in spec.same):
                continue
            if any(later.date > other.date for later in followers):
                continue
            return True
        return False

    def in_scope(self, spec: InScope, event: Event) -> bool:
        """The `portee` guard: it reads only the facts and the policies, so run.py decides it at the match."""
        if spec.extension:
            if spec.path is None:
                return any(value_at(self.facts, scope.facts_path) == scope.value for scope in self.extensions)
            value = value_at(event.attributes, spec.path)
            return any(value == scope.value for scope in self.extensions)
        own = self.policy.head.scope
        if own is None or spec.path is None:
            return spec.within
        return (value_at(event.attributes, spec.path) == own.value) == spec.within

    def _fulfils(self, spec: Fulfils, event: Event) -> bool:
        for action in self.actions.actions:
            if action.effect.id != spec.action or action.fulfilled_by is None:
                continue
            if action.fulfilled_by.key == event.key:
                in_time = action.in_time is True
                return (in_time if spec.in_time is None else spec.in_time) == in_time
        return False

    def _status_ok(self, spec: AtStatus, event: Event) -> bool:
        assert self.timeline is not None
        status = self.timeline.status_on(event.date)
        if (status in spec.statuses) != spec.among:
            return False
        exception = next((e for e in spec.unless if e.status == status), None)
        if exception is None:
            return True
        day = event.date_at(exception.path)
        if day is None:
            return True
        if not exception.at_latest:     # on or before the day before the status began
            began = self.timeline.began_on(event.date)
            return began is None or day >= began
        cause = self.timeline.cause_on(event.date)
        if cause is None:
            return True
        limit = next((found for path in exception.at_latest
                      if (found := self.store[cause].date_at(path)) is not None), None)
        return limit is None or day > limit
