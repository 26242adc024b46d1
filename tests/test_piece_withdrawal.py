"""A required piece of the dossier deleted from a published policy (issue 19): refused, since the dossiers already
evaluated would lack other pieces than they did (III.1, III.3); kept with its reason (`retire: {motif}`) it no longer
applies. Written in a scratch git repository, published first."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from scratch_repo import clea, git, published_repository

from engine.documents import parse_yaml_file
from engine.errors import PolicyError
from engine.evaluation import evaluate
from engine.service.app import load_checked

POLICIES = Path(__file__).resolve().parent / "fixtures" / "policies"
TODAY = "2026-11-27"
PIECE = ("    - id: situation_juridique\n      article: III.1\n      titre: Partie administrative — situation juridique du "
         "candidat\n      exige: {chemin: demande.partie_administrative.situation_juridique, egal: true}\n")
WITHDRAWN = PIECE + "      retire: {motif: \"CA du 15 janvier 2027 : pièce demandée par la plateforme\"}\n"


@pytest.fixture
def repo(tmp_path) -> Path:
    return published_repository(tmp_path, POLICIES / "certifpro", TODAY, into="policies/certifpro")


def edit(repo: Path, new: str) -> None:
    path = repo / "policies" / "certifpro" / "dossier.yaml"
    text = path.read_text(encoding="utf-8")
    assert text.count(PIECE) == 1
    path.write_text(text.replace(PIECE, new), encoding="utf-8")


def test_a_published_piece_deleted_is_refused(repo):
    edit(repo, "")
    code, out, _ = clea("policy", "validate", repo / "policies", "--date", TODAY)
    assert code == 1
    assert "dossier.completude.pieces.situation_juridique: la pièce 'situation_juridique' a été supprimée" in out
    git(repo, "commit", "-qam", "the piece, deleted and committed before validating")
    with pytest.raises(PolicyError):                                            # the service's start
        load_checked(repo / "policies")


def test_a_piece_withdrawn_with_its_reason_no_longer_applies(repo):
    case = parse_yaml_file(POLICIES / "certifpro" / "tests" / "p02-instruction-avis-convocation-notification.yaml",
                           []).data
    facts = json.loads(json.dumps(case["faits"]))
    facts["demande"]["partie_administrative"]["situation_juridique"] = False
    facts["evenements"] = [{"type": "demande_deposee", "date": "2026-11-02"}]
    before = evaluate(facts, TODAY, policies=load_checked(repo / "policies"))
    assert "demande.partie_administrative.situation_juridique" in before["completude"]["manquants"][0]["chemin"]
    edit(repo, WITHDRAWN)
    code, out, _ = clea("policy", "validate", repo / "policies", "--date", TODAY)
    assert code == 0, out
    after = evaluate(facts, TODAY, policies=load_checked(repo / "policies"))
    assert all(item["id"] != "situation_juridique" for item in after["completude"]["manquants"])


ALSACE = '  alsace-moselle: {pays: FR, subdivision: "57", titre: Alsace-Moselle}\n'


def test_a_published_territory_deleted_is_refused(repo):
    """Dossiers already evaluated may name it (organisme.territoire: alsace-moselle): they could not be evaluated."""
    path = repo / "policies" / "certifpro" / "calendrier.yaml"
    text = path.read_text(encoding="utf-8")
    assert text.count(ALSACE) == 1
    path.write_text(text.replace(ALSACE, ""), encoding="utf-8")
    code, out, _ = clea("policy", "validate", repo / "policies", "--date", TODAY)
    assert code == 1 and "calendrier.territoires.alsace-moselle: le territoire « alsace-moselle » a été supprimé" in out
