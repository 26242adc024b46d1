"""The `portee` guard (engine/evaluation/guards.py) and a deadline's `au_plus_tot` (engine/evaluation/actions.py)
on a tiny policy built in memory.

Sentences pinned: regulation I « L'habilitation dans le cadre du Référentiel contextualisé ne peut être délivrée que
par la CPNE ou la CPNAA qui a réalisé le travail de contextualisation » (README: « only an acceptance that names its
field habilitates »; under a policy without a scope every value is within); « le Candidat […] doit exclusivement
s'adresser à la CPNE/CPNAA » (the facts name the scope of an extension); V.2 « l'Organisme Habilité dispose d'un
délai de 30 jours ouvrés pour justifier » and the period the notice states (README: « never less », due on the
stated day when it is later)."""
from __future__ import annotations

from dataclasses import replace

import pytest

from engine.evaluation.actions import ActionBook
from engine.evaluation.guards import Guards as GuardCheck
from engine.policy.model.effects import ActionEffect, Deadline, FindingEffect, Fulfilment
from engine.policy.model.elements import Scope
from engine.policy.model.rules import Guards, InScope
from engine.policy.model.templates import Template

from .tiny import parameter, policy, rule, store

FIELD = Scope("champ", "commerce", "Commerce", "art. 1", "demande.champ", Template.parse("limité"),
              Template.parse("sans effet"))
OTHER_FIELD = replace(FIELD, value="batiment")


def holds(spec: InScope, *, own: Scope | None = None, extensions: tuple[Scope, ...] = (), facts: dict | None = None,
          **attributes: object) -> bool:
    tiny = policy()
    if own is not None:
        tiny = replace(tiny, elements=replace(tiny.elements, head=replace(tiny.head, scope=own)))
    s = store(tiny, "2026-12-31", ("decision", "2026-03-02", attributes))
    checker = GuardCheck(tiny, s, ActionBook(tiny, {}, s), facts or {}, extensions)
    return checker.hold(rule("r", "decision", FindingEffect("x"), Guards(in_scope=spec)), s["e0"])


@pytest.mark.parametrize("attributes, within", [
    ({"champ": "commerce"}, True),        # the decision names the policy's own field
    ({"champ": "batiment"}, False),       # another field
    ({}, False),                          # none: a decision that states no field (Certif'Pro's)
    ({"champ": None}, False),             # null is none
])
def test_within_the_policy_s_own_scope(attributes, within):
    assert holds(InScope("champ"), own=FIELD, **attributes) is within
    assert holds(InScope("champ", within=False), own=FIELD, **attributes) is not within


def test_a_policy_without_a_scope_has_every_value_within():
    assert holds(InScope("champ")) is True and holds(InScope("champ"), champ="batiment") is True
    assert holds(InScope("champ", within=False)) is False


def test_the_scope_of_an_extension_on_the_trigger_or_in_the_facts():
    extensions = (OTHER_FIELD, FIELD)
    assert holds(InScope("champ", extension=True), extensions=extensions, champ="commerce") is True
    assert holds(InScope("champ", extension=True), extensions=extensions, champ="restauration") is False
    assert holds(InScope("champ", extension=True), extensions=extensions) is False
    assert holds(InScope("champ", extension=True), champ="commerce") is False      # no extension at all
    # without chemin: the facts, at each extension's own facts path
    assert holds(InScope(None, extension=True), extensions=extensions, facts={"demande": {"champ": "commerce"}})
    assert not holds(InScope(None, extension=True), extensions=extensions, facts={"demande": {"champ": "autre"}})
    assert not holds(InScope(None, extension=True), extensions=extensions)


DELAI = parameter("delai", "jours_ouvres", ("2026-01-01", 30))
JUSTIFY = ActionEffect("justifier", "organisme", "obligation", Deadline(delay="delai", not_before="fin_periode"),
                       Fulfilment("justification"))


# Mon 7 Sep 2026 + 30 working days = Mon 19 Oct 2026 (no holiday in between)
@pytest.mark.parametrize("stated, due", [
    ({"fin_periode": "2026-10-29"}, "2026-10-29"),    # a later period stated: due its last day
    ({"fin_periode": "2026-10-19"}, "2026-10-19"),    # the same day
    ({"fin_periode": "2026-10-20"}, "2026-10-20"),    # the day after the 30 working days: that day
    ({"fin_periode": "2026-09-30"}, "2026-10-19"),    # shorter: never less than the delay
    ({}, "2026-10-19"),                               # none stated: the delay alone
])
def test_a_deadline_is_due_on_a_later_date_the_trigger_grants(stated, due):
    tiny = policy(DELAI)
    s = store(tiny, "2026-12-31", ("mise_en_demeure", "2026-09-07", stated))
    book = ActionBook(tiny, {}, s)
    book.open(rule("r", "mise_en_demeure", JUSTIFY), JUSTIFY, s["e0"])
    book.resolve()
    [action] = [a.part() for a in book.actions]
    assert (action.due, action.state) == (due, "en_retard")
