"""Every sentence of the text accounted for: each sentence of a section of the policy's text (texte.md) is encoded
(an entry of the section's `encode` list in articles.yaml, naming what encodes it) or declared (`non_encodable`,
with its reason); any other is unaccounted, and `clea policy articles` says so.

An entry quotes the text (`texte`); `[…]` elides, and each piece between elisions accounts for the sentences that
hold it (or that it holds whole: a quote may span several sentences). With `jusqu_a` (a second quote), the entry
accounts for every sentence from the first its `texte` matches through the first, from there, `jusqu_a` matches.
Sentences are a paragraph's parts that end with `.`, `!` or `?` before a capital (a list item is its own paragraph).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from .text import TextSection

ELISION = "[…]"
_SPLIT = re.compile(r"(?<=[.!?])\s+(?=[A-ZÀ-ÖØ-Ý«])")
_SPACES = re.compile(r"\s+")
STATES = ("encodee", "declaree", "non_rendue")


@dataclass(frozen=True)
class Sentence:
    text: str
    state: str                       # encodee | declaree | non_rendue
    by: tuple[str, ...] = ()         # encodee: what encodes it (ids); declaree: the reason


def split(paragraph: str) -> list[str]:
    return [part.strip() for part in _SPLIT.split(paragraph) if part.strip()]


def _norm(text: str) -> str:
    text = text.replace("’", "'").replace("\u00a0", " ").replace("\u202f", " ").lower()
    return _SPACES.sub(" ", text).strip(" .;:,-–—")


def _pieces(quote: str) -> list[str]:
    return [piece for piece in (_norm(part) for part in quote.split(ELISION)) if piece]


def _matches(quote: str, sentence: str) -> bool:
    """A piece of the quote is in the sentence, or the sentence (long enough to mean something) in a piece."""
    return any(piece in sentence or (len(sentence) >= 20 and sentence in piece) for piece in _pieces(quote))


def account(section: TextSection, encoded: list, declared: list) -> list[Sentence]:
    """Each sentence of the section with its state: encoded (first), declared, or unaccounted."""
    sentences = [sentence for paragraph in section.paragraphs for sentence in split(paragraph)]
    normed = [_norm(sentence) for sentence in sentences]
    found: dict[int, Sentence] = {}
    for entries, state in ((encoded, "encodee"), (declared, "declaree")):
        for entry in entries:
            if not isinstance(entry, dict) or not isinstance(entry.get("texte"), str):
                continue
            by = tuple(entry.get("par") or ()) if state == "encodee" else (str(entry.get("raison", "")),)
            for index in _covered(entry, normed):
                found.setdefault(index, Sentence(sentences[index], state, by))
    return [found.get(index, Sentence(text, "non_rendue")) for index, text in enumerate(sentences)]


def _covered(entry: dict, normed: list[str]) -> list[int]:
    hits = [index for index, sentence in enumerate(normed) if _matches(entry["texte"], sentence)]
    until = entry.get("jusqu_a")
    if not isinstance(until, str) or not hits:
        return hits
    start = hits[0]
    end = next((index for index in range(start, len(normed)) if _matches(until, normed[index])), start)
    return list(range(start, end + 1))
