"""What a proposal does, checked on its working copy before anyone approves it.

- validity: the copy loads and validates against the serving folder and each policy's last publication, as
  `clea policy validate` does (a dated value rewritten, a value before its decision... are refused);
- the business diff (`clea policy diff`'s data and text) from the serving folder to the copy;
- the policy cases (`clea test`): those that break, what they expected and what they now get, and for each
  difference the value that would make the case state the new verdict (`correction`), when it can be read off;
- conflicts (another open proposal on the same parameter) and staleness (a file it changes has changed in the
  serving folder since it was made).
Evaluations go through `runner(fn, *args)`: the service passes its engine thread's call (durable_rules is not
thread safe); anywhere else the function is called directly.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from contextlib import ExitStack
from datetime import date
from pathlib import Path
from typing import Any

from ..cases import FAILED, MALFORMED, Result, case_files, run_files
from ..cases.checking import same
from ..errors import Issue, PolicyError, json_path
from ..policy import PolicySet, load_policies
from ..policy.versions.diff import diff_policies
from ..policy.versions.publications import policy_folders, published_baseline
from ..policy.versions.snapshots import link, read_snapshots
from ..reports.policy_texts import diff_text
from .case_words import correction_words
from .model import Proposal
from .store import ProposalStore, file_hashes

Runner = Callable[..., Any]
IDENTITY_KEYS = ("id", "echeance", "depuis", "date", "type")
_BARE = re.compile(r"-?\d+(\.\d+)?|[a-z_]+")


def direct(fn: Callable, *args: Any) -> Any:
    return fn(*args)


def shown(issue: Issue, copy: Path) -> Issue:
    """An issue of the working copy as a person reads it: the file named relative to the policies folder."""
    file = issue.file
    if file and str(file).startswith(str(copy)):
        file = str(file)[len(str(copy)):].lstrip("/")
    return Issue(issue.path, issue.message, file, issue.line)


def load_copy(copy: Path, serving: Path, today: date) -> tuple[PolicySet | None, list[Issue]]:
    """The working copy loaded and checked against the serving folder and each policy's last publication."""
    try:
        with ExitStack() as stack:
            published, _ = published_baseline(policy_folders(serving), stack)
            baseline = link(list({**read_snapshots(serving), **published}.values()))
            return load_policies(copy, baseline=baseline, today=today), []
    except PolicyError as error:
        return None, [shown(issue, copy) for issue in error.issues]


def diff(serving: Path, copy: Path) -> tuple[dict, str]:
    data = diff_policies(read_snapshots(serving), read_snapshots(copy))
    return data, diff_text(data, "la version en service", "la proposition")


def _at(data: Any, path: tuple) -> Any:
    for step in path:
        if isinstance(data, dict) and step in data or isinstance(data, list) and isinstance(step, int) and step < len(data):
            data = data[step]
        else:
            return None
    return data


def _closest(wanted: dict, items: list) -> dict | None:
    """The verdict's item an expected item stands for: same id, then the most identity fields, then fields alike."""
    candidates = [item for item in items if isinstance(item, dict) and item.get("id") == wanted.get("id")]
    if not candidates:
        return None

    def score(item: dict) -> tuple[int, int]:
        keys = [key for key in wanted if key in item]
        return (sum(same(wanted[k], item[k]) for k in keys if k in IDENTITY_KEYS),
                sum(same(wanted[k], item[k]) for k in keys))
    ranked = sorted(candidates, key=score, reverse=True)
    if len(ranked) > 1 and score(ranked[0]) == score(ranked[1]):
        return None
    return ranked[0]


def fixes(expected: dict, path: tuple, verdict: dict, got: str = "") -> list[dict]:
    """The updates that make the expectation at `path` (under attendu) state what the verdict gives: [{chemin, avant,
    apres}], empty when it cannot be read off (a list item with no clear counterpart, a text, a missing part). A
    value the check computes (a total) is the `got` it reported, when that is a bare number or word."""
    keys = path[1:]
    wanted = _at(expected, keys)
    if isinstance(wanted, dict) and keys and isinstance(keys[-1], int):
        item = _closest(wanted, _at(verdict, keys[:-1]) or [])
        if item is None:
            return []
        return [{"chemin": ["attendu", *keys, key], "avant": str(value), "apres": str(item[key])}
                for key, value in wanted.items() if key in item and not isinstance(item[key], (dict, list))
                and not isinstance(value, (dict, list)) and not same(value, item[key])]
    found = _at(verdict, keys)
    got = found if found is not None or not _BARE.fullmatch(got) else got
    if wanted is None or isinstance(wanted, (dict, list, bool)) or got is None or isinstance(got, (dict, list, bool)):
        return []
    return [{"chemin": ["attendu", *keys], "avant": str(wanted), "apres": str(got)}]


def _case_report(result: Result, copy: Path) -> dict:
    relative = str(result.file)[len(str(copy)):].lstrip("/") if str(result.file).startswith(str(copy)) else result.file
    differences = []
    for mismatch in result.mismatches:
        found = fixes(result.case.expected, mismatch.path, result.verdict, mismatch.got) \
            if result.case and result.verdict else []
        for correction in found:
            correction["texte"] = correction_words(result.policy, tuple(correction["chemin"]), result.verdict or {},
                                                   correction["avant"], correction["apres"])
        differences.append({"ligne": result.case.line_of(mismatch.path) if result.case else result.line,
                            "chemin": json_path(mismatch.path), "attendu": mismatch.expected,
                            "obtenu": mismatch.got, "corrections": found})
    differences += [{"ligne": issue.line, "chemin": issue.path, "attendu": "", "obtenu": issue.message,
                     "corrections": []} for issue in result.problems]
    return {"fichier": relative, "nom": result.name, "ecarts": differences}


def broken_cases(copy: Path, policies: PolicySet, runner: Runner = direct) -> tuple[int, list[dict]]:
    """(cases run, the failing ones with their differences), as `clea test` would run them on the copy."""
    results = runner(run_files, case_files(copy), policies)
    return len(results), [_case_report(r, copy) for r in results if r.outcome in (FAILED, MALFORMED)]


def check(copy: Path, serving: Path, today: date, runner: Runner = direct) -> dict:
    """Every check of a working copy, as kept beside the proposal (controles.json) and shown on its page."""
    policies, issues = load_copy(copy, serving, today)
    result: dict = {"valide": policies is not None, "erreurs": [issue.as_dict() for issue in issues],
                    "cas": {"joues": 0, "echoues": []}, "empreinte": file_hashes(copy)}
    try:
        result["diff"], result["diff_texte"] = diff(serving, copy)
    except PolicyError as error:
        result["diff"], result["diff_texte"] = None, "; ".join(str(shown(i, copy)) for i in error.issues)
    if policies is not None:
        count, failing = broken_cases(copy, policies, runner)
        result["cas"] = {"joues": count, "echoues": failing}
    return result


def changed_files(copy: Path, base: dict[str, str]) -> tuple[str, ...]:
    """The files of the working copy that differ from the serving folder's when the proposal was made."""
    now = file_hashes(copy)
    return tuple(sorted(name for name in set(now) | set(base) if now.get(name) != base.get(name)))


def stale_files(proposal: Proposal, serving: Path) -> list[str]:
    """The files the proposal changes that changed in the serving folder since it was made ("périmée")."""
    now = file_hashes(serving)
    return [name for name in proposal.changed if now.get(name) != proposal.base_files.get(name)]


def conflicting(store: ProposalStore, proposal_policy: str, parameter: str, besides: str = "") -> Proposal | None:
    """Another open proposal on the same parameter of the same policy."""
    return next((p for p in store.all() if p.open and p.id != besides and p.policy == proposal_policy
                 and p.change.parameter == parameter), None)
