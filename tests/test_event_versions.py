"""An event type amended from a date (issue 19): `evenements.types.<type>.versions`, each in force for the events
dated on or after its `depuis`, with its decision; an event dated before keeps the requirements and defaults before.
Here, by decision of 15 January 2027, from 1 March 2027 a recourse states whether it comes with an argued note
(III.7: « Le recours fait l'objet d'une note argumentée ») — `note_argumentee` becomes required — and one that does
not say whether its supporting documents are enclosed is read as without them (`defauts: {justificatifs: false}`).
Pinned on the day before and the day itself (Sun 28 Feb / Mon 1 Mar 2027). Written in a scratch git repository,
published first; refusals through validate, start and reload."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from scratch_repo import clea, git, published_repository

from engine.documents import parse_yaml_file
from engine.errors import FactsError, PolicyError
from engine.evaluation import evaluate
from engine.policy import load_policies
from engine.service.app import load_checked

POLICIES = Path(__file__).resolve().parent / "fixtures" / "policies"
TODAY = "2026-11-27"
ATTRIBUTES = "    attributs: {note_argumentee: {type: boolean}, justificatifs: {type: boolean}}\n"
DECISION = "decision: {reference: \"CA du 15 janvier 2027, délibération 8\", date: 2027-01-15}"
VERSION = (f"    versions:\n    - depuis: 2027-03-01\n      {DECISION}\n"
           "      requis: [note_argumentee]\n      defauts: {justificatifs: false}\n")


@pytest.fixture
def repo(tmp_path) -> Path:
    return published_repository(tmp_path, POLICIES / "certifpro", TODAY, into="policies/certifpro")


def catalogue(repo: Path) -> Path:
    return repo / "policies" / "certifpro" / "evenements.yaml"


def edit(repo: Path, old: str, new: str) -> None:
    content = catalogue(repo).read_text(encoding="utf-8")
    assert content.count(old) == 1
    catalogue(repo).write_text(content.replace(old, new), encoding="utf-8")


def refused_then_recourse(received: str, **attributes) -> dict:
    """A refusal notified on Wed 10 Feb 2027, and the candidate's recourse received on `received`."""
    case = parse_yaml_file(POLICIES / "certifpro" / "tests" / "p01-recours-apres-refus.yaml", []).data
    facts = json.loads(json.dumps(case["faits"]))
    facts["evenements"] = [{"type": "demande_deposee", "date": "2027-01-04"},
                           {"type": "reunion_instance", "date": "2027-02-04"},
                           {"type": "decision_notifiee", "date": "2027-02-10", "decision": "refus",
                            "motifs": ["assurance_qualite"]},
                           {"type": "recours_depose", "date": received, **attributes}]
    return facts


def incomplete(verdict: dict) -> list[str]:
    return [finding["message"] for finding in verdict["constats"] if finding["id"] == "recours_incomplet"]


def test_an_event_dated_the_day_before_keeps_the_requirements_and_defaults_before(repo):
    edit(repo, ATTRIBUTES, ATTRIBUTES + VERSION)
    code, out, _ = clea("policy", "validate", repo / "policies", "--date", TODAY)
    assert code == 0, out
    policies = load_policies(repo / "policies")
    verdict = evaluate(refused_then_recourse("2027-02-28"), "2027-03-15", policies=policies)
    assert incomplete(verdict) == []        # absent = not stated, as before the amendment
    verdict = evaluate(refused_then_recourse("2027-03-01", note_argumentee=True), "2027-03-15", policies=policies)
    assert incomplete(verdict) == ["Recours reçu le 01/03/2027 sans les justificatifs de sa note argumentée (III.7)."]


def test_the_requirement_a_version_introduced_is_named_in_the_facts_error(repo):
    edit(repo, ATTRIBUTES, ATTRIBUTES + VERSION)
    policies = load_policies(repo / "policies")
    with pytest.raises(FactsError) as refused:
        evaluate(refused_then_recourse("2027-03-01"), "2027-03-15", policies=policies)
    [issue] = refused.value.issues
    assert issue.path == "evenements[3]" and "note_argumentee" in issue.message
    assert issue.message.endswith("(requis à partir du 01/03/2027 pour les événements « Recours reçu par l'Instance "
                                  "», décision du 15/01/2027, CA du 15 janvier 2027, délibération 8)")
    with pytest.raises(FactsError) as refused:
        evaluate(refused_then_recourse("2027-03-01", note_argumentee="oui"), "2027-03-15", policies=policies)
    [issue] = refused.value.issues
    assert issue.path == "evenements[3].note_argumentee" and "version du 01/03/2027" in issue.message


def test_the_requirement_changed_in_place_is_refused_with_the_version_to_write(repo):
    in_service = load_checked(repo / "policies")
    edit(repo, ATTRIBUTES, ATTRIBUTES + "    requis: [note_argumentee]\n")
    code, out, _ = clea("policy", "validate", repo / "policies", "--date", TODAY)
    assert code == 1
    [line] = [line for line in out.splitlines() if "le type d'événement 'recours_depose' a été modifié" in line]
    assert line.startswith(f"{catalogue(repo)}:") and "evenements.types.recours_depose.requis" in line
    assert "(requis : absent → [note_argumentee])" in line and "versions: [{depuis: AAAA-MM-JJ" in line
    git(repo, "commit", "-qam", "requis modifié")      # committed first: still compared with the publication
    for args in ((), (in_service,)):
        with pytest.raises(PolicyError):
            load_checked(repo / "policies", *args)
    edit(repo, ATTRIBUTES, ATTRIBUTES + "    correction: {motif: \"omis par erreur à la saisie du 20/11/2026\"}\n")
    code, out, _ = clea("policy", "validate", repo / "policies", "--date", TODAY)
    assert code == 0, out


def test_a_published_version_changed_in_place_is_refused(repo):
    edit(repo, ATTRIBUTES, ATTRIBUTES + VERSION)
    git(repo, "commit", "-qam", "version")
    code, _, err = clea("policy", "publish", repo / "policies", "--decision", "CA du 15 janvier 2027", "--date",
                        "2027-01-16")
    assert code == 0, err
    git(repo, "add", ".")
    git(repo, "commit", "-qm", "publication 2")
    edit(repo, "      requis: [note_argumentee]\n", "      requis: [note_argumentee, justificatifs]\n")
    code, out, _ = clea("policy", "validate", repo / "policies", "--date", "2027-01-16")
    assert code == 1 and "la version du 01/03/2027 du type d'événement 'recours_depose' a été modifiée" in out, out


@pytest.mark.parametrize("version, said", [
    (VERSION + "    - depuis: 2027-03-01\n      " + DECISION + "\n      requis: [justificatifs]\n",
     "la version du 01/03/2027 du type d'événement 'recours_depose' n'est pas après celle du 01/03/2027"),
    (VERSION + "    - depuis: 2027-02-01\n      " + DECISION + "\n      requis: [justificatifs]\n",
     "la version du 01/02/2027 du type d'événement 'recours_depose' n'est pas après celle du 01/03/2027"),
    (VERSION.replace("depuis: 2027-03-01", "depuis: 2027-01-04"),
     "la version du 04/01/2027 du type d'événement 'recours_depose' a été décidée le 15/01/2027"),
    (VERSION.replace("requis: [note_argumentee]", "requis: [note]"), "attribut 'note' non déclaré dans attributs"),
])
def test_a_version_out_of_order_or_before_its_decision_is_refused_at_its_line(repo, version, said):
    edit(repo, ATTRIBUTES, ATTRIBUTES + version)
    code, out, _ = clea("policy", "validate", repo / "policies", "--date", TODAY)
    assert code == 1
    [line] = [line for line in out.splitlines() if said in line]
    assert line.startswith(f"{catalogue(repo)}:") and "evenements.types.recours_depose.versions[" in line


def test_diff_says_the_amendment_in_words(repo):
    edit(repo, ATTRIBUTES, ATTRIBUTES + VERSION)
    _code, out, _ = clea("policy", "diff", "HEAD", "--policies", repo / "policies")
    assert "  Types d'événements\n    ~ modifié recours_depose [III.7] Recours reçu par l'Instance (versions)\n" in out
    assert ("      nouvelle version à partir du 01/03/2027, selon la date de chaque événement — décision du 15/01/2027, "
            "CA du 15 janvier 2027, délibération 8\n"
            "        l'attribut « note_argumentee » devient requis à partir du 01/03/2027 (décision du 15/01/2027, CA du "
            "15 janvier 2027, délibération 8)\n"
            "        la valeur par défaut de l'attribut « justificatifs » à partir du 01/03/2027 (décision du 15/01/2027, "
            "CA du 15 janvier 2027, délibération 8) : aucune → false\n") in out
    assert "evenements.yaml" not in out


def test_a_policy_without_versions_reads_every_event_as_before(repo):
    policies = load_policies(repo / "policies")
    verdict = evaluate(refused_then_recourse("2027-03-01"), "2027-03-15", policies=policies)
    assert incomplete(verdict) == []


def test_the_explanation_names_the_text_each_event_was_read_under(repo):
    edit(repo, ATTRIBUTES, ATTRIBUTES + VERSION)
    policies = load_policies(repo / "policies")
    for received, label in (("2027-02-28", {"numero": 0, "depuis": None,
                                             "texte": "texte initial, en vigueur avant le 01/03/2027"}),
                            ("2027-03-01", {"numero": 1, "depuis": "2027-03-01",
                                             "decision": "CA du 15 janvier 2027, délibération 8",
                                             "texte": "version en vigueur depuis le 01/03/2027, décision : CA du 15 "
                                                      "janvier 2027, délibération 8"})):
        verdict = evaluate(refused_then_recourse(received, note_argumentee=True, justificatifs=True), "2027-03-15",
                           policies=policies, explain=True)
        found = [event for event in _events_explained(verdict) if event["evenement"] == "recours_depose"]
        assert found and all(event["version"] == label for event in found)


def _events_explained(data: object) -> list[dict]:
    """Every event an explanation names (its type, its path in the facts), anywhere in the verdict."""
    if isinstance(data, list):
        return [event for item in data for event in _events_explained(item)]
    if not isinstance(data, dict):
        return []
    own = [data] if "evenement" in data and "chemin" in data else []
    return own + [event for value in data.values() for event in _events_explained(value)]


CONDITIONAL = (f"    versions:\n    - depuis: 2027-03-01\n      {DECISION}\n"
               "      requis_si:\n      - {si: {note_argumentee: true}, requis: [justificatifs]}\n")


def test_a_conditional_requirement_amended_from_a_date_applies_from_the_day_itself(repo):
    """From Mon 1 Mar 2027 a recourse with an argued note says whether its supporting documents are enclosed; one
    received on Sun 28 Feb 2027 keeps the text before."""
    edit(repo, ATTRIBUTES, ATTRIBUTES + CONDITIONAL)
    code, out, _ = clea("policy", "validate", repo / "policies", "--date", TODAY)
    assert code == 0, out
    policies = load_policies(repo / "policies")
    evaluate(refused_then_recourse("2027-02-28", note_argumentee=True), "2027-03-15", policies=policies)
    with pytest.raises(FactsError) as refused:
        evaluate(refused_then_recourse("2027-03-01", note_argumentee=True), "2027-03-15", policies=policies)
    [issue] = refused.value.issues
    assert issue.path == "evenements[3]" and "justificatifs" in issue.message
    assert "requis quand note_argumentee vaut" in issue.message
    evaluate(refused_then_recourse("2027-03-01", note_argumentee=False), "2027-03-15", policies=policies)
    code, out, _ = clea("policy", "diff", "HEAD", "--policies", repo / "policies")
    assert code == 0, out
    assert ("        les attributs requis selon les valeurs d'autres (requis_si) à partir du 01/03/2027 (décision du "
            "15/01/2027, CA du 15 janvier 2027, délibération 8) : [] → [{si: {note_argumentee: true}, requis: "
            "[justificatifs]}]\n") in out


def test_a_conditional_requirement_added_in_place_is_refused(repo):
    edit(repo, ATTRIBUTES, ATTRIBUTES + "    requis_si:\n    - {si: {note_argumentee: true}, requis: [justificatifs]}\n")
    code, out, _ = clea("policy", "validate", repo / "policies", "--date", TODAY)
    assert code == 1
    [line] = [line for line in out.splitlines() if "le type d'événement 'recours_depose' a été modifié" in line]
    assert "evenements.types.recours_depose.requis_si" in line and "versions: [{depuis: AAAA-MM-JJ" in line


def test_a_conditional_requirement_naming_an_undeclared_attribute_in_a_version_is_refused(repo):
    edit(repo, ATTRIBUTES, ATTRIBUTES + CONDITIONAL.replace("requis: [justificatifs]", "requis: [pieces]"))
    code, out, _ = clea("policy", "validate", repo / "policies", "--date", TODAY)
    assert code == 1
    [line] = [line for line in out.splitlines() if "attribut 'pieces' non déclaré dans attributs" in line]
    assert line.startswith(f"{catalogue(repo)}:") and "evenements.types.recours_depose.versions[0].requis_si[0]" in line
