"""The cases of the shipped policies (policies/<id>/tests/*.yaml, the public scenarios among them), checked
against the live policies with the rules of shared/scenarios/README.md. A case with `en_attente: "<reason>"` is one
the policy does not handle yet: it must fail (strict xfail), and its `en_attente` goes once it passes."""
from __future__ import annotations

import io
import json
from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from engine import FactsError, evaluate, load_policies
from engine.cli import run

LIVE_POLICIES = Path(__file__).resolve().parent.parent / "policies"

CASES = sorted(LIVE_POLICIES.glob("*/tests/*.yaml"))


def _load(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def _same(expected, actual) -> bool:
    if isinstance(expected, str) and isinstance(actual, str) and expected.replace(".", "").isdigit():
        return Decimal(expected) == Decimal(actual)
    return str(expected) == str(actual) if not isinstance(expected, bool) else expected == actual


def check(expected: dict, verdict: dict) -> list[str]:
    problems = []
    for key in ("statut",):
        if key in expected and verdict[key] != expected[key]:
            problems.append(f"statut {verdict[key]!r} != {expected[key]!r}")
    for key, value in (expected.get("habilitation") or {}).items():
        if not verdict.get("habilitation") or not _same(value, verdict["habilitation"][key]):
            problems.append(f"habilitation.{key}: {verdict.get('habilitation')} != {value!r}")
    for wanted in expected.get("actions", []):
        if not any(a["id"] == wanted["id"] and all(_same(v, a.get(k)) for k, v in wanted.items())
                   for a in verdict["actions"]):
            problems.append(f"no action matching {wanted}")
    for absent in expected.get("actions_absentes", []):
        if any(a["id"] == absent for a in verdict["actions"]):
            problems.append(f"action {absent} should be absent")
    for wanted in expected.get("frais", []):
        if not any(all(_same(v, f.get(k)) for k, v in wanted.items()) for f in verdict["frais"]):
            problems.append(f"no fee matching {wanted}")
    for fee_id, total in (expected.get("frais_totaux") or {}).items():
        actual = sum((Decimal(f["montant_ht"]) for f in verdict["frais"] if f["id"] == fee_id), Decimal("0"))
        if actual != Decimal(str(total)):
            problems.append(f"total {fee_id}: {actual} != {total}")
    ids = {c["id"] for c in verdict["constats"]}
    problems += [f"finding {c} missing" for c in expected.get("constats", []) if c not in ids]
    problems += [f"finding {c} should be absent" for c in expected.get("constats_absents", []) if c in ids]
    criteria = {c["id"]: c["satisfait"] for c in verdict.get("criteres", [])}
    for criterion, satisfied in (expected.get("criteres") or {}).items():
        if criteria.get(criterion) != satisfied:
            problems.append(f"criterion {criterion}: {criteria.get(criterion)!r} != {satisfied!r}")
    return problems


@pytest.fixture(scope="module")
def live_policies():
    return load_policies(LIVE_POLICIES)


@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_scenario(path, live_policies, request):
    case = _load(path)
    if case.get("en_attente"):
        request.applymarker(pytest.mark.xfail(reason=case["en_attente"], strict=True))
    if case["attendu"].get("erreur"):
        with pytest.raises(FactsError):
            evaluate(case["faits"], case["date"], policies=live_policies)
        return
    verdict = evaluate(case["faits"], case["date"], policies=live_policies)
    assert check(case["attendu"], verdict) == []


@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_scenario_through_the_cli(path, tmp_path):
    """The same case through `clea evaluate --format json`: exit 0 with a verdict, or 2 for invalid facts."""
    case = _load(path)
    if case.get("en_attente"):
        pytest.skip(case["en_attente"])
    facts = tmp_path / "faits.json"
    facts.write_text(json.dumps(case["faits"], default=str), encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    code = run(["evaluate", str(facts), "--date", str(case["date"]), "--format", "json",
                "--policies", str(LIVE_POLICIES)], out, err)
    if case["attendu"].get("erreur"):
        assert code == 2 and "Traceback" not in err.getvalue()
    else:
        assert code == 0, err.getvalue()
        assert json.loads(out.getvalue())["date_evaluation"] == str(case["date"])
