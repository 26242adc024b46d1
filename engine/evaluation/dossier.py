"""A policy's dossier checks (its optional `dossier` file) run over one facts document.

Three kinds of declared checks, each element with its id and article:
- completude.pieces: required parts -> `completude: {complet, manquants}` and the policy's finding for it;
  a part may name a finding of its own too. Only an application under instruction can be incomplete
  (completude.en_instruction: {depuis: <filing type>, jusqu_a: [<decision types>]}): the latest filing has no
  decision on or after it, or the facts hold neither (a file being prepared). Otherwise the findings are not raised
  (`completude` still describes the file, with `en_instruction: false`). Under instruction and with parts missing,
  an event (completude.emettre) is asserted into the rule session, so ordinary rules follow from it.
- criteres: requirements -> each criterion `satisfait` true/false (null when all its evidence is absent),
  with the motifs of the requirements that fail, and its `source`: the instance whose policy wrote it (an
  extension's criteria are its own, those it inherits its base's); then `avis_propose` drafted from them.
- controles: conditions whose every violation is a finding.
The checks are compiled at load (policy.dossier, engine/policy/model/dossier.py) and the conditions interpreted by
engine/policy/conditions; within one evaluation each facts path is resolved once (a Resolver), and a message is
filled only when it goes into the verdict.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from ..policy.conditions.language import (
    MISSING,
    Condition,
    Path,
    Resolver,
    Violation,
    fill,
    holds,
    violations,
)
from ..policy.model.dossier import Completeness, Control, Criterion, FindingRef, Piece, Window
from ..policy.model.policy import Policy
from .explain import amendment_label


@dataclass(frozen=True)
class SettledDossier:
    """The dossier checks' outcome settled on the dossier's history: the verdict's completude, criteres and
    avis_propose (`parts`), the findings and the trace."""

    parts: dict
    findings: list
    trace: list


@dataclass
class DossierResult:
    """What the dossier checks found, before the history settles it (settle changes nothing here: one result may
    serve several evaluations of the same facts under the same checks); `parts` are the verdict's completude,
    criteres and avis_propose."""

    parts: dict = field(default_factory=dict)
    findings: list = field(default_factory=list)
    trace: list = field(default_factory=list)
    missing: list = field(default_factory=list)
    completeness: Completeness | None = None  # the policy's completude block
    # the completeness findings, worded only if raised (under instruction): (finding, rule, its message)
    completeness_findings: list[tuple[FindingRef, str, Callable[[], str]]] = field(default_factory=list)

    def settle(self, events: Iterable[Any], as_of: date) -> tuple[SettledDossier, tuple[str, dict, str] | None]:
        """Settles completeness on the dossier's history: the outcome, and (type, attributes, source) of the event
        to assert, or None.

        events: objects with .type and .date (the dossier's history, as known on as_of)."""
        if self.completeness is None:
            return SettledDossier(self.parts, self.findings, self.trace), None
        known = [e for e in events if e.date <= as_of]
        window = self.completeness.window
        since, under_instruction = _instruction(window, known) if window else (None, True)
        parts = {**self.parts, "completude": {**self.parts["completude"], "en_instruction": under_instruction}} \
            if window else self.parts
        findings = (self.findings + [_finding(finding, rule, message()) for finding, rule, message in
                                     self.completeness_findings]) if under_instruction else self.findings
        settled = SettledDossier(parts, findings, self.trace)
        emit = self.completeness.emit
        if not under_instruction or since is None or not self.missing or not emit or not window:
            return settled, None
        attributes: dict[str, object] = {window.since: since.isoformat(), "manquants": len(self.missing)}
        for type_ in emit.dates:
            dates = [e.date for e in known if e.type == type_ and e.date >= since]
            if dates:
                attributes[type_] = max(dates).isoformat()
        return settled, (emit.event, attributes, "completude")


def _instruction(window: Window, known: list[Any]) -> tuple[date | None, bool]:
    """(date of the latest filing, whether it is under instruction)."""
    filings = [e.date for e in known if e.type == window.since]
    ends = [e.date for e in known if e.type in window.until]
    if not filings:
        return None, not ends
    since = max(filings)
    return since, not any(day >= since for day in ends)


def check_dossier(policy: Policy, facts: dict, as_of: date | None = None) -> DossierResult:
    """as_of: the evaluation date, which selects a criterion's amendment (or the latest event of the type its
    transitional clause names, up to that date)."""
    checks = policy.dossier
    result = DossierResult()
    if checks is None:
        return result
    read = Resolver()
    if checks.completeness is not None:
        _completeness(checks.completeness, facts, result, read, as_of)
    if checks.criteria:
        criteria = [_criterion((applied, label), facts, result, _instance(criterion.source or policy, facts), read)
                    for criterion in checks.criteria for applied, label in [_in_force(criterion, facts, as_of)]
                    if applied is not None]     # None: withdrawn by then
        result.parts["criteres"] = criteria
        result.parts["avis_propose"] = draft_avis(criteria)
    for control in checks.controls:
        applied, label = _control_in_force(control, facts, as_of)
        if applied is not None:     # None: withdrawn by then
            _control((applied, label), facts, result, read)
    return result


def _finding(finding: FindingRef, rule: str, message: str) -> dict:
    return {"id": finding.id, "gravite": finding.severity, "article": finding.article, "regle": rule,
            "message": message}


def _broken(conditions: tuple[Condition, ...], facts: dict, read: Resolver) -> list[Violation]:
    return [v for condition in conditions for v in violations(condition, facts, read)]


def _completeness(completeness: Completeness, facts: dict, result: DossierResult, read: Resolver,
                  as_of: date | None) -> None:
    for piece, label in (_piece_in_force(piece, facts, as_of) for piece in completeness.pieces):
        if piece.when and not holds(piece.when, facts, read):
            continue
        broken = _broken(piece.require, facts, read)
        if not broken:
            continue
        rule = f"completude.{piece.id}"
        for violation in broken:
            result.missing.append({"id": piece.id, "chemin": violation.where, "article": piece.article,
                                   "titre": piece.title, "regle": rule})
        result.trace.append({"regle": rule, "article": piece.article, "faits": [v.where for v in broken],
                             **({"version": label} if label is not None else {})})
        if piece.finding:
            result.completeness_findings.append((piece.finding, rule, _worded(piece.finding.title, piece.article)))
    result.parts["completude"] = {"complet": not result.missing, "manquants": result.missing}
    result.completeness = completeness
    if result.missing and completeness.finding:
        title, missing = completeness.finding.title, result.missing
        result.completeness_findings.append((completeness.finding, "completude", lambda: f"{title} : " + " ; ".join(
            dict.fromkeys(f"{m['titre']} ({m['article']})" for m in missing)) + "."))


def _worded(title: str, article: str) -> Callable[[], str]:
    """A missing part's finding as a person reads it: its title and article (`manquants` keeps the facts' path)."""
    return lambda: f"{title} ({article})."


def _instance(policy: Any, facts: dict) -> str:
    """The instance a policy answers for: the facts' own when it is one of them."""
    return facts["instance"] if facts.get("instance") in policy.instances else policy.instances[0]


def _selecting(facts: dict, as_of: date) -> Callable[[str | None], date]:
    """The date that selects an amendment: that of the latest event of a type up to as_of, else as_of itself."""
    listed = facts.get("evenements")
    events: list = listed if isinstance(listed, list) else []

    def selecting(kind: str | None) -> date:
        days = [date.fromisoformat(e["date"]) for e in events if kind is not None and isinstance(e, dict)
                and e.get("type") == kind and isinstance(e.get("date"), str) and e["date"] <= as_of.isoformat()]
        return max(days, default=as_of)
    return selecting


def _piece_in_force(piece: Piece, facts: dict, as_of: date | None) -> tuple[Piece, dict | None]:
    """The piece as the amendment in force makes it, and the label of the text applied (None: no amendment)."""
    if not piece.versions or as_of is None:
        return piece, None
    version = piece.version_at(_selecting(facts, as_of))
    label = amendment_label(version, piece.versions[0].since)
    if version is None:
        return piece, label
    return replace(piece, when=version.when, require=version.require, title=version.title), label


def _control_in_force(control: Control, facts: dict, as_of: date | None) -> tuple[Control | None, dict | None]:
    """The control as the amendment in force makes it (None: withdrawn by then), and the label of the text applied
    (None: no amendment)."""
    if not control.versions or as_of is None:
        return control, None
    version = control.version_at(_selecting(facts, as_of))
    label = amendment_label(version, control.versions[0].since)
    if version is None or version.withdrawn:
        return (None if version is not None else control), label
    return replace(control, when=version.when, require=version.require, message=version.message), label


def _in_force(criterion: Criterion, facts: dict, as_of: date | None) -> tuple[Criterion | None, dict | None]:
    """The criterion as the amendment in force makes it (None: withdrawn by then), and the label of the text applied
    (None: no amendment)."""
    if not criterion.versions or as_of is None:
        return criterion, None
    version = criterion.version_at(_selecting(facts, as_of))
    label = amendment_label(version, criterion.versions[0].since)
    if version is None or version.withdrawn:
        return (None if version is not None else criterion), label
    return replace(criterion, evidence=version.evidence, no_evidence=version.no_evidence,
                   requirements=version.requirements), label


def _criterion(found: tuple[Criterion, dict | None], facts: dict, result: DossierResult, source: str,
               read: Resolver) -> dict:
    criterion, label = found
    rule = f"criteres.{criterion.id}"
    paths = [path.text for path in criterion.evidence]
    out = {"id": criterion.id, "article": criterion.article, "titre": criterion.title, "source": source, "regle": rule,
           **({"version": label} if label is not None else {})}
    if criterion.evidence and all(_absent(path, facts, read) for path in criterion.evidence):
        result.trace.append({"regle": rule, "article": criterion.article, "faits": paths,
                             **({"version": label} if label is not None else {})})
        motif = criterion.no_evidence.fill({}) if criterion.no_evidence is not None else ""
        return {**out, "satisfait": None, "motifs": [motif]}
    motifs: dict[str, None] = {}
    for requirement in criterion.requirements:
        if requirement.when and not holds(requirement.when, facts, read):
            continue
        for condition in requirement.require:
            paths.append(condition.path.text)
            for violation in violations(condition, facts, read):
                motifs[fill(requirement.motif, violation)] = None
    result.trace.append({"regle": rule, "article": criterion.article, "faits": sorted(set(paths)),
                         **({"version": label} if label is not None else {})})
    return {**out, "satisfait": not motifs, "motifs": list(motifs)}


def _absent(path: Path, facts: dict, read: Resolver) -> bool:
    found = read(path, facts)
    return all(item.value is MISSING or item.value in (None, {}, []) for item in found)


def _control(found: tuple[Control, dict | None], facts: dict, result: DossierResult, read: Resolver) -> None:
    control, label = found
    if control.when and not holds(control.when, facts, read):
        return
    rule = f"controles.{control.id}"
    broken = _broken(control.require, facts, read)
    for violation in broken:
        result.findings.append(_finding(control.finding, rule, fill(control.message, violation)))
    if broken:
        result.trace.append({"regle": rule, "article": control.article, "faits": [v.where for v in broken],
                             **({"version": label} if label is not None else {})})


def draft_avis(criteria: list[dict]) -> dict:
    """Favourable when every criterion is met; else unfavourable, with the motifs of those not met or not judged."""
    failed = [c for c in criteria if c["satisfait"] is not True]
    if not failed:
        return {"sens": "favorable",
                "motifs": [f"Critère satisfait ({c['article']}) : {c['titre']}." for c in criteria]}
    return {"sens": "defavorable", "motifs": [motif for c in failed for motif in c["motifs"]]}
