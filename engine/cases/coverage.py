"""Coverage: which elements of each policy no case exercised, and which sections of its regulation have no case.

An element counts for the policy that declares it: a base policy declares all of its own; an overlay only what its
folder adds or replaces (the rest is its base's, exercised by cases run under either). Exercised means:
  rule          it fired (it is in the verdict's trace);
  parameter     a rule that reads it fired, or, for the period's durations, a period (a renewed one for the
                renewal's) was computed;
  criterion     a case saw it not met (satisfait: false): met, its requirements are not shown to work;
  check         a completeness part or a dossier control found something (it is in the trace);
  finding       it is in a verdict;
  section       a case names it in its `article` (a section whose every sentence is declared not encodable,
                and that nothing encodes, needs none: `clea policy articles`).
  value         a dated value of a parameter (`id@AAAA-MM-JJ`): an explanation of a verdict (each case evaluated
                again with `--explain`) names it as the one in force on the date that counts; a parameter no
                explanation names (a guard's delay, a count) counts at the dates of the events of the rules that
                read it — so a new yearly fee no case prices is reported, though its rule fired;
Cases en_attente, withdrawn and malformed ones count for nothing.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from ..calendar import quarter_end
from ..errors import FactsError, Issue
from ..evaluation import evaluate
from ..policy import Policy, PolicySet
from ..policy.checks.articles import needs_cases
from ..policy.model.parameters import dated_values
from ..policy.versions.snapshots import read_snapshot
from .running import FAILED, PASSED, Result

KINDS = ("regles", "parametres", "criteres", "controles", "constats")
SECTIONS = "sections"
VERSIONS = "versions"       # each text of an amended rule: `id@texte_initial`, `id@<depuis>` (shown only when any)
VALUES = "valeurs"          # each dated value of a parameter: `id@<depuis>`
FIRST_TEXT = "texte_initial"
EVENT_PATH = re.compile(r"^evenements\[(\d+)\]")


def value_ids(policy: Policy) -> list[str]:
    return [f"{parameter.id}@{value.since.isoformat()}" for parameter in policy.parameters.values()
            for value in parameter.values]


def version_ids(policy: Policy) -> list[str]:
    """Each text of an amended rule, criterion, control or piece (a criterion's trace step is `criteres.<id>`)."""
    criteria = policy.dossier.criteria if policy.dossier is not None else ()
    controls = policy.dossier.controls if policy.dossier is not None else ()
    completeness = policy.dossier.completeness if policy.dossier is not None else None
    pieces = completeness.pieces if completeness is not None else ()
    return [f"{element_id}@{day}" for element_id, versions in
            [(rule.id, rule.versions) for rule in policy.rules] + [(f"criteres.{c.id}", c.versions) for c in criteria]
            + [(f"controles.{c.id}", c.versions) for c in controls] + [(f"completude.{p.id}", p.versions) for p in pieces]
            if versions for day in (FIRST_TEXT, *(version.since.isoformat() for version in versions))]


def _dossier(data: dict) -> dict:
    return data.get("dossier") or {}


def _checks(data: dict) -> list[str]:
    dossier = _dossier(data)
    pieces = (dossier.get("completude") or {}).get("pieces") or []
    return [f"completude.{p['id']}" for p in pieces] + [f"controles.{c['id']}" for c in dossier.get("controles") or []]


def elements(policy: Policy) -> dict[str, list[str]]:
    """Every element of a loaded policy (an overlay: merged with its base), by kind."""
    checks = policy.dossier
    pieces = checks.completeness.pieces if checks is not None and checks.completeness is not None else ()
    return {
        "regles": [rule.id for rule in policy.rules],
        "parametres": list(policy.parameters),
        "criteres": [criterion.id for criterion in checks.criteria] if checks is not None else [],
        "controles": [f"completude.{piece.id}" for piece in pieces]
        + [f"controles.{control.id}" for control in (checks.controls if checks is not None else ())],
        "constats": list(policy.finding_types),
        SECTIONS: needs_cases(policy),       # a section whose every sentence is declared not encodable has no case
        VERSIONS: version_ids(policy),
        VALUES: value_ids(policy),
    }


def own_elements(policy: Policy) -> dict[str, set[str]]:
    """What the policy's own folder declares (an overlay's additions and replacements)."""
    if policy.extends is None:
        return {kind: set(ids) for kind, ids in elements(policy).items()}
    problems: list[Issue] = []
    snapshot = read_snapshot(policy.directory, problems)
    files = snapshot.files if snapshot else {}
    own = {"regles": set(snapshot.rules) if snapshot else set(),
           "parametres": set(snapshot.parameters) if snapshot else set(),
           "criteres": set(snapshot.criteria) if snapshot else set(),
           "controles": set(_checks(files)),
           "constats": _keys(files.get("constats")),
           SECTIONS: _keys(files.get("articles")),
           VERSIONS: {ident for ident in version_ids(policy) if snapshot and ident.split("@")[0] in snapshot.rules},
           VALUES: {f"{parameter_id}@{entry.get('depuis')}" for parameter_id, located in
                    (snapshot.parameters.items() if snapshot else ()) for entry in dated_values(located.data)}}
    every = elements(policy)
    return {kind: ids & set(every[kind]) for kind, ids in own.items()}


def _keys(value: object) -> set[str]:
    """The keys of a mapping read from a file (none when it is absent or not a mapping)."""
    return set(value) if isinstance(value, dict) else set()


@dataclass
class PolicyCoverage:
    policy: Policy
    cases: int = 0
    elements: dict = field(default_factory=dict)        # kind -> own ids, in the policy's order
    exercised: dict = field(default_factory=dict)       # kind -> ids exercised

    def missing(self, kind: str) -> list[str]:
        return [i for i in self.elements[kind] if i not in self.exercised[kind]]

    def as_dict(self) -> dict:
        out = {"politique": self.policy.id, "version": self.policy.version, "cas": self.cases}
        for kind in KINDS:
            out[kind] = {"total": len(self.elements[kind]), "exerces": len(self.elements[kind]) - len(self.missing(kind)),
                         "non_exerces": self.missing(kind)}
        out[SECTIONS] = {"total": len(self.elements[SECTIONS]), "sans_cas": self.missing(SECTIONS)}
        out[VALUES] = {"total": len(self.elements[VALUES]), "exerces": len(self.elements[VALUES]) - len(self.missing(VALUES)),
                       "non_exerces": self.missing(VALUES)}
        if self.elements.get(VERSIONS):
            out[VERSIONS] = {"total": len(self.elements[VERSIONS]),
                             "exerces": len(self.elements[VERSIONS]) - len(self.missing(VERSIONS)),
                             "non_exerces": self.missing(VERSIONS)}
        return out


class CoverageCounter:
    def __init__(self, policies: PolicySet):
        self.policies = policies
        self.own = {policy.id: own_elements(policy) for policy in policies}
        self.all = {policy.id: elements(policy) for policy in policies}
        self.report = {}
        for policy in policies:
            own, every = self.own[policy.id], self.all[policy.id]
            self.report[policy.id] = PolicyCoverage(policy, 0, {kind: [i for i in every[kind] if i in own[kind]]
                                                                for kind in own}, {kind: set() for kind in own})

    def _declarer(self, policy: Policy, kind: str, element: str) -> str:
        if policy.extends is None or element in self.own[policy.id][kind]:
            return policy.id
        return policy.extends

    def _mark(self, policy: Policy, kind: str, ids) -> None:
        for element in ids:
            if element in self.all[policy.id][kind]:
                self.report[self._declarer(policy, kind, element)].exercised[kind].add(element)

    def count(self, result: Result) -> None:
        if result.outcome not in (PASSED, FAILED) or result.case is None:
            return
        policy = result.policy or self._folder_policy(result)
        if policy is None:
            return
        self.report[policy.id].cases += 1
        self._mark(policy, SECTIONS, result.case.articles)
        verdict = result.verdict
        if verdict is None:
            return
        fired = {step["regle"] for step in verdict.get("trace", [])}
        self._mark(policy, "regles", fired)
        self._mark(policy, VERSIONS, {f"{step['regle']}@{step['version']['depuis'] or FIRST_TEXT}"
                                      for step in verdict.get("trace", []) if step.get("version")})
        self._mark(policy, "controles", fired)
        self._mark(policy, "constats", {finding["id"] for finding in verdict.get("constats", [])})
        self._mark(policy, "criteres", {c["id"] for c in verdict.get("criteres") or [] if c.get("satisfait") is False})
        parameters = set()
        for rule in policy.rules:
            if rule.id in fired:
                parameters.update(rule.parameters())
        period = policy.status_model.period
        shown = verdict.get(period.name) if period is not None else None
        if period is not None and shown:
            parameters.add(period.duration)
            if shown.get("renouvelee") and period.renewal is not None:
                parameters.update((period.renewal.duration, period.renewal.count))
        self._mark(policy, "parametres", parameters)
        self._mark(policy, VALUES, self._values(policy, result, parameters))

    def _values(self, policy: Policy, result: Result, read: set[str]) -> set[str]:
        """The dated values the case's verdict used: those its explanations name, and for a parameter read by a
        fired rule that no explanation names, the value in force at the dates of that rule's events."""
        assert result.case is not None
        facts = json.loads(json.dumps(result.case.facts))
        try:
            explained = evaluate(facts, result.case.date, policies=self.policies, explain=True)
        except FactsError:
            return set()
        named: set[tuple[str, str]] = set()
        _named_values(explained, named)
        found = {f"{parameter}@{since}" for parameter, since in named}
        unnamed = read - {parameter for parameter, _ in named}
        events = facts.get("evenements") if isinstance(facts.get("evenements"), list) else []
        days: dict[str, set] = {}
        as_of = date.fromisoformat(str(result.case.date))
        for rule in policy.rules:
            fee = rule.fee      # a fee priced at zero shows nothing: its price counts on the day it is read
            wanted = (unnamed | ({fee.amount.parameter} if fee is not None else set())) & set(rule.parameters())
            steps = [step for step in explained.get("trace", []) if step["regle"] == rule.id] if wanted else []
            for found_day in {_event_day(events, path) for step in steps for path in step.get("faits", [])}:
                if found_day is None:
                    continue
                day = found_day
                if fee is not None and not fee.amount.per_event:
                    day = quarter_end(day) if fee.quarterly else day
                if fee is None or day <= as_of:
                    for parameter_id in wanted:
                        days.setdefault(parameter_id, set()).add(day)
        period = policy.status_model.period
        shown = explained.get(period.name) if period is not None else None
        if period is not None and isinstance(shown, dict) and shown.get("debut"):    # read from the period's start
            renewal = (period.renewal.duration, period.renewal.count) if period.renewal is not None else ()
            for parameter_id in unnamed & {period.duration, *renewal}:
                days.setdefault(parameter_id, set()).add(date.fromisoformat(shown["debut"]))
        for parameter_id, found_days in days.items():
            parameter = policy.parameters.get(parameter_id)
            for day in found_days:
                entry = parameter.entry_at(day) if parameter is not None else None
                if entry is not None:
                    found.add(f"{parameter_id}@{entry.since.isoformat()}")
        return found

    def _folder_policy(self, result: Result) -> Policy | None:
        """A case whose facts name no policy counts for the policy whose folder holds it."""
        folders = Path(result.file).resolve().parents
        return next((policy for policy in self.policies if policy.directory.resolve() in folders), None)


def _named_values(data: object, into: set[tuple[str, str]]) -> None:
    """(parameter, since) of every value an explanation names (engine/evaluation/explain.py, parameter_explained)."""
    if isinstance(data, dict):
        if isinstance(data.get("parametre"), str) and isinstance(data.get("en_vigueur_depuis"), str):
            into.add((data["parametre"], data["en_vigueur_depuis"]))
        for value in data.values():
            _named_values(value, into)
    elif isinstance(data, list):
        for value in data:
            _named_values(value, into)


def _event_day(events: list, path: str) -> date | None:
    """The date of the facts' event a trace path names (`evenements[3]…`), if any."""
    found = EVENT_PATH.match(path)
    event = events[int(found.group(1))] if found and int(found.group(1)) < len(events) else None
    try:
        return date.fromisoformat(str(event.get("date"))) if isinstance(event, dict) else None
    except ValueError:
        return None


def coverage(results: list[Result], policies: PolicySet) -> list[PolicyCoverage]:
    """The coverage of each policy whose folder holds some of the cases run (of every policy when none does)."""
    counter = CoverageCounter(policies)
    for result in results:
        counter.count(result)
    folders = {folder for result in results for folder in Path(result.file).resolve().parents}
    tested = [policy for policy in policies if policy.directory.resolve() in folders]
    return [counter.report[policy.id] for policy in tested or policies]
