"""A folder of policies -> the PolicySet in service: base policies, then the overlays that extend them.

Refused as a whole, with every problem: a broken policy, two folders with one id, an instance served twice, and —
given a baseline (the set in service, or a revision) — a dated value rewritten (engine/policy/history.py).
"""
from __future__ import annotations

from collections.abc import Mapping
from contextlib import ExitStack
from datetime import date
from pathlib import Path

from ...errors import Issue, PolicyError
from ...shipped import policies_folder
from ..checks.log_years import Evaluated, uncovered_years
from ..model.policy import Policy, PolicySet
from ..versions.history import rewritten_past
from ..versions.publications import journal_problems, published_baseline
from ..versions.snapshots import Snapshot, duplicate_ids, link, read_snapshot
from .building import load_policy
from .overlays import BASE_KEY, load_overlays, policy_head


def load_policies(directory: str | Path | None = None, *, baseline: dict[str, Snapshot] | None = None,
                  today: date | None = None, published: bool = False,
                  evaluated: Mapping[str, Evaluated] | None = None) -> PolicySet:
    """Every policy folder under directory (each subfolder holding a politique.yaml); by default the policies the
    engine ships with (engine/shipped.py).

    baseline: snapshots to compare with (`PolicySet.snapshots` of the set in service, or `read_snapshots` of a
    revision): a dated value changed, withdrawn, slipped in before another, or new and dated before `today` (or its
    decision) without saying so is refused.
    published: each policy's last publication (its journal, engine/policy/versions/publications.py) is the baseline
    of that policy, whatever else is given; a journal rewritten or naming an unknown commit is refused.
    evaluated: what the decision log holds of each policy (engine/service/log_years.py): years that no longer cover
    those dossiers are refused (engine/policy/checks/log_years.py)."""
    directory = policies_folder() if directory is None else Path(directory)
    if not directory.is_dir():
        raise PolicyError([Issue("", "dossier de politiques introuvable", str(directory))])
    folders = sorted(path.parent for path in directory.glob("*/politique.yaml"))
    if (directory / "politique.yaml").exists():
        folders = [directory]
    if not folders:
        raise PolicyError([Issue("", "aucune politique ici (aucun */politique.yaml)", str(directory))])
    heads = {folder: policy_head(folder) for folder in folders}
    ids: list[tuple[str, Path, int | None, str | None]] = []     # (id, folder, its line, the id it extends)
    for folder, (data, document) in heads.items():
        policy_id, base = data.get("id"), data.get(BASE_KEY)
        if document is not None and isinstance(policy_id, str):
            ids.append((policy_id, folder, document.line_of(("id",)), base if isinstance(base, str) else None))
    issues = duplicate_ids(ids)
    policies: list[Policy] = []
    broken: set[str] = set()
    for folder in (f for f in folders if not isinstance(heads[f][0].get(BASE_KEY), str)):
        try:
            policies.append(load_policy(folder))
        except PolicyError as error:
            issues.extend(error.issues)
            policy_id = heads[folder][0].get("id")
            if isinstance(policy_id, str):      # any other id is one of the problems the schema reported
                broken.add(policy_id)
    by_id = {i: folder for i, folder, _, base in sorted(ids, key=lambda found: found[3] is None)}   # bases win
    overlays, problems = load_overlays([f for f in folders if isinstance(heads[f][0].get(BASE_KEY), str)], policies,
                                       directory, broken=broken, heads=by_id)
    policies += overlays
    issues += problems + _instance_clashes(policies)
    if evaluated:
        issues += uncovered_years(policies, evaluated)
    if published:
        for folder in folders:
            issues += journal_problems(folder)
        with ExitStack() as stack:
            last, _ = published_baseline(folders, stack)
        if last:
            baseline = link(list({**(baseline or {}), **last}.values()))
    if baseline is not None:
        loaded = {policy.directory: policy.snapshot for policy in policies}
        current = [loaded.get(folder) or _readable_snapshot(folder) for folder in folders]
        issues += rewritten_past(baseline, link([s for s in current if isinstance(s, Snapshot)]), today or date.today())
    if issues:
        raise PolicyError(issues)
    return PolicySet(policies)


def _readable_snapshot(folder: Path) -> Snapshot | None:
    """A folder that did not load, compared with the baseline only if every file of it parses: a file that does not
    parse would look like every parameter withdrawn (its own syntax problem is already among the issues)."""
    problems: list[Issue] = []
    snapshot = read_snapshot(folder, problems)
    return None if problems else snapshot


def _instance_clashes(policies) -> list[Issue]:
    seen: dict[str, str] = {}
    issues = []
    for policy in policies:
        for instance in policy.instances:
            if instance in seen:
                issues.append(Issue("politique.instances", f"l'instance '{instance}' est servie à la fois par "
                                    f"'{seen[instance]}' et par '{policy.id}' : une instance n'a qu'une politique ; "
                                    "retirez-la de l'une des deux", str(policy.directory / "politique.yaml")))
            seen[instance] = policy.id
    return issues
