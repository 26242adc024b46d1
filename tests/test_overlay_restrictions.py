"""What an overlay's replacement of a base action may not do (issue 19): move the duty to another party, make an
obligation an option, let the base's finding on lateness disappear. Each is refused at its line, with why."""
from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest

from engine.cli import run

POLICIES = Path(__file__).resolve().parent / "fixtures" / "policies"
REPLACED = ("- id: recours.accuse_reception\n  article: III.7\n"
            "  titre: La CPNE Exemple accuse réception du recours dans les {recours.delai_accuse_reception}\n"
            "  quand: {evenement: recours_depose, accomplit: {action: deposer_recours, dans_les_delais: true}}\n"
            "  action:\n    id: accuser_reception_recours\n    acteur: instance\n    nature: obligation\n"
            "    echeance: {delai: recours.delai_accuse_reception}\n"
            "    accomplie_par: {evenement: recours_accuse_reception}\n"
            "    si_en_retard: {constat: delai_instance_depasse, cas: [tardive]}\n")


@pytest.fixture
def copied(tmp_path) -> Path:
    shutil.copytree(POLICIES, tmp_path / "policies", ignore=shutil.ignore_patterns("tests"))
    return tmp_path / "policies"


def validate_with(folder: Path, rule: str) -> tuple[int, list[str]]:
    rules = folder / "cpne-exemple" / "regles"
    rules.mkdir(exist_ok=True)
    (rules / "recours.yaml").write_text(rule, encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    code = run(["policy", "validate", str(folder), "--no-history"], out, err)
    return code, [line for line in out.getvalue().splitlines() if "cpne-exemple/regles/recours.yaml" in line]


def test_the_same_duty_with_the_base_finding_is_accepted(copied):
    assert validate_with(copied, REPLACED)[0] == 0


def test_a_duty_moved_onto_the_organisation_is_refused(copied):
    code, lines = validate_with(copied, REPLACED.replace("acteur: instance", "acteur: organisme"))
    assert code == 1
    [line] = lines
    assert ":7: " in line and "fait passer l'action 'accuser_reception_recours' de 'instance' à 'organisme' : une " \
        "extension ne déplace pas une diligence d'une partie sur une autre (III.3, III.4" in line


def test_an_obligation_made_an_option_is_refused(copied):
    code, lines = validate_with(copied, REPLACED.replace("nature: obligation", "nature: faculte"))
    assert code == 1
    [line] = lines
    assert ":8: " in line and "fait de l'obligation 'accuser_reception_recours' une faculté" in line
    assert "(I, II, III.4)" in line


def test_the_base_finding_on_lateness_disappearing_is_refused(copied):
    code, lines = validate_with(copied, REPLACED.replace(
        "    si_en_retard: {constat: delai_instance_depasse, cas: [tardive]}\n", ""))
    assert code == 1
    [line] = lines
    assert "fait disparaître ou change le constat 'delai_instance_depasse' de la base" in line
