"""The period amended from a date (issue 19): `statuts.periode.versions`, each in force for the periods that start on
or after its `depuis`, with its decision; a period started before keeps the text before. Here, by decision of
15 January 2027, from 1 March 2027 a habilitation renews only if certificates were issued in the period (its
implementation alone no longer suffices). Pinned on the day before and the day itself (Fri 26 Feb / Mon 1 Mar 2027,
3 years + 3 years: 2027-02-26 → last day 2030-02-25, renewed → 2033-02-25; 2027-03-01 → last day 2030-02-28).
Written in a scratch git repository, published first; refusals through validate, start and reload."""
from __future__ import annotations

import json
import shutil
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
RENEWAL_END = "    sauf_statuts: [suspendu, retire]\n"
VERSION = ("  versions:\n  - depuis: 2027-03-01\n"
           "    decision: {reference: \"CA du 15 janvier 2027, délibération 4\", date: 2027-01-15}\n"
           "    renouvellement:\n      article: III.5\n      duree: habilitation.duree_renouvellement\n"
           "      nombre: habilitation.renouvellements\n      si_evenement: certificats_delivres\n"
           "      sauf_statuts: [suspendu, retire]\n")


@pytest.fixture
def repo(tmp_path) -> Path:
    return published_repository(tmp_path, POLICIES / "certifpro", TODAY, into="policies/certifpro")


def statuses(repo: Path) -> Path:
    return repo / "policies" / "certifpro" / "statuts.yaml"


def amend(repo: Path, text: str = VERSION) -> None:
    path = statuses(repo)
    content = path.read_text(encoding="utf-8")
    assert content.count(RENEWAL_END) == 1
    path.write_text(content.replace(RENEWAL_END, RENEWAL_END + text), encoding="utf-8")


def facts(accepted: str) -> dict:
    case = parse_yaml_file(POLICIES / "certifpro" / "tests" / "p03-renouvellement-automatique.yaml", []).data
    facts = json.loads(json.dumps(case["faits"]))
    facts["evenements"] = [{"type": "demande_deposee", "date": "2026-12-01"},
                           {"type": "decision_notifiee", "date": accepted, "decision": "acceptation"},
                           {"type": "habilitation_mise_en_oeuvre", "date": "2027-06-01"}]
    return facts


def test_a_period_started_before_the_amendment_keeps_the_text_before(repo):
    amend(repo)
    code, out, _ = clea("policy", "validate", repo / "policies", "--date", TODAY)
    assert code == 0, out
    policies = load_policies(repo / "policies")
    before = evaluate(facts("2027-02-26"), "2030-06-30", policies=policies)
    assert before["habilitation"] == {"debut": "2027-02-26", "fin": "2033-02-25", "renouvelee": True}
    after = evaluate(facts("2027-03-01"), "2030-06-30", policies=policies, explain=True)
    assert after["habilitation"] == {"debut": "2027-03-01", "fin": "2030-02-28", "renouvelee": False}
    assert after["statut"] == "expire"
    explained = json.dumps(after, ensure_ascii=False)
    assert ("version en vigueur pour les périodes commencées depuis le 01/03/2027, décision : CA du 15 janvier 2027, "
            "délibération 4") in explained


def test_without_the_amendment_both_renew(repo):
    policies = load_policies(repo / "policies")
    for accepted in ("2027-02-26", "2027-03-01"):
        assert evaluate(facts(accepted), "2030-06-30", policies=policies)["habilitation"]["renouvelee"] is True


def test_the_renewal_changed_in_place_is_refused_with_the_version_to_write(repo):
    in_service = load_checked(repo / "policies")
    path = statuses(repo)
    path.write_text(path.read_text(encoding="utf-8").replace(RENEWAL_END, "    sauf_statuts: [retire]\n"),
                    encoding="utf-8")
    code, out, _ = clea("policy", "validate", repo / "policies", "--date", TODAY)
    assert code == 1
    [line] = [line for line in out.splitlines() if "la période (statuts.periode) a été modifiée" in line]
    number = path.read_text(encoding="utf-8").splitlines().index("    sauf_statuts: [retire]") + 1
    assert line.startswith(f"{path}:{number}: statuts.periode.renouvellement: ")
    assert "(renouvellement.sauf_statuts : [suspendu, retire] → [retire])" in line
    assert "versions: [{depuis: AAAA-MM-JJ, decision: {reference: \"…\", date: AAAA-MM-JJ}, renouvellement: …}]" in line
    git(repo, "commit", "-qam", "renouvellement modifié")
    for args in ((), (in_service,)):
        with pytest.raises(PolicyError):
            load_checked(repo / "policies", *args)


def test_a_published_period_version_changed_in_place_is_refused(repo):
    amend(repo)
    git(repo, "commit", "-qam", "période amendée")
    code, _, err = clea("policy", "publish", repo / "policies", "--decision", "CA du 15 janvier 2027", "--date", TODAY)
    assert code == 0, err
    git(repo, "add", ".")
    git(repo, "commit", "-qm", "publication")
    in_service = load_checked(repo / "policies")
    path = statuses(repo)
    path.write_text(path.read_text(encoding="utf-8").replace("si_evenement: certificats_delivres",
                                                             "si_evenement: habilitation_mise_en_oeuvre"),
                    encoding="utf-8")
    code, out, _ = clea("policy", "validate", repo / "policies", "--date", TODAY)
    assert code == 1 and "la version du 01/03/2027 de la période (statuts.periode) a été modifiée" in out
    git(repo, "commit", "-qam", "version réécrite")
    for args in ((), (in_service,)):
        with pytest.raises(PolicyError):
            load_checked(repo / "policies", *args)


@pytest.mark.parametrize(("text", "message"), [
    (VERSION.replace("date: 2027-01-15", "date: 2027-03-02"), ("la version du 01/03/2027 de la période a été décidée "
                                                               "le 02/03/2027")),
    (VERSION + VERSION.replace("  versions:\n", "").replace("2027-03-01", "2027-02-01"),
     "la version du 01/02/2027 de la période n'est pas après celle du 01/03/2027"),
    (VERSION.replace("si_evenement: certificats_delivres", "si_evenement: certificat_delivre"),
     "certificat_delivre"),
])
def test_bad_period_versions_are_refused_at_their_line(repo, text, message):
    amend(repo, text)
    code, out, _ = clea("policy", "validate", repo / "policies", "--date", TODAY)
    assert code == 1
    assert any(line.startswith(f"{statuses(repo)}:") and message in line for line in out.splitlines()), out


def test_diff_says_the_period_version_and_an_in_place_change_in_words(repo):
    amend(repo)
    code, out, _ = clea("policy", "diff", "HEAD", "--policies", repo / "policies")
    assert code == 0
    assert ("  Période (habilitation) [III.5]\n"
            "    nouvelle version pour les périodes commencées à partir du 01/03/2027 — décision du 15/01/2027, CA du "
            "15 janvier 2027, délibération 4\n"
            "      renouvellement : événements qui le permettent : « Habilitation mise en œuvre (première évaluation) » → "
            "« Certificats "
            "délivrés »\n") in out
    assert "statuts.yaml" not in out
    path = statuses(repo)
    path.write_text(path.read_text(encoding="utf-8").replace(RENEWAL_END + VERSION, "    sauf_statuts: [retire]\n"),
                    encoding="utf-8")
    code, out, _ = clea("policy", "diff", "HEAD", "--policies", repo / "policies")
    assert code == 0, out
    assert ("    modifiée en place (pour toutes les périodes, passées comprises) :\n"
            "      renouvellement : statuts qui l'empêchent : ") in out


def test_the_changements_page_says_it_in_words_and_labels_revisions_by_version_and_publication(repo):
    from fastapi.testclient import TestClient

    from engine.service.app import create_app
    from engine.service.settings import Settings

    amend(repo)
    cases = repo / "policies" / "certifpro" / "tests"
    cases.mkdir()
    shutil.copy(POLICIES / "certifpro" / "tests" / "p03-renouvellement-automatique.yaml", cases)
    app = create_app(Settings(policies_dir=repo / "policies", log_path=repo.parent / "log.sqlite3"))
    published = git(repo, "rev-parse", "HEAD~1").strip()
    with TestClient(app) as client:
        page = client.get("/changements", params={"avant": published, "apres": "disque"},
                          headers={"accept": "text/html"}).text
    assert f"— certifpro 2026.11 — publiée le 27/11/2026 (CA du 20 novembre 2026) — {published[:10]}</option>" in page
    period = page.split("<h4>Période (habilitation) [III.5]</h4>", 1)[1].split("</ul></li></ul>", 1)[0]
    assert "pour les périodes commencées à partir du 01/03/2027 — décision du 15/01/2027, CA du 15 janvier 2027" in period
    assert ("renouvellement : événements qui le permettent : « Habilitation mise en œuvre (première évaluation) » → "
            "« Certificats délivrés »") in period.replace("&#34;", '"')
    assert "<strong>ajouté</strong> :\n    <code class=\"discret\">tests/p03-renouvellement-automatique.yaml</code>" in page
