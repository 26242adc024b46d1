"""The calendar's conventions amended from a date (issue 19): `calendrier.conventions.versions`, selected by the date
of the event that starts a delay; a delay started before keeps the conventions before. Here, by decision of
15 February 2027, from 26 February 2027 a deadline in calendar days that ends on a non-working day is extended to the
next working day (art. 642 CPC). Checked on the calendar: a change of situation of Thu 25 Feb 2027 is due 30 days
later, Sat 27 Mar 2027 (not extended); one of Fri 26 Feb 2027 falls on Sun 28 Mar (Easter), Mon 29 Mar is Easter
Monday, so it is due Tue 30 Mar 2027. Written in a scratch git repository, published first."""
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
LAST = "  report_jour_non_ouvre: false\n"
VERSION = ("  versions:\n  - depuis: 2027-02-26\n"
           "    decision: {reference: \"CA du 15 février 2027, délibération 2\", date: 2027-02-15}\n"
           "    report_jour_non_ouvre: true\n")


@pytest.fixture
def repo(tmp_path) -> Path:
    return published_repository(tmp_path, POLICIES / "certifpro", TODAY, into="policies/certifpro")


def calendar(repo: Path) -> Path:
    return repo / "policies" / "certifpro" / "calendrier.yaml"


def amend(repo: Path, text: str) -> None:
    path = calendar(repo)
    content = path.read_text(encoding="utf-8")
    assert content.count(LAST) == 1
    path.write_text(content.replace(LAST, text), encoding="utf-8")


def due(policies, changed: str, explain: bool = False) -> dict:
    case = parse_yaml_file(POLICIES / "certifpro" / "tests" / "p05-changement-declare-en-retard.yaml", []).data
    facts = json.loads(json.dumps(case["faits"]))
    facts["evenements"] = facts["evenements"][:2] + [{"type": "changement_situation", "date": changed,
                                                      "nature": "siege"}]
    verdict = evaluate(facts, "2027-06-30", policies=policies, explain=explain)
    [action] = [a for a in verdict["actions"] if a["id"] == "declarer_changement"]
    return action


def test_a_delay_started_the_day_before_keeps_the_conventions_before(repo):
    amend(repo, LAST + VERSION)
    code, out, _ = clea("policy", "validate", repo / "policies", "--date", TODAY)
    assert code == 0, out
    policies = load_policies(repo / "policies")
    assert due(policies, "2027-02-25")["echeance"] == "2027-03-27"
    amended = due(policies, "2027-02-26", explain=True)
    assert amended["echeance"] == "2027-03-30"
    assert amended["explication"]["decompte"]["conventions"]["texte"] == \
        "version en vigueur depuis le 26/02/2027, décision : CA du 15 février 2027, délibération 2"
    assert "conventions de calcul : version en vigueur depuis le 26/02/2027" in " ".join(amended["explication"]["texte"])
    before = due(policies, "2027-02-25", explain=True)
    assert before["explication"]["decompte"]["conventions"]["numero"] == 0


def test_without_the_amendment_neither_is_extended(repo):
    policies = load_policies(repo / "policies")
    assert due(policies, "2027-02-26")["echeance"] == "2027-03-28"


def test_the_conventions_changed_in_place_are_refused_with_the_version_to_write(repo):
    in_service = load_checked(repo / "policies")
    amend(repo, "  report_jour_non_ouvre: true\n")
    code, out, _ = clea("policy", "validate", repo / "policies", "--date", TODAY)
    assert code == 1
    [line] = [line for line in out.splitlines() if "calendrier.conventions) a été modifiée" in line]
    number = calendar(repo).read_text(encoding="utf-8").splitlines().index("  report_jour_non_ouvre: true") + 1
    assert line.startswith(f"{calendar(repo)}:{number}: calendrier.conventions.report_jour_non_ouvre: la convention "
                           "de calcul")
    assert "(report_jour_non_ouvre : non → oui)" in line and "report_jour_non_ouvre: …}]" in line
    git(repo, "commit", "-qam", "conventions modifiées")
    for args in ((), (in_service,)):
        with pytest.raises(PolicyError):
            load_checked(repo / "policies", *args)


def test_a_version_decided_after_its_start_is_refused_at_its_line(repo):
    amend(repo, LAST + VERSION.replace("date: 2027-02-15", "date: 2027-03-01"))
    code, out, _ = clea("policy", "validate", repo / "policies", "--date", TODAY)
    assert code == 1
    number = calendar(repo).read_text(encoding="utf-8").splitlines().index("  - depuis: 2027-02-26") + 1
    assert f"{calendar(repo)}:{number}: calendrier.conventions.versions[0].depuis: la version du 26/02/2027 des " \
           "conventions de calcul a été décidée le 01/03/2027" in out


def test_diff_says_it_in_words(repo):
    amend(repo, LAST + VERSION)
    _code, out, _ = clea("policy", "diff", "HEAD", "--policies", repo / "policies")
    assert ("  Conventions de calcul des délais (calendrier)\n"
            "    nouvelle version pour les délais que font courir les événements à partir du 26/02/2027 — décision du "
            "15/02/2027, CA du 15 février 2027, délibération 2\n"
            "      échéance en jours calendaires tombant un jour non ouvré reportée au jour ouvré suivant : non → oui\n"
            ) in out
    assert "calendrier.yaml" not in out
