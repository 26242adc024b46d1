"""Policies: a folder of YAML files -> a checked Policy (load, checks, overlays, parameters), and the tools that
compare versions of them (snapshots, diff, history, sources)."""
from .loading import load_policies
from .building import load_policy
from .model import Policy, PolicySet, Rule, schemas_dir

__all__ = sorted(["Policy", "PolicySet", "Rule", "load_policies", "load_policy", "schemas_dir"])
