"""What a user reads from `clea` is French: help, usage, argument errors, and the holes found by a new user."""
from __future__ import annotations

import io
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from engine.cli import build_parser, run

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "habilite-renouvele-frais.yaml"
ENGLISH = re.compile(r"\b(usage:|options:|positional arguments|show this help|the following arguments|invalid choice|"
                     r"error:|default:|folder|file\b|policies folder|evaluation date|today)", re.IGNORECASE)


def clea(*argv):
    out, err = io.StringIO(), io.StringIO()
    code = run(list(argv), out, err)
    return code, out.getvalue(), err.getvalue()


def every_command(parser, prefix=()):
    yield prefix
    for action in parser._actions:
        if hasattr(action, "choices") and isinstance(action.choices, dict):
            for name, sub in action.choices.items():
                yield from every_command(sub, prefix + (name,))


@pytest.mark.parametrize("command", list(every_command(build_parser(io.StringIO(), io.StringIO()))),
                         ids=lambda c: " ".join(c) or "clea")
def test_every_help_is_french(command):
    code, out, err = clea(*command, "--help")
    assert code == 0 and err == ""
    assert out.startswith("usage : clea") and "afficher cette aide et quitter" in out
    assert not ENGLISH.search(out), ENGLISH.search(out)


@pytest.mark.parametrize("argv, message", [
    ((), "clea : erreur : arguments obligatoires manquants : COMMANDE"),
    (("evaluate",), "clea evaluate : erreur : arguments obligatoires manquants : FAITS"),
    (("evaluate", "x.yaml", "--format", "pdf"), "argument --format : choix invalide : 'pdf'"),
    (("evaluate", "x.yaml", "--date", "2026-02-30"), "'2026-02-30' n'est pas une date AAAA-MM-JJ du calendrier"),
    (("avis", "x.yaml", "--bogus"), "clea : erreur : arguments non reconnus : --bogus"),
])
def test_argument_errors_are_french_with_the_usage(argv, message):
    code, out, err = clea(*argv)
    assert (code, out) == (2, "")
    assert err.startswith("usage : clea") and message in err


def test_version_names_the_program_and_each_policy_revision():
    code, out, _ = clea("--version")
    assert code == 0 and re.match(r"clea \S+\n", out)
    assert re.search(r"^politique certifpro \S+ \(sha256:[0-9a-f]{64}\)$", out, re.MULTILINE)


def test_an_out_of_range_date_is_blamed_on_the_argument_not_the_facts():
    code, out, err = clea("evaluate", str(EXAMPLE), "--date", "2099-01-01", "--format", "json")
    assert (code, out) == (2, "")
    assert err.startswith("--date: 2099-01-01 : hors des années") and str(EXAMPLE) not in err


def test_a_terminal_that_only_knows_ascii_gets_plain_letters_not_a_traceback():
    env = {**os.environ, "PYTHONIOENCODING": "ascii"}
    result = subprocess.run([sys.executable, "-m", "engine.cli", "evaluate", str(EXAMPLE), "--date", "2026-11-27",
                             "--format", "text"], capture_output=True, env=env, cwd=ROOT, timeout=120, check=False)
    assert result.returncode == 0, result.stderr
    text = result.stdout.decode("ascii")
    assert "Statut : Habilite" in text and "300,00 EUR HT" in text and "Traceback" not in text


def test_text_with_explanations_has_no_code_where_a_word_belongs(policies):
    for path in sorted((ROOT / "examples").glob("*.yaml")):
        code, out, err = clea("evaluate", str(path), "--date", "2026-11-27", "--format", "text", "--explain")
        assert code == 0, err
        # paths in the facts are kept as they are (they say where a value was read)
        words = re.sub(r"evenements\[\d+\](\.\w+)*|organisme\.\w+(\[[\d*]+\])?(\.\w+)?|sha256:[0-9a-f]+…", "", out)
        for code_word in ("habilite ", "faculte", "refuse ", "jours_ouvres", "working_days", "EUR", "a_faire",
                          "en_retard", "declarer_changement", "deposer_", "_", "True", "None", "T00"):
            assert code_word not in words, (path.name, code_word)
        assert not re.search(r"\b\d{4}-\d{2}-\d{2}\b", words), path.name
