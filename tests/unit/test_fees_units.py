"""Fees (engine/evaluation/fees.py) on a tiny policy built in memory: due on or before the evaluation date, grouped
by due date (the event's, or its quarter's end), priced at the value in force on the due date or on the event's
date, counted by an attribute or by items whose inclusive dates hold the event's date.

Conventions pinned (README, "Parameters in time" and "Annual fees"): a fee is listed when due on or before the
evaluation date; a fee of 0.00, or dated before a parameter's first value, is not listed; a site counts when its
`depuis`/`jusqu_au` (inclusive, each optional) hold the anniversary."""
from __future__ import annotations

import pytest

from engine.evaluation.fees import fees_out
from engine.policy.model.effects import Amount, Count, FeeEffect, Period

from .tiny import d, event, parameter, policy, rule

PRICE = parameter("prix", "eur", ("2025-01-01", "100.00"), ("2026-03-01", "120.00"), ("2027-01-01", "0.00"))


def charge(fee: FeeEffect, *events):
    tiny = policy(PRICE)
    r = rule("r_frais", "x", fee)
    return tiny, [(r, fee, e) for e in events]


def plain(times: Count | None = None, **kw) -> FeeEffect:
    return FeeEffect("frais_x", "organisme", Amount("prix", times=times, **kw))


@pytest.mark.parametrize("as_of, listed", [
    ("2026-04-10", True),    # due on the evaluation date itself: listed
    ("2026-04-09", False),   # the day before its due date: not yet
    ("2026-04-11", True),
])
def test_due_on_the_evaluation_date(as_of, listed):
    tiny, charged = charge(plain(), event("e0", "x", "2026-04-10"))
    out = fees_out(tiny, {}, d(as_of), charged)
    assert [(f.id, f.due, f.amount, f.quantity, f.unit_amount) for f in out] == (
        [("frais_x", "2026-04-10", "120.00", 1, "120.00")] if listed else [])


@pytest.mark.parametrize("as_of, listed", [
    ("2026-03-31", True),    # quarterly: due on the quarter's last day, listed that day
    ("2026-03-30", False),   # the day before
])
def test_quarterly_due_on_the_quarter_end(as_of, listed):
    fee = FeeEffect("frais_q", "organisme", Amount("prix"), quarterly=True)
    tiny, charged = charge(fee, event("e0", "x", "2026-01-01"), event("e1", "x", "2026-02-10"))
    out = fees_out(tiny, {}, d(as_of), charged)
    # both priced at the value in force on the due date 31 Mar 2026 (120.00, since 1 Mar)
    assert [(f.due, f.amount, f.quantity, f.unit_amount) for f in out] == (
        [("2026-03-31", "240.00", 2, "120.00")] if listed else [])


def test_quarters_grouped_apart_and_in_date_order():
    fee = FeeEffect("frais_q", "organisme", Amount("prix"), quarterly=True)
    tiny, charged = charge(fee, event("e0", "x", "2026-04-01"), event("e1", "x", "2026-03-31"))
    out = fees_out(tiny, {}, d("2026-12-31"), charged)
    assert [(f.due, f.quantity) for f in out] == [("2026-03-31", 1), ("2026-06-30", 1)]


def test_priced_on_the_event_date():
    # `valeur_au: evenement`: 10 Feb at 100.00 (before 1 Mar), 1 Mar at 120.00 (the day the new value starts)
    fee = FeeEffect("frais_q", "organisme", Amount("prix", per_event=True), quarterly=True)
    tiny, charged = charge(fee, event("e0", "x", "2026-02-10"), event("e1", "x", "2026-03-01"))
    [out] = fees_out(tiny, {}, d("2026-03-31"), charged)
    assert (out.amount, out.quantity, out.unit_amount) == ("220.00", 2, None)   # two prices: no unit amount


def test_priced_on_the_event_date_the_day_before_a_change():
    fee = FeeEffect("frais_q", "organisme", Amount("prix", per_event=True), quarterly=True)
    tiny, charged = charge(fee, event("e0", "x", "2026-02-28"))
    [out] = fees_out(tiny, {}, d("2026-03-31"), charged)
    assert (out.amount, out.unit_amount) == ("100.00", "100.00")


@pytest.mark.parametrize("day", ["2024-12-31",    # the day before the parameter's first value: costs nothing
                                 "2027-01-01"])   # a value of 0.00: not listed
def test_nothing_owed_is_not_listed(day):
    tiny, charged = charge(plain(), event("e0", "x", day))
    assert fees_out(tiny, {}, d("2027-12-31"), charged) == []


def test_first_day_of_the_first_value_is_owed():
    tiny, charged = charge(plain(), event("e0", "x", "2025-01-01"))
    assert [f.amount for f in fees_out(tiny, {}, d("2025-01-01"), charged)] == ["100.00"]


@pytest.mark.parametrize("attributes, quantity", [({"nombre": 3}, 3), ({"nombre": 0}, None), ({}, None)])
def test_times_an_attribute(attributes, quantity):
    tiny, charged = charge(plain(Count(attribute="nombre")), event("e0", "x", "2026-04-10", **attributes))
    out = fees_out(tiny, {}, d("2026-04-10"), charged)
    assert [(f.quantity, f.amount) for f in out] == ([(quantity, f"{120 * quantity}.00")] if quantity else [])


SITES = "organisme.etablissements"
ACTIVE = (("activite_clea", True),)


def sites(*items: dict) -> dict:
    return {"organisme": {"etablissements": [{"activite_clea": True, **item} for item in items]}}


@pytest.mark.parametrize("item, counted", [
    ({}, True),                                   # no dates: always counted
    ({"depuis": "2026-04-10"}, True),             # opened on the event's date: inclusive
    ({"depuis": "2026-04-11"}, False),            # opened the day after
    ({"jusqu_au": "2026-04-10"}, True),           # closed on the event's date: inclusive
    ({"jusqu_au": "2026-04-09"}, False),          # closed the day before
    ({"depuis": "2026-04-10", "jusqu_au": "2026-04-10"}, True),
    ({"depuis": "2026-04-11", "jusqu_au": "2026-04-09"}, False),   # jusqu_au before depuis: never counted
    ({"depuis": "pas une date"}, True),           # not a date: bounds nothing
    ({"jusqu_au": 20260409}, True),
    ({"activite_clea": False}, False),            # fails `si`
])
def test_count_with_a_window(item, counted):
    count = Count(items=SITES, conditions=ACTIVE, period=Period("depuis", "jusqu_au"))
    tiny, charged = charge(plain(count), event("e0", "x", "2026-04-10"))
    out = fees_out(tiny, sites(item, {"jusqu_au": "2026-04-09"}), d("2026-04-10"), charged)
    assert [f.quantity for f in out] == ([1] if counted else [])


def test_count_with_a_window_on_one_side():
    count = Count(items=SITES, conditions=ACTIVE, period=Period(until="jusqu_au"))
    tiny, charged = charge(plain(count), event("e0", "x", "2026-04-10"))
    facts = sites({"depuis": "2026-05-01", "jusqu_au": "2026-04-10"}, {"jusqu_au": "2026-04-09"})
    assert [f.quantity for f in fees_out(tiny, facts, d("2026-04-10"), charged)] == [1]


def test_count_without_a_window_counts_every_item_meeting_si():
    count = Count(items=SITES, conditions=ACTIVE)
    tiny, charged = charge(plain(count), event("e0", "x", "2026-04-10"))
    facts = sites({"depuis": "2030-01-01"}, {"jusqu_au": "2020-01-01"}, {"activite_clea": False})
    [out] = fees_out(tiny, facts, d("2026-04-10"), charged)
    assert (out.quantity, out.amount, out.unit_amount) == (2, "240.00", "120.00")


def test_count_of_a_missing_list_is_nothing():
    tiny, charged = charge(plain(Count(items=SITES)), event("e0", "x", "2026-04-10"))
    assert fees_out(tiny, {}, d("2026-04-10"), charged) == []


def test_explained_count_names_the_items():
    count = Count(items=SITES, conditions=ACTIVE)
    tiny, charged = charge(plain(count), event("e0", "x", "2026-04-10"))
    [out] = fees_out(tiny, sites({}, {"activite_clea": False}, {}), d("2026-04-10"), charged, explain=True)
    assert out.quantity == 2 and out.explanation is not None
    assert "organisme.etablissements[0]" in str(out.explanation) and "organisme.etablissements[2]" in str(out.explanation)
    assert "organisme.etablissements[1]" not in str(out.explanation)


def test_the_fee_part_fields():
    tiny, charged = charge(plain(), event("e0", "x", "2026-04-10"))
    [out] = fees_out(tiny, {}, d("2026-04-10"), charged)
    assert (out.actor, out.amount_field, out.currency, out.article, out.rule) == (
        "organisme", "montant_ht", "EUR", "art. 5", "r_frais")
    assert out.explanation is None          # explained only when asked (--explain)


def test_fees_due_the_same_day_in_the_order_of_their_ids():
    tiny = policy(PRICE)
    second, first = (FeeEffect(name, "organisme", Amount("prix")) for name in ("frais_b", "frais_a"))
    charged = [(rule("r_b", "x", second), second, event("e0", "x", "2026-04-10")),
               (rule("r_a", "x", first), first, event("e1", "x", "2026-04-10")),
               (rule("r_a", "x", first), first, event("e2", "x", "2026-04-09"))]
    assert [(f.due, f.id) for f in fees_out(tiny, {}, d("2026-04-10"), charged)] == [
        ("2026-04-09", "frais_a"), ("2026-04-10", "frais_a"), ("2026-04-10", "frais_b")]
