"""clea-rules: a generic engine that evaluates facts against YAML policies with durable_rules.

The public API; everything else is private to the package. The packages, and the one way imports flow:
cli, service -> reports, batch -> evaluation -> policy -> calendar, documents, formats, errors.
"""
from .errors import EngineError, FactsError, Issue, PolicyError
from .evaluation import evaluate, parse_facts_text
from .policy import Policy, PolicySet, load_policies, load_policy, schemas_dir

__all__ = [
    "EngineError", "FactsError", "Issue", "Policy", "PolicyError", "PolicySet", "evaluate", "load_policies",
    "load_policy", "parse_facts_text", "schemas_dir",
]
