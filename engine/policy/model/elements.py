"""The parts of a policy besides its rules and its dossier, as frozen typed objects built once at load
(engine/policy/loading/elements.py): the header of politique.yaml, the statuses and their period, the calendar,
the event catalogue and the findings catalogue. The evaluation, the reports, the batch and the service read these,
never the YAML they were built from.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date

from ...calendar import Conventions, Territory
from .dated import in_force
from .templates import Template


# --- politique.yaml ---------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Currency:
    """An amount unit (`unites_monetaires.<unité>`): its currency code, the fee field of its amount, its symbol."""
    unit: str
    code: str                 # devise
    amount_field: str         # champ_montant
    symbol: str | None        # symbole

    @property
    def shown(self) -> str:
        """How amounts are written after the number: the symbol, else the currency code."""
        return self.symbol or self.code


@dataclass(frozen=True)
class IdentityField:
    """What names a dossier (`identite`): the verdict's key, the facts path it is read from, its title."""
    key: str                  # cle
    path: str                 # chemin
    title: str                # titre


@dataclass(frozen=True)
class Conformity:
    """What makes a verdict non conforming (`conformite`)."""
    severities: tuple[str, ...] = ()     # gravites
    actors: tuple[str, ...] = ()         # acteurs
    statuses: tuple[str, ...] = ()       # statuts


@dataclass(frozen=True)
class Scope:
    """An extension's scope (`portee`): what it grants is limited to it (engine/evaluation/scope.py)."""
    name: str                 # nom
    value: str                # valeur
    label: str                # libelle
    article: str
    facts_path: str           # chemin_des_faits
    message: Template
    message_base: Template


SCOPE_NAMES = ("libelle", "instance", "valeur")     # what a scope's messages may quote


def scope_values(scope: Scope, instance: str) -> dict[str, str]:
    """What a scope's messages are filled with: its label, the instance that grants in it, its value."""
    return {"libelle": scope.label, "instance": instance, "valeur": scope.value}


@dataclass(frozen=True)
class Head:
    """politique.yaml: who the policy is and what it answers for."""
    id: str
    version: str
    title: str
    text: str | None                                 # texte: the regulation it encodes
    instances: tuple[str, ...]
    conformity: Conformity
    currencies: Mapping[str, Currency]
    identity: tuple[IdentityField, ...] = ()
    natures: Mapping[str, str] = field(default_factory=dict)   # nature -> its title
    scope: Scope | None = None
    extends: str | None = None                       # etend


# --- statuts.yaml -----------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class StatusValue:
    id: str
    article: str
    title: str
    family: str | None = None            # famille: one of vocabulary.STATUS_FAMILIES, how the pages colour it


@dataclass(frozen=True)
class Renewal:
    article: str
    duration: str                        # duree: a parameter id
    count: str                           # nombre: a parameter id
    events: tuple[str, ...] = ()         # si_evenement: one of these events is needed in the period (none: no need)
    except_statuses: tuple[str, ...] = ()   # sauf_statuts


@dataclass(frozen=True)
class Decision:
    """The decision an amendment comes from: its reference (how the decision is named) and its date."""

    reference: str | None
    day: date | None


@dataclass(frozen=True)
class PeriodVersion:
    """An amendment of the period (`statuts.periode.versions`), in force for the periods that start on or after
    `since`; what it does not state is the text's before it."""
    since: date
    decision: Decision | None
    duration: str
    status_at_expiry: str
    renewal: Renewal | None
    number: int                          # 1 for the first amendment


@dataclass(frozen=True)
class PeriodModel:
    name: str                            # nom: the verdict field that shows the period
    article: str
    active: tuple[str, ...]              # statuts_actifs
    duration: str                        # duree: a parameter id
    status_at_expiry: str                # statut_a_echeance
    renewal: Renewal | None = None
    versions: tuple[PeriodVersion, ...] = ()    # its amendments, oldest first (the fields above: the first text)
    applied: PeriodVersion | None = None        # in the model `at` gives: the amendment it is; None: the first text

    def at(self, start: date) -> PeriodModel:
        """The period as in force for one that starts on `start`: the newest amendment dated on or before it."""
        version = in_force(self.versions, start)
        return self if version is None else replace(self, duration=version.duration, renewal=version.renewal,
                                                    status_at_expiry=version.status_at_expiry, applied=version)



@dataclass(frozen=True)
class StatusModel:
    values: Mapping[str, StatusValue]
    initial: str
    period: PeriodModel | None = None

    @property
    def period_name(self) -> str | None:
        return self.period.name if self.period is not None else None

    @property
    def active(self) -> tuple[str, ...]:
        return self.period.active if self.period is not None else ()


# --- calendrier.yaml --------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class DurationUnit:
    id: str
    counting: str                        # compte: working_days, calendar_days, months, years
    title: str | None = None


@dataclass(frozen=True)
class TerritoryModel:
    name: str
    territory: Territory                 # country, subdivision, holidays removed or added
    title: str | None = None
    versions: tuple[TerritoryVersion, ...] = ()     # amended from a date, oldest first (`territory`: the first text)


@dataclass(frozen=True)
class TerritoryVersion:
    """`calendrier.territoires.<t>.versions`: for delays started on or after `since`; unstated: the text before."""
    since: date
    decision: Decision | None
    territory: Territory
    number: int


@dataclass(frozen=True)
class ActorModel:
    id: str
    territory: str | None = None         # territoire
    facts_territory: str | None = None   # territoire_des_faits: a facts path
    title: str | None = None


@dataclass(frozen=True)
class Session:
    opens: date                          # depot_du
    closes: date                         # depot_au
    meeting: date                        # reunion
    index: int                           # its place in `liste`, for the source it gives


@dataclass(frozen=True)
class Sessions:
    article: str
    filing: str                          # depot: an event type
    meeting: str                         # reunion: a planned event type
    sessions: tuple[Session, ...]


@dataclass(frozen=True)
class ConventionsVersion:
    """An amendment of the calendar's conventions (`calendrier.conventions.versions`), in force for the delays read
    on or after `since` (the date of the event that starts them); what it does not state is the text's before it."""
    since: date
    decision: Decision | None
    conventions: Conventions
    number: int


@dataclass(frozen=True)
class CalendarModel:
    years: tuple[int, int]
    conventions: Conventions
    duration_units: Mapping[str, DurationUnit]
    default_territory: str
    territories: Mapping[str, TerritoryModel]
    actors: Mapping[str, ActorModel]
    sessions: Sessions | None = None
    convention_versions: tuple[ConventionsVersion, ...] = ()    # oldest first (`conventions`: the first text)

    def conventions_version(self, day: date) -> ConventionsVersion | None:
        """The amendment of the conventions in force for a delay read on `day` (None: the first text)."""
        return in_force(self.convention_versions, day)

    def conventions_at(self, day: date) -> Conventions:
        version = self.conventions_version(day) if self.convention_versions else None
        return version.conventions if version is not None else self.conventions


# --- evenements.yaml and constats.yaml --------------------------------------------------------------------------
@dataclass(frozen=True)
class RequiredIf:
    when: Mapping[str, object]           # si: attribute -> value
    required: tuple[str, ...]            # requis


@dataclass(frozen=True)
class EventVersion:
    """An amendment of an event type (`evenements.types.<type>.versions`), in force for the events dated on or after
    `since`; what it does not state (attributs, requis, requis_si, defauts) is the text's before it."""
    since: date
    decision: Decision | None
    attributes: Mapping[str, dict]
    required: tuple[str, ...]
    defaults: Mapping[str, object]
    number: int                          # 1 for the first amendment
    required_if: tuple[RequiredIf, ...] = ()


@dataclass(frozen=True)
class EventType:
    id: str
    article: str
    title: str
    planned: bool = False                                     # planifie
    attributes: Mapping[str, dict] = field(default_factory=dict)   # attributs: a JSON Schema each
    required: tuple[str, ...] = ()                             # requis
    required_if: tuple[RequiredIf, ...] = ()                   # requis_si
    defaults: Mapping[str, object] = field(default_factory=dict)   # defauts
    versions: tuple[EventVersion, ...] = ()     # its amendments, oldest first (the fields above: the first text)
    applied: EventVersion | None = None         # in the type `at` gives: the amendment it is; None: the first text

    def at(self, day: date) -> EventType:
        """The type as in force for an event dated `day`: the newest amendment dated on or before it."""
        version = in_force(self.versions, day)
        return self if version is None else replace(self, attributes=version.attributes, required=version.required,
                                                    required_if=version.required_if, defaults=version.defaults, applied=version)

    def texts(self) -> tuple[EventType, ...]:
        """The first text, then each amendment as a type of its own (a type without amendments: itself)."""
        return (self, *(self.at(version.since) for version in self.versions))

    @property
    def every_attribute(self) -> Mapping[str, dict]:
        """The attributes any of its texts declares (a later text's schema over an earlier one's)."""
        if not self.versions:
            return self.attributes
        return {name: schema for text in self.texts() for name, schema in text.attributes.items()}


@dataclass(frozen=True)
class SeverityVersion:
    """`constats.<id>.versions`: the finding's severity from a date, with the decision it comes from."""
    since: date
    severity: str
    decision: str


@dataclass(frozen=True)
class FindingType:
    id: str
    article: str
    severity: str                        # gravite (its first one, when amended)
    title: str
    articles: tuple[str, ...] = ()       # every section a rule may raise it under (default: its article)
    versions: tuple[SeverityVersion, ...] = ()     # its severity amended from a date, oldest first

    def severity_on(self, day: date) -> str:
        """The severity in force on the day the finding is dated (the trigger's, or the deadline's)."""
        found = self.severity
        for version in self.versions:
            if day >= version.since:
                found = version.severity
        return found


@dataclass(frozen=True)
class Elements:
    """Everything of this module a policy is built with."""
    head: Head
    statuses: StatusModel
    calendar: CalendarModel
    event_types: Mapping[str, EventType]
    derived_events: Mapping[str, EventType]
    findings: Mapping[str, FindingType]
