"""A policy's own cases (policies/<id>/tests/*.yaml): reading them, checking verdicts against what they expect,
running them, and what they exercised (coverage)."""
from .coverage import PolicyCoverage, coverage
from .reading import Case, CaseReader, case_files, policies_root
from .running import FAILED, MALFORMED, PASSED, SKIPPED, Result, run_case, run_files

__all__ = [
    "FAILED",
    "MALFORMED",
    "PASSED",
    "SKIPPED",
    "Case",
    "CaseReader",
    "PolicyCoverage",
    "Result",
    "case_files",
    "coverage",
    "policies_root",
    "run_case",
    "run_files",
]
