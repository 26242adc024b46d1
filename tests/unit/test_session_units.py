"""The durable_rules session of one evaluation (engine/evaluation/session.py), against the traps of
shared/notes/durable-rules.md: at most 1,024 live sessions per ruleset (each must be deleted), and deleting a session
in which no action ever started crashes the process (the sentinel goes first with a session's first facts)."""
from __future__ import annotations

from datetime import date

from engine.evaluation.events import Event
from engine.evaluation.session import CompiledRules
from engine.policy.model.rules import Condition, Trigger

RULES = CompiledRules("test-session-units", (Trigger("depot", ()), Trigger("decision", (Condition("sens", "egal", "refus"),))))


def event(key: str, type_: str, **attributes) -> Event:
    return Event(key, type_, date(2026, 3, 2), attributes, f"evenements[{key}]")


def test_a_session_returns_each_rule_matched_with_its_fact_and_not_the_sentinel():
    with RULES.session() as session:
        fired = session.assert_facts({"e0": event("e0", "depot"), "e1": event("e1", "decision", sens="refus"),
                                      "e2": event("e2", "decision", sens="accord")})
        assert sorted(fired) == [(0, "e0"), (1, "e1")]
        assert session.assert_facts({"e3": event("e3", "depot")}) == [(0, "e3")]     # a later round


def test_a_rule_matching_many_facts_of_a_round_returns_each_of_them_once():
    """A rule's matches come in one capped action (durable_rules' batched actions): all 2,000 facts a dossier may
    hold (engine/limits.py), none lost nor repeated, in the first round and in a later one."""
    many = {f"e{index}": event(f"e{index}", "depot") for index in range(2000)}
    with RULES.session() as session:
        assert sorted(session.assert_facts(many)) == sorted((0, key) for key in many)
        later = {f"f{index}": event(f"f{index}", "decision", sens="refus") for index in range(3)}
        assert sorted(session.assert_facts({**later, "g": event("g", "depot")})) == [(0, "g"), (1, "f0"), (1, "f1"),
                                                                                      (1, "f2")]


def test_rules_with_the_same_pattern_each_match_the_fact():
    """Two rules on the same event with the same conditions are one durable_rules rule; each still fires, and a
    rule with another condition on that event does not."""
    shared = CompiledRules("test-session-shared", (
        Trigger("decision", (Condition("sens", "egal", "refus"),)), Trigger("depot", ()),
        Trigger("decision", (Condition("sens", "egal", "refus"),)), Trigger("decision", (Condition("sens", "egal", "accord"),))))
    assert shared.rules_of == ((0, 2), (1,), (3,))
    with shared.session() as session:
        assert sorted(session.assert_facts({"e1": event("e1", "decision", sens="refus")})) == [(0, "e1"), (2, "e1")]


def test_more_sessions_than_the_engine_keeps_alive_each_deleted_whatever_its_facts():
    """1,100 sessions of each kind, past the 1,024 the engine keeps: facts that match a rule, facts that match none
    (only the sentinel fires: deleting it must not crash), and no fact at all (no state made, nothing to delete)."""
    for index in range(1100):
        with RULES.session() as session:
            assert session.assert_facts({"e": event("e", "depot")}) == [(0, "e")]
        with RULES.session() as session:
            assert session.assert_facts({"e": event("e", "decision", sens="accord")}) == []
        with RULES.session() as session:
            assert session.assert_facts({"e": event("e", "inconnu")}) == []     # not sent: no rule listens to it
