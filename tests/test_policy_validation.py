"""`clea policy validate` reports each problem of a broken policy as file:line: path: message, exit 1."""
from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest

from engine import PolicyError, load_policy
from engine.cli import run

POLICY = Path(__file__).resolve().parent / "fixtures" / "policies" / "certifpro"


@pytest.fixture
def copy(tmp_path):
    target = tmp_path / "policies" / "certifpro"
    shutil.copytree(POLICY, target)
    schema = tmp_path / "schemas"
    shutil.copytree(POLICY.parents[3] / "schemas", schema)
    return target


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def validate(folder: Path) -> tuple[int, str]:
    out, err = io.StringIO(), io.StringIO()
    code = run(["policy", "validate", str(folder)], out, err)
    assert "Traceback" not in out.getvalue() + err.getvalue()
    return code, out.getvalue()


def line_of(path: Path, text: str) -> int:
    return next(i for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if text in line)


def test_yaml_syntax_error(copy):
    edit(copy / "parametres.yaml", "    unite: ans\n", "    unite: [ans\n")
    code, out = validate(copy.parent)
    assert code == 1 and "parametres.yaml:" in out and "invalid YAML" in out


def test_unknown_article(copy):
    edit(copy / "regles" / "recours.yaml", "  article: III.7\n", "  article: III.8\n")
    code, out = validate(copy.parent)
    line = line_of(copy / "regles" / "recours.yaml", "article: III.8")
    assert code == 1
    assert f"recours.yaml:{line}: regles[" in out and "article 'III.8' is not in the regulation map" in out


def test_unknown_parameter_and_event(copy):
    edit(copy / "regles" / "recours.yaml", "delai: recours.delai_depot", "delai: recours.delai_inconnu")
    edit(copy / "regles" / "recours.yaml", "accomplie_par: {evenement: recours_depose}",
         "accomplie_par: {evenement: recours_envoye}")
    code, out = validate(copy.parent)
    assert code == 1
    assert "unknown parameter 'recours.delai_inconnu'" in out and "unknown event 'recours_envoye'" in out


def test_dated_values_out_of_order(copy):
    edit(copy / "parametres.yaml", "{depuis: 2020-02-25, valeur: \"300.00\"}", "{depuis: 2019-02-25, valeur: \"300.00\"}")
    code, out = validate(copy.parent)
    assert code == 1 and "parametres.frais.instruction.valeurs[1].depuis" in out and "increasing order" in out


def test_duplicate_rule_id(copy):
    edit(copy / "regles" / "recours.yaml", "- id: recours.examen", "- id: recours.depot")
    code, out = validate(copy.parent)
    assert code == 1 and "duplicate rule id 'recours.depot'" in out


def test_schema_violation_names_the_file_and_line(copy):
    edit(copy / "regles" / "frais.yaml", "    acteur: candidat\n", "    acteur: candidat\n    remise: 10\n")
    code, out = validate(copy.parent)
    assert code == 1 and "frais.yaml:" in out and "'remise' was unexpected" in out


def test_unknown_holiday_name_to_exclude(copy):
    edit(copy / "calendrier.yaml", "exclure: [\"Fête de Victor Schoelcher\"]", "exclure: [\"Fête inventée\"]")
    code, out = validate(copy.parent)
    assert code == 1 and "no holiday named 'Fête inventée'" in out


def test_a_broken_policy_raises_policy_error_with_every_issue(copy):
    edit(copy / "regles" / "recours.yaml", "  article: III.7\n", "  article: XX\n")
    edit(copy / "parametres.yaml", "unite: jours_ouvres", "unite: heures")
    with pytest.raises(PolicyError) as error:
        load_policy(copy)
    messages = [issue.message for issue in error.value.issues]
    assert any("article 'XX'" in m for m in messages) and any("unknown unit 'heures'" in m for m in messages)
    assert all(issue.file for issue in error.value.issues)


def test_evaluate_with_a_broken_policy_exits_3(copy, tmp_path):
    edit(copy / "regles" / "recours.yaml", "  article: III.7\n", "  article: XX\n")
    facts = tmp_path / "f.json"
    facts.write_text('{"organisme": {"siren": "732829320"}, "instance": "certifpro", "evenements": []}')
    out, err = io.StringIO(), io.StringIO()
    assert run(["evaluate", str(facts), "--policies", str(copy.parent)], out, err) == 3
    assert "article 'XX'" in err.getvalue()
