"""Fuzzing facts through the Python API, the parser and the CLI: a verdict or FactsError, never anything else;
a verdict is JSON that encodes as UTF-8; no hang."""
from __future__ import annotations

import io
import json

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from engine import FactsError, evaluate
from engine.cli import run
from engine.evaluation import parse_facts_text

from .conftest import bounded, examples
from .strategies import FACTS, HOSTILE_VALUES, mutated_facts, mutated_text, oversized_facts

DATES = st.sampled_from(["2019-06-30", "2020-03-01", "2026-11-27", "2031-12-31"])


def verdict_or_facts_error(facts, day, policies):
    with bounded():
        try:
            verdict = evaluate(facts, day, policies=policies)
        except FactsError as error:
            assert error.issues and all(issue.message for issue in error.issues)
            str(error).encode("utf-8")
            return None
    json.dumps(verdict, ensure_ascii=False, allow_nan=False).encode("utf-8")
    return verdict


@settings(max_examples=examples(150))
@given(facts=mutated_facts(), day=DATES)
def test_mutated_dossiers_give_a_verdict_or_facts_error(policies, facts, day):
    verdict_or_facts_error(facts, day, policies)


@settings(max_examples=examples(40))
@given(case=oversized_facts())
def test_a_list_past_its_cap_is_the_one_problem_named(policies, case):
    """Issue 23: a list longer than the facts schema allows is refused with that list named, nothing else checked
    (one intervenant with 200,000 wrong domaines used to cost 39 s of schema errors)."""
    facts, path, cap = case
    with bounded(), pytest.raises(FactsError) as caught:
        evaluate(facts, "2026-11-27", policies=policies)
    [issue] = caught.value.issues
    assert issue.path.replace("[0]", "").replace(".", "/") == "/".join(key for key in path if key != "*")
    assert f"au plus {cap:,}".replace(",", " ") in issue.message


@settings(max_examples=examples(60))
@given(facts=HOSTILE_VALUES, day=DATES | st.text(max_size=12))
def test_any_value_gives_facts_error_or_a_verdict(policies, facts, day):
    verdict_or_facts_error(facts, day, policies)


@settings(max_examples=examples(25))
@given(facts=mutated_facts(mutations=1))
def test_evaluations_are_deterministic(policies, facts):
    first = verdict_or_facts_error(facts, "2026-11-27", policies)
    assert first == verdict_or_facts_error(facts, "2026-11-27", policies)


@settings(max_examples=examples(100))
@given(data=st.data(), as_json=st.booleans())
def test_mutated_texts_parse_or_give_facts_error(data, as_json):
    facts = data.draw(st.sampled_from(FACTS))
    text = json.dumps(facts, indent=1) if as_json else yaml.safe_dump(facts, allow_unicode=True)
    text = data.draw(mutated_text(text))
    with bounded():
        try:
            parsed = parse_facts_text(text, "faits.json" if as_json else "faits.yaml")
        except FactsError as error:
            assert error.issues
            return
    assert isinstance(parsed, dict)


@settings(max_examples=examples(15))
@given(data=st.data())
def test_the_cli_exits_0_or_2_without_traceback(tmp_path_factory, data):
    facts = data.draw(st.sampled_from(FACTS))
    text = data.draw(mutated_text(yaml.safe_dump(facts, allow_unicode=True)))
    path = tmp_path_factory.mktemp("cli") / "faits.yaml"
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    out, err = io.StringIO(), io.StringIO()
    with bounded(60):
        code = run(["evaluate", str(path), "--date", "2026-11-27", "--format", "json",
                    "--policies", "tests/fixtures/policies"], out, err)
    assert code in (0, 2), err.getvalue()
    assert "Traceback" not in err.getvalue()
