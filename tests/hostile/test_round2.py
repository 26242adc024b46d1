"""Issue 23, the smaller ones outside HTTP: a YAML syntax error first (no false "paramètre retiré"), a SIREN of nine
zeros told why, a FIFO with no writer named, a 5 MB YAML string refused before the YAML parser reads it."""
from __future__ import annotations

import io
import os
import shutil
import threading
from pathlib import Path

import pytest

from engine import FactsError, PolicyError, evaluate, load_policies
from engine.cli import run
from engine.evaluation import parse_facts_text

ROOT = Path(__file__).resolve().parents[2]
POLICIES = ROOT / "tests" / "fixtures" / "policies"
BASE = {"organisme": {"siren": "732829320"}, "instance": "certifpro", "evenements": []}


def test_a_yaml_syntax_error_in_parametres_is_the_first_problem_and_no_parameter_is_said_withdrawn(tmp_path):
    folder = tmp_path / "policies"
    shutil.copytree(POLICIES, folder, ignore=shutil.ignore_patterns("tests"))
    baseline = load_policies(folder).snapshots
    parameters = folder / "certifpro" / "parametres.yaml"
    parameters.write_text(parameters.read_text(encoding="utf-8") + "\ncassé: [\n", encoding="utf-8")
    with pytest.raises(PolicyError) as caught:
        load_policies(folder, baseline=baseline)
    messages = [str(issue) for issue in caught.value.issues]
    assert messages[0].startswith(str(parameters)) and "paramètre retiré" not in "\n".join(messages)
    assert all("paramètre retiré" not in message for message in messages[1:])    # the overlay waits, as it says


def test_a_siren_of_nine_zeros_is_refused_for_what_it_is():
    facts = {**BASE, "organisme": {"siren": "000000000"}}
    with pytest.raises(FactsError) as caught:
        evaluate(facts, "2026-11-27", policies=load_policies(POLICIES))
    [issue] = caught.value.issues
    assert issue.path == "organisme.siren" and "n'est le SIREN d'aucune entreprise" in issue.message
    assert "clé de contrôle" in issue.message and "invalide (clé" not in issue.message


def test_a_fifo_with_no_writer_is_named(tmp_path):
    fifo = tmp_path / "faits.yaml"
    os.mkfifo(fifo)
    out, err = io.StringIO(), io.StringIO()
    done: list[int] = []
    worker = threading.Thread(target=lambda: done.append(run(["evaluate", str(fifo), "--date", "2026-11-27"],
                                                                out, err)), daemon=True)
    worker.start()
    worker.join(60)
    assert done == [2] and "tube nommé (FIFO) vide" in err.getvalue() and "doivent être un objet" not in err.getvalue()


def test_a_5_mb_yaml_string_is_refused_before_the_yaml_parser_reads_it():
    text = "instance: certifpro\norganisme:\n  siren: '732829320'\n  denomination: " + "x" * 5_000_000 + "\n"
    with pytest.raises(FactsError) as caught:       # its cost: bench.hostile (it took 9 s)
        parse_facts_text(text, "gros.yaml")
    [issue] = caught.value.issues
    assert issue.line == 4 and "une ligne de 5 000 016 caractères" in issue.message


def test_a_5_mb_yaml_string_folded_over_many_lines_is_refused_by_the_string_limit(tmp_path):
    """Folded over 70,000 lines, no line is long: libyaml reads the document (engine/yaml_c.py), then the limit on a
    string's length refuses it with its line, as for a string on one line; bench.hostile times it."""
    facts = tmp_path / "gros.yaml"
    facts.write_text("instance: certifpro\norganisme:\n  siren: '732829320'\n  denomination: >\n"
                     + "".join("    " + "x" * 70 + "\n" for _ in range(70_000)), encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    assert run(["evaluate", str(facts), "--date", "2026-11-27"], out, err) == 2
    assert err.getvalue().splitlines() == [
        f"{facts}:4: organisme.denomination: un texte de 4 970 000 caractères (au plus 10 000)"]


def test_json_on_one_long_line_is_still_read():
    import json

    facts = {**BASE, "beneficiaires": [{"id": f"b{i}", "nom": "n" * 40} for i in range(2_000)]}
    assert parse_facts_text(json.dumps(facts), "<stdin>") == facts
