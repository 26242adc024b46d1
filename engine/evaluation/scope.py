"""An extension's scope (`politique.portee`): what it grants is limited to it, and its base's grant has no effect there.

- Under a policy with a scope, the verdict's period block names it (`<portee.nom>: <portee.valeur>`) and
  `portee` says the grant is limited to it.
- Under a base policy, when the facts ask about a scope one of its extensions holds (the extension's
  `chemin_des_faits` has its `valeur`), `portee` says the base's grant has no effect there and which instance grants.
"""
from __future__ import annotations

from ..policy import Policy, PolicySet
from ..policy.model.policy import value_at


def with_scope(verdict: dict, policy: Policy, policies: PolicySet, facts: dict) -> dict:
    own = policy.data["politique"].get("portee")
    if own:
        period = (policy.statuses.get("periode") or {}).get("nom")
        if period and isinstance(verdict.get(period), dict):
            verdict[period][own["nom"]] = own["valeur"]
        verdict["portee"] = _scope(own, policy, effect=True, message=own["message"])
        return verdict
    for other in policies:
        scope = other.data["politique"].get("portee")
        if other.extends == policy.id and scope and value_at(facts, scope["chemin_des_faits"]) == scope["valeur"]:
            verdict["portee"] = _scope(scope, other, effect=False, message=scope["message_base"])
            break
    return verdict


def _scope(scope: dict, holder: Policy, *, effect: bool, message: str) -> dict:
    instance = holder.instances[0]
    return {"nom": scope["nom"], "valeur": scope["valeur"], "libelle": scope["libelle"], "effet": effect,
            "instance_competente": instance, "article": scope["article"],
            "message": message.format_map({"libelle": scope["libelle"], "instance": instance, "valeur": scope["valeur"]})}

