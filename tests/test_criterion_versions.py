"""A criterion amended from a date, with a transitional clause (issue 19): `dossier.criteres[].versions`, each in
force for the dossiers whose selecting date is on or after its `depuis` — here the date of the latest application
filed (`selon: {dernier_evenement: demande_deposee}`): by decision of 15 January 2027, the applications filed from
1 March 2027 no longer need examples in the presentation of the approach. Pinned on the day before and the day
itself (filed Sun 28 Feb / Mon 1 Mar 2027, both evaluated on 1 Apr 2027). Written in a scratch git repository,
published first; refusals through validate, start and reload."""
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
EXAMPLES = ("      - exige: {chemin: demande.partie_technique.presentation.exemples, egal: true}\n"
            "        motif: \"La présentation de la démarche n'est pas illustrée d'exemples (II : présentation détaillée "
            "et illustrée).\"\n")
NEXT = "  - id: accompagnement\n"
VERSION = ("    versions:\n    - depuis: 2027-03-01\n"
           "      decision: {reference: \"CA du 15 janvier 2027, délibération 5\", date: 2027-01-15}\n"
           "      selon: {dernier_evenement: demande_deposee}\n      exigences:\n"
           "      - exige: {chemin: demande.partie_technique.domaines_couverts, couvre: [1, 2, 3, 4]}\n"
           "        motif: \"La démarche ne couvre pas le(s) domaine(s) {manque} du Référentiel (II).\"\n")


@pytest.fixture
def repo(tmp_path) -> Path:
    return published_repository(tmp_path, POLICIES / "certifpro", TODAY, into="policies/certifpro")


def dossier(repo: Path) -> Path:
    return repo / "policies" / "certifpro" / "dossier.yaml"


def edit(repo: Path, old: str, new: str) -> None:
    content = dossier(repo).read_text(encoding="utf-8")
    assert content.count(old) == 1
    dossier(repo).write_text(content.replace(old, new), encoding="utf-8")


def coverage(policies, filed: str) -> dict:
    case = parse_yaml_file(POLICIES / "certifpro" / "tests" / "p02-instruction-avis-convocation-notification.yaml",
                           []).data
    facts = json.loads(json.dumps(case["faits"]))
    facts["demande"]["partie_technique"]["presentation"]["exemples"] = False
    facts["evenements"] = [{"type": "demande_deposee", "date": filed}]
    verdict = evaluate(facts, "2027-04-01", policies=policies)
    [criterion] = [c for c in verdict["criteres"] if c["id"] == "couverture_referentiel"]
    return criterion


def test_an_application_filed_the_day_before_keeps_the_criterion_before(repo):
    edit(repo, NEXT, VERSION + NEXT)
    code, out, _ = clea("policy", "validate", repo / "policies", "--date", TODAY)
    assert code == 0, out
    policies = load_policies(repo / "policies")
    before = coverage(policies, "2027-02-28")
    assert before["satisfait"] is False and "n'est pas illustrée d'exemples" in before["motifs"][0]
    assert before["version"]["numero"] == 0
    after = coverage(policies, "2027-03-01")
    assert after["satisfait"] is True
    assert after["version"] == {"numero": 1, "depuis": "2027-03-01", "decision": "CA du 15 janvier 2027, délibération 5",
                                "texte": "version en vigueur depuis le 01/03/2027, décision : CA du 15 janvier 2027, "
                                         "délibération 5"}


def test_without_versions_the_verdict_names_none(repo):
    assert "version" not in coverage(load_policies(repo / "policies"), "2027-03-01")


def test_a_requirement_dropped_in_place_is_refused_with_the_version_to_write(repo):
    in_service = load_checked(repo / "policies")
    edit(repo, EXAMPLES, "")
    code, out, _ = clea("policy", "validate", repo / "policies", "--date", TODAY)
    assert code == 1
    [line] = [line for line in out.splitlines() if "le critère 'couverture_referentiel' a été modifié" in line]
    assert line.startswith(f"{dossier(repo)}:")
    assert "il s'applique aux faits déjà datés" in line and "exigences: […]}]" in line
    git(repo, "commit", "-qam", "exigence retirée")
    for args in ((), (in_service,)):
        with pytest.raises(PolicyError):
            load_checked(repo / "policies", *args)


@pytest.mark.parametrize(("text", "message"), [
    (VERSION.replace("date: 2027-01-15", "date: 2027-03-02"),
     "la version du 01/03/2027 du critère 'couverture_referentiel' a été décidée le 02/03/2027"),
    (VERSION.replace("dernier_evenement: demande_deposee", "dernier_evenement: demande_deposees"),
     "demande_deposees"),
    (VERSION.replace("domaines_couverts", "domaines_couvert"), "domaines_couvert"),
])
def test_bad_criterion_versions_are_refused_at_their_line(repo, text, message):
    edit(repo, NEXT, text + NEXT)
    code, out, _ = clea("policy", "validate", repo / "policies", "--date", TODAY)
    assert code == 1
    assert any(line.startswith(f"{dossier(repo)}:") and message in line for line in out.splitlines()), out


def test_diff_says_the_amendment_in_words(repo):
    edit(repo, NEXT, VERSION + NEXT)
    _code, out, _ = clea("policy", "diff", "HEAD", "--policies", repo / "policies")
    assert "    ~ modifié couverture_referentiel [II]" in out
    assert ("      nouvelle version à partir du 01/03/2027, selon la date du dernier événement « Demande d'habilitation "
            "déposée » (à défaut, la date d'évaluation) — décision du 15/01/2027, CA du 15 janvier 2027, "
            "délibération 5\n        exigences : « La démarche d'évaluation ne couvre pas") in out
    assert "→ « La démarche ne couvre pas le(s) domaine(s) {manque} du Référentiel (II). »" in out
