"""Running cases: each case's facts evaluated as of its date under the policies, its expectations checked.

A case `en_attente` (the policy does not handle it yet) is run too: while it fails it is skipped, with its reason;
once it passes it fails, so that the marker is removed and the case counts for real.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import FactsError, Issue, json_path
from ..evaluation import evaluate
from ..policy import Policy, PolicySet
from .checking import Mismatch, VerdictView, check, check_error
from .reading import Case, CaseReader

PASSED, FAILED, SKIPPED, MALFORMED = "passed", "failed", "skipped", "malformed"


@dataclass
class Result:
    """What one case file gave."""

    file: str
    outcome: str
    name: str = ""
    line: int = 1
    mismatches: list[Mismatch] = field(default_factory=list)
    problems: list[Issue] = field(default_factory=list)     # a malformed file's problems
    reason: str | None = None                               # en_attente, or the motif of `retire`
    withdrawn: bool = False                                 # `retire`: not run
    case: Case | None = None
    verdict: dict | None = None
    policy: Policy | None = None                            # the policy that served its facts, if any

    def where(self, mismatch: Mismatch) -> str:
        line = self.case.line_of(mismatch.path) if self.case else None
        return f"{self.file}:{line or self.line}"

    def as_dict(self) -> dict:
        out = {"fichier": self.file, "ligne": self.line, "nom": self.name, "resultat": self.outcome}
        if self.policy is not None:
            out["politique"] = self.policy.id
        if self.reason:
            out["retire" if self.withdrawn else "en_attente"] = self.reason
        if self.mismatches:
            out["ecarts"] = [{"ligne": self.case.line_of(m.path) if self.case else None, "chemin": json_path(m.path), "attendu": m.expected,
                              "obtenu": m.got} for m in self.mismatches]
        if self.problems:
            out["erreurs"] = [issue.as_dict() for issue in self.problems]
        return out


def verdict_view(policy: Policy, policies: PolicySet) -> VerdictView:
    sources = {}
    for criterion in policy.dossier.criteria if policy.dossier is not None else ():
        # the base an overlay inherits it from, unchanged, else its own
        declaring = criterion.source if isinstance(criterion.source, Policy) else policy
        sources[criterion.id] = (declaring.id, *declaring.instances)
    amount_fields = tuple(unit.amount_field for unit in policy.head.currencies.values())
    return VerdictView(policy.status_model.period_name, amount_fields, sources)


def run_case(case: Case, policies: PolicySet) -> Result:
    result = Result(case.file, PASSED, case.name, case.line, case=case)
    if case.withdrawn:      # `retire: {motif}`: it no longer counts (engine/policy/versions/case_history.py)
        result.outcome, result.reason, result.withdrawn = SKIPPED, case.withdrawn, True
        return result
    # a case's facts go through JSON, as they would through the API: no YAML-only types reach the engine
    facts = json.loads(json.dumps(case.facts))
    instance = facts.get("instance")
    result.policy = policies.for_instance(instance) if isinstance(instance, str) else None
    try:
        verdict = evaluate(facts, case.date, policies=policies)
    except FactsError as error:
        if "erreur" in case.expected:
            result.mismatches = check_error(case.expected["erreur"], error.issues)
        else:
            result.mismatches = [Mismatch(("faits",), "des faits valides (un verdict)",
                                          "faits invalides : " + "; ".join(str(i) for i in error.issues))]
    except Exception as exc:  # noqa: BLE001 - an engine bug on one case must not stop the run
        result.mismatches = [Mismatch(("faits",), "un verdict", f"erreur interne : {type(exc).__name__}: {exc}")]
    else:
        result.verdict = verdict
        result.policy = policies.get(verdict["politique"]["id"])
        result.mismatches = check(case.expected, verdict, verdict_view(result.policy, policies))
    if result.mismatches:
        result.outcome = FAILED
    if case.pending:
        if result.outcome == FAILED:
            result.outcome, result.reason, result.mismatches = SKIPPED, case.pending, []
        else:
            result.outcome = FAILED
            result.mismatches = [Mismatch(("en_attente",), "un cas que la politique ne passe pas encore",
                                          "il passe : retirez `en_attente` pour qu'il compte")]
    return result


def run_files(files: list[Path], policies: PolicySet) -> list[Result]:
    reader = CaseReader(policies)
    results = []
    for path in files:
        case, problems = reader.read(path)
        if case is None:
            first_line = min((p.line or 1 for p in problems), default=1)
            results.append(Result(str(path), MALFORMED, line=first_line, problems=problems))
        else:
            results.append(run_case(case, policies))
    return results
