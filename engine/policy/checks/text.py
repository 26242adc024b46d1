"""The text a policy encodes, section by section, for people to read beside the rules (`texte.md` in its folder).

The file is plain Markdown: each section starts with a heading that ends with its article id,
``## Conditions du prêt {#2.1}``; its paragraphs follow, separated by blank lines
(a paragraph starting with ``- `` is a list item). The file is optional and never evaluated: it does not count in
the policy's revision. An overlay's sections come after its base's, and replace a base section of the same id.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

TEXT_FILE = "texte.md"
_HEADING = re.compile(r"^##\s+(?P<title>.*?)\s*\{#(?P<id>[^}\s]+)\}\s*$")


@dataclass(frozen=True)
class TextSection:
    id: str
    title: str
    paragraphs: tuple[str, ...]


def read_sections(folder: Path) -> dict[str, TextSection]:
    """The sections of ``folder/texte.md`` in their order, by id; empty when the policy ships no text."""
    path = Path(folder) / TEXT_FILE
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return {}
    return parse_sections(text)


def parse_sections(text: str) -> dict[str, TextSection]:
    sections: dict[str, TextSection] = {}
    current: tuple[str, str] | None = None
    paragraphs: list[str] = []
    lines: list[str] = []

    def close_paragraph():
        if lines:
            paragraphs.append(" ".join(lines))
            lines.clear()

    def close_section():
        close_paragraph()
        if current is not None:
            sections[current[0]] = TextSection(current[0], current[1], tuple(paragraphs))
        paragraphs.clear()

    for raw in text.splitlines():
        heading = _HEADING.match(raw)
        if heading:
            close_section()
            current = (heading["id"], heading["title"])
        elif raw.startswith("#"):
            close_section()
            current = None
        elif not raw.strip():
            close_paragraph()
        elif current is not None:
            lines.append(raw.strip())
    close_section()
    return sections
