"""Proposals without HTTP (engine/proposals): the change written in place, conflicts, staleness, who may approve,
and a publication that is all or nothing. Each test serves a scratch git repository of the frozen policies."""
from __future__ import annotations

import difflib
from datetime import date
from pathlib import Path

import pytest
from service.proposal_setup import DECISION, git, scratch_repository

from engine.limits import MAX_FORM_REASON, MAX_FORM_TEXT
from engine.policy import load_policies
from engine.proposals import (
    REFUSAL,
    Person,
    ProposalInvalid,
    ProposalRefused,
    ProposalStore,
    PublishError,
    approve,
    close,
    propose,
    renew,
    update_case,
)
from engine.proposals.model import CORRECTION, NEW_VALUE
from engine.proposals.proposing import read_change
from engine.proposals.writing import WriteError, add_dated_value, replace_dated_value, set_value

POLICIES = Path(__file__).resolve().parent / "fixtures" / "policies"
TODAY = date(2026, 12, 2)
MARIE, PAUL = Person("marie", "Marie Durand"), Person("paul", "Paul Bernard")
NEW_FEE = {"nature": "nouvelle_valeur", "valeur": "350,00", "depuis": "2027-01-01", "decision_reference": DECISION,
           "decision_date": "2026-11-20"}
PARAMETERS = """\
# the board's values
frais:
  instruction:
    titre: Frais d'instruction
    unite: EUR_HT
    valeurs:
      - {depuis: 2019-07-01, valeur: "0.00"}   # before the fees
      - {depuis: 2020-02-25, valeur: "300.00"}

  # a delay on one line
  delai: {titre: Délai, unite: jours, valeurs: [{depuis: 2019-07-01, valeur: 30}]}
recours:
  delai_depot:
    valeurs: [{depuis: 2019-07-01, valeur: 30}]   # III.7
"""


def _changed_lines(before: str, after: str) -> list[str]:
    return [line for line in difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="", n=0)
            if line[:1] in "+-" and not line.startswith(("+++", "---"))]


def test_a_new_dated_value_is_appended_in_the_files_own_layout_and_nothing_else_moves():
    entry = {"depuis": date(2027, 1, 1), "valeur": "350.00",
             "decision": {"date": date(2026, 11, 20), "reference": DECISION}}
    after = add_dated_value(PARAMETERS, ("frais", "instruction"), entry)
    assert _changed_lines(PARAMETERS, after) == [
        "+      - depuis: 2027-01-01", '+        valeur: "350.00"',
        f'+        decision: {{date: 2026-11-20, reference: "{DECISION}"}}']
    assert "# before the fees" in after and "# a delay on one line" in after and after.endswith("# III.7\n")
    # a one-line list becomes a block list, its item kept as written, its comment kept
    after = add_dated_value(PARAMETERS, ("recours", "delai_depot"), {"depuis": date(2027, 1, 1), "valeur": 25,
                                                                    "decision": {"date": date(2026, 11, 20)}})
    assert _changed_lines(PARAMETERS, after) == [
        "-    valeurs: [{depuis: 2019-07-01, valeur: 30}]   # III.7", "+    valeurs:   # III.7",
        "+      - {depuis: 2019-07-01, valeur: 30}", "+      - depuis: 2027-01-01", "+        valeur: 25",
        "+        decision: {date: 2026-11-20}"]


def test_a_correction_rewrites_only_its_entry_and_a_case_value_keeps_its_quotes():
    after = replace_dated_value(PARAMETERS, ("frais", "instruction"), "2020-02-25",
                                {"valeur": "320.00", "correction": {"motif": "erreur de saisie", "date": TODAY}})
    assert _changed_lines(PARAMETERS, after) == [
        '-      - {depuis: 2020-02-25, valeur: "300.00"}',
        '+      - {depuis: 2020-02-25, valeur: "320.00", correction: {motif: "erreur de saisie", date: 2026-12-02}}']
    case = "attendu:\n  frais:\n  - id: frais_instruction\n    montant_ht: '300.00'  # A3\n"
    assert set_value(case, ("attendu", "frais", 0, "montant_ht"), "350.00") == case.replace("'300.00'", "'350.00'")
    with pytest.raises(WriteError):
        add_dated_value(PARAMETERS, ("frais", "inconnu"), {"depuis": date(2027, 1, 1), "valeur": 1})


@pytest.fixture
def served(tmp_path):
    policies = scratch_repository(tmp_path)
    return ProposalStore(tmp_path / "propositions", policies), load_policies(policies)


def test_an_invalid_proposal_is_refused_by_field_and_not_kept(served):
    store, policies = served
    with pytest.raises(ProposalInvalid) as refused:
        propose(store, policies, MARIE, "certifpro", "frais.instruction",
                {**NEW_FEE, "valeur": "-3", "decision_reference": " "}, TODAY)
    assert set(refused.value.fields) == {"valeur", "decision_reference"}
    with pytest.raises(ProposalInvalid) as rewritten:        # the history check of `clea policy validate`
        propose(store, policies, MARIE, "certifpro", "frais.instruction",
                {**NEW_FEE, "depuis": "2020-01-01", "decision_date": "2019-12-01"}, TODAY)
    assert "depuis" in rewritten.value.fields
    assert store.all() == []


@pytest.mark.parametrize("form", [NEW_FEE, {"nature": CORRECTION, "valeur": "310,00", "depuis": "2020-02-25",
                                             "motif": "erreur de saisie"}])
def test_a_decision_reference_or_motive_is_kept_whole_up_to_its_limit_and_refused_beyond(form):
    policy = load_policies(POLICIES).get("certifpro")
    field = "decision_reference" if form["nature"] == NEW_VALUE else "motif"
    whole = read_change(policy, "frais.instruction", {**form, field: "x" * MAX_FORM_TEXT})
    assert (whole.decision_reference if field == "decision_reference" else whole.motive) == "x" * 250
    with pytest.raises(ProposalInvalid) as refused:
        read_change(policy, "frais.instruction", {**form, field: "x" * (MAX_FORM_TEXT + 1)})
    expected = "251 caractères pour 250 au plus : ce texte est conservé tel quel dans la politique, abrégez-le"
    assert refused.value.fields == {field: [expected]}


def test_a_second_open_proposal_on_the_same_parameter_is_refused(served):
    store, policies = served
    first = propose(store, policies, MARIE, "certifpro", "frais.instruction", NEW_FEE, TODAY)
    with pytest.raises(ProposalRefused, match="encore ouverte"):
        propose(store, policies, PAUL, "certifpro", "frais.instruction", {**NEW_FEE, "valeur": "360"}, TODAY)
    with pytest.raises(ProposalRefused, match="motif de 501 caractères pour 500 au plus"):
        close(store, first.id, PAUL, REFUSAL, "x" * (MAX_FORM_REASON + 1))        # kept whole or refused, never cut
    assert close(store, first.id, PAUL, REFUSAL, "x" * MAX_FORM_REASON).history[-1].motive == "x" * 500
    assert propose(store, policies, PAUL, "certifpro", "frais.instruction", {**NEW_FEE, "valeur": "360"}, TODAY)


def test_approval_publishes_commits_and_reloads_only_by_another_person(served):
    store, policies = served
    made = propose(store, policies, MARIE, "certifpro", "frais.instruction", NEW_FEE, TODAY)
    with pytest.raises(ProposalRefused, match="autre personne que son auteur"):
        approve(store, made.id, MARIE, today=TODAY, reload=lambda: None)
    with pytest.raises(ProposalRefused, match="cas de la politique échouent"):
        approve(store, made.id, PAUL, today=TODAY, reload=lambda: None)
    [case] = store.read_json(made.id, "controles.json")["cas"]["echoues"]
    update_case(store, made.id, MARIE, case["fichier"], TODAY)
    reloads = []
    published = approve(store, made.id, PAUL, today=TODAY, reload=lambda: reloads.append(1))
    assert published.state == "publiee" and reloads == [1]
    root = store.policies.parent
    assert git(root, "status", "--porcelain") == ""
    assert git(root, "log", "-1", "--skip=1", "--format=%an|%cn") == "Marie Durand|Paul Bernard"
    served_now = load_policies(store.policies, published=True, today=TODAY)
    assert str(served_now.get("certifpro").parameters["frais.instruction"].entry_at(date(2027, 1, 1)).value) == "350.00"
    with pytest.raises(ProposalRefused, match="approuvée et publiée"):
        approve(store, made.id, PAUL, today=TODAY, reload=lambda: None)


def test_a_stale_proposal_cannot_be_approved(served):
    store, policies = served
    made = propose(store, policies, MARIE, "certifpro", "recours.delai_depot", {**NEW_FEE, "valeur": "25"}, TODAY)
    parameters = store.policies / "certifpro" / "parametres.yaml"
    parameters.write_text(parameters.read_text(encoding="utf-8") + "# relu\n", encoding="utf-8")
    git(store.policies.parent, "commit", "-q", "-am", "relu")
    with pytest.raises(ProposalRefused, match="périmée"):
        approve(store, made.id, PAUL, today=TODAY, reload=lambda: None)
    renewed = renew(store, load_policies(store.policies), made.id, MARIE, TODAY)     # made again on the new base
    assert renewed.history[-1].what == "refaite"
    assert "# relu" in (store.copy_of(made.id) / "certifpro" / "parametres.yaml").read_text(encoding="utf-8")
    assert approve(store, made.id, PAUL, today=TODAY, reload=lambda: None).state == "publiee"


@pytest.mark.parametrize("failing", ["commit", "journal", "reload"])
def test_nothing_half_written_stays_when_a_step_of_the_publication_fails(served, failing):
    store, policies = served
    made = propose(store, policies, MARIE, "certifpro", "recours.delai_depot", {**NEW_FEE, "valeur": "25"}, TODAY)
    root = store.policies.parent
    head, files = git(root, "rev-parse", "HEAD"), {p: p.read_bytes() for p in store.policies.rglob("*") if p.is_file()}
    hook = root / ".git" / "hooks" / "commit-msg"
    if failing != "reload":     # a hook refuses the change's commit, or the journal's
        word = "Proposal:" if failing == "commit" else "Publication"
        hook.write_text(f"#!/bin/sh\ngrep -q '{word}' \"$1\" && exit 1\nexit 0\n", encoding="utf-8")
        hook.chmod(0o755)

    def reload() -> None:
        raise RuntimeError("rechargement refusé")
    with pytest.raises(PublishError, match="rien n'est publié"):
        approve(store, made.id, PAUL, today=TODAY, reload=reload)
    assert git(root, "rev-parse", "HEAD") == head and git(root, "status", "--porcelain") == ""
    assert {p: p.read_bytes() for p in store.policies.rglob("*") if p.is_file()} == files
    assert store.get(made.id).state == "ouverte"
