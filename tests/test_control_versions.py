"""A dossier control amended from a date (issue 19): `dossier.controles[].versions`, selected by the evaluation date
(no transitional clause here): by decision of 15 January 2027, from 1 March 2027 the identity check is required only
for evaluations entirely at a distance. A dossier proposing partial distance evaluation without it is a finding when
evaluated on Sun 28 Feb 2027, none on Mon 1 Mar 2027. Written in a scratch git repository, published first;
refusals through validate, start and reload."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from scratch_repo import clea, git, published_repository

from engine.documents import parse_yaml_file
from engine.errors import PolicyError
from engine.evaluation import evaluate
from engine.policy import load_policies
from engine.service.app import load_checked

POLICIES = Path(__file__).resolve().parent / "fixtures" / "policies"
TODAY = "2026-11-27"
MESSAGE = ("    message: Des évaluations à distance sont proposées sans contrôle de l'identité de la personne évaluée "
           "(Annexe 2).\n")
VERSION = ("    versions:\n    - depuis: 2027-03-01\n"
           "      decision: {reference: \"CA du 15 janvier 2027, délibération 6\", date: 2027-01-15}\n"
           "      si: {chemin: demande.partie_technique.modalites, contient: distanciel_total}\n"
           "      exige: {chemin: demande.partie_technique.distanciel.controle_identite, egal: true}\n")


@pytest.fixture
def repo(tmp_path) -> Path:
    return published_repository(tmp_path, POLICIES / "certifpro", TODAY, into="policies/certifpro")


def dossier(repo: Path) -> Path:
    return repo / "policies" / "certifpro" / "dossier.yaml"


def edit(repo: Path, old: str, new: str) -> None:
    content = dossier(repo).read_text(encoding="utf-8")
    assert content.count(old) == 1
    dossier(repo).write_text(content.replace(old, new), encoding="utf-8")


def findings(policies, day: str) -> tuple[set[str], list[dict]]:
    case = parse_yaml_file(POLICIES / "certifpro" / "tests" / "p02-instruction-avis-convocation-notification.yaml",
                           []).data
    facts = json.loads(json.dumps(case["faits"]))
    technical = facts["demande"]["partie_technique"]
    technical["modalites"] = ["presentiel", "distanciel_partiel"]
    technical["distanciel"] = {"controle_identite": False}
    facts["evenements"] = [{"type": "demande_deposee", "date": "2027-01-04"}]
    verdict = evaluate(facts, day, policies=policies)
    steps = [step for step in verdict["trace"] if step["regle"] == "controles.distanciel_controle_identite"]
    return {finding["id"] for finding in verdict["constats"]}, steps


def test_evaluated_the_day_before_keeps_the_control_before(repo):
    edit(repo, MESSAGE, MESSAGE + VERSION)
    code, out, _ = clea("policy", "validate", repo / "policies", "--date", TODAY)
    assert code == 0, out
    policies = load_policies(repo / "policies")
    found, [step] = findings(policies, "2027-02-28")
    assert "distanciel_sans_controle_identite" in found and step["version"]["numero"] == 0
    found, steps = findings(policies, "2027-03-01")
    assert "distanciel_sans_controle_identite" not in found and not steps


def test_the_control_changed_in_place_is_refused_with_the_version_to_write(repo):
    in_service = load_checked(repo / "policies")
    edit(repo, "    si: {chemin: demande.partie_technique.modalites, contient_un_de: [distanciel_partiel, "
               "distanciel_total]}\n    exige: {chemin: demande.partie_technique.distanciel.controle_identite",
         "    si: {chemin: demande.partie_technique.modalites, contient: distanciel_total}\n"
         "    exige: {chemin: demande.partie_technique.distanciel.controle_identite")
    code, out, _ = clea("policy", "validate", repo / "policies", "--date", TODAY)
    assert code == 1
    [line] = [line for line in out.splitlines() if "le contrôle 'distanciel_controle_identite' a été modifié" in line]
    assert line.startswith(f"{dossier(repo)}:") and "exige: …}]" in line
    git(repo, "commit", "-qam", "contrôle modifié")
    for args in ((), (in_service,)):
        with pytest.raises(PolicyError):
            load_checked(repo / "policies", *args)


def test_a_version_with_an_unknown_path_is_refused_at_its_line(repo):
    edit(repo, MESSAGE, MESSAGE + VERSION.replace("controle_identite, egal", "controle_identit, egal"))
    code, out, _ = clea("policy", "validate", repo / "policies", "--date", TODAY)
    assert code == 1 and any(line.startswith(f"{dossier(repo)}:") and "controle_identit" in line
                             for line in out.splitlines()), out


def test_diff_says_the_amendment_in_words(repo):
    edit(repo, MESSAGE, MESSAGE + VERSION)
    _code, out, _ = clea("policy", "diff", "HEAD", "--policies", repo / "policies")
    assert "  Contrôles du dossier\n    ~ modifié distanciel_controle_identite [A2]" in out
    assert ("      nouvelle version à partir du 01/03/2027, selon la date d'évaluation — décision du 15/01/2027, CA du "
            "15 janvier 2027, délibération 6\n        conditions (si) : {chemin: demande.partie_technique.modalites, "
            "contient_un_de: [distanciel_partiel, distanciel_total]} → {chemin: demande.partie_technique.modalites, "
            "contient: distanciel_total}") in out
    assert "dossier.yaml" not in out
