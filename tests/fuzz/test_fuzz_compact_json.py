"""Compact JSON through orjson (engine/compact_json.py) is byte for byte what json.dumps writes, for any value:
floats of every size (the small ones orjson writes its own way), and texts made of a number's characters, which must
keep orjson's bytes."""
from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from engine.compact_json import compact

from .conftest import examples

NUMBER_TEXT = st.text(alphabet="0123456789.-e:,[", max_size=12)
SCALARS = st.one_of(
    st.none(), st.booleans(), st.integers(-2 ** 70, 2 ** 70),
    st.floats(allow_nan=False, allow_infinity=False),
    st.floats(min_value=-1e-3, max_value=1e-3),          # where orjson and json differ: under 1e-4
    st.sampled_from([1e-05, -2.5e-07, 0.0001, 9.99e-05, 1e-10, 1.5e-09, 1e16, -0.0]),
    NUMBER_TEXT, st.text(max_size=8),
)
VALUES = st.recursive(SCALARS, lambda inner: st.one_of(
    st.lists(inner, max_size=5),
    st.dictionaries(NUMBER_TEXT | st.text(max_size=3), inner, max_size=5)), max_leaves=20)


@settings(max_examples=examples(200))
@given(value=VALUES, sort_keys=st.booleans())
def test_any_value_is_written_as_json_writes_it(value, sort_keys):
    expected = json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=sort_keys).encode("utf-8")
    assert compact(value, sort_keys=sort_keys) == expected
