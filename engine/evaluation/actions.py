"""Actions: what a rule with an `action` effect requires of an actor, by when, and whether it was done.

An action opens on the event that starts it, its due date counted on its actor's calendar; it is fulfilled by the
first unused event of the declared type (and same attributes, `meme`) in its window. A deadline passed without
fulfilment, or fulfilled late, gives the rule's finding and an engine event the next round's rules may follow.
An action whose text sets no deadline (`sans_delai`) has none (echeance null): it is due, never late.
What the due date was counted from (anchor, duration, calendar) is kept with the action, to explain it on demand.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from ..calendar import Duration, WorkingDayCalendar, shift
from ..policy import Policy, Rule
from ..policy.model.effects import ActionEffect
from ..policy.model.vocabulary import DEADLINE_PASSED, TRIGGER
from ..wording import short_date
from .events import Event, EventStore
from .parts import ActionPart, FindingPart
from .status import Timeline

ONE_DAY = timedelta(days=1)
NO_DEADLINE = date.max   # sorts actions without a deadline last


@dataclass
class ActionInstance:
    rule: Rule
    effect: ActionEffect                 # the rule's effect
    trigger: Event
    due: date | None                     # None: the text sets no deadline
    anchor: date | None = None           # the date the deadline is counted from
    duration: Duration | None = None
    calendar: WorkingDayCalendar | None = None
    fulfilled_by: Event | None = None
    state: str = ""
    delay_end: date | None = None        # the delay's own end, when the trigger grants a later due date

    @property
    def done_on(self) -> date | None:
        """The day the action counts as fulfilled: the fulfilling event's date, or its `date` attribute if it has one."""
        done, spec = self.fulfilled_by, self.effect.fulfilment
        if done is None:
            return None
        counted = done.date_at(spec.dated_by) if spec is not None and spec.dated_by is not None else None
        return counted or done.date

    @property
    def in_time(self) -> bool | None:
        done = self.done_on
        return None if done is None or self.due is None else done <= self.due

    def part(self, explanation: dict | None = None) -> ActionPart:
        done = self.done_on
        return ActionPart(self.effect.id, self.effect.actor, self.effect.nature,
                          self.due.isoformat() if self.due else None, self.state, self.rule.article, self.rule.id,
                          self.trigger.type, self.trigger.date.isoformat(),
                          done.isoformat() if done else None, self.in_time, explanation)


class ActionBook:
    def __init__(self, policy: Policy, facts: dict, store: EventStore):
        self.policy = policy
        self.facts = facts
        self.store = store
        self.actions: list[ActionInstance] = []
        self.findings: list[FindingPart] = []
        self.late: list[ActionInstance] = []     # the action behind each finding, in the same order
        self._used: dict[str, set] = defaultdict(set)

    def open(self, rule: Rule, effect: ActionEffect, trigger: Event) -> None:
        deadline = effect.deadline
        if deadline.none:
            self.actions.append(ActionInstance(rule, effect, trigger, None))
            return
        anchor = trigger.date_at(deadline.since)
        if anchor is None:
            return
        due, duration, calendar = anchor, None, None
        if deadline.delay is not None:
            duration = self.policy.duration(deadline.delay, trigger.date)
            if duration is None:   # the rule was not in force on the date of the event that starts it
                return
            calendar = self.policy.calendar_of(effect.actor, self.facts, trigger.date)
            due = shift(anchor, duration, backward=deadline.backward, calendar=calendar,
                        conventions=self.policy.conventions_at(trigger.date))
        later = trigger.date_at(deadline.not_before) if deadline.not_before is not None else None
        delay_end = None
        if later is not None and later > due:      # the trigger grants more time than the text's delay
            due, delay_end = later, due
        self.actions.append(ActionInstance(rule, effect, trigger, due, anchor, duration, calendar,
                                           delay_end=delay_end))

    def resolve(self) -> list[Event]:
        """Give every new action its state; a deadline passed becomes an event for the next round."""
        as_of = self.store.as_of
        created = []
        for action in sorted((a for a in self.actions if not a.state),
                             key=lambda a: (a.due or NO_DEADLINE, a.trigger.key)):
            effect = action.effect
            action.fulfilled_by = self._fulfilment(action)
            if action.due is None:          # no deadline: due, never late
                action.state = "accomplie" if action.fulfilled_by else "a_faire"
                continue
            late = action.in_time is False
            missing = action.fulfilled_by is None and action.due < as_of
            if missing and action.effect.deadline.lapses:   # its lapse has a consequence of its own: not late
                action.state = "echue"
                created.append(self._passed(action, action.due))
                continue
            if action.fulfilled_by and not (late and effect.nature == "faculte"):
                action.state = "accomplie"
            elif action.due >= as_of and not late:
                action.state = "a_faire"
            else:   # an option exercised after its deadline was not exercised: it lapsed (accomplie_le still shown)
                action.state = "en_retard" if effect.nature == "obligation" else "echue"
            if late or missing:
                self._late_finding(action, action.due, "tardive" if late else "absente")
                created.append(self._passed(action, action.due))
        return created

    def _passed(self, action: ActionInstance, due: date) -> Event:
        effect = action.effect
        return self.store.derive(DEADLINE_PASSED, due + ONE_DAY, {
            "action": effect.id, "acteur": effect.actor, "echeance": due.isoformat(),
            TRIGGER: action.trigger.flat(),
        }, f"regle {action.rule.id} ({action.trigger.source})", parent=action.trigger, rule_id=action.rule.id)

    def settle(self, timeline: Timeline) -> None:
        """Once the status over time is known: an action with `tant_que_statut` opened on a day the status is not
        among them is no action; one whose status leaves them before it is fulfilled (the fulfilling event may end
        the status itself: a withdrawal) and before its due date
        lapses (`echue`), and raises no finding."""
        dropped: set[int] = set()
        for action in self.actions:
            statuses = action.effect.while_status
            if not statuses:
                continue
            if timeline.status_on(action.trigger.date) not in statuses:
                dropped.add(id(action))
                continue
            left = next((day for day, status, *_ in timeline.history if day is not None
                         and action.trigger.date < day <= self.store.as_of and status not in statuses), None)
            done = action.done_on
            if left is None or (done is not None and done <= left) or (
                    action.due is not None and action.due < left):
                continue
            action.state, action.fulfilled_by = "echue", None
            dropped.add(-id(action))     # keeps the action, drops its finding
        self.actions = [a for a in self.actions if id(a) not in dropped]
        kept = [(f, a) for f, a in zip(self.findings, self.late) if id(a) not in dropped and -id(a) not in dropped]
        self.findings, self.late = [f for f, _ in kept], [a for _, a in kept]

    def _after_previous(self, trigger: Event, same: tuple[str, ...]) -> date | None:
        """`anticipee`: the day after the latest earlier event of the trigger's type equal on `same` (None: none)."""
        earlier = [e.date for e in self.store.of_type(trigger.type) if e.date < trigger.date and all(
            e.attributes.get(key) == trigger.attributes.get(key) for key in same)]
        return max(earlier) + ONE_DAY if earlier else None

    def ordered(self) -> list[ActionInstance]:
        return sorted(self.actions, key=lambda a: (a.due or NO_DEADLINE, a.effect.id))

    def _fulfilment(self, action: ActionInstance) -> Event | None:
        spec = action.effect.fulfilment
        if spec is None:
            return None
        deadline = action.effect.deadline
        backward = deadline.backward
        anchor = action.trigger.date_at(deadline.since)
        start = action.trigger.date_at(spec.since) if spec.since is not None else (
            None if backward else action.trigger.date)
        if spec.ahead:
            start = self._after_previous(action.trigger, spec.same)
        used = self._used[action.effect.id]
        for candidate in self.store.of_type(spec.event):
            if candidate.key in used or (start and candidate.date < start) or (
                    backward and anchor is not None and candidate.date > anchor):
                continue
            if all(candidate.attributes.get(key) == action.trigger.attributes.get(key) for key in spec.same):
                used.add(candidate.key)
                return candidate
        return None

    def _late_finding(self, action: ActionInstance, due: date, case: str) -> None:
        late = action.effect.late
        if late is None or case not in late.cases:
            return
        finding = self.policy.finding_types[late.finding]
        done = action.done_on
        when = f"accomplie le {short_date(done)}" if done else "non accomplie"
        self.findings.append(FindingPart(
            late.finding, finding.severity_on(due), action.rule.article, action.rule.id,
            f"{finding.title} : « {self.policy.rule_title(action.rule, action.trigger.date)} » — "
            f"échéance du {short_date(due)}, {when}."))
        self.late.append(action)
