"""The board changes a fee by adding a dated value to a copy of the policy: the verdict follows, no code touched."""
from __future__ import annotations

import shutil
from pathlib import Path

from engine import evaluate, load_policies

ROOT = Path(__file__).resolve().parent.parent


def test_a_new_instruction_fee_applies_from_its_date_only(tmp_path, base_facts, policies):
    shutil.copytree(ROOT / "tests" / "fixtures" / "policies" / "certifpro", tmp_path / "policies" / "certifpro")
    shutil.copytree(ROOT / "schemas", tmp_path / "schemas")
    parameters = tmp_path / "policies" / "certifpro" / "parametres.yaml"
    text = parameters.read_text(encoding="utf-8")
    old = '      - {depuis: 2020-02-25, valeur: "300.00"}\n  gestion_par_site:'
    assert old in text
    parameters.write_text(text.replace(old, '      - {depuis: 2020-02-25, valeur: "300.00"}\n'
                                           '      - {depuis: 2027-01-01, valeur: "350.00"}\n  gestion_par_site:'),
                          encoding="utf-8")
    changed = load_policies(tmp_path / "policies")
    base_facts["evenements"] = [{"type": "demande_deposee", "date": "2026-12-31"},
                                {"type": "demande_deposee", "date": "2027-01-04"}]

    def instruction_fees(policy_set):
        verdict = evaluate(base_facts, "2027-02-01", policies=policy_set)
        return verdict["politique"]["revision"], [(f["echeance"], f["montant_ht"]) for f in verdict["frais"]
                                                  if f["id"] == "frais_instruction"]

    old_revision, before = instruction_fees(policies)
    new_revision, after = instruction_fees(changed)
    assert before == [("2026-12-31", "300.00"), ("2027-01-04", "300.00")]
    assert after == [("2026-12-31", "300.00"), ("2027-01-04", "350.00")]
    assert old_revision != new_revision
