"""The status machine and its period (engine/evaluation/status.py, period.py) on a tiny policy built in memory.

Sentences pinned (regulation III.4): « L'habilitation est délivrée pour une durée de 3 ans à compter de la date de
notification ... Elle est renouvelable 1 fois pour une durée de 3 ans en l'absence de décision ... de retrait ou de
suspension » ; « Ce renouvellement automatique ne s'applique que si l'Organisme Habilité a effectivement mis en
œuvre au moins une fois son habilitation » ; « La suspension de l'habilitation n'a pas pour effet de proroger la
durée de l'habilitation ». README: a period is plain calendar arithmetic (3 years from 10 Mar 2025: last day
9 Mar 2028, the first day no longer held 10 Mar 2028); `habilitation.fin` is the day before a withdrawal."""
from __future__ import annotations

import pytest

from engine.evaluation.period import period_events, status_machine
from engine.evaluation.status import Transition, UncoveredPeriod
from engine.policy.model.elements import PeriodModel, Renewal, StatusModel, StatusValue

from .tiny import d, parameter, policy, store

NAMES = ("candidat", "habilite", "suspendu", "retire", "expire")
MODEL = StatusModel({n: StatusValue(n, "art. III", n) for n in NAMES}, "candidat",
                    PeriodModel("habilitation", "art. III.4", ("habilite", "suspendu"), "duree", "expire",
                                Renewal("art. III.4", "duree_renouv", "nb_renouv", ("mise_en_oeuvre",), ("suspendu",))))
PARAMETERS = (parameter("duree", "ans", ("2025-01-01", 3)), parameter("duree_renouv", "ans", ("2025-01-01", 3)),
              parameter("nb_renouv", "nombre", ("2025-01-01", 1)))
OPENS = ("2025-03-10", "habilite", True, None)


def timeline(as_of: str, *changes: tuple, events: tuple = (), parameters=PARAMETERS):
    """changes: (date, status reached, opens the period, from statuses); events: the other facts (mise en œuvre)."""
    tiny = policy(*parameters, statuses=MODEL)
    s = store(tiny, as_of, *[("changement", day) for day, *_ in changes], *events)
    machine = status_machine(tiny, s)
    transitions = [Transition(d(day), (d(day), f"e{i}"), f"r{i}", to, froms, opens, f"evenements[{i}]", s[f"e{i}"])
                   for i, (day, to, opens, froms) in enumerate(changes) if f"e{i}" in s.events]
    line = machine.run(transitions, d(as_of))
    return machine, s, line


def history(line) -> list[tuple]:
    return [(day.isoformat() if day else None, status) for day, status, *_ in line.history]


@pytest.mark.parametrize("as_of, status", [
    ("2028-03-09", "habilite"),    # the last day of the 3 years
    ("2028-03-10", "expire"),      # the day after: no longer held
])
def test_expiry_without_implementation(as_of, status):
    _, _, line = timeline(as_of, OPENS)
    assert line.status_on(d(as_of)) == status
    [period] = line.periods
    assert period.shown_last_day.isoformat() == "2028-03-09" and period.renewals == 0


@pytest.mark.parametrize("implemented, renewed", [
    ("2028-03-09", True),     # on the segment's last day: « au moins une fois » within the period
    ("2028-03-10", False),    # the day after it ends: too late
    ("2025-03-10", True),     # on the notification day itself
    ("2025-03-09", False),    # the day before the period starts
])
def test_renewal_needs_an_implementation_in_the_period(implemented, renewed):
    _, _, line = timeline("2028-06-01", OPENS, events=(("mise_en_oeuvre", implemented),))
    assert line.status == ("habilite" if renewed else "expire")
    assert line.periods[0].shown_last_day.isoformat() == ("2031-03-09" if renewed else "2028-03-09")


def test_renewed_once_only():
    # « renouvelable 1 fois »: after 6 years it expires, implemented or not
    _, _, line = timeline("2031-03-10", OPENS, events=(("mise_en_oeuvre", "2026-01-05"), ("mise_en_oeuvre", "2029-01-05")))
    assert line.status == "expire" and line.periods[0].renewals == 1
    assert history(line)[-1] == ("2031-03-10", "expire")
    _, _, line = timeline("2031-03-09", OPENS, events=(("mise_en_oeuvre", "2026-01-05"),))
    assert line.status_on(d("2031-03-09")) == "habilite"


def test_no_renewal_allowed():
    zero = PARAMETERS[:2] + (parameter("nb_renouv", "nombre", ("2025-01-01", 0)),)
    _, _, line = timeline("2028-03-10", OPENS, events=(("mise_en_oeuvre", "2026-01-05"),), parameters=zero)
    assert line.status == "expire"


@pytest.mark.parametrize("suspended, status, last", [
    ("2028-03-09", "expire", "2028-03-09"),       # suspended on the segment's last day: no renewal, no extension
    ("2025-03-10", "expire", "2028-03-09"),       # suspended on the notification day
    ("2028-03-10", "suspendu", "2031-03-09"),     # the day after the first period: renewed first, then suspended
])
def test_suspension_prevents_renewal_and_does_not_extend(suspended, status, last):
    changes = (OPENS, (suspended, "suspendu", False, ("habilite",)))
    _, _, line = timeline("2028-06-01", *changes, events=(("mise_en_oeuvre", "2026-01-05"),))
    assert line.status_on(d("2028-06-01")) == status
    assert line.periods[0].shown_last_day.isoformat() == last


def test_suspension_lifted_before_the_period_still_blocks_renewal():
    changes = (OPENS, ("2026-01-05", "suspendu", False, None), ("2026-02-05", "habilite", False, None))
    _, _, line = timeline("2028-03-10", *changes, events=(("mise_en_oeuvre", "2026-03-05"),))
    assert line.status == "expire"


def test_suspension_across_the_end():
    # suspended from 1 Mar 2028 (an active status: the period runs on), still suspended at its end: it expires
    changes = (OPENS, ("2028-03-01", "suspendu", False, None))
    _, _, line = timeline("2028-03-10", *changes)
    assert history(line) == [(None, "candidat"), ("2025-03-10", "habilite"), ("2028-03-01", "suspendu"),
                             ("2028-03-10", "expire")]
    _, _, line = timeline("2028-03-09", *changes)
    assert line.status_on(d("2028-03-09")) == "suspendu"


@pytest.mark.parametrize("withdrawn, last", [("2026-06-01", "2026-05-31"), ("2025-03-11", "2025-03-10")])
def test_withdrawal_cuts_the_period(withdrawn, last):
    # « La durée de l'habilitation est réduite en cas de décision de retrait »: the period ends the day before
    _, _, line = timeline("2030-01-01", OPENS, (withdrawn, "retire", False, None))
    [period] = line.periods
    assert (period.ended.isoformat(), period.end_cause, period.shown_last_day.isoformat(), line.status) == (
        withdrawn, "retire", last, "retire")


def test_from_statuses_and_evaluation_date():
    # a transition from `habilite` only is skipped while `candidat`; one after the evaluation date is ignored
    _, _, line = timeline("2026-01-01", ("2025-02-01", "suspendu", False, ("habilite",)), OPENS,
                          ("2026-01-02", "retire", False, None))
    assert history(line) == [(None, "candidat"), ("2025-03-10", "habilite")]
    _, _, line = timeline("2026-01-02", OPENS, ("2026-01-02", "retire", False, None))
    assert line.status == "retire"       # on the evaluation date itself: applied


def test_a_new_period_ends_the_old_one():
    _, _, line = timeline("2027-01-01", OPENS, ("2026-06-01", "habilite", True, None))
    first, second = line.periods
    assert (first.ended, first.shown_last_day.isoformat()) == (d("2026-06-01"), "2026-05-31")
    assert second.shown_last_day.isoformat() == "2029-05-31"


def test_status_on_a_day():
    _, _, line = timeline("2028-03-10", OPENS)
    assert [line.status_on(d(x)) for x in ("2025-03-09", "2025-03-10", "2028-03-09", "2028-03-10")] == [
        "candidat", "habilite", "habilite", "expire"]
    assert line.cause_on(d("2025-03-10")) == "e0" and line.cause_on(d("2025-03-09")) is None
    assert line.cause_on(d("2028-03-10")) is None


def test_a_period_before_its_duration_exists():
    late = (parameter("duree", "ans", ("2025-06-01", 3)),) + PARAMETERS[1:]
    with pytest.raises(UncoveredPeriod, match="n'a pas de valeur avant le 2025-06-01") as caught:
        timeline("2026-01-01", OPENS, parameters=late)
    assert caught.value.source == "evenements[0]"


# --- the period's own events: each anniversary while it runs, its last day, the first day no longer held ---
def events_of(as_of: str, *changes, events=()):
    machine, s, line = timeline(as_of, *changes, events=events)
    return [(e.type, e.date.isoformat(), e.attributes.get("numero", e.attributes.get("renouvelable",
                                                                                     e.attributes.get("cause"))))
            for e in period_events(machine, s, line)]


@pytest.mark.parametrize("as_of, anniversaries", [
    ("2026-03-09", []),                                     # the day before the first anniversary
    ("2026-03-10", [1]),                                    # on it
    ("2028-03-09", [1, 2]),                                 # the third anniversary is the first day not held
])
def test_anniversaries(as_of, anniversaries):
    found = events_of(as_of, OPENS)
    assert [n for kind, _, n in found if kind == "periode_anniversaire"] == anniversaries
    assert ("periode_fin", "2028-03-09", False) in found


def test_period_end_and_renewal_known():
    found = events_of("2026-06-01", OPENS, events=(("mise_en_oeuvre", "2026-01-05"),))
    assert ("periode_fin", "2028-03-09", True) in found


def test_period_over_when_withdrawn():
    found = events_of("2026-06-01", OPENS, ("2026-06-01", "retire", False, None))
    assert ("periode_terminee", "2026-06-01", "retire") in found
    assert not any(kind == "periode_fin" for kind, *_ in found)
    found = events_of("2026-05-31", OPENS, ("2026-06-01", "retire", False, None))
    assert not any(kind == "periode_terminee" for kind, *_ in found)


def test_period_over_at_expiry():
    found = events_of("2028-03-10", OPENS)
    assert ("periode_terminee", "2028-03-10", "expire") in found and ("periode_fin", "2028-03-09", False) in found


def test_a_transition_is_frozen():
    from dataclasses import FrozenInstanceError
    _, s, _ = timeline("2026-01-01", OPENS)
    transition = Transition(d("2025-03-10"), (d("2025-03-10"), "e0"), "r0", "habilite", None, True, "x", s["e0"])
    with pytest.raises(FrozenInstanceError):
        transition.to = "retire"  # type: ignore[misc]


def test_renewal_count_without_a_value_on_the_start_date():
    # the number of renewals has no value yet on 10 Mar 2025 (first value 1 Jan 2026): none allowed
    later = PARAMETERS[:2] + (parameter("nb_renouv", "nombre", ("2026-01-01", 1)),)
    _, _, line = timeline("2028-03-10", OPENS, events=(("mise_en_oeuvre", "2026-01-05"),), parameters=later)
    assert line.status_on(d("2028-03-10")) == "expire" and line.periods[0].renewals == 0


def test_a_period_without_renewal():
    plain = StatusModel(MODEL.values, "candidat", PeriodModel("habilitation", "art. III.4", ("habilite",), "duree",
                                                               "expire"))
    tiny = policy(*PARAMETERS, statuses=plain)
    s = store(tiny, "2028-03-10", ("changement", "2025-03-10"), ("mise_en_oeuvre", "2026-01-05"))
    machine = status_machine(tiny, s)
    line = machine.run([Transition(d("2025-03-10"), (d("2025-03-10"), "e0"), "r0", "habilite", None, True,
                                   "evenements[0]", s["e0"])], d("2028-03-10"))
    assert [line.status_on(d(x)) for x in ("2028-03-09", "2028-03-10")] == ["habilite", "expire"]
    assert ("periode_fin", "2028-03-09") in [(e.type, e.date.isoformat()) for e in period_events(machine, s, line)]


def test_no_transition_keeps_the_initial_status():
    # README "Status": « the initial status is `candidat` »; with no transition at all it holds on every day
    _, _, line = timeline("2026-06-30")
    assert [line.status_on(d(x)) for x in ("2025-01-01", "2026-06-30")] == ["candidat", "candidat"]
    assert (line.cause_on(d("2026-06-30")), line.began_on(d("2026-06-30")), line.periods) == (None, None, [])


@pytest.mark.parametrize("withdrawn, ended, last", [
    # III.5 « La durée de l'habilitation est réduite en cas de décision de retrait », README: `habilitation.fin` is
    # the day before a withdrawal takes effect: withdrawn on the period's last day (9 Mar 2028), it ends on 8 Mar
    ("2028-03-09", "2028-03-09", "2028-03-08"),
    # withdrawn the day after the last day: the period had already expired that day, its last day stays 9 Mar
    ("2028-03-10", "2028-03-10", "2028-03-09"),
])
def test_withdrawal_on_the_last_day(withdrawn, ended, last):
    _, _, line = timeline("2030-01-01", OPENS, (withdrawn, "retire", False, None))
    [period] = line.periods
    assert (period.ended.isoformat(), period.shown_last_day.isoformat()) == (ended, last)


@pytest.mark.parametrize("implemented, status, renewals", [
    ("2026-01-05", "expire", 1),    # only in the first 3 years: renewed once, then nothing in the second segment
    ("2028-03-10", "habilite", 2),  # on the second segment's first day: that segment renews too
    ("2031-03-09", "habilite", 2),  # on its last day
])
def test_each_renewal_needs_an_implementation_in_its_own_segment(implemented, status, renewals):
    # a made-up policy renewing twice; each renewal reads the conditions on the segment it renews (StatusMachine.renews:
    # « Whether the current segment ... meets the renewal conditions »; III.5 « au moins une fois », per period)
    twice = PARAMETERS[:2] + (parameter("nb_renouv", "nombre", ("2025-01-01", 2)),)
    events = (("mise_en_oeuvre", "2026-01-05"), ("mise_en_oeuvre", implemented))
    _, _, line = timeline("2031-06-01", OPENS, events=events, parameters=twice)
    assert (line.status_on(d("2031-06-01")), line.periods[0].renewals) == (status, renewals)


def test_a_renewal_before_its_duration_exists():
    # the renewal's duration has no value yet on the period's start (10 Mar 2025, first value 1 Jan 2026): the
    # period cannot renew from 10 Mar 2028, a problem naming the event that opened it (not a verdict made up)
    late = PARAMETERS[:1] + (parameter("duree_renouv", "ans", ("2026-01-01", 3)),) + PARAMETERS[2:]
    with pytest.raises(UncoveredPeriod, match="'duree_renouv' n'a pas de valeur avant le 2026-01-01") as caught:
        timeline("2028-03-09", OPENS, events=(("mise_en_oeuvre", "2026-01-05"),), parameters=late)
    assert caught.value.source == "evenements[0]"
    # the renewal is settled on the period's last day (9 Mar 2028, the day before the renewed segment): on the day
    # before that it is not asked for yet
    assert timeline("2028-03-08", OPENS, events=(("mise_en_oeuvre", "2026-01-05"),), parameters=late)[2].status \
        == "habilite"
