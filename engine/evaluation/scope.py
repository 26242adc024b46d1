"""An extension's scope (`politique.portee`): what it grants is limited to it, and its base's grant has no effect there.

- Under a policy with a scope, the verdict's period block names the scope the event that opened the period states
  (its attribute `<portee.nom>`: the decision's own, not the policy's configured value; engine/evaluation/verdict.py)
  and `portee` says the grant is limited to the policy's scope.
- Under a base policy, when the facts ask about a scope one of its extensions holds (the extension's
  `chemin_des_faits` has its `valeur`), `portee` says the base's grant has no effect there and which instance grants.
Rules compare values with these scopes through the `portee` guard (engine/evaluation/guards.py).
"""
from __future__ import annotations

from ..policy import Policy, PolicySet
from ..policy.model.elements import Scope, scope_values
from ..policy.model.policy import value_at
from ..policy.model.templates import Template


def extension_scopes(policy: Policy, policies: PolicySet) -> list[tuple[Policy, Scope]]:
    """The policies that extend `policy` with a scope of their own, and that scope, in the set's order."""
    return [(other, other.head.scope) for other in policies
            if other.extends == policy.id and other.head.scope is not None]


def with_scope(verdict: dict, policy: Policy, policies: PolicySet, facts: dict) -> dict:
    own = policy.head.scope
    if own is not None:
        verdict["portee"] = _scope(own, policy, effect=True, message=own.message)
        return verdict
    for other, scope in extension_scopes(policy, policies):
        if value_at(facts, scope.facts_path) == scope.value:
            verdict["portee"] = _scope(scope, other, effect=False, message=scope.message_base)
            break
    return verdict


def _scope(scope: Scope, holder: Policy, *, effect: bool, message: Template) -> dict:
    instance = holder.instances[0]
    return {"nom": scope.name, "valeur": scope.value, "libelle": scope.label, "effet": effect,
            "instance_competente": instance, "article": scope.article,
            "message": message.fill(scope_values(scope, instance))}
