"""Actions (engine/evaluation/actions.py) on a tiny policy built in memory: the due date counted from the trigger,
the fulfilment (in time, late, before the trigger), the state on the evaluation date, the finding and the engine
event a deadline passed gives.

Conventions pinned (README "Fulfilment"): « an action is fulfilled by the first matching event on or after the event
that started it (for a deadline counted backwards, the first one on or before the anchor date); a fulfilling event
serves one action. An obligation fulfilled after the due date is `accomplie` with `dans_les_delais: false`; an
option (`faculte`) exercised after its deadline ... `echue` »; the deadline's event is dated the day after the due
date (engine/policy/model/vocabulary.py)."""
from __future__ import annotations

import pytest

from engine.evaluation.actions import ActionBook
from engine.evaluation.status import Timeline
from engine.policy.model.effects import ActionEffect, Deadline, Fulfilment, Lateness

from .tiny import d, parameter, policy, rule, store

DELAI = parameter("delai", "jours_ouvres", ("2026-01-01", 5))


def run(effect: ActionEffect, as_of: str, *events, facts: dict | None = None):
    """Open the action on the first event given, resolve it on as_of: (book, derived events)."""
    tiny = policy(DELAI)
    s = store(tiny, as_of, *events)
    book = ActionBook(tiny, facts or {}, s)
    book.open(rule("r_action", events[0][0], effect, article="art. II.3"), effect, s["e0"])
    return book, book.resolve()


def obligation(nature: str = "obligation", cases=("tardive", "absente"), **deadline) -> ActionEffect:
    return ActionEffect("repondre", "organisme", nature, Deadline(delay="delai", **deadline),
                        Fulfilment("reponse", same=("dossier",)), Lateness("retard", cases))


# Mon 2 Mar 2026 + 5 working days = Mon 9 Mar 2026
@pytest.mark.parametrize("done, state, in_time", [
    ("2026-03-09", "accomplie", True),     # on the due date: in time
    ("2026-03-10", "accomplie", False),    # the day after: an obligation late is still accomplie, not in time
    ("2026-03-02", "accomplie", True),     # on the trigger's own date: « on or after the event that started it »
    ("2026-03-01", "en_retard", None),     # the day before the trigger: it fulfils nothing
])
def test_obligation_fulfilment(done, state, in_time):
    book, _ = run(obligation(), "2026-06-30", ("demande", "2026-03-02"), ("reponse", done))
    [action] = [a.part() for a in book.actions]
    assert (action.due, action.state, action.in_time) == ("2026-03-09", state, in_time)


@pytest.mark.parametrize("done, state", [("2026-03-09", "accomplie"), ("2026-03-10", "echue")])
def test_option_exercised_late_lapsed(done, state):
    book, derived = run(obligation("faculte"), "2026-06-30", ("demande", "2026-03-02"), ("reponse", done))
    [action] = book.actions
    assert action.state == state and action.part().done_on == done
    assert [(e.type, e.date.isoformat()) for e in derived] == ([] if state == "accomplie"
                                                               else [("echeance_depassee", "2026-03-10")])


@pytest.mark.parametrize("as_of, state, late", [
    ("2026-03-09", "a_faire", False),      # the evaluation date is the due date: still to do
    ("2026-03-10", "en_retard", True),     # the day after: late, a finding, an event dated that day
])
def test_missing_on_and_after_the_due_date(as_of, state, late):
    book, derived = run(obligation(), as_of, ("demande", "2026-03-02"))
    [action] = book.actions
    assert action.state == state
    assert [f.id for f in book.findings] == (["retard"] if late else [])
    assert [(e.type, e.date.isoformat(), e.attributes["echeance"], e.attributes["action"]) for e in derived] == (
        [("echeance_depassee", "2026-03-10", "2026-03-09", "repondre")] if late else [])
    if late:
        assert "échéance du 09/03/2026, non accomplie" in book.findings[0].message
        assert derived[0].attributes["declencheur"]["date"] == "2026-03-02" and derived[0].parent is action.trigger


def test_option_missing_is_echue():
    book, _ = run(obligation("faculte"), "2026-03-10", ("demande", "2026-03-02"))
    assert book.actions[0].state == "echue"


def test_late_finding_only_for_the_cases_listed():
    book, derived = run(obligation(cases=("absente",)), "2026-06-30", ("demande", "2026-03-02"),
                        ("reponse", "2026-03-10"))
    assert book.findings == [] and len(derived) == 1          # late, not absent: no finding, still the event
    book, _ = run(obligation(cases=("tardive",)), "2026-06-30", ("demande", "2026-03-02"), ("reponse", "2026-03-10"))
    assert "accomplie le 10/03/2026" in book.findings[0].message


def test_fulfilment_with_other_attributes_does_not_count():
    events = (("demande", "2026-03-02", {"dossier": "A"}), ("reponse", "2026-03-03", {"dossier": "B"}),
              ("reponse", "2026-03-04", {"dossier": "A"}))
    book, _ = run(obligation(), "2026-06-30", *events)
    assert book.actions[0].fulfilled_by.key == "e2"


def test_a_fulfilling_event_serves_one_action():
    tiny = policy(DELAI)
    s = store(tiny, "2026-06-30", ("demande", "2026-03-02"), ("demande", "2026-03-03"), ("reponse", "2026-03-04"))
    book = ActionBook(tiny, {}, s)
    effect = obligation()
    book.open(rule("r", "demande", effect), effect, s["e1"])
    book.open(rule("r", "demande", effect), effect, s["e0"])
    book.resolve()
    # the earlier due date (9 Mar) takes the response; the other (10 Mar) is late
    assert [(a.due.isoformat(), a.state) for a in book.ordered()] == [("2026-03-09", "accomplie"),
                                                                       ("2026-03-10", "en_retard")]


# a deadline counted backwards: « au plus tard 5 jours ouvrés avant la date de la réunion » (II.2), 21 May 2026 - 5
# working days = 13 May (Ascension skipped); fulfilled on or before the anchor, before the trigger too
@pytest.mark.parametrize("done, state, in_time", [
    ("2026-05-13", "accomplie", True),
    ("2026-05-14", "accomplie", False),
    ("2026-05-21", "accomplie", False),    # on the anchor date itself: still a fulfilment, late
    ("2026-05-22", "en_retard", None),     # the day after the anchor: none
    ("2026-04-01", "accomplie", True),     # before the trigger
])
def test_backward_deadline(done, state, in_time):
    effect = ActionEffect("convoquer", "certificateur", "obligation",
                          Deadline(since="reunion", delay="delai", backward=True), Fulfilment("convocation"))
    book, _ = run(effect, "2026-06-30", ("demande", "2026-05-01", {"reunion": "2026-05-21"}), ("convocation", done))
    [action] = [a.part() for a in book.actions]
    assert (action.due, action.state, action.in_time) == ("2026-05-13", state, in_time)


def test_fulfilment_from_another_date():
    # accomplie_par.depuis: counted from an attribute of the trigger, inclusive
    effect = ActionEffect("repondre", "organisme", "obligation", Deadline(delay="delai"),
                          Fulfilment("reponse", since="recu_le"))
    trigger = ("demande", "2026-03-02", {"recu_le": "2026-03-04"})
    assert run(effect, "2026-06-30", trigger, ("reponse", "2026-03-04"))[0].actions[0].state == "accomplie"
    assert run(effect, "2026-06-30", trigger, ("reponse", "2026-03-03"))[0].actions[0].state == "en_retard"


def test_no_deadline():
    effect = ActionEffect("detruire", "organisme", "obligation", Deadline(none=True), Fulfilment("destruction"))
    book, derived = run(effect, "2027-12-31", ("fin", "2026-03-02"))
    assert (book.actions[0].part().due, book.actions[0].state, derived) == (None, "a_faire", [])
    book, _ = run(effect, "2027-12-31", ("fin", "2026-03-02"), ("destruction", "2027-12-31"))
    assert (book.actions[0].state, book.actions[0].part().in_time) == ("accomplie", None)


def test_no_fulfilment_declared():
    effect = ActionEffect("informer", "certificateur", "obligation", Deadline(delay="delai"))
    book, _ = run(effect, "2026-03-09", ("demande", "2026-03-02"))
    assert book.actions[0].state == "a_faire"


def test_deadline_on_the_day_itself():
    effect = ActionEffect("informer", "certificateur", "obligation", Deadline(), Fulfilment("info"))
    book, _ = run(effect, "2026-03-02", ("demande", "2026-03-02"))
    assert (book.actions[0].due.isoformat(), book.actions[0].state) == ("2026-03-02", "a_faire")


def test_not_opened():
    # the delay has no value on the trigger's date (31 Dec 2025, the day before its first value): no action
    book, _ = run(obligation(), "2026-06-30", ("demande", "2025-12-31"))
    assert book.actions == []
    book, _ = run(obligation(), "2026-06-30", ("demande", "2026-01-01"))
    assert book.actions[0].due.isoformat() == "2026-01-08"
    # the anchor the deadline counts from is absent
    effect = ActionEffect("x", "organisme", "obligation", Deadline(since="reunion", delay="delai"))
    assert run(effect, "2026-06-30", ("demande", "2026-03-02"))[0].actions == []


# --- tant_que_statut: « Duties of an Organisme Habilité » (README, def « Organisme Habilité : […] qui bénéficie
# d'une habilitation CléA numérique en cours de validité », III.6 « L'Organisme Habilité s'engage à informer
# l'Instance dans un délai de 30 jours »): the duty opens only on a day the status is listed (after that day's
# transitions) and lapses, `echue` with no finding, when the status leaves the list before the action is fulfilled
# (the fulfilling event may end the status itself) and before its due date (README "Policy language")
WHILE = ActionEffect("declarer", "organisme", "obligation", Deadline(delay="delai"), Fulfilment("declaration"),
                     Lateness("retard", ("tardive", "absente")), while_status=("habilite", "suspendu"))


def settled(effect: ActionEffect, as_of: str, changes: tuple, done: str | None = None):
    """Opened on Mon 2 Mar 2026 (due Mon 9 Mar, 5 working days), habilitated since 2 Mar 2023, then the status
    changes given ((day, status), in order), resolved and settled on as_of: (state, finding ids, actions kept)."""
    book, _ = run(effect, as_of, ("changement", "2026-03-02"), *((("declaration", done),) if done else ()))
    history = [(None, "candidat", None, None), (d("2023-03-02"), "habilite", "r0", None),
               *((d(day), status, "r1", None) for day, status in changes)]
    book.settle(Timeline(history[-1][1], history))
    return ([a.state for a in book.actions], [f.id for f in book.findings])


@pytest.mark.parametrize("changes, done, as_of, state, findings", [
    # withdrawn on the due date itself: its last day was no longer one of an Organisme Habilité: lapsed
    ((("2026-03-09", "retire"),), None, "2026-06-30", ["echue"], []),
    # withdrawn the day after the due date: it was late while habilitated, the finding stays
    ((("2026-03-10", "retire"),), None, "2026-06-30", ["en_retard"], ["retard"]),
    # withdrawn the day after the trigger, nothing declared: lapsed
    ((("2026-03-03", "retire"),), None, "2026-06-30", ["echue"], []),
    # declared on the day of the withdrawal: fulfilled (the fulfilling event may end the status itself)
    ((("2026-03-05", "retire"),), "2026-03-05", "2026-06-30", ["accomplie"], []),
    # declared the day after the withdrawal: no longer a duty of an Organisme Habilité, lapsed
    ((("2026-03-05", "retire"),), "2026-03-06", "2026-06-30", ["echue"], []),
    # withdrawn on the evaluation date itself: known, lapsed
    ((("2026-03-05", "retire"),), None, "2026-03-05", ["echue"], []),
    # the period expires the day after the evaluation date (the status machine dates it so): not known yet
    ((("2026-03-05", "expire"),), None, "2026-03-04", ["a_faire"], []),
    # suspended: still listed, the duty runs on (late)
    ((("2026-03-04", "suspendu"),), None, "2026-06-30", ["en_retard"], ["retard"]),
    # on the trigger's date the old period expired and a new one began (III.5, 3 years from 2 Mar 2023: first day
    # no longer held 2 Mar 2026): the status of that day is the last one, habilité; no change after it: runs on
    ((("2026-03-02", "expire"), ("2026-03-02", "habilite")), None, "2026-03-05", ["a_faire"], []),
    # opened on the day the status became one not listed (withdrawn that day): no action, no finding
    ((("2026-03-02", "retire"),), None, "2026-06-30", [], []),
])
def test_while_status(changes, done, as_of, state, findings):
    assert settled(WHILE, as_of, changes, done) == (state, findings)


@pytest.mark.parametrize("changes, state", [
    ((("2026-03-05", "retire"),), ["echue"]),      # no deadline: it lapses whenever the status leaves the list
    ((("2026-03-05", "suspendu"),), ["a_faire"]),  # still listed: due, never late
])
def test_while_status_without_a_deadline(changes, state):
    # V.2's `prononcer_retrait` (no delay): « there is no Organisme Habilité left to notify » (README)
    effect = ActionEffect("prononcer", "instance", "obligation", Deadline(none=True), Fulfilment("retrait"),
                          while_status=("habilite", "suspendu"))
    assert settled(effect, "2026-06-30", changes) == (state, [])


# --- anticipee: « A change declared before it happens is declared in time » (README, IV.1 « soumettre à
# Certif'Pro […] tout changement », III.6 « dans un délai de 30 jours »): a declaration of the same nature dated
# before the change and after the previous change of that nature (the day after it, inclusive) fulfils it
AHEAD = ActionEffect("declarer", "organisme", "obligation", Deadline(delay="delai"),
                     Fulfilment("declaration", same=("nature",), ahead=True), Lateness("retard", ("absente",)))


@pytest.mark.parametrize("declared, nature, state", [
    ("2026-02-11", "siege", "accomplie"),    # the day after the previous change of that nature (10 Feb): counts
    ("2026-02-10", "siege", "en_retard"),    # on the previous change's day: it declared that one, not this one
    ("2026-02-01", "dirigeants", "accomplie"),  # the previous change was of another nature: no lower bound
])
def test_declared_ahead(declared, nature, state):
    events = (("changement", "2026-03-02", {"nature": nature}), ("changement", "2026-02-10", {"nature": "siege"}),
              ("declaration", declared, {"nature": nature}))
    tiny = policy(DELAI)
    s = store(tiny, "2026-06-30", *events)
    book = ActionBook(tiny, {}, s)
    book.open(rule("r", "changement", AHEAD), AHEAD, s["e0"])
    book.resolve()
    assert [a.state for a in book.actions] == [state]


# accomplie_par.date (README "Policy language": « judges the deadline on that date of the fulfilling event when it
# carries one (the day a letter was sent) »): due Mon 9 Mar 2026, the letter received on Thu 12 Mar
@pytest.mark.parametrize("sent, in_time", [
    ({"date_envoi": "2026-03-09"}, True),     # sent on the due date: in time
    ({"date_envoi": "2026-03-10"}, False),    # sent the day after
    ({}, False),                               # no such date: judged on its own date, 12 Mar
])
def test_fulfilment_dated_by_an_attribute(sent, in_time):
    effect = ActionEffect("repondre", "organisme", "obligation", Deadline(delay="delai"),
                          Fulfilment("reponse", dated_by="date_envoi"))
    book, _ = run(effect, "2026-06-30", ("demande", "2026-03-02"), ("reponse", "2026-03-12", sent))
    assert book.actions[0].part().in_time is in_time
    plain = ActionEffect("repondre", "organisme", "obligation", Deadline(delay="delai"), Fulfilment("reponse"))
    book, _ = run(plain, "2026-06-30", ("demande", "2026-03-02"), ("reponse", "2026-03-12", sent))
    assert book.actions[0].part().in_time is False      # without `date`, the attribute means nothing


def test_the_earlier_due_date_takes_the_fulfilment_whatever_the_trigger_order():
    # « a fulfilling event serves one action » (README "Fulfilment"), the one due first: e0 (2 Mar, 10 working days:
    # due 16 Mar) and e1 (3 Mar, 5 working days: due 10 Mar) share the one response of 4 Mar
    tiny = policy(DELAI, parameter("long", "jours_ouvres", ("2026-01-01", 10)))
    s = store(tiny, "2026-06-30", ("demande", "2026-03-02"), ("demande", "2026-03-03"), ("reponse", "2026-03-04"))
    book = ActionBook(tiny, {}, s)
    longer = ActionEffect("repondre", "organisme", "obligation", Deadline(delay="long"), Fulfilment("reponse"))
    shorter = ActionEffect("repondre", "organisme", "obligation", Deadline(delay="delai"), Fulfilment("reponse"))
    book.open(rule("r1", "demande", longer), longer, s["e0"])
    book.open(rule("r2", "demande", shorter), shorter, s["e1"])
    book.resolve()
    assert [(a.due.isoformat(), a.state) for a in book.ordered()] == [("2026-03-10", "accomplie"),
                                                                       ("2026-03-16", "en_retard")]
