"""Coverage that does not lie (issue 19): `clea test --coverage` reports each dated value of a parameter that no
case exercises — after the board adds a yearly fee, the rule that prices it fires in every case, but no case prices
an application at the new amount until one is written."""
from __future__ import annotations

import io
import json
import shutil
from pathlib import Path

import pytest

from engine.cli import run

POLICIES = Path(__file__).resolve().parent / "fixtures" / "policies"
CASE = "p07-frais-dates-d-effet.yaml"
FEE_LINE = '      - {depuis: 2020-02-25, valeur: "300.00"}\n'
NEW_FEE = FEE_LINE + ('      - depuis: 2027-01-01\n        valeur: "350.00"\n'
                      '        decision: {date: 2026-11-20, reference: "CA du 20 novembre 2026, délibération 7"}\n')


def clea(*argv) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = run([str(arg) for arg in argv], out, err)
    assert "Traceback" not in out.getvalue() + err.getvalue()
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def policies(tmp_path) -> Path:
    """The base policy with the new fee of 1 January 2027, and the one case on fees (p07)."""
    target = tmp_path / "policies"
    shutil.copytree(POLICIES / "certifpro", target / "certifpro", ignore=shutil.ignore_patterns("tests"))
    (target / "certifpro" / "tests").mkdir()
    shutil.copy(POLICIES / "certifpro" / "tests" / CASE, target / "certifpro" / "tests")
    parameters = target / "certifpro" / "parametres.yaml"
    text = parameters.read_text(encoding="utf-8")
    assert text.count(FEE_LINE) == 1
    parameters.write_text(text.replace(FEE_LINE, NEW_FEE), encoding="utf-8")
    return target


def values(policies: Path) -> dict:
    code, out, _ = clea("test", policies, "--coverage", "--format", "json")
    assert code == 0, out
    [report] = json.loads(out)["couverture"]
    return report["valeurs"]


def test_a_new_yearly_fee_no_case_prices_is_reported(policies):
    found = values(policies)
    # p07 files an application on 2 Dec 2019 (free: 0.00 since 1 Jul 2019) and one on 2 Mar 2020 (300.00)
    assert "frais.instruction@2027-01-01" in found["non_exerces"]
    assert "frais.instruction@2019-07-01" not in found["non_exerces"]
    assert "frais.instruction@2020-02-25" not in found["non_exerces"]
    _code, out, _ = clea("test", policies, "--coverage")
    [row] = [line for line in out.splitlines() if line.strip().startswith("valeurs")]
    assert f"{found['exerces']}/{found['total']}" in row and "frais.instruction@2027-01-01" in row
    rules = next(line for line in out.splitlines() if line.strip().startswith("règles"))
    assert "frais.instruction" not in rules         # its rule fired: the rule row alone would say all is covered


def test_a_case_filing_on_the_day_the_fee_changes_exercises_it(policies):
    case = (policies / "certifpro" / "tests" / CASE).read_text(encoding="utf-8")
    filed = case.replace("  evenements:\n", "  evenements:\n  - type: demande_deposee\n    date: '2027-01-01'\n", 1)
    filed = filed.replace("date: '2026-07-01'\n", "date: '2027-01-04'\n", 1)
    filed = filed.replace("    frais_instruction: '300.00'\n", "    frais_instruction: '650.00'\n", 1)
    (policies / "certifpro" / "tests" / "a3-frais-2027.yaml").write_text(filed, encoding="utf-8")
    found = values(policies)
    assert "frais.instruction@2027-01-01" not in found["non_exerces"]


def test_the_day_before_the_change_keeps_the_old_fee_exercised_only(policies):
    case = (policies / "certifpro" / "tests" / CASE).read_text(encoding="utf-8")
    filed = case.replace("  evenements:\n", "  evenements:\n  - type: demande_deposee\n    date: '2026-12-31'\n", 1)
    filed = filed.replace("date: '2026-07-01'\n", "date: '2027-01-04'\n", 1)
    filed = filed.replace("    frais_instruction: '300.00'\n", "    frais_instruction: '600.00'\n", 1)
    (policies / "certifpro" / "tests" / "a3-frais-2026.yaml").write_text(filed, encoding="utf-8")
    assert "frais.instruction@2027-01-01" in values(policies)["non_exerces"]
