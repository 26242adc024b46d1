"""What a rule does when it fires, as frozen typed objects built once at load (engine/policy/loading/rules.py).

Exactly one effect per rule (the policy's `regles` blocks, schemas/policy.schema.json):

    action:  {id, acteur, nature, echeance: {depuis, delai, sens, sans_delai, echue_si_absente,
              au_plus_tot}, accomplie_par,
              si_en_retard, tant_que_statut}
    frais:   {id, acteur, montant: {parametre, valeur_au, fois: {attribut} | {compte, si, periode}}, regroupement}
    statut:  {vers, depuis_statuts, ouvre_periode, a_compter_de}
    emettre: {evenement, a_compter_de}
    constat: {id, message}
"""
from __future__ import annotations

from dataclasses import dataclass

from .templates import Template

Scalar = str | int | float | bool | None


@dataclass(frozen=True)
class Deadline:
    """`echeance`: counted from a date of the trigger (`depuis`, its own date by default) by a duration parameter
    (`delai`; none: the day itself), forward or backward (`sens: avant`); or no deadline at all (`sans_delai`)."""

    since: str = "date"
    delay: str | None = None
    backward: bool = False
    none: bool = False
    lapses: bool = False             # `echue_si_absente`: unfulfilled at its due date it lapses (`echue`), never late
    not_before: str | None = None    # `au_plus_tot`: a date attribute of the trigger; when it carries a later one,
                                     # that date is the due date (a delay the trigger grants beyond the text's)


@dataclass(frozen=True)
class Fulfilment:
    """`accomplie_par`: the event type that fulfils the action, from a date of the trigger, equal on `meme`;
    `anticipee`: it may also come before the trigger, after the previous event of the trigger's type (equal on `meme`);
    `date`: the fulfilling event's own date attribute that counts for the deadline (e.g. when it was sent)."""

    event: str
    since: str | None = None
    same: tuple[str, ...] = ()
    ahead: bool = False
    dated_by: str | None = None      # `date`: the fulfilling event's attribute it counts at, when it carries one


@dataclass(frozen=True)
class Lateness:
    """`si_en_retard`: the finding raised when the action is late (`tardive`) or missing (`absente`)."""

    finding: str
    cases: tuple[str, ...]


@dataclass(frozen=True)
class ActionEffect:
    id: str
    actor: str
    nature: str
    deadline: Deadline
    fulfilment: Fulfilment | None = None
    late: Lateness | None = None
    # `tant_que_statut`: opens only on a day the status is among these; lapses (`echue`) if the status leaves them
    # before it is fulfilled and before its due date
    while_status: tuple[str, ...] = ()


@dataclass(frozen=True)
class Period:
    """`fois.periode`: an item counts when its own dates (these fields, each optional, inclusive) hold the day."""

    since: str | None = None
    until: str | None = None


@dataclass(frozen=True)
class Count:
    """`fois`: an attribute of the event, or the items of a facts list that meet `si` (and `periode`); `libelle`
    (`un`, `plusieurs`) names the items counted for a person, `reperes` (field -> its title) what identifies one
    (the first field an item has)."""

    attribute: str | None = None
    items: str | None = None
    conditions: tuple[tuple[str, Scalar], ...] = ()
    period: Period | None = None
    label: tuple[str, str] | None = None
    marks: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Amount:
    parameter: str
    per_event: bool = False          # `valeur_au: evenement` (else the group's due date)
    times: Count | None = None


@dataclass(frozen=True)
class FeeEffect:
    id: str
    actor: str
    amount: Amount
    quarterly: bool = False          # `regroupement: trimestre`


@dataclass(frozen=True)
class EffectiveDate:
    """`a_compter_de`: a date of the trigger (a path alone, or `chemin`), shifted by a duration parameter
    (`delai`) if given, and never before another date of the trigger (`au_plus_tot`, e.g. its own `date`)."""

    path: str
    delay: str | None = None
    not_before: str | None = None


@dataclass(frozen=True)
class StatusEffect:
    to: str
    from_statuses: tuple[str, ...] | None = None
    opens_period: bool = False
    starts: EffectiveDate | None = None


@dataclass(frozen=True)
class EmitEffect:
    event: str
    starts: EffectiveDate | None = None


@dataclass(frozen=True)
class FindingEffect:
    id: str
    message: Template | None = None


Effect = ActionEffect | FeeEffect | StatusEffect | EmitEffect | FindingEffect
