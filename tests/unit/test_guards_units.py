"""Each guard of a rule's `quand` (engine/evaluation/guards.py) on a tiny policy built in memory.

Sentences pinned: regulation V.2 « En cas de nouveau(x) manquement(s) constaté(s) dans les 12 mois suivant la fin
d'une procédure » (`apres`: an earlier event, strictly before the trigger, the limit day included, and never the
trigger itself: a first breach is no repeat); README's `existe`/`sans` row: bounds read on the trigger, « each
optional, inclusive », `meme` compared on the attributes both carry, `puis_aucun` « no event of a type U follows
it up to the trigger »; `accomplit`: the trigger fulfilled the action, in time when on or before its due date."""
from __future__ import annotations

import pytest

from engine.evaluation.actions import ActionBook, ActionInstance
from engine.evaluation.guards import Guards as GuardCheck
from engine.evaluation.status import Timeline
from engine.policy.model.effects import ActionEffect, Deadline, FindingEffect
from engine.policy.model.rules import After, AtStatus, Fulfils, Guards, OtherEvent, StatusException

from .tiny import d, parameter, policy, rule, store

RECIDIVE = parameter("recidive", "mois", ("2025-06-01", 12))
FINDING = FindingEffect("constat_x")


def check(guards: Guards, as_of: str, *events, timeline: Timeline | None = None, trigger: str | None = None) -> bool:
    """Whether the guards hold on the trigger (the last event given, or the one keyed `trigger`)."""
    tiny = policy(RECIDIVE)
    s = store(tiny, as_of, *events)
    checker = GuardCheck(tiny, s, ActionBook(tiny, {}, s))
    checker.timeline = timeline
    return checker.hold(rule("r", events[-1][0], FINDING, guards), s[trigger or f"e{len(events) - 1}"])


AFTER = Guards(after=After("fin_procedure", "recidive"))


@pytest.mark.parametrize("earlier, breach, holds", [
    ("2026-01-15", "2027-01-15", True),    # 12 months after, the limit day itself: « dans les 12 mois suivant »
    ("2026-01-15", "2027-01-16", False),   # the day after the limit
    ("2026-01-15", "2026-01-16", True),    # the day after the earlier event
    ("2026-01-15", "2026-01-15", False),   # the same day: not « suivant » the end (not before the trigger)
    ("2026-01-16", "2026-01-15", False),   # the earlier event comes after the trigger
    ("2025-05-31", "2025-06-10", False),   # the earlier event predates the parameter (the rule did not exist)
])
def test_after_within(earlier, breach, holds):
    assert check(AFTER, "2027-12-31", ("fin_procedure", earlier), ("manquement", breach)) is holds


def test_after_without_an_earlier_event_does_not_hold():
    # V.2: a withdrawal for a repeat breach needs a procedure that ended before; a first breach is none
    assert check(AFTER, "2027-12-31", ("manquement", "2026-03-01")) is False
    # an `apres` on the trigger's own type: the trigger itself is not its earlier event (same day, same event)
    own = Guards(after=After("manquement", "recidive"))
    assert check(own, "2027-12-31", ("manquement", "2026-03-01")) is False
    assert check(own, "2027-12-31", ("manquement", "2026-03-01"), ("manquement", "2026-03-01")) is False
    assert check(own, "2027-12-31", ("manquement", "2026-02-28"), ("manquement", "2026-03-01")) is True


def test_after_an_earlier_event_after_the_evaluation_date_is_unknown():
    assert check(AFTER, "2026-01-14", ("manquement", "2026-01-10"), ("fin_procedure", "2026-01-15"),
                 trigger="e0") is False


def test_after_any_earlier_event_will_do():
    # the first earlier one is too old, the second is within 12 months
    assert check(AFTER, "2027-12-31", ("fin_procedure", "2025-06-01"), ("fin_procedure", "2026-06-01"),
                 ("manquement", "2027-01-15")) is True


WINDOW = OtherEvent("justification", since="debut", until="fin")
BOUNDS = {"debut": "2026-03-02", "fin": "2026-03-31"}


@pytest.mark.parametrize("other, holds", [
    ("2026-03-02", True),    # on `depuis` itself: inclusive
    ("2026-03-01", False),   # the day before
    ("2026-03-31", True),    # on `jusqu_au` itself: inclusive
    ("2026-04-01", False),   # the day after
    ("2026-03-15", True),
])
def test_exists_and_without_inclusive_ends(other, holds):
    events = (("justification", other), ("controle", "2026-04-15", BOUNDS))
    assert check(Guards(exists=WINDOW), "2026-12-31", *events) is holds
    assert check(Guards(without=WINDOW), "2026-12-31", *events) is not holds


@pytest.mark.parametrize("spec, other, holds", [
    (OtherEvent("justification", since="debut"), "2026-03-02", True),     # only a start: no end
    (OtherEvent("justification", since="debut"), "2030-01-01", False),    # ...but not after the evaluation date
    (OtherEvent("justification", since="debut"), "2026-03-01", False),
    (OtherEvent("justification", until="fin"), "2020-01-01", True),       # only an end: no start
    (OtherEvent("justification", until="fin"), "2026-04-01", False),
    (OtherEvent("justification"), "2026-06-01", True),                    # no bound at all
    (OtherEvent("justification", since="date"), "2026-04-15", True),      # `date`: the trigger's own date, same day
    (OtherEvent("justification", since="date"), "2026-04-14", False),
    (OtherEvent("justification", until="date"), "2026-04-15", True),
    (OtherEvent("justification", until="date"), "2026-04-16", False),
])
def test_exists_one_bound(spec, other, holds):
    assert check(Guards(exists=spec), "2026-12-31", ("justification", other),
                 ("controle", "2026-04-15", BOUNDS)) is holds


@pytest.mark.parametrize("bounds", [{"fin": "2026-03-31"}, {"debut": "2026-03-02"}, {"debut": "2026-3-2", "fin": "x"}])
def test_exists_with_a_bound_the_trigger_lacks(bounds):
    # a bound the trigger does not carry (or not as a date) holds for no event: `existe` fails, `sans` holds
    events = (("justification", "2026-03-15"), ("controle", "2026-04-15", bounds))
    assert check(Guards(exists=WINDOW), "2026-12-31", *events) is False
    assert check(Guards(without=WINDOW), "2026-12-31", *events) is True


def test_exists_not_the_trigger_itself():
    # `existe` asks for another event: the trigger of that same type is not one
    spec = Guards(exists=OtherEvent("controle"))
    assert check(spec, "2026-12-31", ("controle", "2026-04-15")) is False
    assert check(spec, "2026-12-31", ("controle", "2026-04-15"), ("controle", "2026-04-15")) is True


@pytest.mark.parametrize("mine, theirs, holds", [
    ({"site": "A"}, {"site": "A"}, True),
    ({"site": "A"}, {"site": "B"}, False),
    ({"site": "A"}, {}, True),                 # compared only on the attributes both carry
    ({}, {"site": "B"}, True),
])
def test_exists_same(mine, theirs, holds):
    spec = Guards(exists=OtherEvent("justification", same=("site",)))
    assert check(spec, "2026-12-31", ("justification", "2026-03-15", theirs), ("controle", "2026-04-15", mine)) is holds


@pytest.mark.parametrize("follower, holds", [
    ("2026-03-16", False),   # a `puis_aucun` event after the other one, before the trigger: it no longer counts
    ("2026-04-15", False),   # ... on the trigger's own date: still « up to the trigger »
    ("2026-04-16", True),    # the day after the trigger: not up to it
    ("2026-03-15", True),    # the same day as the other event: it does not follow it
    ("2026-03-14", True),    # before it
])
def test_exists_then_none(follower, holds):
    spec = Guards(exists=OtherEvent("mise_en_demeure", then_none=("levee",)))
    events = (("mise_en_demeure", "2026-03-15"), ("levee", follower), ("manquement", "2026-04-15"))
    assert check(spec, "2026-12-31", *events) is holds
    assert check(Guards(without=spec.exists), "2026-12-31", *events) is not holds


def test_exists_then_none_not_the_trigger_itself():
    # a trigger of a `puis_aucun` type does not cancel the event before it
    spec = Guards(exists=OtherEvent("mise_en_demeure", then_none=("levee",)))
    assert check(spec, "2026-12-31", ("mise_en_demeure", "2026-03-15"), ("levee", "2026-04-15")) is True


def test_exists_then_none_a_later_one_still_counts():
    spec = Guards(exists=OtherEvent("mise_en_demeure", then_none=("levee",)))
    events = (("mise_en_demeure", "2026-03-01"), ("levee", "2026-03-10"), ("mise_en_demeure", "2026-03-20"),
              ("manquement", "2026-04-15"))
    assert check(spec, "2026-12-31", *events) is True


# --- accomplit ---
def fulfilled(due: str | None, done: str, in_time: bool | None) -> bool:
    tiny = policy(RECIDIVE)
    s = store(tiny, "2026-12-31", ("demande", "2026-03-02"), ("reponse", done), ("reponse", done))
    book = ActionBook(tiny, {}, s)
    effect = ActionEffect("repondre", "organisme", "obligation", Deadline())
    r = rule("r_action", "demande", effect)
    book.actions.append(ActionInstance(r, effect, s["e0"], d(due) if due else None, fulfilled_by=s["e1"]))
    checker = GuardCheck(tiny, s, book)
    spec = Guards(fulfils=Fulfils("repondre", in_time))
    other = Guards(fulfils=Fulfils("autre", in_time))
    assert not checker.hold(rule("r2", "reponse", FINDING, other), s["e1"])      # another action's id
    assert not checker.hold(rule("r2", "reponse", FINDING, spec), s["e2"])       # another event
    return checker.hold(rule("r2", "reponse", FINDING, spec), s["e1"])


@pytest.mark.parametrize("due, done, in_time, holds", [
    ("2026-03-09", "2026-03-09", True, True),     # on the due date: in time
    ("2026-03-09", "2026-03-10", True, False),    # the day after: late
    ("2026-03-09", "2026-03-10", False, True),
    ("2026-03-09", "2026-03-09", False, False),
    ("2026-03-09", "2026-03-10", None, True),     # fulfilled at all
    ("2026-03-09", "2026-03-09", None, True),
    (None, "2026-03-10", None, True),             # no deadline: fulfilled
    (None, "2026-03-10", True, False),            # ...but never « dans les délais » against no deadline
    (None, "2026-03-10", False, True),
])
def test_fulfils(due, done, in_time, holds):
    assert fulfilled(due, done, in_time) is holds


def test_fulfils_an_unfulfilled_action():
    tiny = policy(RECIDIVE)
    s = store(tiny, "2026-12-31", ("demande", "2026-03-02"), ("reponse", "2026-03-03"))
    book = ActionBook(tiny, {}, s)
    effect = ActionEffect("repondre", "organisme", "obligation", Deadline())
    book.actions.append(ActionInstance(rule("r_action", "demande", effect), effect, s["e0"], d("2026-03-09")))
    assert not GuardCheck(tiny, s, book).hold(rule("r2", "reponse", FINDING, Guards(fulfils=Fulfils("repondre"))),
                                              s["e1"])


# --- au_statut: the status on the trigger's date, that day's transitions applied ---
def timeline() -> Timeline:
    # candidat, habilité on 10 Mar 2026 (e0), suspended on 1 Sep 2026 by the event e1
    return Timeline("suspendu", [(None, "candidat", None, None), (d("2026-03-10"), "habilite", "r1", "e0"),
                                 (d("2026-09-01"), "suspendu", "r2", "e1")])


@pytest.mark.parametrize("day, among, statuses, holds", [
    ("2026-03-10", True, ("habilite",), True),     # the day of the transition: the new status
    ("2026-03-09", True, ("habilite",), False),    # the day before: the old one
    ("2026-03-09", True, ("candidat",), True),
    ("2026-08-31", False, ("suspendu",), True),    # `hors`
    ("2026-09-01", False, ("suspendu",), False),
    ("2026-09-01", True, ("habilite", "suspendu"), True),
])
def test_at_status(day, among, statuses, holds):
    spec = Guards(at_status=AtStatus(statuses, among))
    events = (("notification", "2026-03-10"), ("suspension", "2026-09-01"), ("certificat", day))
    assert check(spec, "2026-12-31", *events, timeline=timeline()) is holds


def test_at_status_waits_for_the_timeline():
    spec = Guards(at_status=AtStatus(("candidat",), True))
    assert check(spec, "2026-12-31", ("certificat", "2026-01-01")) is False


@pytest.mark.parametrize("session, holds", [
    ("2026-08-31", False),   # the session took place on or before the suspension's cut-off date: excepted
    ("2026-08-20", False),
    ("2026-09-01", True),    # the day after the cut-off date: not excepted
    (None, True),            # the trigger lacks the date: no exception
])
def test_at_status_unless(session, holds):
    # « hors retire, sauf suspendu when the session was held on or before the suspension's cut-off date »
    unless = StatusException("art. V", "suspendu", "date_session", ("date_effet", "date"))
    spec = Guards(at_status=AtStatus(("retire",), False, (unless,)))
    certificate = {"date_session": session} if session else {}
    events = (("notification", "2026-03-10"), ("suspension", "2026-09-01", {"date_effet": "2026-08-31"}),
              ("certificat", "2026-10-01", certificate))
    assert check(spec, "2026-12-31", *events, timeline=timeline()) is holds


def test_at_status_unless_falls_back_on_the_next_path():
    # the suspension carries no `date_effet`: its own date (1 Sep) is the cut-off date
    unless = StatusException("art. V", "suspendu", "date_session", ("date_effet", "date"))
    spec = Guards(at_status=AtStatus(("retire",), False, (unless,)))
    events = (("notification", "2026-03-10"), ("suspension", "2026-09-01"),
              ("certificat", "2026-10-01", {"date_session": "2026-09-01"}))
    assert check(spec, "2026-12-31", *events, timeline=timeline()) is False
    late = events[:2] + (("certificat", "2026-10-01", {"date_session": "2026-09-02"}),)
    assert check(spec, "2026-12-31", *late, timeline=timeline()) is True


def test_at_status_unless_other_status():
    # the exception names `suspendu`: under another status it does not apply
    unless = StatusException("art. V", "suspendu", "date_session", ("date",))
    spec = Guards(at_status=AtStatus(("retire",), False, (unless,)))
    events = (("notification", "2026-03-10"), ("suspension", "2026-09-01"),
              ("certificat", "2026-05-01", {"date_session": "2026-01-01"}))
    assert check(spec, "2026-12-31", *events, timeline=timeline()) is True
    # the status fails the list: the exception is not even looked at
    among = Guards(at_status=AtStatus(("suspendu",), False, (unless,)))
    late = events[:2] + (("certificat", "2026-10-01", {"date_session": "2026-09-02"}),)
    assert check(among, "2026-12-31", *late, timeline=timeline()) is False


def expired() -> Timeline:
    # habilitated on 10 Mar 2026 (e0); the period expired on 10 Mar 2029, set by no event (the period's own end)
    return Timeline("expire", [(None, "candidat", None, None), (d("2026-03-10"), "habilite", "r1", "e0"),
                               (d("2029-03-10"), "expire", None, None)])


@pytest.mark.parametrize("enrolled, holds", [
    ("2029-03-09", False),   # enrolled the day before the expiry took effect, while habilitated: excepted
    ("2029-03-10", True),    # enrolled on the day it took effect: outside the habilitation
])
def test_at_status_unless_without_at_latest(enrolled, holds):
    # préambule « les personnes doivent s'adresser à des Organismes Habilités au jour de leur inscription à
    # l'évaluation préalable » (policies' activite.certificats_hors_habilitation): without `au_plus_tard`, excepted
    # when the trigger's date is on or before the day before that status began
    unless = StatusException("preambule", "expire", "date_inscription")
    spec = Guards(at_status=AtStatus(("habilite",), False, (unless,)))
    events = (("notification", "2026-03-10"), ("certificat", "2029-04-01", {"date_inscription": enrolled}))
    assert check(spec, "2029-12-31", *events, timeline=expired()) is holds


def test_at_status_unless_the_initial_status_has_no_beginning():
    # the initial status began on no day: there is no « day before it began » to be on or before, no exception
    unless = StatusException("art. V", "candidat", "date_inscription")
    spec = Guards(at_status=AtStatus(("habilite",), False, (unless,)))
    events = (("certificat", "2026-01-10", {"date_inscription": "2020-01-01"}),)
    assert check(spec, "2026-12-31", *events, timeline=Timeline("candidat", [(None, "candidat", None, None)])) is True


def test_at_status_unless_a_status_no_event_caused():
    # `au_plus_tard` is read « on the event that caused the status » (README); an expiry is caused by none: no date
    # to compare with, the exception does not apply
    unless = StatusException("art. III.5", "expire", "date_inscription", ("date_envoi", "date"))
    spec = Guards(at_status=AtStatus(("habilite",), False, (unless,)))
    events = (("notification", "2026-03-10"), ("certificat", "2029-04-01", {"date_inscription": "2027-01-01"}))
    assert check(spec, "2029-12-31", *events, timeline=expired()) is True


def test_the_status_a_finding_reads():
    # a `constat` rule's message may name the status on its date ({statut}): none before the status over time is
    # known, then the status of that day
    tiny = policy(RECIDIVE)
    s = store(tiny, "2026-12-31", ("notification", "2026-03-10"))
    checker = GuardCheck(tiny, s, ActionBook(tiny, {}, s))
    assert checker.status_on(d("2026-09-01")) is None
    checker.timeline = timeline()
    assert (checker.status_on(d("2026-08-31")), checker.status_on(d("2026-09-01"))) == ("habilite", "suspendu")
