"""A criterion or a dossier control withdrawn (issue 19): deleting one from a published policy is refused (the
dossiers already evaluated would change verdict); it is withdrawn from a date by a version that says so (`versions:
[{depuis, decision, retire: {motif}}]`), or for every dossier with its reason (`retire: {motif}`, kept in the file).
Here, by decision of 15 January 2027, the identity check of distance evaluations no longer applies from 1 March 2027:
a dossier without it is a finding when evaluated on Sun 28 Feb 2027, none on Mon 1 Mar 2027. Written in a scratch git
repository, published first; refusals through validate, start and reload."""
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
CONTROL = ("  - id: distanciel_controle_identite\n    article: A2\n    constat: distanciel_sans_controle_identite\n"
           "    si: {chemin: demande.partie_technique.modalites, contient_un_de: [distanciel_partiel, distanciel_total]}\n"
           "    exige: {chemin: demande.partie_technique.distanciel.controle_identite, egal: true}\n"
           "    message: Des évaluations à distance sont proposées sans contrôle de l'identité de la personne évaluée "
           "(Annexe 2).\n")
WITHDRAWAL = ("    versions:\n    - depuis: 2027-03-01\n"
              "      decision: {reference: \"CA du 15 janvier 2027, délibération 10\", date: 2027-01-15}\n"
              "      retire: {motif: \"contrôle repris par la plateforme d'évaluation\"}\n")
CRITERION = "  - id: formation_preparatoire\n    article: II\n"


@pytest.fixture
def repo(tmp_path) -> Path:
    return published_repository(tmp_path, POLICIES / "certifpro", TODAY, into="policies/certifpro")


def dossier(repo: Path) -> Path:
    return repo / "policies" / "certifpro" / "dossier.yaml"


def edit(repo: Path, old: str, new: str) -> None:
    content = dossier(repo).read_text(encoding="utf-8")
    assert content.count(old) == 1
    dossier(repo).write_text(content.replace(old, new), encoding="utf-8")


def findings(policies, day: str) -> tuple[set[str], list[str]]:
    """The findings of a dossier proposing partial distance evaluation without an identity check, and its criteria."""
    case = parse_yaml_file(POLICIES / "certifpro" / "tests" / "p02-instruction-avis-convocation-notification.yaml",
                           []).data
    facts = json.loads(json.dumps(case["faits"]))
    technical = facts["demande"]["partie_technique"]
    technical["modalites"] = ["presentiel", "distanciel_partiel"]
    technical["distanciel"] = {"controle_identite": False}
    facts["evenements"] = [{"type": "demande_deposee", "date": "2027-01-04"}]
    verdict = evaluate(facts, day, policies=policies)
    return {finding["id"] for finding in verdict["constats"]}, [criterion["id"] for criterion in verdict["criteres"]]


@pytest.mark.parametrize("deleted, said", [
    (CONTROL, "le contrôle 'distanciel_controle_identite' a été supprimé"),
    (CRITERION + "    titre: Être en mesure de proposer", "le critère 'formation_preparatoire' a été supprimé"),
])
def test_a_criterion_or_a_control_deleted_is_refused(repo, deleted, said):
    in_service = load_checked(repo / "policies")
    content = dossier(repo).read_text(encoding="utf-8")
    start = content.index(deleted)
    end = content.index("  - id: ", start + 4)
    dossier(repo).write_text(content[:start] + content[end:], encoding="utf-8")
    code, out, _ = clea("policy", "validate", repo / "policies", "--date", TODAY)
    assert code == 1
    [line] = [line for line in out.splitlines() if said in line]
    assert line.startswith(f"{dossier(repo)}:") and "retire: {motif: \"…\"}" in line
    git(repo, "commit", "-qam", "supprimé")      # committed first: still compared with the publication
    for args in ((), (in_service,)):
        with pytest.raises(PolicyError):
            load_checked(repo / "policies", *args)


def test_a_control_withdrawn_from_a_date_applies_until_the_day_before(repo):
    edit(repo, CONTROL, CONTROL + WITHDRAWAL)
    code, out, _ = clea("policy", "validate", repo / "policies", "--date", TODAY)
    assert code == 0, out
    policies = load_policies(repo / "policies")
    assert "distanciel_sans_controle_identite" in findings(policies, "2027-02-28")[0]
    assert "distanciel_sans_controle_identite" not in findings(policies, "2027-03-01")[0]
    code, out, _ = clea("policy", "diff", "HEAD", "--policies", repo / "policies")
    assert code == 0, out
    assert ("      nouvelle version à partir du 01/03/2027, selon la date d'évaluation — décision du 15/01/2027, CA du "
            "15 janvier 2027, délibération 10\n        le contrôle ne s'applique plus — motif : contrôle repris par la "
            "plateforme d'évaluation\n") in out


def test_a_criterion_withdrawn_with_its_reason_is_kept_and_no_longer_applied(repo):
    edit(repo, CRITERION, CRITERION + "    retire: {motif: \"critère fondu dans l'accompagnement\"}\n")
    code, out, _ = clea("policy", "validate", repo / "policies", "--date", TODAY)
    assert code == 0, out
    _, criteria = findings(load_policies(repo / "policies"), "2027-02-28")
    assert "formation_preparatoire" not in criteria and "accompagnement" in criteria


def test_a_published_withdrawal_taken_back_in_place_is_refused(repo):
    edit(repo, CRITERION, CRITERION + "    retire: {motif: \"critère fondu dans l'accompagnement\"}\n")
    git(repo, "commit", "-qam", "retrait")
    code, _, err = clea("policy", "publish", repo / "policies", "--decision", "CA du 15 janvier 2027", "--date",
                        "2027-01-16")
    assert code == 0, err
    git(repo, "add", ".")
    git(repo, "commit", "-qm", "publication 2")
    edit(repo, CRITERION + "    retire: {motif: \"critère fondu dans l'accompagnement\"}\n", CRITERION)
    code, out, _ = clea("policy", "validate", repo / "policies", "--date", "2027-01-16")
    assert code == 1 and "le critère 'formation_preparatoire' a été modifié (retire" in out, out
