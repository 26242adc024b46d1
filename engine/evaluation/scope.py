"""An extension's scope (`politique.portee`): what it grants is limited to it, and its base's grant has no effect there.

- Under a policy with a scope, the verdict's period block names it (`<portee.nom>: <portee.valeur>`) and
  `portee` says the grant is limited to it.
- Under a base policy, when the facts ask about a scope one of its extensions holds (the extension's
  `chemin_des_faits` has its `valeur`), `portee` says the base's grant has no effect there and which instance grants.
"""
from __future__ import annotations

from ..policy import Policy, PolicySet
from ..policy.model.elements import Scope, scope_values
from ..policy.model.policy import value_at
from ..policy.model.templates import Template


def with_scope(verdict: dict, policy: Policy, policies: PolicySet, facts: dict) -> dict:
    own = policy.head.scope
    if own is not None:
        period = policy.status_model.period_name
        if period and isinstance(verdict.get(period), dict):
            verdict[period][own.name] = own.value
        verdict["portee"] = _scope(own, policy, effect=True, message=own.message)
        return verdict
    for other in policies:
        scope = other.head.scope
        if other.extends == policy.id and scope is not None and value_at(facts, scope.facts_path) == scope.value:
            verdict["portee"] = _scope(scope, other, effect=False, message=scope.message_base)
            break
    return verdict


def _scope(scope: Scope, holder: Policy, *, effect: bool, message: Template) -> dict:
    instance = holder.instances[0]
    return {"nom": scope.name, "valeur": scope.value, "libelle": scope.label, "effet": effect,
            "instance_competente": instance, "article": scope.article,
            "message": message.fill(scope_values(scope, instance))}
