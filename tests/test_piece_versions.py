"""A required piece of the dossier amended from a date (issue 19): `dossier.completude.pieces[].versions`, selected
as a criterion's amendment is, here by a transitional clause (`selon: {dernier_evenement: demande_deposee}`): by
decision of 15 January 2027, for the applications filed from 1 March 2027, the conditions of a distance evaluation
are a required piece only when the evaluation is entirely at a distance. An application proposing partial distance
evaluation without them lacks the piece when filed on Sun 28 Feb 2027, not when filed on Mon 1 Mar 2027. Written
in a scratch git repository, published first; refusals through validate, start and reload."""
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
PIECE = "      exige: {chemin: demande.partie_technique.distanciel, present: true}\n"
VERSION = ("      versions:\n      - depuis: 2027-03-01\n"
           "        decision: {reference: \"CA du 15 janvier 2027, délibération 9\", date: 2027-01-15}\n"
           "        selon: {dernier_evenement: demande_deposee}\n"
           "        si: {chemin: demande.partie_technique.modalites, contient: distanciel_total}\n"
           "        exige: {chemin: demande.partie_technique.distanciel, present: true}\n")


@pytest.fixture
def repo(tmp_path) -> Path:
    return published_repository(tmp_path, POLICIES / "certifpro", TODAY, into="policies/certifpro")


def dossier(repo: Path) -> Path:
    return repo / "policies" / "certifpro" / "dossier.yaml"


def edit(repo: Path, old: str, new: str) -> None:
    content = dossier(repo).read_text(encoding="utf-8")
    assert content.count(old) == 1
    dossier(repo).write_text(content.replace(old, new), encoding="utf-8")


def missing(policies, filed: str) -> tuple[list[str], list[dict]]:
    """The pieces missing from an application filed on `filed` (partial distance evaluation, its conditions not
    given), evaluated on Wed 10 Mar 2027, and the trace of the distance piece."""
    case = parse_yaml_file(POLICIES / "certifpro" / "tests" / "p02-instruction-avis-convocation-notification.yaml",
                           []).data
    facts = json.loads(json.dumps(case["faits"]))
    technical = facts["demande"]["partie_technique"]
    technical["modalites"] = ["presentiel", "distanciel_partiel"]
    technical.pop("distanciel", None)
    facts["evenements"] = [{"type": "demande_deposee", "date": filed}]
    verdict = evaluate(facts, "2027-03-10", policies=policies)
    steps = [step for step in verdict["trace"] if step["regle"] == "completude.dispositif_distanciel"]
    return [piece["id"] for piece in verdict["completude"]["manquants"]], steps


def test_an_application_filed_the_day_before_keeps_the_piece_before(repo):
    edit(repo, PIECE, PIECE + VERSION)
    code, out, _ = clea("policy", "validate", repo / "policies", "--date", TODAY)
    assert code == 0, out
    policies = load_policies(repo / "policies")
    found, [step] = missing(policies, "2027-02-28")
    assert "dispositif_distanciel" in found
    assert step["version"] == {"numero": 0, "depuis": None, "texte": "texte initial, en vigueur avant le 01/03/2027"}
    found, steps = missing(policies, "2027-03-01")
    assert "dispositif_distanciel" not in found and not steps


def test_the_piece_changed_in_place_is_refused_with_the_version_to_write(repo):
    in_service = load_checked(repo / "policies")
    edit(repo, "      si: {chemin: demande.partie_technique.modalites, contient_un_de: [distanciel_partiel, "
               "distanciel_total]}\n" + PIECE,
         "      si: {chemin: demande.partie_technique.modalites, contient: distanciel_total}\n" + PIECE)
    code, out, _ = clea("policy", "validate", repo / "policies", "--date", TODAY)
    assert code == 1
    [line] = [line for line in out.splitlines() if "la pièce 'dispositif_distanciel' a été modifiée" in line]
    assert line.startswith(f"{dossier(repo)}:") and "exige: …}]" in line
    git(repo, "commit", "-qam", "pièce modifiée")
    for args in ((), (in_service,)):
        with pytest.raises(PolicyError):
            load_checked(repo / "policies", *args)


@pytest.mark.parametrize("version, said", [
    (VERSION.replace("depuis: 2027-03-01", "depuis: 2027-01-04"),
     "la version du 04/01/2027 de la pièce 'dispositif_distanciel' a été décidée le 15/01/2027"),
    (VERSION.replace("demande.partie_technique.distanciel, present", "demande.partie_technique.distancie, present"),
     "distancie"),
    (VERSION.replace("dernier_evenement: demande_deposee", "dernier_evenement: demande_deposer"), "demande_deposer"),
])
def test_a_bad_version_is_refused_at_its_line(repo, version, said):
    edit(repo, PIECE, PIECE + version)
    code, out, _ = clea("policy", "validate", repo / "policies", "--date", TODAY)
    assert code == 1 and any(line.startswith(f"{dossier(repo)}:") and said in line for line in out.splitlines()), out


def test_diff_says_the_amendment_in_words(repo):
    edit(repo, PIECE, PIECE + VERSION)
    _code, out, _ = clea("policy", "diff", "HEAD", "--policies", repo / "policies")
    assert "  Pièces du dossier (complétude)\n    ~ modifié dispositif_distanciel [III.1]" in out
    assert ("      nouvelle version à partir du 01/03/2027, selon la date du dernier événement « Demande d'habilitation "
            "déposée » (à défaut, la date d'évaluation) — décision du 15/01/2027, CA du 15 janvier 2027, délibération 9\n"
            "        conditions (si) : {chemin: demande.partie_technique.modalites, contient_un_de: [distanciel_partiel, "
            "distanciel_total]} → {chemin: demande.partie_technique.modalites, contient: distanciel_total}") in out
    assert "dossier.yaml" not in out
