"""A policy's dossier checks (its optional `dossier` file), built once at load (engine/policy/loading/dossier.py)
into frozen objects with their conditions compiled and their messages parsed into Templates:

- completude: the required pieces, the window in which an application is under instruction (en_instruction), the
  event emitted while pieces are missing (emettre);
- criteres: each with its evidence (preuves) and requirements (exigences) and their motifs;
- controles: conditions whose every violation is a finding;
- avis: the wording of the drafted avis (libelles) and the paragraph an unfavourable avis quotes (si_defavorable).

The evaluation (engine/evaluation/dossier.py) and the avis (engine/reports/avis.py) read these, never the YAML.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from ..conditions.language import Condition, Path
from .elements import Decision
from .templates import Template


@dataclass(frozen=True)
class FindingRef:
    """A finding of the catalogue (constats) as a dossier check raises it."""

    id: str
    severity: str
    article: str
    title: str


@dataclass(frozen=True)
class Piece:
    id: str
    article: str
    title: str
    when: tuple[Condition, ...]
    require: tuple[Condition, ...]
    finding: FindingRef | None


@dataclass(frozen=True)
class Window:
    """en_instruction: the filing type an instruction opens with, the decision types that close it."""

    since: str
    until: tuple[str, ...]


@dataclass(frozen=True)
class Emit:
    """emettre: the event asserted while pieces are missing, and the event types whose latest dates it carries."""

    event: str
    dates: tuple[str, ...]


@dataclass(frozen=True)
class Completeness:
    article: str
    finding: FindingRef | None
    pieces: tuple[Piece, ...]
    window: Window | None
    emit: Emit | None


@dataclass(frozen=True)
class Requirement:
    when: tuple[Condition, ...]
    require: tuple[Condition, ...]
    motif: Template


@dataclass(frozen=True)
class CriterionVersion:
    """An amendment of a criterion (`versions`), in force for the dossiers whose selecting date is on or after
    `since`: the evaluation date, or that of the latest event of type `latest_event` up to it (a transitional
    clause: "applies to the applications filed from D"). It states its requirements in full; its evidence and the
    motif without evidence are the text's before it unless it states them."""
    since: date
    decision: Decision | None
    latest_event: str | None
    evidence: tuple[Path, ...]
    no_evidence: Template | None
    requirements: tuple[Requirement, ...]
    number: int


@dataclass(frozen=True)
class Criterion:
    id: str
    article: str
    title: str
    evidence: tuple[Path, ...]         # all absent -> cannot judge
    no_evidence: Template | None
    requirements: tuple[Requirement, ...]
    source: object = field(default=None, compare=False)   # the Policy it is inherited from (None: its own)
    versions: tuple[CriterionVersion, ...] = ()            # its amendments, oldest first (above: the first text)

    def version_at(self, selecting: Callable[[str | None], date]) -> CriterionVersion | None:
        """The amendment in force (None: the first text): the newest whose selecting date is on or after its start."""
        for version in reversed(self.versions):
            if selecting(version.latest_event) >= version.since:
                return version
        return None


@dataclass(frozen=True)
class ControlVersion:
    """An amendment of a dossier control (`versions`), selected as a criterion's is; it states its conditions (`si`,
    `exige`) in full, its message if it changes."""
    since: date
    decision: Decision | None
    latest_event: str | None
    when: tuple[Condition, ...]
    require: tuple[Condition, ...]
    message: Template
    number: int


@dataclass(frozen=True)
class Control:
    id: str
    article: str
    finding: FindingRef
    when: tuple[Condition, ...]
    require: tuple[Condition, ...]
    message: Template
    versions: tuple[ControlVersion, ...] = ()      # its amendments, oldest first (above: the first text)

    def version_at(self, selecting: Callable[[str | None], date]) -> ControlVersion | None:
        for version in reversed(self.versions):
            if selecting(version.latest_event) >= version.since:
                return version
        return None


@dataclass(frozen=True)
class AvisWords:
    """dossier.avis.libelles: headings and lines of the drafted avis; the Templates quote values."""

    title: Template                    # {politique}
    candidate: Template                # {denomination} {siren}
    no_name: str
    instance: Template                 # {instance} {date}
    policy: Template                   # {politique} {version}
    no_criteria: str
    direction: Template                # {sens}
    motivated: Template                # {article}
    favourable: str
    unfavourable: str
    not_met: str
    not_judged: str
    met: str
    complete: str
    incomplete: Template               # {nombre}
    other_findings: str

    def sense(self, sens: str) -> str:
        """The word for a direction (favorable / defavorable)."""
        return {"favorable": self.favourable, "defavorable": self.unfavourable}.get(sens, sens)


@dataclass(frozen=True)
class StatedDelay:
    """dossier.avis.si_defavorable: the deadline an unfavourable decision states, counted as its rule counts it."""

    key: str
    title: str
    article: str
    rule: str
    parameter: str                     # the rule's delay (action.echeance.delai)
    actor: str | None                  # the rule's actor, whose calendar counts the delay
    text: Template                     # {delai} {notification} {echeance}
    deadline_line: Template


@dataclass(frozen=True)
class Avis:
    article: str
    words: AvisWords
    if_unfavourable: StatedDelay | None


@dataclass(frozen=True)
class DossierChecks:
    completeness: Completeness | None
    criteria: tuple[Criterion, ...]
    controls: tuple[Control, ...]
    avis: Avis | None
