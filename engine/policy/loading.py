"""A folder of policies -> the PolicySet in service: base policies, then the overlays that extend them."""
from __future__ import annotations

from pathlib import Path

from ..errors import Issue, PolicyError
from .building import load_policy
from .model import PolicySet
from .overlays import extended_policy, load_overlays


def load_policies(directory: str | Path) -> PolicySet:
    """Every policy folder under directory (each subfolder holding a politique.yaml)."""
    directory = Path(directory)
    if not directory.is_dir():
        raise PolicyError([Issue("", "no such policies folder", str(directory))])
    folders = sorted(path.parent for path in directory.glob("*/politique.yaml"))
    if (directory / "politique.yaml").exists():
        folders = [directory]
    if not folders:
        raise PolicyError([Issue("", "no policy here (no */politique.yaml)", str(directory))])
    policies, issues = [], []
    for folder in folders:
        try:
            if extended_policy(folder) is None:
                policies.append(load_policy(folder))
        except PolicyError as error:
            issues.extend(error.issues)
    overlays, problems = load_overlays([f for f in folders if extended_policy(f) is not None], policies, directory)
    policies += overlays
    issues += problems
    seen: dict[str, str] = {}
    for policy in policies:
        for instance in policy.instances:
            if instance in seen:
                issues.append(Issue("politique.instances", f"instance '{instance}' is served by both "
                                    f"'{seen[instance]}' and '{policy.id}'", str(policy.directory / "politique.yaml")))
            seen[instance] = policy.id
    if issues:
        raise PolicyError(issues)
    return PolicySet(policies)
