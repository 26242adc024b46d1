"""A policy's rules are built once at load into typed objects (engine/policy/model/rules.py, effects.py): a shape the
building step does not expect is a French file:line issue, never a Python exception (a title or a finding message
that is not a template: tests/test_policy_validation.py); each rule's trigger compiles to the durable_rules pattern the raw
`quand` compiled to before the rules were typed."""
from __future__ import annotations

import copy as copying
from datetime import date
from pathlib import Path

import pytest

from engine import load_policy
from engine.evaluation.session import compile_pattern
from engine.policy.files.folder import read_policy_folder
from engine.policy.loading.rules import build_rules
from engine.policy.model.effects import (
    ActionEffect,
    EffectiveDate,
    FeeEffect,
    FindingEffect,
    StatusEffect,
)
from engine.policy.model.rules import Condition, Trigger

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "policies"
POLICY = FIXTURES / "certifpro"
POLICIES = [path for path in sorted((Path(__file__).resolve().parents[1] / "policies").iterdir()) if path.is_dir()]


def _index(assembled: dict, rule_id: str) -> int:
    return next(i for i, rule in enumerate(assembled["regles"]) if rule["id"] == rule_id)


# --- the building step: every shape problem is an issue at its line ----------------------------------------------
@pytest.mark.parametrize("rule_id, change, where, message", [
    ("recours.depot", lambda r: r["quand"]["si"].update(decision={"parmi": "refus"}),
     "quand.si.decision.parmi", "doit être une liste"),
    ("recours.depot", lambda r: r["quand"]["si"].update(decision={"egal": "refus"}),
     "quand.si.decision", "un seul opérateur parmi : parmi, different, existe, non_vide"),
    ("recours.depot", lambda r: r["action"].update(acteur=["candidat"]), "action.acteur", "doit être un texte"),
    ("recours.depot", lambda r: r["action"].update(echeance="recours.delai_depot"), "action.echeance",
     "doit être un bloc (clé : valeur)"),
    ("recours.depot", lambda r: r["action"]["accomplie_par"].update(meme="decision"), "action.accomplie_par.meme",
     "doit être une liste"),
    ("recours.hors_delai", lambda r: r["quand"]["accomplit"].update(dans_les_delais="non"),
     "quand.accomplit.dans_les_delais", "doit être vrai ou faux (true, false)"),
    ("recours.hors_delai", lambda r: r["constat"].pop("id"), "constat", "« id » manque"),
])
def test_a_wrong_shape_is_a_french_issue_at_its_line(rule_id, change, where, message):
    assembled, sources, issues = read_policy_folder(POLICY)
    assert not issues
    raw = copying.deepcopy(assembled["regles"])
    index = _index(assembled, rule_id)
    change(raw[index])
    rules, found = build_rules(raw, sources)
    assert len(rules) == len(raw) - 1                   # the other rules are built
    assert len(found) == 1
    issue = found[0]
    assert issue.path == f"regles[{index}].{where}"
    assert issue.message == message
    assert issue.file is not None and issue.file.endswith("recours.yaml") and isinstance(issue.line, int)
    assert str(issue).startswith(f"{issue.file}:{issue.line}: regles[{index}].{where}: ")


def test_an_operator_in_a_fee_count_is_refused_at_its_line():
    """`fois.si` compares each counted item's field with a value; an operator there would silently count nothing."""
    assembled, sources, _ = read_policy_folder(POLICY)
    raw = copying.deepcopy(assembled["regles"])
    index = _index(assembled, "frais.gestion_annuels")
    raw[index]["frais"]["montant"]["fois"]["si"] = {"activite_clea": {"parmi": [True]}}
    _, found = build_rules(raw, sources)
    assert [(issue.path, issue.message) for issue in found] == [
        (f"regles[{index}].frais.montant.fois.si.activite_clea",
         "une valeur que le champ de l'élément doit égaler : aucun opérateur dans le compte des frais")]
    assert found[0].file.endswith("frais.yaml") and found[0].line == 24


def test_a_rule_that_is_not_a_mapping_is_an_issue_not_a_crash():
    assembled, sources, _ = read_policy_folder(POLICY)
    rules, found = build_rules(assembled["regles"][:1] + ["recours.depot"], sources)
    assert len(rules) == 1
    assert [(issue.path, issue.message) for issue in found] == [("regles[1]", "doit être un bloc (clé : valeur)")]


# --- templates -------------------------------------------------------------------------------------------------
def test_a_title_fills_the_parameter_in_force_and_leaves_other_names_as_written():
    policy = load_policy(POLICY)
    rule = next(rule for rule in policy.rules if rule.id == "recours.depot")
    assert [str(p) for p in rule.title.placeholders] == ["{recours.delai_depot}"]
    assert "{" not in policy.rule_title(rule, date(2026, 3, 1))


# --- the typed rules -----------------------------------------------------------------------------------------------
def test_effects_and_guards_are_typed():
    policy = load_policy(POLICY)
    rules = {rule.id: rule for rule in policy.rules}
    depot = rules["recours.depot"]
    assert isinstance(depot.effect, ActionEffect) and depot.action is depot.effect and depot.fee is None
    assert depot.effect.deadline.delay == "recours.delai_depot" and depot.effect.fulfilment is not None
    assert depot.trigger == Trigger("decision_notifiee", (Condition("decision", "egal", "refus"),))
    assert not depot.has_guards
    late = rules["recours.hors_delai"]
    assert late.has_guards and late.guards.fulfils is not None and late.guards.fulfils.in_time is False
    assert isinstance(late.effect, FindingEffect) and late.effect.message is not None
    kinds = {type(rule.effect) for rule in policy.rules}
    assert {ActionEffect, FeeEffect, StatusEffect, FindingEffect} <= kinds
    starts = [rule.effect.starts for rule in policy.rules if isinstance(rule.effect, StatusEffect)]
    assert any(isinstance(start, EffectiveDate) and start.delay for start in starts)


def test_has_guards_is_what_the_rule_writes():
    assembled, _, _ = read_policy_folder(POLICY)
    policy = load_policy(POLICY)
    for raw, rule in zip(assembled["regles"], policy.rules):
        written = any(key in raw["quand"] for key in ("apres", "existe", "sans", "accomplit", "au_statut"))
        assert rule.has_guards == written, rule.id


# --- the trigger compiles to the pattern the raw `quand` compiled to ----------------------------------------------
def _raw_condition(attribute: str, condition) -> dict:
    """The compilation of a raw `si` entry before the rules were typed (engine/evaluation/session.py at 5b4da76)."""
    if isinstance(condition, dict):
        (operator, operand), = condition.items()
        if operator == "parmi":
            return {"$or": [{attribute: value} for value in operand]}
        if operator == "different":
            return {"$neq": {attribute: operand}}
        if operator == "existe":
            return {"$ex" if operand else "$nex": {attribute: 1}}
        if operator == "non_vide":
            return {"$gt": {attribute: 0}} if operand else {"$or": [{"$nex": {attribute: 1}}, {"$lte": {attribute: 0}}]}
        raise ValueError(operator)
    return {attribute: condition}


def _raw_pattern(when: dict) -> dict:
    terms = [{"type": when["evenement"]}]
    terms += [_raw_condition(attribute, condition) for attribute, condition in sorted(when.get("si", {}).items())]
    return {"m": {"$and": terms}} if len(terms) > 1 else {"m": terms[0]}


@pytest.mark.parametrize("folder", [POLICY, *POLICIES], ids=lambda path: path.name)
def test_every_trigger_compiles_to_the_pattern_of_its_raw_quand(folder):
    assembled, sources, _ = read_policy_folder(folder)
    rules, issues = build_rules(assembled["regles"], sources)
    assert not issues
    assert len(rules) == len(assembled["regles"])
    for raw, rule in zip(assembled["regles"], rules):
        assert compile_pattern(rule.trigger) == _raw_pattern(raw["quand"]), rule.id


@pytest.mark.parametrize("si", [
    {"objet": "audit"},
    {"decision": {"parmi": ["refus", "retrait"]}, "objet": "recours"},
    {"objet": {"different": "audit"}},
    {"motif": {"existe": True}, "note": {"existe": False}},
    {"pieces": {"non_vide": True}},
    {"pieces": {"non_vide": False}, "urgent": True, "rang": 2, "vide": None},
])
def test_each_operator_compiles_as_before(si):
    assembled, sources, _ = read_policy_folder(POLICY)
    raw = copying.deepcopy(assembled["regles"][:1])
    raw[0]["quand"] = {"evenement": "reunion_instance", "si": si}
    rules, issues = build_rules(raw, sources)
    assert not issues
    pattern = compile_pattern(rules[0].trigger)
    assert pattern == _raw_pattern(raw[0]["quand"])
    # the type field is always tested first: a pattern without it would match the session-state document
    assert pattern["m"]["$and"][0] == {"type": "reunion_instance"}
