"""What two versions of a policy set share, for `policy impact` (engine/batch/impact.py): whether the new version
reads the facts alike, checks the dossier alike, or can change nothing but the amounts of fees. Each answer is
found once per pair of policy revisions."""
from __future__ import annotations

from dataclasses import replace

from ..policy import Policy, PolicySet, Rule


class VersionsAlike:
    def __init__(self, old: PolicySet, new: PolicySet):
        self.old, self.new = old, new
        self._known: dict[tuple, bool] = {}

    def _once(self, what: str, first: Policy, second: Policy, answer) -> bool:
        key = (what, first.id, first.revision, second.id, second.revision)
        if key not in self._known:
            self._known[key] = answer()
        return self._known[key]

    def read_facts(self, first: Policy, second: Policy) -> bool:
        """The same facts schema, event types and years: facts one accepts, the other accepts alike."""
        return self._once("faits", first, second, lambda: first.facts_schema == second.facts_schema
                          and first.event_types == second.event_types and first.year_range == second.year_range)

    def check_dossiers(self, first: Policy, second: Policy) -> bool:
        """Whether the dossier checks of two policies give one result on any facts: the same compiled checks
        (amendments included) answering for the same instances, their inherited criteria from policies that do."""
        return self._once("dossier", first, second, lambda: first.dossier == second.dossier
                          and first.instances == second.instances
                          and _criteria_sources(first) == _criteria_sources(second))

    def fees_only(self, first: Policy, second: Policy) -> bool:
        """Whether the second version of a policy can change nothing but the amounts of the fees the first one
        charges: the same rules (wherever their files are), elements, facts and dossier checks, every parameter that
        differs priced in a currency (the policy checks accept such a parameter only as a fee's amount,
        engine/policy/checks/meaning.py, or quoted in a text, which the comparison of verdicts does not read), and
        what an evaluation reads of the other policies of the set (their extensions and scopes) the same."""
        def answer() -> bool:
            changed = {name for name in first.parameters.keys() | second.parameters.keys()
                       if first.parameters.get(name) != second.parameters.get(name)}
            return (_others(self.old, first) == _others(self.new, second) and _rules(first) == _rules(second)
                    and first.elements == second.elements and first.extends == second.extends
                    and self.read_facts(first, second) and self.check_dossiers(first, second)
                    and all(_priced(first, name) and _priced(second, name) for name in changed))
        return self._once("frais", first, second, answer)


def _rules(policy: Policy) -> tuple[Rule, ...]:
    """The rules as written, whatever folder their files are in (a rule's `file` says only where it was read)."""
    return tuple(replace(rule, file=None) for rule in policy.rules)


def _others(policies: PolicySet, policy: Policy) -> list[tuple]:
    """What an evaluation under `policy` reads of the other policies of its set (engine/evaluation/scope.py)."""
    return [(other.id, other.extends, other.instances, other.head.scope) for other in policies if other.id != policy.id]


def _priced(policy: Policy, parameter: str) -> bool:
    """Whether the policy has this parameter, in one of its currencies and in nothing a delay or a count is in."""
    known = policy.parameters.get(parameter)
    return (known is not None and known.unit in policy.head.currencies
            and known.unit not in policy.calendar_model.duration_units and known.unit != "nombre")


def _criteria_sources(policy: Policy) -> list:
    """For each criterion of the dossier checks, the instances of the policy it is inherited from (None: its own);
    a criterion answers for them (its `source` is not part of the checks' equality)."""
    criteria = policy.dossier.criteria if policy.dossier is not None else ()
    return [getattr(criterion.source, "instances", None) for criterion in criteria]
