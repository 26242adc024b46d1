"""The status over time: transitions applied in date order, and the period they open (duration, renewal, expiry).

What a transition does is the policy's (rules with a `statut` effect); what the period does on its own is
the policy's `statuts.periode` block. This module only applies them in order.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta

from ..policy.model.effects import EffectiveDate
from ..policy.model.elements import StatusModel
from .events import Event

ONE_DAY = timedelta(days=1)


class UncoveredPeriod(ValueError):
    """A period starts (or renews) on a date the policy gives no duration for: before its first dated value.
    ``source`` names the event that opened the period ("evenements[3]")."""

    def __init__(self, message: str, source: str | None = None):
        super().__init__(message)
        self.source = source


@dataclass(frozen=True)
class Transition:
    effective: date
    order: tuple          # tie-break: the triggering event's date and key
    rule_id: str
    to: str
    from_statuses: tuple | None
    opens_period: bool
    source: str           # the event that fired the rule ("evenements[3]")
    event: Event = field(compare=False)                                  # the event that fired the rule
    starts: EffectiveDate | None = field(default=None, compare=False)    # the rule's `a_compter_de`, if any


@dataclass
class Period:
    start: date
    last_day: date                 # the last day it is valid as things stand (renewals applied)
    renewals: int = 0
    segment_start: date | None = None     # start of the current (initial or renewed) segment
    ended: date | None = None      # first day no longer held, when cut or expired
    end_cause: str | None = None
    source: str = ""               # the event that opened it
    opened_by: Event | None = None     # ... that event itself

    @property
    def shown_last_day(self) -> date:
        return self.ended - ONE_DAY if self.ended and self.ended <= self.last_day else self.last_day


@dataclass
class Timeline:
    status: str
    history: list = field(default_factory=list)     # (date or None, status, rule id or None, event key or None)
    periods: list = field(default_factory=list)
    causes: list = field(default_factory=list)      # beside each history entry: its Transition, or None

    def status_on(self, day: date) -> str:
        return self._entry_on(day)[1]

    def cause_on(self, day: date) -> str | None:
        """The key of the event whose transition set the status in force on day (None: initial, or the period's end)."""
        return self._entry_on(day)[3]

    def began_on(self, day: date) -> date | None:
        """The day the status in force on day began (None: the initial status)."""
        return self._entry_on(day)[0]

    def _entry_on(self, day: date) -> tuple:
        current = self.history[0]
        for entry in self.history:
            if entry[0] is not None and entry[0] > day:
                break
            current = entry
        return current


class StatusMachine:
    """Applies transitions to the policy's status model. `lengths` gives the period's durations at a date."""

    def __init__(self, model: StatusModel, period_length: Callable[[date], date],
                 renewal_length: Callable[[date, int], date], renewal_count: Callable[[date], int],
                 renewal_event_dates: Callable[[tuple[str, ...]], list[date]]) -> None:
        self.model = model
        self.period = model.period
        self.active = frozenset(self.period.active) if self.period else frozenset()
        self._period_length = period_length          # (start) -> date of the first day after the initial segment
        self._renewal_length = renewal_length        # (start, renewals) -> first day after `renewals` renewals
        self._renewal_count = renewal_count          # (start) -> how many renewals the policy allows
        self._renewal_event_dates = renewal_event_dates   # (event types) -> the dates of such events

    def run(self, transitions: list[Transition], as_of: date) -> Timeline:
        timeline = Timeline(self.model.initial, [(None, self.model.initial, None, None)], causes=[None])
        current: Period | None = None
        for transition in sorted(transitions, key=lambda t: (t.effective, t.order)):
            if transition.effective > as_of:
                continue
            current = self._advance(timeline, current, transition.effective, as_of)
            if transition.from_statuses and timeline.status not in transition.from_statuses:
                continue
            if transition.opens_period and self.period:
                if current and current.ended is None:
                    current.ended, current.end_cause = transition.effective, transition.to
                try:
                    current = Period(transition.effective, self._period_length(transition.effective) - ONE_DAY,
                                     segment_start=transition.effective, source=transition.source,
                                     opened_by=transition.event)
                except UncoveredPeriod as exc:
                    raise UncoveredPeriod(str(exc), transition.source) from None
                timeline.periods.append(current)
            elif current and current.ended is None and transition.to not in self.active:
                current.ended, current.end_cause = transition.effective, transition.to
            self._set(timeline, transition.effective, transition.to, transition)
        self._advance(timeline, current, as_of + ONE_DAY, as_of)
        return timeline

    def _set(self, timeline: Timeline, day: date, status: str, transition: Transition | None) -> None:
        timeline.status = status
        timeline.history.append((day, status, transition.rule_id if transition else None,
                                 transition.order[1] if transition else None))
        timeline.causes.append(transition)

    def _advance(self, timeline: Timeline, current: Period | None, limit: date, as_of: date) -> Period | None:
        """Let the period renew or expire on every day before limit."""
        expiry = self.period.at(current.start).status_at_expiry if self.period and current else ""
        while current and current.ended is None and current.last_day < limit:
            day_after = current.last_day + ONE_DAY
            if self.renews(timeline, current, as_of):
                current.renewals += 1
                current.segment_start = day_after
                try:
                    current.last_day = self._renewal_length(current.start, current.renewals) - ONE_DAY
                except UncoveredPeriod as exc:
                    raise UncoveredPeriod(str(exc), current.source) from None
                continue
            current.ended, current.end_cause = day_after, expiry
            self._set(timeline, day_after, expiry, None)
        return current

    def renews(self, timeline: Timeline, period: Period, as_of: date) -> bool:
        """Whether the current segment, as known on as_of, meets the renewal conditions."""
        renewal = self.period.at(period.start).renewal if self.period else None
        if renewal is None or period.renewals >= self._renewal_count(period.start):
            return False
        segment = (period.segment_start or period.start, min(period.last_day, as_of))
        if renewal.events and not any(segment[0] <= day <= segment[1]
                                      for day in self._renewal_event_dates(renewal.events)):
            return False
        excluded = set(renewal.except_statuses)
        return not any(since and segment[0] <= since <= segment[1] and status in excluded
                       for since, status, _, _ in timeline.history)
