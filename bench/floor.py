"""The floor: the typical dossier's due dates and fees computed the plain way, by a small hand-written function.

It is what the engine would cost if the regulation were written in Python by hand for this one policy: no YAML,
no rule engine, no validation, no trace, no explanation. `bench.floor_ratio` times it interleaved with `evaluate`
in one process, so the ratio stays readable on a loaded machine; `tests/test_bench_floor.py` checks that it
computes the same due dates and amounts as the engine for generated typical dossiers.

What it covers (Certif'Pro's policy, policies/certifpro/): the instruction fee of each application and the
certificate fees grouped by quarter (annex 3, amounts by date of the fee), and the due dates of the actions that
follow one event after a delay in working days whatever the status: the avis and the decision after an Instance
meeting, the convocation before an audition, the decision after an audit meeting (III.3, III.4, V.1). The working days per territory are a table made
once (as a hand-written program would hold its holiday table), from the policy's own calendars.
"""
from __future__ import annotations

from bisect import bisect_left, bisect_right
from calendar import monthrange
from datetime import date
from decimal import Decimal

from engine.policy import Policy

# (day the amount takes effect, amount) in date order: annex 3 as the policy states it (parametres.yaml)
INSTRUCTION_FEE = ((date(2019, 7, 1), Decimal("0.00")), (date(2020, 2, 25), Decimal("300.00")))
CERTIFICATE_FEE = ((date(2019, 7, 1), Decimal("0.00")), (date(2020, 2, 25), Decimal("10.00")))

# event -> (action, working days, backward?, whose calendar: "instance" metropolitan, "organisme" its territory)
MEETING = {"instruction": (("emettre_avis", 5, True, "instance"), ("notifier_decision", 20, False, "instance")),
           "recours": (("notifier_decision", 20, False, "instance"),),
           "audit": (("notifier_decision_audit", 15, False, "instance"),)}
# (the observations after an audit and the justification after a formal notice open only while the organisation is
# habilitated, `tant_que_statut`: that needs the status over time, which the floor does not compute)
AFTER = {"audition": (("envoyer_convocation_audition", 8, True, "instance"),)}
# (action, the event its delay runs from): the engine's actions the floor computes (`depuis.evenement`)
COVERED_ACTIONS = frozenset({(action, "reunion_instance") for rules in MEETING.values() for action, *_ in rules}
                            | {(action, kind) for kind, rules in AFTER.items() for action, *_ in rules})
COVERED_FEES = frozenset({"frais_instruction", "redevance_certificats"})


def working_days(policy: Policy) -> dict[str, list[int]]:
    """territory -> its working days as sorted ordinals (made once, outside what is timed)."""
    territories = policy.calendar_model.territories
    return {name: policy.calendar(name)._ordinals for name in territories}


def _amount(table: tuple[tuple[date, Decimal], ...], day: date) -> Decimal:
    found = table[0][1]
    for start, value in table:
        if start <= day:
            found = value
    return found


def _quarter_end(day: date) -> date:
    month = (day.month - 1) // 3 * 3 + 3
    return date(day.year, month, monthrange(day.year, month)[1])


def floor(facts: dict, as_of: date, days: dict[str, list[int]]) -> tuple[list[tuple[str, date]],
                                                                            list[tuple[str, date, Decimal]]]:
    """(due dates: (action, day) in event order; fees: (fee, due day, amount HT))."""
    instance = days["metropole"]
    own = days.get(facts["organisme"].get("territoire") or "metropole", instance)
    deadlines: list[tuple[str, date]] = []
    fees: list[tuple[str, date, Decimal]] = []
    quarters: dict[date, Decimal] = {}
    for event in facts["evenements"]:
        day = date.fromisoformat(event["date"])
        if day > as_of:
            continue
        kind = event["type"]
        if kind == "demande_deposee":
            amount = _amount(INSTRUCTION_FEE, day)
            if amount:
                fees.append(("frais_instruction", day, amount))
        elif kind == "certificats_delivres":
            end = _quarter_end(day)
            quarters[end] = quarters.get(end, Decimal(0)) + event["nombre"] * _amount(CERTIFICATE_FEE, day)
        rules = MEETING.get(event.get("objet", "instruction"), ()) if kind == "reunion_instance" else AFTER.get(kind, ())
        for action, count, backward, actor in rules:
            ordinals = instance if actor == "instance" else own
            ordinal = day.toordinal()
            position = bisect_left(ordinals, ordinal) - count if backward else bisect_right(ordinals, ordinal) + count - 1
            deadlines.append((action, date.fromordinal(ordinals[position])))
    fees += [("redevance_certificats", end, amount) for end, amount in sorted(quarters.items()) if amount]
    return deadlines, fees
