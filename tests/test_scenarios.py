"""The public scenarios, in the frozen copy of the policies' cases (tests/fixtures/policies/certifpro/tests): each one
passes `clea test` (or is skipped while `en_attente`), and its facts go through `clea evaluate` with the right exit
code. The live policies' cases are run by `clea test policies/` (CI and the README's test command), not by pytest:
a board change to policies/ is checked by the policy's own cases."""
from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
import yaml

from engine.cli import run

CASES = sorted((Path(__file__).resolve().parent / "fixtures" / "policies" / "certifpro" / "tests").glob("*.yaml"))


def _load(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_scenario(path):
    out, err = io.StringIO(), io.StringIO()
    code = run(["test", str(path)], out, err)
    last = out.getvalue().splitlines()[-1]
    assert code == 0, out.getvalue() + err.getvalue()
    assert last == ("0 passed, 0 failed" if _load(path).get("en_attente") else "1 passed, 0 failed")


@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_scenario_through_the_cli(path, tmp_path):
    """The same case through `clea evaluate --format json`: exit 0 with a verdict, or 2 for invalid facts."""
    case = _load(path)
    if case.get("en_attente"):
        pytest.skip(case["en_attente"])
    facts = tmp_path / "faits.json"
    facts.write_text(json.dumps(case["faits"], default=str), encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    code = run(["evaluate", str(facts), "--date", str(case["date"]), "--format", "json"], out, err)
    if case["attendu"].get("erreur"):
        assert code == 2 and "Traceback" not in err.getvalue()
    else:
        assert code == 0, err.getvalue()
        assert json.loads(out.getvalue())["date_evaluation"] == str(case["date"])
