"""A parameter's unit changed in place once published (issue 19: « working days counted as calendar days », one of
the careless board edits that every tool accepted): the recourse's 30 working days from the refusal (III.7) would
become 30 calendar days for every refusal already notified. Refused by validate, after a commit too, at start and at
a reload (409, the set in service kept), unless it says it is a correction, with its motif. Written in a scratch git
repository, published first."""
from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from scratch_repo import clea, git, published_repository

from engine.errors import PolicyError
from engine.service.app import create_app, load_checked
from engine.service.settings import Settings

POLICIES = Path(__file__).resolve().parent / "fixtures" / "policies"
TODAY = "2026-11-27"
TOKEN = "jeton-de-rechargement-du-test"
WORKING = "    article: III.7\n    unite: jours_ouvres\n    valeurs: [{depuis: 2019-07-01, valeur: 30}]\n"
CALENDAR = "    article: III.7\n    unite: jours\n    valeurs: [{depuis: 2019-07-01, valeur: 30}]\n"
CORRECTED = ("    article: III.7\n    unite: jours\n    correction_unite: {motif: \"erreur de saisie du 27/11/2026\"}\n"
             "    valeurs: [{depuis: 2019-07-01, valeur: 30}]\n")
REFUSAL = "parametres.recours.delai_depot.unite: l'unité a été modifiée (jours_ouvres → jours)"


@pytest.fixture
def repo(tmp_path) -> Path:
    return published_repository(tmp_path, POLICIES / "certifpro", TODAY, into="policies/certifpro")


def edit(repo: Path, new: str) -> None:
    path = repo / "policies" / "certifpro" / "parametres.yaml"
    text = path.read_text(encoding="utf-8")
    assert text.count(WORKING) == 1          # recours.delai_depot: the only one of III.7 with these values
    path.write_text(text.replace(WORKING, new), encoding="utf-8")


def validate(repo: Path) -> tuple[int, str]:
    code, out, _ = clea("policy", "validate", repo / "policies", "--date", TODAY)
    return code, out


def test_working_days_counted_as_calendar_days_are_refused_at_their_line(repo):
    edit(repo, CALENDAR)
    code, out = validate(repo)
    assert code == 1 and f"parametres.yaml:47: {REFUSAL}" in out
    git(repo, "commit", "-qam", "the unit, committed before validating")
    code, out = validate(repo)
    assert code == 1 and REFUSAL in out
    with pytest.raises(PolicyError) as refused:                                 # the service's start
        load_checked(repo / "policies")
    assert any(REFUSAL.split(": ", 1)[1] in issue.message for issue in refused.value.issues)


def test_a_reload_that_changes_a_unit_is_refused_and_the_old_set_serves(repo, tmp_path):
    app = create_app(Settings(policies_dir=repo / "policies", log_path=tmp_path / "log.sqlite3", reload_token=TOKEN))
    with TestClient(app) as client:
        edit(repo, CALENDAR)
        answer = client.post("/v1/policies/reload", headers={"Authorization": f"Bearer {TOKEN}"})
        assert answer.status_code == 409
        assert any("l'unité a été modifiée" in problem["message"] for problem in answer.json()["erreurs"])
        assert client.get("/v1/health").json()["statut"] == "degrade"


def test_a_unit_corrected_with_its_motif_is_accepted(repo):
    edit(repo, CORRECTED)
    code, out = validate(repo)
    assert code == 0, out


def test_the_same_unit_written_again_is_no_change(repo):
    edit(repo, WORKING)
    assert validate(repo)[0] == 0


def test_diff_says_the_unit_change_in_words(repo):
    edit(repo, CALENDAR)
    code, out, _ = clea("policy", "diff", "HEAD", "--policies", repo / "policies")
    assert code == 0
    assert ("    recours.delai_depot [III.7] — Dépôt du recours à compter de la notification du refus\n"
            "      unité : jours ouvrés → jours\n") in out


COUNTING = "  jours_ouvres: {compte: working_days, titre: jours ouvrés}\n"


def count_as(repo: Path, new: str) -> None:
    path = repo / "policies" / "certifpro" / "calendrier.yaml"
    text = path.read_text(encoding="utf-8")
    assert text.count(COUNTING) == 1
    path.write_text(text.replace(COUNTING, new), encoding="utf-8")


def test_working_days_counted_as_calendar_days_by_the_unit_itself_are_refused(repo):
    count_as(repo, "  jours_ouvres: {compte: calendar_days, titre: jours ouvrés}\n")
    code, out = validate(repo)
    assert code == 1
    assert ("calendrier.yaml:5: calendrier.unites_de_duree.jours_ouvres.compte: l'unité de durée « jours_ouvres » "
            "(calendrier.unites_de_duree) a été modifiée (compte : working_days → calendar_days)") in out
    git(repo, "commit", "-qam", "the counting, committed before validating")
    with pytest.raises(PolicyError):                                            # the service's start
        load_checked(repo / "policies")


def test_a_units_counting_corrected_with_its_motif_is_accepted(repo):
    count_as(repo, "  jours_ouvres: {compte: calendar_days, titre: jours ouvrés, correction: {motif: \"erreur\"}}\n")
    code, out = validate(repo)
    assert code == 0, out
