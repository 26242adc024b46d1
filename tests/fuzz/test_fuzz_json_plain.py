"""Reading JSON through orjson (engine/json_plain.py) gives exactly what the strict reading gives, or leaves the text
to it: the same data (types, order, -0.0 and 1 apart from 1.0), the same refusals (duplicate keys, NaN, long numbers,
deep nesting), for any text."""
from __future__ import annotations

import json
import sys
from unittest import mock

import orjson
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from engine import documents
from engine.documents import parse_json
from engine.json_plain import NOT_READ, read_plain

from .conftest import examples
from .strategies import ROOT

sys.path.insert(0, str(ROOT))
from bench.generate import dossiers

SPACES = st.sampled_from(["", " ", "\n  ", "\t"])


def strict(text: str):
    """What parse_json gives without orjson."""
    with mock.patch.object(documents, "read_plain", lambda text: NOT_READ):
        return parse_json(text, "f.json")


def same(found, expected) -> None:
    data, issues = found
    assert repr(data) == repr(expected[0])      # repr tells 1 from 1.0 and 0.0 from -0.0; dicts in order
    assert [(i.path, i.message, i.line) for i in issues] == [(i.path, i.message, i.line) for i in expected[1]]


SCALARS = st.one_of(
    st.none(), st.booleans(),
    st.integers(), st.integers(-2 ** 70, 2 ** 70), st.sampled_from([2 ** 63, 2 ** 64, -2 ** 63 - 1, 10 ** 19]),
    st.floats(), st.floats(allow_nan=False, allow_infinity=False, width=32),
    st.text(), st.text(alphabet='":\\{}[], \u00e9\ud7ff'), st.sampled_from([":", "::", '":', "a\\", "\u2028"]),
)


def written(value, draw) -> str:
    """JSON text of a value whose objects are lists of (key, value) pairs (a key may come twice), the spaces drawn."""
    if isinstance(value, tuple):                    # an object: its pairs
        return "{" + ",".join(f"{draw(SPACES)}{json.dumps(key, ensure_ascii=draw(st.booleans()))}{draw(SPACES)}:"
                              f"{draw(SPACES)}{written(item, draw)}" for key, item in value) + "}"
    if isinstance(value, list):
        return "[" + ",".join(draw(SPACES) + written(item, draw) for item in value) + "]"
    return json.dumps(value, ensure_ascii=draw(st.booleans()))


VALUES = st.recursive(SCALARS, lambda inner: st.one_of(
    st.lists(inner, max_size=5),
    st.lists(st.tuples(st.sampled_from(["a", "b", ":", "é", 'q"', "k\\"]) | st.text(max_size=3), inner),
             max_size=5).map(tuple)), max_leaves=30)


@settings(max_examples=examples(400))
@given(data=st.data())
def test_json_text_of_any_value_reads_as_the_strict_reading_reads_it(data):
    text = written(data.draw(VALUES), data.draw)
    same(parse_json(text, "f.json"), strict(text))


@settings(max_examples=examples(400))
@given(text=st.text(alphabet='{}[]":,. \n0123456789eE+-truefalsn\\u\u00e9', max_size=60))
def test_any_text_of_json_characters_reads_as_the_strict_reading_reads_it(text):
    same(parse_json(text, "f.json"), strict(text))


def test_accents_escaped_as_json_writes_them_are_read_by_orjson():
    text = '{"nom":"\\u00c9lodie Ren\\u00e9e","emoji":"\\ud83d\\ude00","a":1}'
    assert read_plain(text) == {"nom": "Élodie Renée", "emoji": "\U0001f600", "a": 1}
    same(parse_json(text, "f.json"), strict(text))


@pytest.mark.parametrize("text", [
    '{"a" :1,"a" :2,"b":":"}',             # a duplicate hidden by a colon out of place and one in a string
    '{"a":1,"a":2}', '{"a":{"b":1,"b":2}}',
    '{"a":1,"\\u0061":2}',                 # the same key, once escaped
    '{"a":1,"a":2,"b":"\\u003ax"}',          # a duplicate, and an escaped colon that orjson writes as one
    '{"a":1,"a":2,"b":"\\u00e9\\u003ax"}', '{"a":"\\u0022:"}', '{"a":"\\\\u00e9"}', '{"a":"\\n"}',
    '{"a":":x","a":1}',
    '{"n":18446744073709551616}', '{"n":-9223372036854775809}', '{"n":1.0000000000000000000000000000001}',
    '{"n":1e400}', '{"n":NaN}', "\ufeff{}", '{"s":"\ud800"}',
    "[" * 300 + "]" * 300, "[" * 1000 + "]" * 1000,
])
def test_what_orjson_would_read_otherwise_is_left_to_the_strict_reading(text):
    assert read_plain(text) is NOT_READ
    same(parse_json(text, "f.json"), strict(text))


def test_a_dossier_sent_compact_indented_or_with_its_accents_escaped_is_read_by_orjson():
    for facts in dossiers(40, seed=3, size="mixed"):
        for text in (orjson.dumps(facts).decode(), json.dumps(facts, ensure_ascii=False, indent=2), json.dumps(facts)):
            assert read_plain(text) is not NOT_READ
            same(parse_json(text, "f.json"), strict(text))
