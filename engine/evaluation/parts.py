"""The verdict and the parts that the rules produce, as immutable typed objects: an action, a fee, a finding, a change
of status, the conformity. engine/evaluation/serial.py turns them into the contract's JSON
(schemas/verdict.schema.json). The dossier checks' parts (completude, criteres, avis_propose, their findings) come
as the JSON they already are (engine/evaluation/dossier.py).

The parts an evaluation makes by the dozen (actions, fees, findings, changes of status, what a fee counted) are
NamedTuples: as immutable and as typed as a frozen dataclass, and made 3 to 5 times faster (a frozen dataclass sets
each field through object.__setattr__); nothing reads them as tuples."""
from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

from .events import Event


class ActionPart(NamedTuple):
    id: str
    actor: str
    nature: str
    due: str | None                  # ISO date; None: the text sets no deadline
    state: str                       # a_faire, accomplie, en_retard, echue
    article: str
    rule: str
    since_event: str                 # the event that started it: its type and date
    since_date: str
    done_on: str | None = None       # the date of the event that fulfilled it
    in_time: bool | None = None      # fulfilled on or before its due date (when it has one)
    explanation: dict | None = None


class Charge(NamedTuple):
    """What one event charged: the facts' paths counted (an attribute of the event, or the items that meet `si`)."""

    event: Event
    counted: tuple[str, ...]


class FeePart(NamedTuple):
    id: str
    actor: str
    amount_field: str                # the currency's own name for the amount (`champ_montant`)
    amount: str
    currency: str
    due: str
    quantity: int
    unit_amount: str | None          # one price for every unit charged; None when prices differ
    article: str
    rule: str
    explanation: dict | None = None


class FindingPart(NamedTuple):
    id: str
    severity: str
    article: str
    rule: str
    message: str
    explanation: dict | None = None
    order: str | None = None       # what the verdict orders it by after its id (None: its message); not serialised


class StatusChange(NamedTuple):
    date: str
    status: str
    rule: str | None                 # None: the period ran out
    article: str | None
    explanation: dict | None = None


@dataclass(frozen=True)
class Conformity:
    conforming: bool
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class Verdict:
    as_of: str
    policy: dict                     # id, version, revision
    instance: str
    status: str
    identity: dict | None            # what names the dossier (`identite`), when the facts give any
    period: tuple[str, dict | None] | None    # the period block under the policy's name for it, when it has one
    dossier: dict                    # completude, criteres, avis_propose (when the policy declares them)
    history: tuple[StatusChange, ...]
    actions: tuple[ActionPart, ...]
    fees: tuple[FeePart, ...]
    findings: tuple[dict, ...]       # every finding as JSON (the rules' and the dossier checks'), in order
    conformity: Conformity
    trace: tuple[dict, ...]
