"""`clea evaluate-batch` fed hostile lines (issue 14): every line answered, in order, and the run completes."""
from __future__ import annotations

import json

import pytest

from engine.batch.runner import LineEvaluator
from engine.limits import MAX_LINE_BYTES

from .helpers import clea

GOOD = json.dumps({"organisme": {"siren": "732829320"}, "instance": "certifpro",
                   "evenements": [{"type": "demande_deposee", "date": "2026-01-12"}]})
BAD_LINES = [
    "[" * 5000 + "]" * 5000,                                       # 5,000-deep nesting
    '{"organisme": {"siren": "732829320", "x": ' + "1" * 5000 + "}}",   # a 5,000-digit integer
    '{"organisme": {"siren": "\\ud800"}, "instance": "certifpro", "evenements": []}',  # a lone surrogate
    json.dumps({"x": [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]}),
    '{"instance": "certifpro", "instance": "certifpro"}',           # a duplicate key
    '{"x": NaN}',
    json.dumps({"organisme": {"siren": "732829320"}, "instance": "certifpro",   # before the period's duration
                "evenements": [{"type": "decision_notifiee", "date": "2016-03-01", "decision": "acceptation"}]}),
    "\udcff",                                                      # bytes that are not UTF-8 text
]


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_bad_lines_never_stop_the_run_and_each_gets_its_error_line(tmp_path, jobs):
    lines = [GOOD, *BAD_LINES, GOOD] * 9           # enough lines for several chunks with 2 workers
    source = tmp_path / "in.jsonl"
    source.write_bytes("".join(f"{line}\n" for line in lines).encode("utf-8", "surrogatepass"))
    code, out, err = clea("evaluate-batch", str(source), "--date", "2026-02-01", "--jobs", jobs)
    answers = [json.loads(line) for line in out.splitlines()]
    assert code == 0, err
    assert len(answers) == len(lines)
    for number, (line, answer) in enumerate(zip(lines, answers), 1):
        if line == GOOD:
            assert answer["statut"] == "candidat"
        else:
            assert answer["ligne"] == number and answer["erreurs"], answer
    assert f"{len(lines)} lignes, 18 verdicts, {len(lines) - 18} invalides" in err


def test_a_line_over_the_limit_is_answered_and_the_next_one_read(tmp_path):
    source = tmp_path / "in.jsonl"
    with source.open("wb") as stream:
        stream.write(b'{"x": "' + b"y" * (MAX_LINE_BYTES + 10) + b'"}\n')
        stream.write(GOOD.encode() + b"\n")
    code, out, _ = clea("evaluate-batch", str(source), "--date", "2026-02-01", "--jobs", "1")
    first, second = [json.loads(line) for line in out.splitlines()]
    assert code == 0 and first == {"ligne": 1, "erreurs": [{"chemin": "$", "message":
                                                            f"une ligne de plus de {MAX_LINE_BYTES} octets"}]}
    assert second["statut"] == "candidat"


def test_a_device_as_input_is_refused_at_once():
    code, _, err = clea("evaluate-batch", "/dev/zero")
    assert code == 2 and "/dev/zero : ni un fichier ni un tube" in err


def test_the_line_evaluator_never_raises_on_any_byte_string(policies):
    evaluator = LineEvaluator(policies, "2026-02-01")
    for raw in [b"", b"\xff", b"null", b"[]", b'"x"', b"1e999", b"{" * 3000, b'{"evenements": 5}']:
        kind, line = evaluator.answer(1, raw)
        assert kind == "i" and json.loads(line)["erreurs"]


def test_more_problems_than_the_limit_are_counted_in_the_error_line(policies):
    facts = {"organisme": {"siren": "732829320"}, "instance": "certifpro",
             "evenements": [{"type": "inconnu", "date": "2026-01-12"}] * 130}
    _kind, line = LineEvaluator(policies, "2026-02-01").answer(7, json.dumps(facts).encode())
    answer = json.loads(line)
    assert len(answer["erreurs"]) == 100 and answer["erreurs_non_listees"] == 1     # at least one more: it stopped
