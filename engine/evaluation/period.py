"""The status file over time: the policy's status model run on the transitions the rules produced, and the
period's own events (each anniversary, its last day, the first day it is no longer held) for the rules that follow."""
from __future__ import annotations

from dataclasses import replace
from datetime import date

from ..calendar import add_years, shift
from ..policy import Policy
from ..policy.model.vocabulary import PERIOD_ANNIVERSARY, PERIOD_END, PERIOD_OVER
from .events import Event, EventStore
from .status import StatusMachine, UncoveredPeriod


def status_machine(policy: Policy, store: EventStore) -> StatusMachine:
    model = policy.status_model
    territory = policy.default_calendar

    # a period's length is plain calendar arithmetic: no deadline convention (extension) applies to it
    exact = replace(policy.conventions, extend_to_working_day=False)

    def after(start: date, *parameters: str) -> date:
        day = start
        for parameter in parameters:
            duration = policy.duration(parameter, start)
            if duration is None:
                first = policy.parameters[parameter].values[0].since
                when = (f"n'a pas de valeur avant le {first.isoformat()}, date à laquelle cette politique "
                        "commence à s'appliquer" if start < first else f"n'a pas de valeur le {start.isoformat()}")
                raise UncoveredPeriod(f"une période commençant le {start.isoformat()} n'a pas de durée : "
                                      f"'{parameter}' {when}")
            day = shift(day, duration, backward=False, calendar=territory, conventions=exact)
        return day

    period = model.period       # the text in force for a period is the one of its start (`PeriodModel.at`)

    def period_length(start: date) -> date:
        return after(start, period.at(start).duration) if period is not None else start

    def renewal_length(start: date, count: int) -> date:
        renewal = period.at(start).renewal if period is not None else None
        if period is None or renewal is None:
            return start
        return after(start, period.at(start).duration, *[renewal.duration] * count)

    def renewal_count(start: date) -> int:
        renewal = period.at(start).renewal if period is not None else None
        return (policy.parameters[renewal.count].at(start) or 0) if renewal is not None else 0

    def renewal_dates(kinds: tuple[str, ...]) -> list[date]:
        return [e.date for kind in kinds for e in store.of_type(kind)]

    return StatusMachine(model, period_length=period_length, renewal_length=renewal_length,
                         renewal_count=renewal_count, renewal_event_dates=renewal_dates)


def period_events(machine: StatusMachine, store: EventStore, timeline) -> list[Event]:
    as_of = store.as_of
    created = []
    for period in timeline.periods:
        origin = f"periode du {period.start.isoformat()}"
        n = 1
        while (day := add_years(period.start, n)) <= min(period.shown_last_day, as_of):
            created.append(store.derive(PERIOD_ANNIVERSARY, day, {"numero": n, "debut": period.start.isoformat()},
                                        origin))
            n += 1
        if period.ended and period.ended <= as_of and period.end_cause not in machine.active:
            created.append(store.derive(PERIOD_OVER, period.ended, {"debut": period.start.isoformat(),
                                                                    "cause": period.end_cause}, origin))
    if timeline.periods:
        latest = timeline.periods[-1]
        if latest.ended is None or (machine.period is not None
                                    and latest.end_cause == machine.period.at(latest.start).status_at_expiry):
            created.append(store.derive(PERIOD_END, latest.shown_last_day, {
                "debut": latest.start.isoformat(),
                "renouvelable": latest.ended is None and machine.renews(timeline, latest, as_of),
            }, f"periode du {latest.start.isoformat()}"))
    return created
