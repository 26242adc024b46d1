"""Facts that are valid JSON but hostile or careless (issue 14): the Python API raises FactsError naming each
problem with its path, never RecursionError, UnicodeEncodeError, ValueError or a crash in the rules."""
from __future__ import annotations

import copy
import json

import pytest

from engine import FactsError, evaluate
from engine.limits import MAX_DEPTH, MAX_EVENTS, MAX_PROBLEMS, MAX_STRING_LENGTH


def nested(depth: int, leaf=None):
    for _ in range(depth):
        leaf = {"a": leaf}
    return leaf


def problems(facts, policies, as_of="2026-01-01") -> list[str]:
    with pytest.raises(FactsError) as caught:
        evaluate(facts, as_of, policies=policies)
    return [str(issue) for issue in caught.value.issues]


@pytest.mark.parametrize("depth", [500, 1000, 5000])
@pytest.mark.parametrize("where", ["demande.contextualisation", "organisme.siren", "evenements", "evenements[0]"])
def test_deep_nesting_anywhere_is_a_facts_error(base_facts, policies, depth, where):
    facts = copy.deepcopy(base_facts)
    value = nested(depth)
    if where == "evenements[0]":
        facts["evenements"] = [value]
    elif where == "evenements":
        facts["evenements"] = value
    else:
        head, key = where.split(".")
        facts[head][key] = value
    found = problems(facts, policies)
    assert len(found) == 1 and found[0].endswith(f"imbriqué sur plus de {MAX_DEPTH} niveaux")
    assert found[0].startswith(where)


def test_a_whole_document_nested_1000_deep_is_a_facts_error(policies):
    assert problems(nested(1000), policies)[0].endswith("imbriqué sur plus de 32 niveaux")


def test_a_cycle_is_a_facts_error(base_facts, policies):
    base_facts["demande"]["contextualisation"]["moi"] = base_facts["demande"]
    assert "imbriqué sur plus de" in problems(base_facts, policies)[0]


def test_a_5000_digit_integer_is_a_facts_error(base_facts, policies):
    base_facts["evenements"] = [{"type": "certificats_delivres", "date": "2025-01-01", "nombre": 10 ** 5000}]
    assert problems(base_facts, policies) == ["evenements[0].nombre: un nombre de plus de 30 chiffres"]


def test_a_lone_surrogate_is_a_facts_error(base_facts, policies):
    base_facts["organisme"]["denomination"] = "Atelier \ud800"
    assert problems(base_facts, policies) == [
        "organisme.denomination: texte Unicode invalide : un demi-caractère isolé (\\ud800) n'est pas un caractère"]


@pytest.mark.parametrize("value,message", [
    (float("nan"), "nan n'est pas un nombre fini"), (float("inf"), "inf n'est pas un nombre fini"),
    ((1, 2), "un tuple n'est pas une valeur JSON"), ({1, 2}, "un set n'est pas une valeur JSON"),
    (b"bytes", "un bytes n'est pas une valeur JSON")])
def test_values_json_cannot_carry_are_facts_errors(base_facts, policies, value, message):
    base_facts["demande"]["contextualisation"]["x"] = value
    [found] = problems(base_facts, policies)
    assert found.startswith(f"demande.contextualisation.x: {message}")


def test_non_string_keys_are_facts_errors(base_facts, policies):
    base_facts["demande"]["contextualisation"][3] = "x"
    assert problems(base_facts, policies) == ["demande.contextualisation: une clé d'objet doit être une chaîne de caractères, pas int"]


def test_strings_over_the_limit_are_facts_errors(base_facts, policies):
    base_facts["organisme"]["denomination"] = "x" * (MAX_STRING_LENGTH + 1)
    assert problems(base_facts, policies) == ["organisme.denomination: un texte de 10 001 caractères (au plus 10 000)"]


def test_more_events_than_the_limit_is_one_problem(base_facts, policies):
    base_facts["evenements"] = [{"type": "demande_deposee", "date": "2026-01-12"}] * (MAX_EVENTS + 1)
    assert problems(base_facts, policies) == ["evenements: 2001 événements : au plus 2 000 par dossier"]


def test_problems_are_listed_up_to_the_limit_and_the_check_stops_there(base_facts, policies):
    base_facts["evenements"] = [{"type": "inconnu", "date": "2026-01-12"}] * (MAX_PROBLEMS + 50)
    with pytest.raises(FactsError) as caught:
        evaluate(base_facts, "2026-01-01", policies=policies)
    assert len(caught.value.issues) == MAX_PROBLEMS and caught.value.omitted == 1     # at least one more: it stopped
    assert str(caught.value).endswith("... and at least 1 more problem(s) not listed")


@pytest.mark.parametrize("where, field, items, limit", [
    ("intervenant", "domaines", ["a"] * 200_000, 4), ("intervenant", "domaines", [1] * 200_000, 4),
    ("intervenant", "roles", ["evaluateur"] * 50_000, 2)])
def test_a_list_longer_than_the_schema_allows_is_one_problem_and_nothing_else_is_checked(
        base_facts, policies, where, field, items, limit):
    # issue 23: one intervenant with 200,000 wrong domaines blocked a worker for 39 s (every item's error computed)
    base_facts["organisme"]["intervenants"] = [{"id": "i1", field: items}]
    count = f"{len(items):,}".replace(",", " ")
    assert problems(base_facts, policies) == [
        f"organisme.intervenants[0].{field}: {count} éléments : au plus {limit} (maxItems du schéma des faits)"]


def test_a_list_at_its_cap_is_accepted_and_one_more_is_refused(base_facts, policies):
    base_facts["organisme"]["intervenants"] = [{"id": "i1", "domaines": [1, 2, 3, 4]}]
    assert evaluate(base_facts, "2026-01-01", policies=policies)["statut"]
    base_facts["organisme"]["intervenants"] = [{"id": "i1", "domaines": [1, 2, 3, 4, 4]}]
    assert problems(base_facts, policies) == [
        "organisme.intervenants[0].domaines: 5 éléments : au plus 4 (maxItems du schéma des faits)"]


def test_a_huge_value_is_not_quoted_whole_in_a_message(base_facts, policies):
    base_facts["organisme"]["siren"] = ["9" * 9000]
    [message] = problems(base_facts, policies)
    assert len(message) < 400 and message.endswith("…")


def test_an_evaluation_date_that_is_not_a_string_is_a_facts_error(base_facts, policies):
    with pytest.raises(FactsError, match="une date ou une chaîne AAAA-MM-JJ, pas list"):
        evaluate(base_facts, nested(1000) and [nested(1000)], policies=policies)


@pytest.mark.parametrize("day", ["2015-01-01", "2017-05-04", "2019-06-30"])
def test_an_acceptance_before_the_period_duration_exists_is_a_clear_error_not_a_crash(base_facts, policies, day):
    """The regulation's period (III.5) has no duration before 1 July 2019: such a period cannot be dated."""
    base_facts["evenements"] = [{"type": "decision_notifiee", "date": day, "decision": "acceptation"}]
    assert problems(base_facts, policies, "2022-01-01") == [
        (f"evenements[0].date: une période commençant le {day} n'a pas de durée : 'habilitation.duree' n'a pas de "
        "valeur avant le 2019-07-01, date à laquelle cette politique commence à s'appliquer")]


def test_an_acceptance_on_the_first_day_of_the_duration_is_evaluated(base_facts, policies):
    base_facts["evenements"] = [{"type": "decision_notifiee", "date": "2019-07-01", "decision": "acceptation"}]
    verdict = evaluate(base_facts, "2022-01-01", policies=policies)
    assert verdict["statut"] == "habilite"
    json.dumps(verdict)


def test_an_event_with_60000_unknown_attributes_is_told_as_one_with_a_few(base_facts, policies):
    # issue 23: the check of an object's unknown keys is bounded by what its message shows (12, then "…")
    many = {"type": "demande_deposee", "date": "2026-01-12", **{f"a{i}": 1 for i in range(60_000)}}
    few = {"type": "demande_deposee", "date": "2026-01-12", **{f"a{i}": 1 for i in range(13)}}
    assert problems({**base_facts, "evenements": [many]}, policies) == \
        problems({**base_facts, "evenements": [few]}, policies)


class Text(str):
    """Text that is not exactly a str: the quick pass leaves it to the located walk (which accepts it)."""


@pytest.mark.parametrize("value", [
    float("nan"), float("-inf"), 10 ** 30, -10 ** 30, (1, 2), b"x", {3: "x"}, Text("x"), {"a": [{"b": Text("x")}]},
    "Atelier \ud800", {"\ud800": 1}, "x" * (MAX_STRING_LENGTH + 1), {"x" * (MAX_STRING_LENGTH + 1): 1},
    nested(MAX_DEPTH - 1, 1)])
def test_the_quick_pass_over_facts_refuses_what_is_not_plain_json_data(base_facts, value):
    """engine/values.py's quick pass says plain only when the located walk would find nothing: each kind of value
    it cannot vouch for, anywhere, sends the facts to that walk."""
    from engine.values import _plain
    facts = copy.deepcopy(base_facts)
    assert _plain(facts) and _plain({**facts, "x": [1, 2.5, None, True, "é", 10 ** 29, nested(MAX_DEPTH - 3, 1)]})
    facts["demande"]["contextualisation"]["x"] = value
    assert not _plain(facts)


def test_the_quick_pass_takes_exactly_max_depth_levels_and_refuses_one_more():
    from engine.values import _plain, value_issues
    assert _plain(nested(MAX_DEPTH)) and value_issues(nested(MAX_DEPTH)) == ([], 0)
    assert not _plain(nested(MAX_DEPTH + 1))
    assert [issue.message for issue in value_issues(nested(MAX_DEPTH + 1))[0]] == ["imbriqué sur plus de 32 niveaux"]
