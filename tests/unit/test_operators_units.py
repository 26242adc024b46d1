"""The condition language's operators (engine/policy/conditions/operators.py), table-driven through
parse_condition and violations (engine/policy/conditions/language.py): each operator on the value itself, just
inside and just outside its bound. README's condition table: `au_moins`/`au_plus` are inclusive bounds on a
number, `nombre` counts the elements a path finds ({au_moins, au_plus}, inclusive), booleans are not numbers,
`present: true` also breaks when the path finds nothing."""
from __future__ import annotations

import pytest

from engine.policy.conditions.language import holds, parse_condition, violations


def ok(condition: dict, facts: dict) -> bool:
    return holds([parse_condition(condition)], facts)


@pytest.mark.parametrize("condition, facts, expected", [
    ({"chemin": "a", "present": True}, {"a": 1}, True),
    ({"chemin": "a", "present": True}, {"a": 0}, True),          # 0 is a value
    ({"chemin": "a", "present": True}, {"a": False}, True),
    ({"chemin": "a", "present": True}, {"a": ""}, False),        # empty text, list, mapping, null: absent
    ({"chemin": "a", "present": True}, {"a": []}, False),
    ({"chemin": "a", "present": True}, {"a": {}}, False),
    ({"chemin": "a", "present": True}, {"a": None}, False),
    ({"chemin": "a", "present": True}, {}, False),
    ({"chemin": "l[*].a", "present": True}, {"l": []}, False),   # the path finds nothing: breaks
    ({"chemin": "l[*].a", "present": False}, {"l": []}, True),
    ({"chemin": "a", "present": False}, {}, True),
    ({"chemin": "a", "present": False}, {"a": 1}, False),
    ({"chemin": "a", "egal": 1}, {"a": 1}, True),
    ({"chemin": "a", "egal": 1}, {"a": 2}, False),
    ({"chemin": "a", "egal": 1}, {"a": True}, False),             # True is not 1
    ({"chemin": "a", "egal": True}, {"a": 1}, False),
    ({"chemin": "a", "egal": True}, {"a": True}, True),
    ({"chemin": "a", "parmi": [1, 2]}, {"a": 2}, True),
    ({"chemin": "a", "parmi": [1, 2]}, {"a": 3}, False),
    ({"chemin": "a", "parmi": [1, 2]}, {"a": True}, False),
    ({"chemin": "a", "contient": 2}, {"a": [1, 2]}, True),
    ({"chemin": "a", "contient": 3}, {"a": [1, 2]}, False),
    ({"chemin": "a", "contient": 2}, {"a": 2}, False),            # not a list
    ({"chemin": "a", "contient_un_de": [3, 2]}, {"a": [1, 2]}, True),
    ({"chemin": "a", "contient_un_de": [3, 4]}, {"a": [1, 2]}, False),
    ({"chemin": "a", "contient_un_de": [2]}, {"a": 2}, False),
    ({"chemin": "a", "couvre": [1, 2]}, {"a": [2, 1, 3]}, True),
    ({"chemin": "a", "couvre": [1, 4]}, {"a": [1, 2]}, False),
    ({"chemin": "a", "couvre": []}, {"a": []}, True),
    ({"chemin": "l[*].d", "couvre": [1, 2]}, {"l": [{"d": [1]}, {"d": 2}]}, True),   # what the path finds, together
    ({"chemin": "a", "commence_par": "FR"}, {"a": "FR12"}, True),
    ({"chemin": "a", "commence_par": "FR"}, {"a": "BE12"}, False),
    ({"chemin": "a", "commence_par": "FR"}, {"a": 12}, False),
    ({"chemin": "a", "commence_par": "FR"}, {}, True),            # nothing to compare: `present` reports it
    ({"chemin": "a", "commence_par": {"chemin": "b"}}, {"a": "73282932000017", "b": "732829320"}, True),
    ({"chemin": "a", "commence_par": {"chemin": "b"}}, {"a": "73282932000017", "b": "111111111"}, False),
    ({"chemin": "a", "commence_par": {"chemin": "b"}}, {"a": "73282932000017"}, True),
    ({"chemin": "a", "disjoint_de": [3]}, {"a": [1, 2]}, True),
    ({"chemin": "a", "disjoint_de": [2]}, {"a": [1, 2]}, False),
    ({"chemin": "a", "disjoint_de": [2]}, {"a": 2}, True),        # not a list: nothing in common
    ({"chemin": "a", "disjoint_de": {"chemin": "b"}}, {"a": [1, 2], "b": [2]}, False),
    ({"chemin": "a", "au_moins": 3}, {"a": 3}, True),             # the bound itself: inclusive
    ({"chemin": "a", "au_moins": 3}, {"a": 2}, False),            # just below
    ({"chemin": "a", "au_moins": 3}, {"a": 2.99}, False),
    ({"chemin": "a", "au_moins": 3}, {"a": 4}, True),
    ({"chemin": "a", "au_moins": 0}, {"a": False}, False),        # a boolean is not a number
    ({"chemin": "a", "au_moins": 0}, {"a": "5"}, False),
    ({"chemin": "a", "au_plus": 3}, {"a": 3}, True),
    ({"chemin": "a", "au_plus": 3}, {"a": 4}, False),             # just above
    ({"chemin": "a", "au_plus": 3}, {"a": 3.01}, False),
    ({"chemin": "a", "au_plus": 3}, {"a": 2}, True),
    ({"chemin": "a", "au_plus": 1}, {"a": True}, False),
    ({"chemin": "a", "nombre": {"au_moins": 2}}, {"a": [1, 2]}, True),
    ({"chemin": "a", "nombre": {"au_moins": 2}}, {"a": [1]}, False),
    ({"chemin": "a", "nombre": {"au_plus": 2}}, {"a": [1, 2]}, True),
    ({"chemin": "a", "nombre": {"au_plus": 2}}, {"a": [1, 2, 3]}, False),
    ({"chemin": "a", "nombre": {"au_moins": 1, "au_plus": 1}}, {"a": [7]}, True),
    ({"chemin": "a", "nombre": {"au_moins": 1, "au_plus": 1}}, {"a": []}, False),
    ({"chemin": "l[r=x]", "nombre": {"au_moins": 2}}, {"l": [{"r": "x"}, {"r": ["x", "y"]}, {"r": "y"}]}, True),
    ({"chemin": "l[r=x]", "nombre": {"au_moins": 3}}, {"l": [{"r": "x"}, {"r": ["x", "y"]}, {"r": "y"}]}, False),
    ({"chemin": "l[*].a", "nombre": {"au_plus": 1}}, {"l": [{"a": 1}, {"a": None}, {}]}, True),   # empty not counted
    ({"chemin": "l[*].a", "nombre": {"au_moins": 2}}, {"l": [{"a": 1}, {"a": ""}]}, False),
])
def test_operator(condition, facts, expected):
    assert ok(condition, facts) is expected


@pytest.mark.parametrize("condition, facts, details", [
    ({"chemin": "a", "nombre": {"au_moins": 2, "au_plus": 3}}, {"a": [1]}, {"nombre": 1, "attendu": 2}),
    ({"chemin": "a", "nombre": {"au_moins": 2, "au_plus": 3}}, {"a": [1, 2, 3, 4]}, {"nombre": 4, "attendu": 3}),
    ({"chemin": "a", "nombre": {"au_plus": 0}}, {"a": [1]}, {"nombre": 1, "attendu": 0}),
    # bounds that contradict each other (accepted as written): 2 elements meet au_moins 2, break au_plus 1
    ({"chemin": "a", "nombre": {"au_moins": 2, "au_plus": 1}}, {"a": [1, 2]}, {"nombre": 2, "attendu": 1}),
    ({"chemin": "a", "couvre": [1, 2, 3]}, {"a": [2]}, {"manque": [1, 3], "attendu": [1, 2, 3]}),
    ({"chemin": "a", "disjoint_de": [2, 3]}, {"a": [1, 2, 3]}, {"communs": [2, 3], "attendu": [2, 3]}),
    ({"chemin": "a", "au_moins": 3}, {"a": 2}, {"attendu": 3}),
    ({"chemin": "a", "present": True}, {}, {}),
])
def test_details_a_message_quotes(condition, facts, details):
    [broken] = violations(parse_condition(condition), facts)
    assert broken.details == details


def test_where_one_value_or_several():
    [one] = violations(parse_condition({"chemin": "l[*].a", "couvre": [9]}), {"l": [{"a": 1}]})
    assert one.where == "l[0].a"
    [many] = violations(parse_condition({"chemin": "l[*].a", "couvre": [9]}), {"l": [{"a": 1}, {"a": 2}]})
    assert (many.where, many.value) == ("l[*].a", [1, 2])
    [each] = violations(parse_condition({"chemin": "l[*].a", "au_moins": 2}), {"l": [{"a": 3}, {"a": 1}]})
    assert each.where == "l[1].a"


@pytest.mark.parametrize("condition, reason", [
    ({"chemin": "a", "present": "oui"}, "present prend true ou false"),
    ({"chemin": "a", "parmi": 1}, "'parmi' prend une liste"),
    ({"chemin": "a", "commence_par": 1}, "commence_par prend un texte"),
    ({"chemin": "a", "au_moins": True}, "au_moins prend un nombre"),
    ({"chemin": "a", "au_plus": "3"}, "au_plus prend un nombre"),
    ({"chemin": "a", "nombre": {}}, "nombre prend {au_moins: n}"),
    ({"chemin": "a", "nombre": {"au_moins": -1}}, "nombre prend"),
    ({"chemin": "a", "nombre": {"au_moins": True}}, "nombre prend"),
    ({"chemin": "a", "nombre": {"au_mieux": 1}}, "nombre prend"),
    ({"chemin": "a", "nombre": 2}, "nombre prend"),
    ({"chemin": "a", "egal": {"chemin": "b"}}, "ne prend pas de chemin"),
])
def test_operand_refused_with_its_reason(condition, reason):
    with pytest.raises(ValueError, match=reason.replace("{", r"\{").replace("(", r"\(")):
        parse_condition(condition)


def test_operand_zero_bounds_are_accepted():
    assert ok({"chemin": "a", "nombre": {"au_moins": 0, "au_plus": 0}}, {"a": []}) is True


def test_the_language_parts_are_frozen():
    from dataclasses import FrozenInstanceError

    from engine.policy.conditions.operators import OPERATORS, Bounds, Broken
    for value, name in ((Bounds(1, 2), "least"), (Broken("a", 1, {}, {}), "where"), (OPERATORS["egal"], "name")):
        with pytest.raises(FrozenInstanceError):
            setattr(value, name, None)


@pytest.mark.parametrize("name, path_operand, flattened, mapping", [
    ("present", False, False, False), ("egal", False, False, False), ("parmi", False, False, False),
    ("contient", False, False, False), ("contient_un_de", False, False, False), ("couvre", True, True, False),
    ("commence_par", True, False, False), ("disjoint_de", True, True, False), ("au_moins", False, False, False),
    ("au_plus", False, False, False), ("nombre", False, False, True),
])
def test_how_each_operand_is_written(name, path_operand, flattened, mapping):
    # README's condition table: which operators take {chemin: …} as operand, and `nombre` its own mapping
    from engine.policy.conditions.operators import OPERATORS
    operator = OPERATORS[name]
    assert (operator.path_operand, operator.flattened, operator.mapping) == (path_operand, flattened, mapping)
