"""The verdict matches schemas/verdict.schema.json, and the public API is what the README documents."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from jsonschema import Draft202012Validator

import engine
from engine import evaluate

ROOT = Path(__file__).resolve().parent.parent
SCHEMA = json.loads((ROOT / "schemas" / "verdict.schema.json").read_text(encoding="utf-8"))
SCENARIOS = ROOT / "tests" / "fixtures" / "policies" / "certifpro" / "tests"
CASES = [p for p in sorted(SCENARIOS.glob("*.yaml")) if "\nen_attente:" not in p.read_text(encoding="utf-8")]
CASES += sorted((ROOT / "examples").glob("*.yaml"))


@pytest.mark.parametrize("explain", [False, True], ids=["", "explain"])
@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_verdicts_match_the_verdict_schema(path, explain, policies):
    case = yaml.safe_load(path.read_text(encoding="utf-8"))
    facts, day = (case["faits"], case["date"]) if "faits" in case else (case, "2026-06-01")
    verdict = evaluate(json.loads(json.dumps(facts, default=str)), str(day), policies=policies, explain=explain)
    errors = [f"{e.json_path}: {e.message}" for e in Draft202012Validator(SCHEMA).iter_errors(verdict)]
    assert errors == []
    json.dumps(verdict)  # JSON-ready: no dates, decimals or sets left


def test_public_api_is_sorted_and_complete():
    assert engine.__all__ == sorted(engine.__all__)
    for name in ("evaluate", "load_policies", "load_policy", "FactsError", "PolicyError", "Issue"):
        assert name in engine.__all__


def test_a_planned_meeting_after_the_evaluation_date_counts_back(policies, base_facts):
    """III.3: the avis is due 5 working days before a meeting announced for later."""
    base_facts["evenements"] = [{"type": "demande_deposee", "date": "2026-02-02"},
                                {"type": "reunion_instance", "date": "2026-05-21"},
                                {"type": "avis_emis", "date": "2026-05-20", "sens": "favorable"}]
    verdict = evaluate(base_facts, "2026-05-04", policies=policies)
    avis = next(a for a in verdict["actions"] if a["id"] == "emettre_avis")
    # the avis of 20 May is after the evaluation date: ignored; due Wednesday 13 May (Ascension on the 14th)
    assert (avis["echeance"], avis["etat"]) == ("2026-05-13", "a_faire")


def test_events_after_the_evaluation_date_are_ignored(policies, base_facts):
    base_facts["evenements"] = [{"type": "decision_notifiee", "date": "2026-06-01", "decision": "acceptation"}]
    assert evaluate(base_facts, "2026-05-31", policies=policies)["statut"] == "candidat"
    assert evaluate(base_facts, "2026-06-01", policies=policies)["statut"] == "habilite"


def test_suspension_then_maintenance_for_want_of_a_decision(policies, base_facts):
    """V.2: justification received; no decision within 30 working days -> measures deemed sufficient."""
    base_facts["evenements"] = [
        {"type": "decision_notifiee", "date": "2024-01-15", "decision": "acceptation"},
        {"type": "mise_en_demeure", "date": "2026-09-01", "date_retrait": "2026-11-30", "suspension": True},
        {"type": "justification_recue", "date": "2026-09-15"},
    ]
    during = evaluate(base_facts, "2026-10-01", policies=policies)
    assert during["statut"] == "suspendu"
    decision = next(a for a in during["actions"] if a["id"] == "notifier_decision_conformite")
    # 15 Sep 2026 + 30 working days = 27 Oct 2026 (no holiday in between)
    assert (decision["echeance"], decision["etat"]) == ("2026-10-27", "a_faire")
    after = evaluate(base_facts, "2026-10-28", policies=policies)
    assert after["statut"] == "habilite"


def test_suspension_prevents_the_renewal(policies, base_facts):
    """III.5: renewed only with no suspension in the first period."""
    base_facts["evenements"] = [
        {"type": "decision_notifiee", "date": "2022-03-01", "decision": "acceptation"},
        {"type": "habilitation_mise_en_oeuvre", "date": "2022-05-02"},
        {"type": "mise_en_demeure", "date": "2023-03-01", "date_retrait": "2023-06-01", "suspension": True},
        {"type": "justification_recue", "date": "2023-03-10"},
        {"type": "decision_conformite_notifiee", "date": "2023-04-03", "issue": "maintien"},
    ]
    verdict = evaluate(base_facts, "2025-03-01", policies=policies)
    assert verdict["statut"] == "expire"
    assert verdict["habilitation"] == {"debut": "2022-03-01", "fin": "2025-02-28", "renouvelee": False}


def test_renunciation_takes_effect_three_months_after_receipt(policies, base_facts):
    base_facts["evenements"] = [{"type": "decision_notifiee", "date": "2024-01-15", "decision": "acceptation"},
                                {"type": "renonciation_recue", "date": "2025-11-30"}]
    assert evaluate(base_facts, "2026-02-27", policies=policies)["statut"] == "habilite"
    verdict = evaluate(base_facts, "2026-02-28", policies=policies)
    assert verdict["statut"] == "renonce"
    destroy = next(a for a in verdict["actions"] if a["id"] == "detruire_donnees_personnelles")
    assert destroy["echeance"] == "2026-02-28"


def test_a_new_failure_within_twelve_months_calls_for_withdrawal(policies, base_facts):
    """V.2: procedure ended by a maintenance decision on 3 Apr 2023; new failure on 2 Feb 2024 (< 12 months)."""
    base_facts["evenements"] = [
        {"type": "decision_notifiee", "date": "2022-03-01", "decision": "acceptation"},
        {"type": "mise_en_demeure", "date": "2023-03-01", "date_retrait": "2023-06-01"},
        {"type": "justification_recue", "date": "2023-03-10"},
        {"type": "decision_conformite_notifiee", "date": "2023-04-03", "issue": "maintien"},
        {"type": "manquement_constate", "date": "2024-02-02"},
        {"type": "manquement_constate", "date": "2024-06-03"},
    ]
    verdict = evaluate(base_facts, "2024-07-01", policies=policies)
    withdrawals = [a for a in verdict["actions"] if a["id"] == "prononcer_retrait"]
    assert [(a["depuis"]["date"], a["etat"]) for a in withdrawals] == [("2024-02-02", "en_retard")]
