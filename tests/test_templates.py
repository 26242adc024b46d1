"""Texts that quote values are parsed at load and filled by plain names only (engine/policy/model/templates.py)."""
from __future__ import annotations

import pytest

from engine.policy.model.templates import Placeholder, Template, TemplateError


def test_a_text_is_literal_parts_and_named_placeholders():
    template = Template.parse("Prêt rendu le {date}, après le délai de {prets.duree}.")
    assert template.parts == ("Prêt rendu le ", Placeholder("date"), ", après le délai de ",
                              Placeholder("prets.duree"), ".")
    assert template.fill({"date": "2026-03-10", "prets.duree": "21 jours"}) == \
        "Prêt rendu le 2026-03-10, après le délai de 21 jours."


def test_a_key_in_brackets_reads_one_field_of_a_mapping():
    template = Template.parse("Le CV de l'évaluateur {element[id]} n'est pas fourni")
    assert template.fill({"element": {"id": "E1"}}, missing="?") == "Le CV de l'évaluateur E1 n'est pas fourni"
    assert template.fill({"element": {}}, missing="?") == "Le CV de l'évaluateur ? n'est pas fourni"
    assert template.fill({"element": "E1"}, missing="?") == "Le CV de l'évaluateur ? n'est pas fourni"


def test_a_name_without_value_gives_missing_or_stays_as_written():
    template = Template.parse("{a} et {b.c}")
    assert template.fill({"a": 1}, missing="?") == "1 et ?"
    assert template.fill({"a": 1}) == "1 et {b.c}"


def test_double_braces_write_a_brace():
    assert Template.parse("{{x}} {y}").fill({"y": "1"}) == "{x} 1"


@pytest.mark.parametrize("text", [
    "{element.__missing__.__globals__[os].environ[CLEA_RELOAD_TOKEN]}",   # the exploit of issue 18
    "{element[id].__class__}",
    "{date:>20}",
    "{date!r}",
    "{0}",
    "{}",
    "{a[0][1]}",
    "{a['x']}",
    "ouvert { jamais fermé",
    "fermé } seul",
    "{__class__}",
])
def test_anything_but_a_plain_name_is_refused(text):
    with pytest.raises(TemplateError):
        Template.parse(text)


def test_unknown_lists_names_not_allowed_and_keys_where_none_is_allowed():
    template = Template.parse("{date} {element[id]} {valeur[x]} {autre}")
    assert template.unknown({"date", "element", "valeur"}, keyed={"element"}) == [
        Placeholder("valeur", "x"), Placeholder("autre")]
