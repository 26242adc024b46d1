"""What the README promises a new user, told true (issue 21): French labels and messages, commands whose --help
describes them and their exit codes, the Python API's ISO dates."""
from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import pytest

from engine import load_policies
from engine.cli import run

ROOT = Path(__file__).resolve().parents[1]
POLICIES = ROOT / "tests" / "fixtures" / "policies"


def _run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = run(list(argv), out, err)
    return code, out.getvalue(), err.getvalue()


def test_parameters_at_accepts_the_iso_string_evaluate_accepts():
    policy = load_policies(POLICIES).for_instance("certifpro")
    assert policy.parameters_at("2026-03-10") == policy.parameters_at(date(2026, 3, 10))


def test_load_policies_without_a_folder_loads_the_shipped_ones():
    assert load_policies().ids() == load_policies(ROOT / "policies").ids()


@pytest.mark.parametrize("command", ["validate", "params", "diff", "history", "articles", "publish"])
def test_each_policy_command_describes_itself_and_its_exit_codes(command):
    code, out, _ = _run("policy", command, "--help")
    assert code == 0
    _usage, _, rest = out.partition("\n\n")
    assert rest.split("\n\n")[0].strip() and not rest.startswith(("arguments", "options"))   # a description
    assert "Codes de sortie : 0" in out


def test_policy_articles_on_an_unknown_policy_speaks_french():
    code, _, err = _run("policy", "articles", "--policies", str(POLICIES), "--policy", "nope")
    assert code == 2
    assert err.startswith("--policy: politique inconnue 'nope'") and "no policy" not in err


def test_the_placeholders_of_errors_are_the_french_metavars(tmp_path):
    code, _, err = _run("test", str(tmp_path / "nulle-part"))
    assert code == 2 and err.startswith("CHEMIN: ni fichier ni dossier de ce nom")
    code, _, err = _run("policy", "history", "nope.nope", "--policies", str(POLICIES))
    assert code == 2 and err.startswith("PARAMETRE: paramètre inconnu")
    code, _, err = _run("policy", "diff", str(tmp_path / "nulle-part"), "--policies", str(POLICIES))
    assert code == 2 and err.startswith("AVANT: ")
    assert "PATH:" not in err and "OLD:" not in err


def test_clea_log_show_on_a_missing_log_says_so_in_french(tmp_path):
    code, _, err = _run("log", "show", "--log", str(tmp_path / "absent.sqlite3"))
    assert code == 2
    assert err == f"clea log : {tmp_path / 'absent.sqlite3'}: aucun journal des décisions ici\n"
    assert not (tmp_path / "absent.sqlite3").exists()


def test_version_says_why_a_policies_folder_gives_nothing(tmp_path, monkeypatch):
    monkeypatch.setenv("CLEA_POLICIES", str(tmp_path))
    code, out, _ = _run("--version")
    assert code == 0
    assert out.splitlines()[-1] == f"politiques de {tmp_path} : aucune politique ici (aucun */politique.yaml)"
    monkeypatch.setenv("CLEA_POLICIES", str(tmp_path / "absent"))
    code, out, _ = _run("--version")
    assert code == 0 and out.splitlines()[-1] == f"politiques de {tmp_path / 'absent'} : dossier introuvable"
