"""Fuzzing evaluate-batch lines: every line, whatever its bytes, gets one JSON line (a verdict or an error
object), never an internal error, never a hang."""
from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from engine.batch.runner import FAILED, LineEvaluator

from .conftest import bounded, examples
from .strategies import HOSTILE_VALUES, json_text, mutated_facts, mutated_text

LINES = st.one_of(
    mutated_facts().map(lambda facts: json_text(facts).encode()),
    HOSTILE_VALUES.map(lambda value: json_text(value).encode()),
    mutated_facts(mutations=1).map(json_text).flatmap(mutated_text).map(
        lambda text: text.encode("utf-8", "surrogatepass")),
    st.binary(max_size=200),
)


@settings(max_examples=examples(150))
@given(raw=LINES, number=st.integers(1, 10 ** 6))
def test_every_line_gets_one_json_answer(policies, raw, number):
    evaluator = LineEvaluator(policies, "2026-11-27")
    with bounded():
        kind, line = evaluator.answer(number, raw)
    assert kind != FAILED, line
    answer = json.loads(line)
    assert b"\n" not in line and (answer.get("ligne") == number or "statut" in answer)
