"""evaluate(facts, as_of): validate the facts, run the policy that serves their instance, return the verdict.

What a policy needs in every process (its facts validator, its compiled ruleset) is prepared once and kept.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import cast

import pendulum

from ..calendar import CalendarRangeError
from ..errors import FactsError, Issue
from ..policy import Policy, PolicySet
from ..policy.model.days import day_of
from .dossier import DossierResult
from .facts import FactsValidator
from .fees import Charged
from .run import Evaluation
from .scope import extension_scopes, with_scope
from .session import CompiledRules
from .status import UncoveredPeriod


@dataclass(frozen=True)
class Prepared:
    """What a policy needs per process, built once: its facts validator and its compiled rules."""

    validator: FactsValidator
    rules: CompiledRules


_PREPARED: dict[str, Prepared] = {}


def prepare(policy: Policy) -> Prepared:
    key = f"{policy.id}@{policy.revision}"
    prepared = _PREPARED.get(key)
    if prepared is None:
        prepared = Prepared(
            FactsValidator(policy.facts_schema, policy.event_types, policy.year_range),
            CompiledRules(f"{policy.id}@{policy.revision[7:23]}", [rule.trigger for rule in policy.rule_variants]),
        )
        _PREPARED[key] = prepared
    return prepared


def today_in_paris() -> date:
    return pendulum.now("Europe/Paris").date()


def parse_as_of(as_of: date | str | None) -> date:
    """The evaluation date: today in Europe/Paris when none is given (a bad one raises FactsError)."""
    return today_in_paris() if as_of is None else day_of(as_of)


def evaluate(facts: object, as_of: date | str | None = None, *, policies: PolicySet, explain: bool = False) -> dict:
    """The verdict on facts as of a date (today in Europe/Paris by default). Raises FactsError on bad input.
    explain: each action, fee, status change and finding carries its `explication` (data and French `texte`)."""
    day = parse_as_of(as_of)
    policy = checked_policy(facts, policies)
    return evaluate_checked(cast(dict, facts), day, policy, policies, explain=explain)


def checked_policy(facts: object, policies: PolicySet) -> Policy:
    """The policy of `policies` that serves the facts' instance, once its facts validator has accepted them.
    Raises FactsError with every problem (an instance no policy serves among them)."""
    instance = facts.get("instance") if isinstance(facts, dict) else None
    policy = policies.for_instance(instance) if isinstance(instance, str) else None
    if policy is None:
        prepared_any = prepare(next(iter(policies)))
        issues, omitted = prepared_any.validator.problems(facts)
        if isinstance(instance, str) and not any(issue.path == "instance" for issue in issues):
            issues.append(Issue("instance", f"aucune politique ne sert l'instance '{instance}' "
                                f"(servies : {', '.join(policies.instances())})"))
        raise FactsError(issues or [Issue("instance", "instance manquante")], omitted)
    prepare(policy).validator.check(facts)      # raises unless facts is an object of the facts schema
    return policy


def evaluate_checked(facts: dict, day: date, policy: Policy, policies: PolicySet, *, explain: bool = False,
                     dossier: DossierResult | None = None) -> dict:
    """The verdict on facts already checked by this policy's facts validator (or an identical one: same facts
    schema, events and years), under `policy`, the one of `policies` that serves their instance. dossier: the
    result of the dossier checks on these facts and day, when already computed (under identical checks)."""
    return evaluated(facts, day, policy, policies, explain=explain, dossier=dossier)[0]


def evaluated(facts: dict, day: date, policy: Policy, policies: PolicySet, *, explain: bool = False,
              dossier: DossierResult | None = None) -> tuple[dict, list[Charged]]:
    """evaluate_checked's verdict, and what its rules charged (each fee's rule, effect and event: what
    fees.repriced prices again under another version of the same rules)."""
    prepared = prepare(policy)
    first, last = policy.year_range
    if not first <= day.year <= last:
        raise FactsError([Issue("date", f"{day.isoformat()} : hors des années que couvre cette politique ({first}–{last})")])
    try:
        evaluation = Evaluation(policy, prepared.rules, facts, day, explain=explain,
                                extensions=tuple(scope for _, scope in extension_scopes(policy, policies)),
                                dossier=dossier)
        verdict = evaluation.verdict()
    except CalendarRangeError as exc:
        raise FactsError([Issue("evenements", f"une échéance tombe hors du calendrier de la politique : {exc}")]) from exc
    except UncoveredPeriod as exc:
        where = f"{exc.source}.date" if (exc.source or "").startswith("evenements[") else "evenements"
        raise FactsError([Issue(where, str(exc))]) from exc
    return with_scope(verdict, policy, policies, facts), evaluation.fees
