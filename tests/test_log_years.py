"""Calendar years against the decision log (issue 19): a policy whose years no longer cover the dossiers already
evaluated under it (the log knows their dates) is refused by `validate --log`, at the service's start and at its
reload (409, the set in service kept), unless the calendar says why (`reduction: {motif}`). Written in a scratch git
repository, published first; the logged dossier has an event on 2 Dec 2019 and was evaluated on 1 Jul 2026."""
from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from scratch_repo import clea, git, published_repository

from engine.errors import PolicyError
from engine.service.app import create_app, load_checked
from engine.service.decision_log import DecisionLog
from engine.service.settings import Settings

POLICIES = Path(__file__).resolve().parent / "fixtures" / "policies"
TODAY = "2026-11-27"
YEARS = "annees: {debut: 2015, fin: 2045}\n"
TOKEN = "jeton-de-rechargement-du-test"


@pytest.fixture
def repo(tmp_path) -> Path:
    return published_repository(tmp_path, POLICIES / "certifpro", TODAY, into="policies/certifpro")


@pytest.fixture
def log(tmp_path) -> Path:
    path = tmp_path / "decisions.sqlite3"
    writer = DecisionLog(path)
    writer.record([{"decision_id": "d1", "date_evaluation": "2026-07-01",
                    "politique": {"id": "certifpro", "version": "1", "revision": "sha256:x"},
                    "faits": {"instance": "certifpro", "evenements": [
                        {"type": "demande_deposee", "date": "2019-12-02"},
                        {"type": "decision_notifiee", "date": "2020-01-20", "decision": "refus"}]},
                    "verdict": {}}])
    writer.close()
    return path


def years(repo: Path, text: str) -> Path:
    path = repo / "policies" / "certifpro" / "calendrier.yaml"
    content = path.read_text(encoding="utf-8")
    assert content.count(YEARS) == 1
    path.write_text(content.replace(YEARS, text), encoding="utf-8")
    return path


def validate(repo: Path, log: Path) -> tuple[int, str]:
    code, out, _ = clea("policy", "validate", repo / "policies", "--date", TODAY, "--log", log)
    return code, out


@pytest.mark.parametrize("narrowed", ["annees: {debut: 2020, fin: 2045}\n", "annees: {debut: 2015, fin: 2025}\n"])
def test_years_that_no_longer_cover_a_logged_dossier_are_refused(repo, log, narrowed):
    path = years(repo, narrowed)
    code, out = validate(repo, log)
    assert code == 1
    [line] = [line for line in out.splitlines() if "ne couvrent plus" in line]
    assert line.startswith(f"{path}:3: calendrier.annees: les années ")
    assert ("le journal des décisions en compte 1 de la politique certifpro, datés du 02/12/2019 au 01/07/2026 "
            "(dates d'évaluation et des événements) ; ils deviendraient invalides") in line
    assert "reduction: {motif: \"…\"}" in line
    git(repo, "commit", "-qam", "années réduites")         # committed: the start sees it all the same
    with pytest.raises(PolicyError) as refused:
        load_checked(repo / "policies", log=log)
    assert any("ne couvrent plus" in issue.message for issue in refused.value.issues)
    with pytest.raises(PolicyError):
        create_app(Settings(policies_dir=repo / "policies", log_path=log))


@pytest.mark.parametrize("kept", ["annees: {debut: 2019, fin: 2045}\n", "annees: {debut: 2015, fin: 2026}\n"])
def test_the_years_of_the_first_and_last_logged_days_are_enough(repo, log, kept):
    years(repo, kept)
    assert validate(repo, log)[0] == 0


def test_narrowed_on_purpose_with_a_motif_is_accepted(repo, log):
    years(repo, "annees: {debut: 2020, fin: 2045, reduction: {motif: \"dossiers de 2019 archivés, décision du "
                "CA du 20/11/2026\"}}\n")
    assert validate(repo, log)[0] == 0


def test_a_reload_that_narrows_the_years_is_refused_and_the_old_set_serves(repo, log):
    app = create_app(Settings(policies_dir=repo / "policies", log_path=log, reload_token=TOKEN))
    with TestClient(app) as client:
        years(repo, "annees: {debut: 2020, fin: 2045}\n")
        answer = client.post("/v1/policies/reload", headers={"Authorization": f"Bearer {TOKEN}"})
        assert answer.status_code == 409
        assert any("ne couvrent plus les dossiers déjà évalués" in problem["message"] for problem in answer.json()["erreurs"])
        assert client.get("/v1/health").json()["statut"] == "degrade"
