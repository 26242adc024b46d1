"""The impact of a policy change: every dossier evaluated under two versions of the policies, what changes.

For each dossier (a JSON line of facts, as evaluate-batch reads them) both verdicts are compared part by part:
the status and the period, each action (by id and the event that started it: due date, state, fulfilment), each
fee (by id and due date: amount, or added / gone), the findings (added / gone), the criteria (met or not), the
conformity and the drafted avis. When the dossier's policy has the same revision in both versions, the verdicts
are the same: nothing is evaluated; when both versions read the facts alike (same facts schema, events and years),
the facts are checked once, and when they have the same dossier checks, these run once. When the new version can
change nothing but the amounts of fees (the same rules, only parameters in a currency differ: a board's new fee), the
rules run once and what they charged is priced again under the new version (engine/batch/alike.py). The work is
spread over processes like evaluate-batch (runner.map_chunks).
"""
from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import BinaryIO

from ..compact_json import compact
from ..errors import FactsError, Issue
from ..evaluation import evaluate, evaluate_checked
from ..evaluation.dossier import DossierResult, check_dossier
from ..evaluation.evaluate import checked_policy, evaluated, parse_as_of
from ..evaluation.fees import Charged, repriced
from ..policy import Policy, PolicySet, load_policies
from .alike import VersionsAlike
from .runner import FAILED, INVALID, OK, map_chunks, parse_line

CHANGED = "c"                       # a line whose verdict changes (OK: it does not)


@dataclass(frozen=True)
class View:
    """What the policy names in its verdicts: the period's key, and the amount fields of fees with the symbol of
    their unit (`€ HT`)."""

    period: str | None
    amounts: dict


def view_of(policies: PolicySet, verdict: dict) -> View:
    policy = policies.get(verdict["politique"]["id"])
    return View(policy.status_model.period_name,
                {unit.amount_field: unit.shown for unit in policy.head.currencies.values()})


def _change(kind: str, before, after, **where) -> dict:
    return {"type": kind, **where, "avant": before, "apres": after}


def _keyed(items: list[dict], key: Callable) -> dict:
    out: dict = {}
    for item in items:
        base = key(item)
        n = 0
        while (base, n) in out:
            n += 1
        out[(base, n)] = item
    return out


def _action_key(action: dict) -> tuple:
    since = action.get("depuis") or {}
    return action["id"], since.get("evenement"), since.get("date")


def _amount(fee: dict, view: View):
    return next((fee[name] for name in view.amounts if name in fee), None)


def compare(before: dict, after: dict, view: View) -> list[dict]:
    """What differs between two verdicts on one dossier, in the order a reader checks them."""
    changes = []
    if before["statut"] != after["statut"]:
        changes.append(_change("statut", before["statut"], after["statut"]))
    if view.period:
        old, new = before.get(view.period) or {}, after.get(view.period) or {}
        for key in dict.fromkeys([*old, *new]):
            if old.get(key) != new.get(key):
                changes.append(_change(f"{view.period}.{key}", old.get(key), new.get(key)))
    old, new = _keyed(before["actions"], _action_key), _keyed(after["actions"], _action_key)
    for key in dict.fromkeys([*old, *new]):
        (action_id, event, day), _ = key
        where = {"id": action_id, "depuis": {"evenement": event, "date": day}}
        if key not in new or key not in old:
            kept = old.get(key) or new[key]
            changes.append(_change("action.retiree" if key not in new else "action.ajoutee",
                                   old.get(key) and kept["echeance"], new.get(key) and kept["echeance"], **where))
            continue
        for field_name in ("echeance", "etat", "accomplie_le", "dans_les_delais"):
            if old[key].get(field_name) != new[key].get(field_name):
                changes.append(_change(f"action.{field_name}", old[key].get(field_name), new[key].get(field_name),
                                       **where))
    old = _keyed(before["frais"], lambda fee: (fee["id"], fee["echeance"]))
    new = _keyed(after["frais"], lambda fee: (fee["id"], fee["echeance"]))
    for key in dict.fromkeys([*old, *new]):
        (fee_id, due), _ = key
        unit = next((view.amounts[name] for name in view.amounts if name in (old.get(key) or new.get(key) or {})), None)
        if key not in new or key not in old:
            kind = "frais.retire" if key not in new else "frais.ajoute"
            changes.append(_change(kind, old.get(key) and _amount(old[key], view),
                                   new.get(key) and _amount(new[key], view), id=fee_id, echeance=due, unite=unit))
        elif _amount(old[key], view) != _amount(new[key], view):
            changes.append(_change("frais.montant", _amount(old[key], view), _amount(new[key], view),
                                   id=fee_id, echeance=due, unite=unit))
    old, new = Counter(f["id"] for f in before["constats"]), Counter(f["id"] for f in after["constats"])
    for finding in dict.fromkeys([*old, *new]):
        if old[finding] != new[finding]:
            kind = "constat.ajoute" if new[finding] > old[finding] else "constat.retire"
            changes.append(_change(kind, old[finding], new[finding], id=finding))
    old = {c["id"]: c["satisfait"] for c in before.get("criteres") or []}
    new = {c["id"]: c["satisfait"] for c in after.get("criteres") or []}
    for criterion in dict.fromkeys([*old, *new]):
        if old.get(criterion, "absent") != new.get(criterion, "absent"):
            changes.append(_change("critere.satisfait", old.get(criterion), new.get(criterion), id=criterion))
    if before["verdict"]["conforme"] != after["verdict"]["conforme"]:
        changes.append(_change("conforme", before["verdict"]["conforme"], after["verdict"]["conforme"]))
    old_avis, new_avis = (before.get("avis_propose") or {}).get("sens"), (after.get("avis_propose") or {}).get("sens")
    if old_avis != new_avis:
        changes.append(_change("avis_propose.sens", old_avis, new_avis))
    return changes


class ImpactEvaluator:
    """Turns one input line into (kind, a JSON line for a dossier that changes or is invalid, else "")."""

    def __init__(self, old: PolicySet, new: PolicySet, as_of: date | str):
        self.old, self.new, self.as_of = old, new, parse_as_of(as_of)
        self.alike = VersionsAlike(old, new)

    def _verdict(self, policies: PolicySet, facts, checked_by: Policy | None = None,
                 dossier: DossierResult | None = None) -> tuple[dict | None, list[Issue]]:
        """The verdict, or the problems of the facts; `checked_by`: a policy that already accepted these facts and
        reads them like the one that serves them here (they are not checked again); `dossier`: the result of the
        dossier checks both versions share, on these facts."""
        try:
            policy = policies.for_instance(facts["instance"]) if checked_by is not None else None
            if policy is not None and checked_by is not None and self.alike.read_facts(checked_by, policy):
                return evaluate_checked(facts, self.as_of, policy, policies, dossier=dossier), []
            return evaluate(facts, self.as_of, policies=policies), []
        except FactsError as error:
            return None, error.issues

    def _old_verdict(self, facts) -> tuple[dict | None, list[Issue], DossierResult | None, list[Charged]]:
        """The verdict under the old version and what its rules charged, or the problems of the facts; and, when
        both versions have the same dossier checks, their result on these facts, computed once for both."""
        try:
            before = checked_policy(facts, self.old)
            after = self.new.for_instance(facts["instance"])
            shared = check_dossier(before, facts, self.as_of) \
                if after is not None and self.alike.check_dossiers(before, after) else None
            verdict, charged = evaluated(facts, self.as_of, before, self.old, dossier=shared)
            return verdict, [], shared, charged
        except FactsError as error:
            return None, error.issues, None, []

    def _new_verdict(self, facts, old: dict | None, dossier: DossierResult | None,
                     charged: list[Charged]) -> tuple[dict | None, list[Issue]]:
        """The verdict under the new version: the old one with its fees priced again when the new version can
        change nothing else (VersionsAlike.fees_only), else evaluated."""
        checked = self.old.get(old["politique"]["id"]) if old is not None else None
        after = self.new.for_instance(facts["instance"]) if checked is not None else None
        if old is not None and checked is not None and after is not None and self.alike.fees_only(checked, after):
            return {**old, "politique": after.describe(), "frais": repriced(after, facts, self.as_of, charged)}, []
        return self._verdict(self.new, facts, checked, dossier)

    def answer(self, number: int, raw: bytes | None) -> tuple[str, bytes]:
        facts, issues = parse_line(raw)
        if issues:
            return INVALID, _problem(number, "invalide", issues)
        instance = facts.get("instance") if isinstance(facts, dict) else None
        if isinstance(instance, str):
            before, after = self.old.for_instance(instance), self.new.for_instance(instance)
            if before is not None and after is not None and before.revision == after.revision:
                return OK, b""
        try:
            old, old_issues, dossier, charged = self._old_verdict(facts)
            new, new_issues = self._new_verdict(facts, old, dossier, charged)
        except Exception as exc:  # noqa: BLE001 - an engine bug on one dossier must not lose the whole run
            return FAILED, _problem(number, "erreur_interne", [Issue("", f"{type(exc).__name__}: {exc}")])
        if old is None and new is None:
            return INVALID, _problem(number, "invalide", new_issues)
        if old is None or new is None:
            issues = old_issues or new_issues
            changes = [_change("validite", "invalide" if old is None else "valide",
                               "invalide" if new is None else "valide",
                               erreurs=[issue.as_dict() for issue in issues])]
        else:
            changes = compare(old, new, view_of(self.new, new))
        if not changes:
            return OK, b""
        organisation = (facts.get("organisme") if isinstance(facts, dict) else None) or {}   # a verdict: an object
        return CHANGED, compact({"ligne": number, "siren": organisation.get("siren"),
                                 "denomination": organisation.get("denomination"), "changements": changes})

    def answer_chunk(self, chunk: list[tuple[int, bytes | None]]) -> tuple[str, bytes]:
        kinds, lines = [], []
        for number, raw in chunk:
            kind, line = self.answer(number, raw)
            kinds.append(kind)
            if line:
                lines.append(line)
        return "".join(kinds), b"".join(line + b"\n" for line in lines)


def _problem(number: int, nature: str, issues: list[Issue]) -> bytes:
    """A line that gives no verdict under either version (invalide), or on which the engine failed."""
    return compact({"ligne": number, "nature": nature, "erreurs": [issue.as_dict() for issue in issues]})


def impact_evaluator(old_dir: str, new_dir: str, as_of: str) -> ImpactEvaluator:
    return ImpactEvaluator(load_policies(old_dir), load_policies(new_dir), as_of)


@dataclass(frozen=True)
class _Through:
    """An evaluator whose chunks are answered through a caller's executor."""

    evaluator: ImpactEvaluator
    through: Callable

    def answer_chunk(self, chunk: list[tuple[int, bytes | None]]) -> tuple[str, bytes]:
        return self.through(self.evaluator.answer_chunk, chunk)


@dataclass
class ImpactSummary:
    """What a run found: dossiers read, changed, invalid under both versions, failed; changes by kind."""

    lines: int = 0
    changed: int = 0
    invalid: int = 0
    failed: int = 0
    dossiers_by_kind: Counter = field(default_factory=Counter)
    changes_by_kind: Counter = field(default_factory=Counter)

    def as_dict(self) -> dict:
        return {"dossiers": self.lines, "changes": self.changed, "inchanges": self.lines - self.changed - self.invalid
                - self.failed, "invalides": self.invalid, "erreurs_internes": self.failed,
                "par_type": {kind: {"dossiers": self.dossiers_by_kind[kind], "changements": count}
                             for kind, count in sorted(self.changes_by_kind.items())}}


def run_impact(source: BinaryIO, on_dossier: Callable[[dict], None], *, old: PolicySet, new: PolicySet,
               old_dir: str, new_dir: str, as_of: date, jobs: int, chunk_size: int | None = None,
               on_progress: Callable[[int], object] | None = None,
               through: Callable | None = None) -> ImpactSummary:
    """Evaluate every line of `source` under both versions; `on_dossier` gets each dossier that changes (or is
    invalid, or failed), in input order. `through(fn, chunk)`: where each chunk is evaluated in this process (the
    service's engine thread), chunk by chunk, so that other evaluations pass between two chunks."""
    summary = ImpactSummary()

    def emit(results: tuple[str, bytes]) -> None:
        kinds, text = results
        summary.lines += len(kinds)
        summary.changed += kinds.count(CHANGED)
        summary.invalid += kinds.count(INVALID)
        summary.failed += kinds.count(FAILED)
        for line in text.splitlines():
            record = json.loads(line)
            if "changements" in record:
                kinds_here = [change["type"] for change in record["changements"]]
                summary.changes_by_kind.update(kinds_here)
                summary.dossiers_by_kind.update(set(kinds_here))
            on_dossier(record)
        if on_progress is not None:
            on_progress(summary.lines)

    def local() -> ImpactEvaluator | _Through:
        evaluator = ImpactEvaluator(old, new, as_of)
        return evaluator if through is None else _Through(evaluator, through)

    map_chunks(source, emit, local=local, factory=impact_evaluator,
               factory_args=(old_dir, new_dir, as_of.isoformat()), jobs=jobs, chunk_size=chunk_size)
    return summary
