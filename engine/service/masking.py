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
from collections.abc import Iterable
from functools import lru_cache
from typing import Any, NamedTuple

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
    never changed. Only the objects and lists on the way to a value that changes are copied: the rest is shared
    with ``document`` (what is masked is written out, never changed). The paths are walked together (`_plan`):
    each container on the way of several of them (the list of intervenants, for their names and their emails) is
    visited and copied once."""
    return _applied(document, _plan(paths))


# a plan: for each step from a container, what it selects and what follows it there (None: mask all of it)
_KEY, _ITEMS, _KEYS, _INDEX = range(4)


class _Step(NamedTuple):
    kind: int
    token: object
    rest: tuple[_Step, ...] | None
    leaves: tuple[object, ...]     # when each step of rest masks a key whole (`[*].nom`, `[*].email`): those keys


@lru_cache(maxsize=64)
def _plan(paths: tuple[tuple, ...]) -> tuple[_Step, ...]:
    """The paths as one tree of steps, in their order: the paths sharing a first token share its step; a path that
    masks a value whole makes the longer paths under it moot (masking it whole masks them)."""
    tree: dict = {}
    for path in paths:
        node = tree
        for token in path[:-1]:
            node = node.setdefault(token, {})
            if node is None:
                break
        else:
            node[path[-1]] = None
    return _steps(tree)


def _steps(tree: dict) -> tuple[_Step, ...]:
    steps = []
    for token, rest in tree.items():
        kind = _INDEX if isinstance(token, int) else _ITEMS if token == "[*]" else _KEYS if token == "*" else _KEY
        after = None if rest is None else _steps(rest)
        leaves = tuple(step.token for step in after) if after and all(
            step.kind == _KEY and step.rest is None for step in after) else ()
        steps.append(_Step(kind, token, after, leaves))
    return tuple(steps)


def _applied(node, plan: tuple[_Step, ...]):
    out: Any = None
    for kind, token, rest, leaves in plan:
        if kind == _KEY:
            keys: Iterable = (token,) if isinstance(node, dict) and token in node else ()
        elif kind == _ITEMS:
            keys = range(len(node)) if isinstance(node, list) else ()
        elif kind == _KEYS:
            keys = list(node) if isinstance(node, dict) else ()
        else:
            keys = (token,) if isinstance(node, list) and -len(node) <= token < len(node) else ()  # type: ignore[operator]
        for key in keys:
            value = node[key] if out is None else out[key]
            if leaves and (not isinstance(value, dict) or value.keys().isdisjoint(leaves)):
                continue        # none of the keys to mask in it (the usual item): no call
            changed = _masked(value) if rest is None else _applied(value, rest)
            if changed is not value:
                if out is None:
                    out = dict(node) if isinstance(node, dict) else list(node)
                out[key] = changed
    return node if out is None else out


def _masked(value):
    if isinstance(value, dict):
        return {key: _masked(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_masked(item) for item in value]
    return value if value is None or isinstance(value, bool) else MASK
