"""The `clea` command on hostile input (issue 14): exit 2 with `file:line: path: message`, never a traceback."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from .helpers import clea

LONG = "A" * 300
CLEA = [str(Path(sys.executable).parent / "clea")]


@pytest.mark.parametrize("argv", [
    ["evaluate", "examples/habilite-renouvele-frais.yaml", "--policies", LONG],
    ["evaluate", LONG], ["avis", LONG],
    ["policy", "validate", LONG], ["policy", "params", "--policies", LONG],
    ["policy", "history", "frais.instruction", "--policies", LONG], ["policy", "diff", "--", LONG],
    ["evaluate-batch", LONG], ["log", "show", "--log", LONG], ["log", "export", "--log", LONG],
])
def test_paths_over_255_characters_are_argument_errors(argv):
    code, _, err = clea(*argv)
    assert code == 2 and err.strip()


def test_serve_with_a_policies_path_over_255_characters_is_an_argument_error():
    pytest.importorskip("uvicorn")
    code, _, err = clea("serve", "--policies", LONG, "--port", "0")
    assert code == 2 and "File name too long" in err


def test_evaluate_dev_zero_is_refused_at_once():
    code, _, err = clea("evaluate", "/dev/zero")
    assert code == 2 and err == "/dev/zero: $: un périphérique, pas un fichier\n"


def test_facts_errors_carry_their_line_in_yaml(tmp_path, base_facts):
    import yaml
    base_facts["evenements"] = [{"type": "demande_deposee", "date": "2026-01-12"},
                                {"type": "decision_notifiee", "date": "2026-02-30", "decision": "refus"}]
    path = tmp_path / "faits.yaml"
    path.write_text(yaml.safe_dump(base_facts, sort_keys=False), encoding="utf-8")
    line = next(number for number, text in enumerate(path.read_text().splitlines(), 1) if "2026-02-30" in text)
    code, _, err = clea("evaluate", str(path), "--date", "2026-03-10")
    assert code == 2 and err.startswith(f"{path}:{line}: evenements[1].date: '2026-02-30'")


def test_facts_errors_carry_their_line_in_json(tmp_path, base_facts):
    base_facts["organisme"]["siren"] = "123456789"
    path = tmp_path / "faits.json"
    path.write_text(json.dumps(base_facts, indent=2), encoding="utf-8")
    line = next(number for number, text in enumerate(path.read_text().splitlines(), 1) if "123456789" in text)
    code, _, err = clea("evaluate", str(path), "--date", "2026-03-10")
    assert code == 2 and err.startswith(f"{path}:{line}: organisme.siren:")


def test_json_facts_with_duplicate_keys_or_nan_are_refused_like_yaml(tmp_path, base_facts):
    text = json.dumps(base_facts)
    duplicated = tmp_path / "doublon.json"
    duplicated.write_text(text[:-1] + ', "instance": "certifpro"}', encoding="utf-8")
    code, _, err = clea("evaluate", str(duplicated))
    assert code == 2 and err == f"{duplicated}: instance: clé en double\n"
    nan = tmp_path / "nan.json"
    nan.write_text(text[:-1] + ', "x": NaN}', encoding="utf-8")
    code, _, err = clea("evaluate", str(nan))
    assert code == 2 and "NaN n'est pas un nombre fini" in err


@pytest.mark.parametrize("text,message", [
    ("a: &a [x, x]\nb: [*a, *a]\n", "les ancres et alias YAML"),
    ("x: " + "[" * 500 + "]" * 500, "imbriqué sur plus de 32 niveaux"),
    ("x:\n" + "".join("  " * i + "- \n" for i in range(600)), "imbriqué sur plus de 32 niveaux"),
    ("x: " + "7" * 5000, "un nombre de plus de 30 caractères"),
])
def test_hostile_yaml_facts_are_argument_errors(tmp_path, text, message):
    path = tmp_path / "faits.yaml"
    path.write_text(text, encoding="utf-8")
    code, _, err = clea("evaluate", str(path))
    assert code == 2 and message in err


def test_a_lone_surrogate_in_facts_is_refused_and_printing_never_fails(tmp_path):
    path = tmp_path / "faits.json"
    path.write_text('{"organisme": {"siren": "\\ud800"}, "instance": "certifpro", "evenements": []}')
    done = subprocess.run([*CLEA, "evaluate", str(path)], capture_output=True, check=False)
    assert done.returncode == 2 and "demi-caractère isolé (\\ud800)".encode() in done.stderr and b"Traceback" not in done.stderr


def test_a_file_name_that_is_not_utf8_is_printed_not_a_traceback(tmp_path):
    name = os.fsdecode(b"\xff\xfe.yaml")
    done = subprocess.run([*CLEA, "evaluate", str(tmp_path / name)], capture_output=True, check=False)
    assert done.returncode == 2 and b"fichier introuvable" in done.stderr and b"Traceback" not in done.stderr
