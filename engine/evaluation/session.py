"""Compiling a policy's rules into one durable_rules ruleset, and running one evaluation's session.

Only the C API of durable_rules is used (durable_rules_engine): no Host, no background threads, no Python
callbacks inside the engine. Each rule's `quand` becomes a single-fact pattern; a session asserts facts in
rounds and returns which rule matched which fact. The traps of shared/notes/durable-rules.md are handled here:
every session is deleted in a `finally`; a sentinel fact goes first with a session's first facts and always fires,
so deleting a session never meets one where no action started (the C code crashes on that); ruleset names carry
the policy revision, since a name can never be registered twice. Each rule is capped (durable_rules' batched
actions): one action hands over every fact it matched in a round, instead of one action a match; rules with the
same pattern are one durable_rules rule, whose matches are each of theirs.
"""
from __future__ import annotations

import itertools
import json
import threading
from collections.abc import Mapping, Sequence
from typing import Self

import durable_rules_engine as _engine
import orjson

from ..errors import Issue, PolicyError
from ..policy.model.rules import Condition, Trigger
from .events import Event

SENTINEL = "__sentinel__"
_REGISTERED: dict[str, int] = {}        # ruleset name -> handle, for the life of the process
_LOCK = threading.Lock()                # the C core is not thread-safe: one session at a time per process
_SESSION_IDS = itertools.count(1)
_SENT = (str, int, float, bool, list)    # the attribute values a fact carries
# the matches one action of a rule hands over at most (more come in the next actions): above any round's facts
CAP = 10_000


def compile_condition(condition: Condition) -> dict:
    """One `si` entry of a policy rule -> a durable_rules expression."""
    attribute, operand = condition.attribute, condition.operand
    if condition.operator == "parmi":
        return {"$or": [{attribute: value} for value in (operand if isinstance(operand, tuple) else (operand,))]}
    if condition.operator == "different":
        return {"$neq": {attribute: operand}}
    if condition.operator == "existe":
        return {"$ex" if operand else "$nex": {attribute: 1}}
    if condition.operator == "non_vide":    # a list attribute is asserted as its number of items
        return {"$gt": {attribute: 0}} if operand else {"$or": [{"$nex": {attribute: 1}}, {"$lte": {attribute: 0}}]}
    return {attribute: operand}


def compile_pattern(trigger: Trigger) -> dict:
    """A rule's trigger -> its single-fact pattern: the type field always tested first (a pattern without one
    would match the session-state document), then the conditions in attribute order."""
    terms = [{"type": trigger.event}]
    terms += [compile_condition(condition) for condition in sorted(trigger.conditions, key=lambda c: c.attribute)]
    return {"m": {"$and": terms}} if len(terms) > 1 else {"m": terms[0]}


def _encoded(batch: list[dict]) -> str:
    """The facts as durable_rules reads them (it parses them: only the values count, not how they are written).
    orjson, except for what it cannot write (an integer beyond 64 bits)."""
    try:
        return orjson.dumps(batch).decode()
    except orjson.JSONEncodeError:
        return json.dumps(batch, ensure_ascii=False)


def _decoded(text: str) -> dict:
    try:
        return orjson.loads(text)
    except orjson.JSONDecodeError:
        return json.loads(text)


class CompiledRules:
    """A policy's rules as one durable_rules ruleset, registered once per process."""

    def __init__(self, name: str, triggers: Sequence[Trigger]):
        self.name = name
        tested: dict[str, set[str]] = {}
        for trigger in triggers:
            tested.setdefault(trigger.event, set()).update(condition.attribute for condition in trigger.conditions)
        # each event type a rule listens to -> the attributes its rules' patterns test: all a fact needs to carry
        self.tested = {event: tuple(sorted(names)) for event, names in tested.items()}
        definition: dict[str, dict] = {"sentinel": {"all": [{"m": {"type": SENTINEL}}]}}
        sharing: dict[str, tuple[dict, list[int]]] = {}    # a pattern (as JSON) -> it, the rules that have it
        for index, trigger in enumerate(triggers):
            pattern = compile_pattern(trigger)
            sharing.setdefault(json.dumps(pattern, sort_keys=True), (pattern, []))[1].append(index)
        for number, (pattern, _) in enumerate(sharing.values()):
            definition[f"r{number}"] = {"all": [pattern], "cap": CAP}
        self.rules_of = tuple(tuple(indices) for _, indices in sharing.values())    # r<n> -> the rules it stands for
        with _LOCK:
            handle = _REGISTERED.get(name)
            if handle is None:
                try:
                    handle = _engine.create_ruleset(name, json.dumps(definition, ensure_ascii=False))
                except _engine.error as exc:
                    raise PolicyError([Issue("regles", f"durable_rules refused the compiled rules: {exc}")]) from exc
                _REGISTERED[name] = handle
        self._handle = handle

    def session(self) -> Session:
        return Session(self)


class Session:
    """One evaluation: facts asserted in rounds; `assert_facts` returns (rule index, fact key) pairs."""

    def __init__(self, rules: CompiledRules):
        self._rules = rules
        self._sid = str(next(_SESSION_IDS))
        self._opened = False

    def __enter__(self) -> Self:
        _LOCK.acquire()
        return self

    def __exit__(self, *exc_info) -> None:
        try:
            if self._opened:
                _engine.delete_state(self._rules._handle, self._sid)
        finally:
            _LOCK.release()

    def assert_facts(self, events: Mapping[str, Event]) -> list[tuple[int, str]]:
        """events: key -> event. Events no rule listens to are not sent; each other is sent as one flat fact with
        its type, its key and the attributes the patterns of its type test (`date` among them when one does): a
        list attribute as its number of items (what `non_vide` tests), a mapping or null not at all. What no
        pattern tests cannot change a match, and durable_rules reads and keeps every field it is sent. Events whose
        facts would carry the same fields match the same rules (each pattern tests one fact): one fact goes for
        them all, under the first one's key, and each of its matches is each of theirs."""
        batch = []
        standing: dict[tuple, list[str]] = {}      # the fields a fact carries -> the keys of the events it stands for
        tested = self._rules.tested
        sid = self._sid
        for key, event in events.items():
            names = tested.get(event.type)
            if names is None:
                continue
            fact: dict = {}
            attributes = event.attributes
            for name in names:
                value = event.date.isoformat() if name == "date" else attributes.get(name)
                if isinstance(value, _SENT):
                    fact[name] = len(value) if isinstance(value, list) else value
            # with each value's class: a dict takes True, 1 and 1.0 for one key (durable_rules matches them alike
            # today; kept apart, they cost one fact more, never a wrong match)
            carried = (event.type, *[(name, value.__class__, value) for name, value in fact.items()])
            keys = standing.get(carried)
            if keys is None:
                standing[carried] = [key]
                fact.update(type=event.type, id=key, sid=sid)
                batch.append(fact)
            else:
                keys.append(key)
        return self._run(batch, {keys[0]: keys for keys in standing.values()}) if batch else []

    def _run(self, batch: list[dict], standing: dict[str, list[str]]) -> list[tuple[int, str]]:
        """standing: each fact's id -> the keys of the events it stands for. The session's state is made by its
        first facts: the sentinel goes first among them, so that an action has started before the session can be
        deleted."""
        handle = self._rules._handle
        if not self._opened:
            batch = [{"type": SENTINEL, "id": "sentinel", "sid": self._sid}, *batch]
        _code, state = _engine.assert_facts(handle, _encoded(batch))
        # code 1: some fact matched no rule (durable_rules' MessageNotHandled); the others were processed
        fired: list[tuple[int, str]] = []
        rules_of = self._rules.rules_of
        result = _engine.start_action_for_state(handle, state)
        self._opened = self._opened or bool(result)     # an action started: deleting the session is safe
        while result:
            for rule_name, matches in _decoded(result[1]).items():
                if rule_name != "sentinel":       # a capped rule's matches come as a list
                    keys = [key for match in matches for key in standing[match["m"]["id"]]]
                    for index in rules_of[int(rule_name[1:])]:
                        fired += [(index, key) for key in keys]
            following = _engine.complete_and_start_action(handle, state)
            result = (None, following) if following else None
        return fired
