"""`clea evaluate-batch`: one line out per line in, in order; a bad line gives an error object; OUT is atomic."""
import argparse
import io
import json
import os
import signal
from pathlib import Path

import pytest
import yaml

import engine
from engine.batch import runner as batch
from engine.cli import batch as batch_command

ROOT = Path(__file__).resolve().parent.parent
POLICIES = Path(__file__).parent / "fixtures" / "policies"
SCENARIOS = sorted((POLICIES / "certifpro" / "tests").glob("p0[1-7]*.yaml"))
DATE = "2026-06-01"


@pytest.fixture(scope="module")
def policies():
    return engine.load_policies(POLICIES)


@pytest.fixture(scope="module")
def facts_lines():
    documents = [yaml.safe_load(path.read_text(encoding="utf-8"))["faits"] for path in SCENARIOS]
    return [json.dumps(document, default=str, ensure_ascii=False) for document in documents]


def invoke(argv, stdin=None):
    parser = argparse.ArgumentParser(prog="clea")
    batch_command.add_parser(parser.add_subparsers())
    args = parser.parse_args(["evaluate-batch", *argv])
    stdout, stderr = io.StringIO(), io.StringIO()
    status = batch_command.run(args, stdout, stderr)
    return status, stdout.getvalue(), stderr.getvalue()


def write_lines(path: Path, lines) -> Path:
    path.write_text("".join(f"{line}\n" for line in lines), encoding="utf-8")
    return path


def expected_verdicts(lines, policies):
    return [engine.evaluate(json.loads(line), DATE, policies=policies) for line in lines]


def test_one_verdict_per_line_in_input_order(tmp_path, facts_lines, policies):
    lines = facts_lines + facts_lines[::-1]
    status, out, err = invoke([str(write_lines(tmp_path / "in.jsonl", lines)), "--date", DATE, "--jobs", "1"])
    assert status == 0, err
    assert [json.loads(line) for line in out.splitlines()] == expected_verdicts(lines, policies)
    assert f"{len(lines)} verdicts, 0 invalid" in err


def test_an_invalid_line_gives_an_error_object_and_the_run_goes_on(tmp_path, facts_lines):
    bad_siren = json.loads(facts_lines[0])
    bad_siren["organisme"]["siren"] = "123456789"
    lines = [facts_lines[0], "{not json", json.dumps(bad_siren), "", facts_lines[1]]
    status, out, err = invoke([str(write_lines(tmp_path / "in.jsonl", lines)), "--date", DATE, "--jobs", "1"])
    assert status == 0, err
    answers = [json.loads(line) for line in out.splitlines()]
    assert len(answers) == 4                                   # the blank line is skipped
    assert answers[0]["statut"] and answers[3]["statut"]
    assert answers[1]["ligne"] == 2 and answers[1]["erreurs"][0]["message"].startswith("JSON invalide")
    assert answers[2]["ligne"] == 3
    assert any(error["chemin"] == "organisme.siren" for error in answers[2]["erreurs"])
    assert "2 invalid" in err


def test_two_worker_processes_keep_the_order(tmp_path, facts_lines, policies, monkeypatch):
    monkeypatch.setattr(batch, "CHUNK_SIZE", 3)              # several chunks in flight over both workers
    lines = (facts_lines * 4)[:25] + ["[]"]
    status, out, err = invoke([str(write_lines(tmp_path / "in.jsonl", lines)), "--date", DATE, "--jobs", "2",
                               "--output", str(tmp_path / "out.jsonl")])
    assert status == 0, err
    assert out == ""
    answers = [json.loads(line) for line in (tmp_path / "out.jsonl").read_text(encoding="utf-8").splitlines()]
    assert answers[:-1] == expected_verdicts(lines[:-1], policies)
    assert answers[-1]["ligne"] == 26


def test_standard_input(tmp_path, facts_lines, monkeypatch):
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(f"{facts_lines[0]}\n".encode())))
    status, out, err = invoke(["-", "--date", DATE])
    assert status == 0, err
    assert len(out.splitlines()) == 1 and "statut" in json.loads(out)


def test_output_is_not_left_half_written_when_the_run_fails(tmp_path, facts_lines, monkeypatch):
    def crash(source, sink, **_):
        sink.write(b"partial\n")
        raise KeyboardInterrupt

    monkeypatch.setattr(batch_command, "run_batch", crash)
    status, _, err = invoke([str(write_lines(tmp_path / "in.jsonl", facts_lines)), "--output",
                             str(tmp_path / "out.jsonl"), "--date", DATE])
    assert status == 130 and "rien n'a été écrit" in err
    assert sorted(path.name for path in tmp_path.iterdir()) == ["in.jsonl"]


def test_sigterm_during_a_run_becomes_an_exception_that_cleans_up():
    before = signal.getsignal(signal.SIGTERM)
    with pytest.raises(batch_command.Terminated), batch_command.sigterm_as_exception():
        os.kill(os.getpid(), signal.SIGTERM)
    assert signal.getsignal(signal.SIGTERM) is before


def test_a_yaml_document_gets_one_clear_message_not_one_per_line(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    document = (ROOT / "examples" / "instruction-en-cours.yaml").read_text(encoding="utf-8")
    (tmp_path / "dossier.yaml").write_text(document, encoding="utf-8")
    status, out, err = invoke(["dossier.yaml", "--date", "2026-11-27"])
    assert (status, out) == (2, "") and err.count("\n") == 1 and "un document YAML" in err
    (tmp_path / "dossier.txt").write_text(document, encoding="utf-8")
    status, out, err = invoke(["dossier.txt", "--date", "2026-11-27"])
    assert (status, out) == (2, "") and err.count("\n") == 1 and "clea evaluate" in err


@pytest.mark.parametrize(("argv", "message"), [
    (["missing.jsonl"], "fichier introuvable"),
    # an evaluation date the policies do not cover is an argument error, told before the input is read
    (["missing.jsonl", "--date", "2099-01-01"], "--date : 2099-01-01 est hors des années"),
    (["{input}", "--date", "2010-12-20"], "(2015–2045)"),
    (["{input}", "--date", "2026-02-30"], "--date"),
    (["{input}", "--date", "tomorrow"], "--date"),
    (["{input}", "--jobs", "0"], "--jobs"),
    (["{input}", "--output", "no/such/folder/out.jsonl"], "--output"),
    (["{input}", "--policies", "no/such/policies"], "--policies"),
])
def test_bad_arguments_exit_2_without_output(tmp_path, facts_lines, monkeypatch, argv, message):
    monkeypatch.chdir(tmp_path)
    source = write_lines(tmp_path / "in.jsonl", facts_lines[:1])
    status, out, err = invoke([part.format(input=source) for part in argv])
    assert status == 2
    assert message in err and "Traceback" not in err
    assert out == ""
