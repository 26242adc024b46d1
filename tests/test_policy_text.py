"""A policy's text (texte.md): sections by article id, paragraphs as written, shown beside the rules."""
from __future__ import annotations

from pathlib import Path

import pytest
from conftest import POLICIES

from engine.policy.checks.text import parse_sections, read_sections


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


def _quoted_fragments(quote: str) -> list[str]:
    """A declaration quotes the text; `[…]` marks what it leaves out: each piece between is the text's own."""
    return [piece.strip(" .:;") for piece in quote.split("[…]") if piece.strip(" .:;")]


def _flat(text: str) -> str:
    """Spaces, apostrophes and list marks as the text file writes them do not matter."""
    text = text.replace("'", "’").replace("\u00a0", " ").replace("\u202f", " ")
    return " ".join(word for word in text.split() if word not in ("-", "o", "•", "▪"))


@pytest.mark.parametrize("policy_id", ["certifpro", "cpne-exemple"])
def test_every_declared_sentence_is_a_sentence_of_its_section(policy_id):
    """The live policies (not the frozen copy): a sentence declared not encodable is quoted from texte.md, in the
    section of its id; a misquote or a sentence filed under the wrong section fails here."""
    import yaml

    folder = Path(__file__).resolve().parent.parent / "policies" / policy_id
    sections = read_sections(folder) or read_sections(folder.parent / "certifpro")
    articles = yaml.safe_load((folder / "articles.yaml").read_text(encoding="utf-8")) or {}
    wrong = []
    for article, entry in articles.items():
        if not isinstance(entry, dict):
            continue
        text = _flat(" ".join(sections[article].paragraphs)) if article in sections else ""
        for declared in entry.get("non_encodable", []):
            wrong += [(article, piece) for piece in _quoted_fragments(declared["texte"]) if _flat(piece) not in text]
    assert wrong == []
