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
The conditions themselves are interpreted by dossier_checks; this module only knows the shape of the file.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from ..policy.conditions.language import MISSING, Condition, holds, parse_condition, parse_path, render, resolve, violations

SECTION = "dossier"


def _conditions(raw) -> tuple[Condition, ...]:
    if raw is None:
        return ()
    return tuple(parse_condition(item) for item in (raw if isinstance(raw, list) else [raw]))


@dataclass(frozen=True)
class Piece:
    id: str
    article: str
    title: str
    when: tuple
    require: tuple
    finding: str | None


@dataclass(frozen=True)
class Requirement:
    when: tuple
    require: tuple
    motif: str


@dataclass(frozen=True)
class Criterion:
    id: str
    article: str
    title: str
    evidence: tuple           # Paths; all absent -> cannot judge
    no_evidence: str
    requirements: tuple
    source: object = None     # the Policy that wrote it


@dataclass(frozen=True)
class Control:
    id: str
    article: str
    finding: str
    when: tuple
    require: tuple
    message: str


@dataclass(frozen=True)
class DossierSpec:
    completeness: dict | None
    pieces: tuple
    criteria: tuple
    controls: tuple

    @classmethod
    def parse(cls, raw: dict, policy=None) -> "DossierSpec":
        """From the schema-valid `dossier` section; ValueError on a bad path or condition."""
        completeness = raw.get("completude")
        pieces = tuple(Piece(p["id"], p["article"], p["titre"], _conditions(p.get("si")), _conditions(p["exige"]),
                             p.get("constat")) for p in (completeness or {}).get("pieces", []))
        criteria = tuple(
            Criterion(c["id"], c["article"], c["titre"], tuple(parse_path(p) for p in c.get("preuves", [])),
                      c.get("motif_sans_preuve", ""),
                      tuple(Requirement(_conditions(r.get("si")), _conditions(r["exige"]), r["motif"])
                            for r in c["exigences"]),
                      policy.source_of(f"{SECTION}.criteres", c["id"]) if policy is not None else None)
            for c in raw.get("criteres", []))
        controls = tuple(Control(c["id"], c["article"], c["constat"], _conditions(c.get("si")),
                                 _conditions(c["exige"]), c["message"]) for c in raw.get("controles", []))
        return cls(completeness, pieces, criteria, controls)


_SPECS: dict[str, DossierSpec | None] = {}


def spec_of(policy) -> DossierSpec | None:
    """The policy's dossier checks, parsed once per revision (None: the policy declares none)."""
    key = f"{policy.id}@{policy.revision}"
    if key not in _SPECS:
        raw = policy.data.get(SECTION)
        _SPECS[key] = DossierSpec.parse(raw, policy) if raw else None
    return _SPECS[key]


@dataclass
class DossierResult:
    """What the dossier checks found; `parts` are the verdict's completude, criteres and avis_propose."""

    parts: dict = field(default_factory=dict)
    findings: list = field(default_factory=list)
    trace: list = field(default_factory=list)
    missing: list = field(default_factory=list)
    completeness: dict | None = None          # the policy's completude block
    completeness_findings: list = field(default_factory=list)

    def settle(self, events, as_of: date) -> tuple[str, dict, str] | None:
        """Settles completeness on the dossier's history; (type, attributes, source) of the event to assert, or None.

        events: objects with .type and .date (the dossier's history, as known on as_of)."""
        if self.completeness is None:
            return None
        known = [e for e in events if e.date <= as_of]
        window = self.completeness.get("en_instruction")
        since, under_instruction = _instruction(window, known) if window else (None, True)
        if window:
            self.parts["completude"]["en_instruction"] = under_instruction
        if under_instruction:
            self.findings += self.completeness_findings
        emit = self.completeness.get("emettre")
        if not under_instruction or since is None or not self.missing or not emit:
            return None
        attributes = {window["depuis"]: since.isoformat(), "manquants": len(self.missing)}
        for type_ in emit.get("dates", ()):
            dates = [e.date for e in known if e.type == type_ and e.date >= since]
            if dates:
                attributes[type_] = max(dates).isoformat()
        return emit["evenement"], attributes, "completude"


def _instruction(window: dict, known) -> tuple[date | None, bool]:
    """(date of the latest filing, whether it is under instruction)."""
    filings = [e.date for e in known if e.type == window["depuis"]]
    ends = [e.date for e in known if e.type in window.get("jusqu_a", ())]
    if not filings:
        return None, not ends
    since = max(filings)
    return since, not any(day >= since for day in ends)


def check_dossier(policy, facts: dict) -> DossierResult:
    spec = spec_of(policy)
    if spec is None:
        return DossierResult()
    result = DossierResult()
    if spec.completeness is not None:
        _completeness(policy, spec, facts, result)
    if spec.criteria:
        criteria = [_criterion(criterion, facts, result, _instance(criterion.source or policy, facts))
                    for criterion in spec.criteria]
        result.parts["criteres"] = criteria
        result.parts["avis_propose"] = draft_avis(criteria)
    for control in spec.controls:
        _control(policy, control, facts, result)
    return result


def _finding(policy, finding_id: str, rule: str, message: str) -> dict:
    finding = policy.findings[finding_id]
    return {"id": finding_id, "gravite": finding["gravite"], "article": finding["article"], "regle": rule,
            "message": message}


def _completeness(policy, spec: DossierSpec, facts: dict, result: DossierResult) -> None:
    for piece in spec.pieces:
        if piece.when and not holds(list(piece.when), facts):
            continue
        broken = [v for condition in piece.require for v in violations(condition, facts)]
        if not broken:
            continue
        rule = f"completude.{piece.id}"
        for violation in broken:
            result.missing.append({"id": piece.id, "chemin": violation.where, "article": piece.article,
                                   "titre": piece.title, "regle": rule})
        result.trace.append({"regle": rule, "article": piece.article, "faits": [v.where for v in broken]})
        if piece.finding:
            result.completeness_findings.append(_finding(
                policy, piece.finding, rule, f"{policy.findings[piece.finding]['titre']} ({broken[0].where})."))
    completeness = spec.completeness
    result.parts["completude"] = {"complet": not result.missing, "manquants": result.missing}
    result.completeness = completeness
    if result.missing and completeness.get("constat"):
        listed = "; ".join(f"{m['titre']} ({m['chemin']}, {m['article']})" for m in result.missing)
        result.completeness_findings.append(_finding(
            policy, completeness["constat"], "completude",
            f"{policy.findings[completeness['constat']]['titre']} : {listed}."))


def _instance(policy, facts: dict) -> str:
    """The instance a policy answers for: the facts' own when it is one of them."""
    return facts.get("instance") if facts.get("instance") in policy.instances else policy.instances[0]


def _criterion(criterion: Criterion, facts: dict, result: DossierResult, source: str) -> dict:
    rule = f"criteres.{criterion.id}"
    read = [path.text for path in criterion.evidence]
    out = {"id": criterion.id, "article": criterion.article, "titre": criterion.title, "source": source, "regle": rule}
    if criterion.evidence and all(_absent(path, facts) for path in criterion.evidence):
        result.trace.append({"regle": rule, "article": criterion.article, "faits": read})
        return {**out, "satisfait": None, "motifs": [criterion.no_evidence]}
    motifs = []
    for requirement in criterion.requirements:
        if requirement.when and not holds(list(requirement.when), facts):
            continue
        for condition in requirement.require:
            read.append(condition.path.text)
            motifs += [render(requirement.motif, v) for v in violations(condition, facts)]
    result.trace.append({"regle": rule, "article": criterion.article, "faits": sorted(set(read))})
    return {**out, "satisfait": not motifs, "motifs": list(dict.fromkeys(motifs))}


def _absent(path, facts) -> bool:
    found = resolve(path, facts)
    return all(item.value is MISSING or item.value in (None, {}, []) for item in found)


def _control(policy, control: Control, facts: dict, result: DossierResult) -> None:
    if control.when and not holds(list(control.when), facts):
        return
    rule = f"controles.{control.id}"
    broken = [v for condition in control.require for v in violations(condition, facts)]
    for violation in broken:
        result.findings.append(_finding(policy, control.finding, rule, render(control.message, violation)))
    if broken:
        result.trace.append({"regle": rule, "article": control.article, "faits": [v.where for v in broken]})


def draft_avis(criteria: list[dict]) -> dict:
    """Favourable when every criterion is met; else unfavourable, with the motifs of those not met or not judged."""
    failed = [c for c in criteria if c["satisfait"] is not True]
    if not failed:
        return {"sens": "favorable",
                "motifs": [f"Critère satisfait ({c['article']}) : {c['titre']}." for c in criteria]}
    return {"sens": "defavorable", "motifs": [motif for c in failed for motif in c["motifs"]]}
