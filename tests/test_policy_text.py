"""A policy's text (texte.md): sections by article id, paragraphs as written, shown beside the rules."""
from __future__ import annotations

from engine.policy.checks.text import parse_sections, read_sections

from conftest import POLICIES


def test_sections_are_read_by_their_article_id():
    sections = parse_sections("# Le texte\n\nintroduction ignorée\n\n## Prêt {#2.1}\n\nUn lecteur emprunte\n"
                              "cinq livres.\n\n- pour trois semaines ;\n\n## Retards {#2.2}\nAmende.\n")
    assert list(sections) == ["2.1", "2.2"]
    assert sections["2.1"].title == "Prêt"
    assert sections["2.1"].paragraphs == ("Un lecteur emprunte cinq livres.", "- pour trois semaines ;")
    assert sections["2.2"].paragraphs == ("Amende.",)


def test_every_section_of_the_map_has_its_text():
    from engine import load_policies

    policy = load_policies(POLICIES).get("certifpro")
    sections = read_sections(policy.directory)
    assert set(sections) == set(policy.raw["articles"])
    assert any("30 jours ouvrés" in paragraph for paragraph in sections["V.2"].paragraphs)


def test_a_policy_without_a_text_has_no_section(tmp_path):
    assert read_sections(tmp_path) == {}
