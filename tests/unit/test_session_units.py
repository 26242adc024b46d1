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


def test_a_fact_carries_only_what_its_type_s_patterns_test(monkeypatch):
    """durable_rules reads and keeps every field it is sent: an event goes with its type, its key and the
    attributes some rule on its type tests (`date` too, when one does); null and mappings never."""
    from engine.evaluation import session as module
    sent: list[list[dict]] = []
    encode = module._encoded
    monkeypatch.setattr(module, "_encoded", lambda batch: sent.append(batch) or encode(batch))
    rules = CompiledRules("test-session-tested", (
        Trigger("decision", (Condition("sens", "egal", "refus"), Condition("pieces", "non_vide", True))),
        Trigger("decision", (Condition("motif", "existe", False),)),
        Trigger("audience", (Condition("date", "egal", "2026-03-02"),)), Trigger("depot", ())))
    assert rules.tested == {"decision": ("motif", "pieces", "sens"), "audience": ("date",), "depot": ()}
    with rules.session() as session:
        fired = session.assert_facts({
            "e0": event("e0", "decision", sens="refus", pieces=["a", "b"], motif=None, commentaire="libre",
                        lieu={"x": 1}),
            "e1": event("e1", "depot", numero="D-1"), "e2": event("e2", "audience", salle="B"),
            "e3": Event("e3", "audience", date(2026, 3, 3), {}, "evenements[e3]")})
    assert sorted(fired) == [(0, "e0"), (1, "e0"), (2, "e2"), (3, "e1")]
    assert sent[0][1:] == [{"type": "decision", "id": "e0", "sid": sent[0][0]["sid"], "pieces": 2, "sens": "refus"},
                           {"type": "depot", "id": "e1", "sid": sent[0][0]["sid"]},
                           {"type": "audience", "id": "e2", "sid": sent[0][0]["sid"], "date": "2026-03-02"},
                           {"type": "audience", "id": "e3", "sid": sent[0][0]["sid"], "date": "2026-03-03"}]


def test_an_attribute_a_pattern_tests_matches_as_before_present_or_absent():
    """`existe: false` holds for an absent or null attribute and not for a present one; untested attributes beside
    it change nothing; `non_vide` counts a list's items."""
    rules = CompiledRules("test-session-absent", (Trigger("decision", (Condition("motif", "existe", False),)),
                                                  Trigger("decision", (Condition("pieces", "non_vide", True),))))
    with rules.session() as session:
        fired = session.assert_facts({"a": event("a", "decision", autre="x"), "b": event("b", "decision", motif=None),
                                      "c": event("c", "decision", motif="retard", pieces=[]),
                                      "d": event("d", "decision", motif="retard", pieces=["p"])})
    assert sorted(fired) == [(0, "a"), (0, "b"), (1, "d")]


def test_events_sending_the_same_fields_share_one_fact_and_each_gets_every_match(monkeypatch):
    """One fact goes for the events whose facts would carry the same fields; what fires is what fires for each
    event asserted alone, in its own session: over every mix of values of a tested attribute (texts, numbers,
    booleans, lists, null, absent) and an untested one, in one round and in a later one."""
    from engine.evaluation import session as module
    sent: list[int] = []
    encode = module._encoded
    monkeypatch.setattr(module, "_encoded", lambda batch: sent.append(len(batch)) or encode(batch))
    rules = CompiledRules("test-session-standing", (
        Trigger("decision", (Condition("sens", "egal", "refus"),)), Trigger("decision", (Condition("rang", "egal", 1),)),
        Trigger("decision", (Condition("rang", "existe", False),)),
        Trigger("decision", (Condition("rang", "non_vide", True),)), Trigger("depot", ())))
    values = ["refus", "accord", 1, 1.0, True, 0, False, [], ["p"], ["p", "q"], None, "absent"]
    events = {}
    for index, (rang, other) in enumerate((rang, other) for rang in values for other in ("x", "y")):
        attributes = {"sens": "refus" if index % 3 else "accord", "note": other}
        if rang != "absent":
            attributes["rang"] = rang
        events[f"e{index}"] = event(f"e{index}", "decision", **attributes)
    events.update({f"p{index}": event(f"p{index}", "depot", numero=index) for index in range(5)})
    alone = []
    for key, one in events.items():
        with rules.session() as session:
            alone += session.assert_facts({key: one})
    sent.clear()
    keys = list(events)
    with rules.session() as session:
        together = session.assert_facts({key: events[key] for key in keys[:20]})
        together += session.assert_facts({key: events[key] for key in keys[20:]})
    assert sorted(together) == sorted(alone)
    assert sum(sent) < len(events)          # shared facts (plus the sentinel, once)
