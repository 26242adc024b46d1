"""The benchmark's floor (bench/floor.py): the hand-written function computes the same due dates and fee amounts
as the engine, so that the ratio bench.floor_ratio prints compares the same work."""
import copy
import sys
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from bench import generate
from bench.floor import COVERED_ACTIONS, COVERED_FEES, floor, working_days
from engine import evaluate, load_policies

ROOT = Path(__file__).resolve().parents[1]
AS_OF = "2032-12-31"


@pytest.fixture(scope="module")
def policies():
    return load_policies(ROOT / "policies")


@pytest.fixture(scope="module")
def days(policies):
    return working_days(policies.get("certifpro"))


def _engine(verdict: dict) -> tuple[list, list]:
    actions = sorted((item["id"], item["echeance"]) for item in verdict["actions"]
                     if (item["id"], item.get("depuis", {}).get("evenement")) in COVERED_ACTIONS and item.get("echeance"))
    fees = sorted((item["id"], item["echeance"], item["montant_ht"]) for item in verdict["frais"]
                  if item["id"] in COVERED_FEES)
    return actions, fees


def _floor(facts: dict, days: dict) -> tuple[list, list]:
    actions, fees = floor(facts, date.fromisoformat(AS_OF), days)
    return (sorted((action, day.isoformat()) for action, day in actions),
            sorted((fee, day.isoformat(), str(amount)) for fee, day, amount in fees))


def test_floor_matches_the_engine_on_generated_typical_dossiers(policies, days):
    compared = 0
    for facts in generate.dossiers(60, seed=7, size="typical"):
        if facts.get("instance") != "certifpro":
            continue
        verdict = evaluate(copy.deepcopy(facts), AS_OF, policies=policies)
        if "actions" not in verdict:
            continue                  # facts the engine refuses: nothing to compare
        engine_actions, engine_fees = _engine(verdict)
        assert _floor(facts, days) == (engine_actions, engine_fees)
        compared += 1 if engine_actions and engine_fees else 0
    assert compared >= 20             # the comparison saw due dates and fees, not empty lists


def test_floor_counts_working_days_on_the_calendar(days):
    # an Instance meeting on Thursday 19 August 2021: the avis 5 working days before (Thu 12 August), the decision
    # 20 working days after (Thu 16 September; no public holiday between, the 15th of August is a Sunday)
    facts = {"organisme": {}, "evenements": [{"type": "reunion_instance", "date": "2021-08-19"},
                                            {"type": "demande_deposee", "date": "2021-05-01"},
                                            {"type": "certificats_delivres", "date": "2022-01-15", "nombre": 6},
                                            {"type": "certificats_delivres", "date": "2022-03-31", "nombre": 4},
                                            {"type": "certificats_delivres", "date": "2022-04-01", "nombre": 1}]}
    actions, fees = floor(facts, date(2032, 12, 31), days)
    assert actions == [("emettre_avis", date(2021, 8, 12)), ("notifier_decision", date(2021, 9, 16))]
    # certificates billed per calendar quarter: 31 March is the last day of the first quarter, 1 April the next
    assert fees == [("frais_instruction", date(2021, 5, 1), Decimal("300.00")),
                    ("redevance_certificats", date(2022, 3, 31), Decimal("100.00")),
                    ("redevance_certificats", date(2022, 6, 30), Decimal("10.00"))]
