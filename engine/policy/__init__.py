"""Policies: a folder of YAML files -> a checked Policy (load, checks, overlays, parameters), and the tools that
compare versions of them (snapshots, diff, history, sources)."""
from .loading.building import load_policy
from .loading.cache import load_policies_cached
from .loading.sets import load_policies
from .model.policy import Policy, PolicySet, Rule, schemas_dir

__all__ = ["Policy", "PolicySet", "Rule", "load_policies", "load_policies_cached", "load_policy", "schemas_dir"]
