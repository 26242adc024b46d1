"""Masking personal data in logged documents, by JSON paths.

The paths come from the policies' schemas (the fields marked ``x-donnees-personnelles``, see
engine/policy/personal_data.py), plus any a deployment adds (``--mask``, ``CLEA_LOG_MASK``).
A path names values from the root of a log record ``{"faits": ..., "verdict": ...}``:
``faits.organisme.intervenants[*].nom``; ``[*]`` is every item of a list, ``*`` every key of an object,
``[2]`` one item. A path that leads nowhere in a document masks nothing (facts are partial by design).
A masked text or number becomes ``***``; in a masked object or list (a free-form part) every text and number
is masked and the shape, booleans and nulls stay, so the log still shows what was answered.
"""
from __future__ import annotations

import re
from functools import lru_cache

MASK = "***"
DEFAULT_PATHS: tuple[str, ...] = ()     # beyond the schemas' marks, nothing by default

_TOKEN = re.compile(r"\[(\*|\d+)\]|([^.\[\]]+)")


class MaskPathError(ValueError):
    """A mask path that cannot be parsed."""


def parse_path(text: str) -> tuple:
    """'a.b[*].c' -> ('a', 'b', '[*]', 'c'); '[3]' becomes the int 3."""
    tokens: list = []
    position = 0
    text = text.strip()
    while position < len(text):
        if text[position] == "." and tokens:
            position += 1
        match = _TOKEN.match(text, position)
        if not match:
            raise MaskPathError(f"chemin de masquage invalide {text!r} au caractère {position + 1}")
        index, key = match.groups()
        tokens.append(key if key is not None else ("[*]" if index == "*" else int(index)))
        position = match.end()
    if not tokens:
        raise MaskPathError("empty mask path")
    return tuple(tokens)


def parse_paths(texts) -> tuple[tuple, ...]:
    return tuple(parse_path(text) for text in texts if text.strip())


@lru_cache(maxsize=64)
def parsed_paths(texts: tuple[str, ...]) -> tuple[tuple, ...]:
    """The policies' mask paths, parsed once (the same few tuples come with every decision)."""
    return parse_paths(texts)


def mask(document, paths: tuple[tuple, ...]):
    """``document`` with the value at every path replaced by ``MASK`` (``None`` stays ``None``); ``document`` is
    never changed. Only the objects and lists on the way to a masked value are copied: the rest is shared with
    ``document`` (what is masked is written out, never changed)."""
    copies: set[int] = set()            # the containers made here (changed in place by the next paths)
    out = document
    for path in paths:
        out = _masked_at(out, path, copies)
    return out


def _masked_at(node, path: tuple, copies: set[int]):
    selected = _children(node, path[0])
    if not selected:
        return node
    if id(node) not in copies:
        node = dict(node) if isinstance(node, dict) else list(node)
        copies.add(id(node))
    rest = path[1:]
    for _, key in selected:
        node[key] = _masked_at(node[key], rest, copies) if rest else _masked(node[key])
    return node


def _children(node, token):
    """(container, key) pairs that ``token`` selects in ``node``."""
    if token == "[*]":
        return [(node, i) for i in range(len(node))] if isinstance(node, list) else []
    if token == "*":
        return [(node, key) for key in node] if isinstance(node, dict) else []
    if isinstance(token, int):
        return [(node, token)] if isinstance(node, list) and -len(node) <= token < len(node) else []
    return [(node, token)] if isinstance(node, dict) and token in node else []


def _masked(value):
    if isinstance(value, dict):
        return {key: _masked(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_masked(item) for item in value]
    return value if value is None or isinstance(value, bool) else MASK
