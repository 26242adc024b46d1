"""The calendar's territories amended from a date (issue 19): `calendrier.territoires.<t>.versions`, selected by the
date of the event that starts a delay; a delay started before keeps the territory's text before. Here, by decision
of 20 April 2027, from Mon 10 May 2027 the metropolitan calendar no longer keeps Whit Monday (journée de
solidarité). Checked on the calendar (2027: Ascension Thu 6 May, Whit Monday 17 May, no other holiday until 14 July):
the Instance examines a recourse within 25 working days; one of Sun 9 May 2027 (first text, Whit Monday not counted)
is due Mon 14 Jun 2027; one of Mon 10 May 2027 (the amendment: 17 May counted) is due Mon 14 Jun 2027, where the first
text gives Tue 15 Jun 2027. Written in a scratch git repository, published first."""
from __future__ import annotations

import copy
from pathlib import Path

import pytest
from scratch_repo import clea, git, published_repository

from engine.errors import PolicyError
from engine.evaluation import evaluate
from engine.policy import load_policies
from engine.service.app import load_checked

POLICIES = Path(__file__).resolve().parent / "fixtures" / "policies"
TODAY = "2026-11-27"
FIRST = "  metropole: {pays: FR, titre: France métropolitaine}\n"
AMENDED = ("  metropole:\n    pays: FR\n    titre: France métropolitaine\n    versions:\n    - depuis: 2027-05-10\n"
           "      decision: {reference: \"CA du 20 avril 2027, délibération 4\", date: 2027-04-20}\n"
           "      exclure: [Lundi de Pentecôte]\n")


@pytest.fixture
def repo(tmp_path) -> Path:
    return published_repository(tmp_path, POLICIES / "certifpro", TODAY, into="policies/certifpro")


def calendar(repo: Path) -> Path:
    return repo / "policies" / "certifpro" / "calendrier.yaml"


def amend(repo: Path, text: str) -> None:
    path = calendar(repo)
    content = path.read_text(encoding="utf-8")
    assert content.count(FIRST) == 1
    path.write_text(content.replace(FIRST, text), encoding="utf-8")


def examination(policies, base_facts: dict, recourse: str, explain: bool = False) -> dict:
    facts = copy.deepcopy(base_facts)
    facts["evenements"] = [
        {"type": "demande_deposee", "date": "2027-03-01"},
        {"type": "decision_notifiee", "date": "2027-05-03", "decision": "refus", "motifs": ["Critère II non justifié"]},
        {"type": "recours_depose", "date": recourse, "note_argumentee": True, "justificatifs": True}]
    verdict = evaluate(facts, "2027-05-11", policies=policies, explain=explain)
    [action] = [a for a in verdict["actions"] if a["id"] == "examiner_recours"]
    return action


def test_a_delay_started_the_day_before_keeps_the_territory_before(repo, base_facts):
    amend(repo, AMENDED)
    code, out, _ = clea("policy", "validate", repo / "policies", "--date", TODAY)
    assert code == 0, out
    policies = load_policies(repo / "policies")
    before = examination(policies, base_facts, "2027-05-09", explain=True)
    assert before["echeance"] == "2027-06-14"
    assert before["explication"]["decompte"]["territoire"]["numero"] == 0
    assert {"date": "2027-05-17", "nom": "Lundi de Pentecôte"} in before["explication"]["decompte"]["jours_feries"]
    amended = examination(policies, base_facts, "2027-05-10", explain=True)
    assert amended["echeance"] == "2027-06-14"
    assert amended["explication"]["decompte"]["jours_feries"] == []
    assert amended["explication"]["decompte"]["territoire"]["texte"] == \
        "version en vigueur depuis le 10/05/2027, décision : CA du 20 avril 2027, délibération 4"
    assert "jours fériés du territoire : version en vigueur depuis le 10/05/2027" in \
        " ".join(amended["explication"]["texte"])


def test_without_the_amendment_whit_monday_is_not_counted(repo, base_facts):
    policies = load_policies(repo / "policies")
    action = examination(policies, base_facts, "2027-05-10", explain=True)
    assert action["echeance"] == "2027-06-15"
    assert "territoire" not in action["explication"]["decompte"]


def test_a_holiday_removed_in_place_is_refused_with_the_version_to_write(repo):
    in_service = load_checked(repo / "policies")
    amend(repo, "  metropole: {pays: FR, titre: France métropolitaine, exclure: [Lundi de Pentecôte]}\n")
    code, out, _ = clea("policy", "validate", repo / "policies", "--date", TODAY)
    assert code == 1
    [line] = [line for line in out.splitlines() if "le territoire « metropole » (calendrier.territoires)" in line]
    assert line.startswith(f"{calendar(repo)}:16: calendrier.territoires.metropole.exclure: le territoire")
    assert "a été modifié (exclure : absent → [Lundi de Pentecôte])" in line and "exclure: […]}]" in line
    git(repo, "commit", "-qam", "territoire modifié")
    for args in ((), (in_service,)):
        with pytest.raises(PolicyError):
            load_checked(repo / "policies", *args)


def test_a_subdivision_changed_in_place_is_refused_unless_a_correction(repo):
    path = calendar(repo)
    content = path.read_text(encoding="utf-8")
    path.write_text(content.replace('subdivision: "57"', 'subdivision: "6AE"'), encoding="utf-8")
    code, out, _ = clea("policy", "validate", repo / "policies", "--date", TODAY)
    assert code == 1 and "le territoire « alsace-moselle » (calendrier.territoires) a été modifié " \
        "(subdivision : 57 → 6AE)" in out
    path.write_text(content.replace('subdivision: "57"', 'subdivision: "6AE", correction: {motif: "saisie erronée"}'),
                    encoding="utf-8")
    code, out, _ = clea("policy", "validate", repo / "policies", "--date", TODAY)
    assert code == 0, out


def test_versions_out_of_order_or_decided_after_their_start_are_refused_at_their_line(repo):
    amend(repo, AMENDED.replace("date: 2027-04-20", "date: 2027-05-11"))
    code, out, _ = clea("policy", "validate", repo / "policies", "--date", TODAY)
    assert code == 1
    assert f"{calendar(repo)}:20: calendrier.territoires.metropole.versions[0].depuis: la version du 10/05/2027 du " \
           "territoire « metropole » a été décidée le 11/05/2027" in out
    second = AMENDED.split("    - depuis")[1]
    amend(calendar_reset(repo), AMENDED + "    - depuis" + second)
    code, out, _ = clea("policy", "validate", repo / "policies", "--date", TODAY)
    assert code == 1
    assert "la version du 10/05/2027 du territoire « metropole » n'est pas après celle du 10/05/2027" in out


def calendar_reset(repo: Path) -> Path:
    git(repo, "checkout", "-q", "--", str(calendar(repo)))
    return repo


def test_diff_says_it_in_words(repo):
    amend(repo, AMENDED)
    _, out, _ = clea("policy", "diff", "HEAD", "--policies", repo / "policies")
    assert ("  Territoire « France métropolitaine » (calendrier)\n"
            "    nouvelle version pour les délais que font courir les événements à partir du 10/05/2027 — décision du "
            "20/04/2027, CA du 20 avril 2027, délibération 4\n"
            "      jours fériés de la bibliothèque non retenus : aucun → « Lundi de Pentecôte »\n") in out
    assert "calendrier.yaml" not in out
