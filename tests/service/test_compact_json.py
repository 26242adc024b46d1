"""The service's JSON through orjson is byte for byte what json.dumps writes: responses and the decision log."""
import datetime
import json
import sys

import pytest
from fastapi.responses import JSONResponse

from engine import FactsError, evaluate, load_policies
from engine.compact_json import compact
from engine.service.compact_json import CompactJSONResponse

from .conftest import POLICIES, ROOT, SCENARIOS, scenario

sys.path.insert(0, str(ROOT))
from bench.generate import dossiers

ODD = [
    {"petit": 1e-05, "plus_petit": 2.5e-07, "limite": 0.0001, "grand": 1e16, "zero": -0.0, "entier": 2 ** 63},
    {"au_dela_de_64_bits": 2 ** 70, "negatif": -2 ** 64},
    {"texte": "\b\f\n\r\t\"\\/\x00\x1f\x7f\u2028\u2029é\U0001f600", "ressemble": "1e-5 et 0.00001, Alsace-Moselle"},
    {"b": [True, False, None, 1.5, 0.30000000000000004, 12345600.0], "a": {"z": 1, "y": []}},
]


def _json(value, **options) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), **options).encode("utf-8")


@pytest.mark.parametrize("value", ODD)
def test_odd_values_are_written_as_json_writes_them(value):
    assert compact(value) == _json(value)
    assert compact(value, sort_keys=True) == _json(value, sort_keys=True)


@pytest.mark.parametrize("value", [1e-05, -2.5e-07, [1e-05], [1, -2.5e-07], {"a": [0.00001, 3]}, [[0.0000123]]])
def test_a_small_float_first_in_the_text_or_a_list_is_written_as_json_writes_it(value):
    assert compact(value) == _json(value)


@pytest.mark.parametrize("text", ["9d6f123e-1c2b-4f5f-8a7b-6c5d4f3f2a1b", "lot 2e-3", "x0.00001", "10.0000-z"])
def test_a_text_that_holds_a_number_s_characters_keeps_orjson_s_bytes(text, monkeypatch):
    """The decision id of about one request in seven holds '<digit>e-': inside a text it is no number."""
    value = {"decision_id": text, "liste": [text], "montant": "350.00"}
    expected = _json(value)
    monkeypatch.setattr("engine.compact_json.json.dumps", lambda *args, **kwargs: pytest.fail("json was used"))
    assert compact(value) == expected


@pytest.mark.parametrize("text", ["ratio:1e-5", "a,0.00001", "[2.5e-7]"])
def test_a_text_that_reads_as_a_number_after_a_separator_is_left_to_json_and_still_the_same(text, monkeypatch):
    value = {"texte": text}
    expected, calls, dumps = _json(value), [], json.dumps
    monkeypatch.setattr("engine.compact_json.json.dumps", lambda *args, **kwargs: calls.append(1) or dumps(*args, **kwargs))
    assert compact(value) == expected
    assert calls == [1]


def test_keys_that_are_not_text_and_dates_are_left_to_json():
    value = {1: "un", "le": datetime.date(2026, 3, 10), "a": datetime.datetime(2026, 3, 10, 9, 30)}
    assert compact(value, default=str) == _json(value, default=str)
    with pytest.raises(TypeError):
        compact({"le": datetime.date(2026, 3, 10)})


def test_verdicts_and_explanations_are_the_bytes_starlette_writes():
    frozen, shipped = load_policies(POLICIES), load_policies()
    cases = [scenario(path.name[:3]) for path in SCENARIOS]
    documents = [(case["faits"], case.get("date"), frozen) for case in cases]
    documents += [(facts, "2032-12-31", shipped) for facts in dossiers(40, seed=11, size="mixed")]
    checked = 0
    for facts, as_of, policies in documents:
        for explain in (False, True):
            try:
                verdict = evaluate(facts, as_of, policies=policies, explain=explain)
            except FactsError:      # facts the engine refuses have no verdict to write
                continue
            assert CompactJSONResponse(verdict).body == JSONResponse(verdict).body
            checked += 1
        assert compact(facts, sort_keys=True, default=str) == _json(facts, sort_keys=True, default=str)
    assert checked > 60
