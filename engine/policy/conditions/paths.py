"""Paths into a facts document: dotted keys, with selectors on list steps, and every value they reach.

A path is dotted keys; a list step takes selectors: `[*]` every item, `[field=value]` the items whose field equals
the value (or, when the field is a list, contains it). Several selectors may follow each other. A path starting
with `$.` is read from the root of the facts; otherwise an operand path is read beside the value it is compared
with (from the same item), and a condition's own path from the root (language.py).
"""
from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import NamedTuple


class _Missing:
    def __repr__(self) -> str:
        return "MISSING"


MISSING = _Missing()
_STEP = re.compile(r"^([A-Za-z_][A-Za-z0-9_]*)((?:\[[^\[\]]*\])*)$")
_SELECTOR = re.compile(r"\[([^\[\]]*)\]")


Selector = tuple[str, object] | None


@dataclass(frozen=True)
class Step:
    key: str
    selectors: tuple[Selector, ...]      # each None (every item) or (field, value)

    @cached_property
    def tests(self) -> tuple[Callable[[object], bool], ...]:
        """Whether an item is selected, for each selector: made once per step."""
        return tuple(_test(selector) for selector in self.selectors)


@dataclass(frozen=True)
class Path:
    text: str
    steps: tuple[Step, ...]
    absolute: bool

    @property
    def wildcard(self) -> bool:
        return any(step.selectors for step in self.steps)

    @cached_property
    def keys(self) -> tuple[str, ...] | None:
        """The keys of a path without selectors (one value, found where its text says); None when it has some."""
        return None if self.wildcard else tuple(step.key for step in self.steps)

    @cached_property
    def parent(self) -> Path | None:
        """The path without its last step (None for one step): what a path with selectors shares with its
        neighbours (`items[kind=a].x` and `items[kind=a].y` select the same items)."""
        if len(self.steps) < 2:
            return None
        return Path(self.text.rsplit(".", 1)[0], self.steps[:-1], self.absolute)


def _literal(text: str) -> object:
    if text in ("true", "false"):
        return text == "true"
    if text == "null":
        return None
    if re.fullmatch(r"-?\d+", text):
        return int(text)
    return text


def parse_path(text: str) -> Path:
    """'organisme.intervenants[roles=evaluateur].cv' -> Path; ValueError on bad syntax."""
    if not isinstance(text, str) or not text:
        raise ValueError("un chemin est un texte non vide")
    absolute = text.startswith("$.")
    body = text[2:] if absolute else text
    steps = []
    for part in body.split("."):
        match = _STEP.match(part)
        if not match:
            raise ValueError(f"étape de chemin invalide '{part}' dans '{text}' (attendu : nom, nom[*] ou "
                             "nom[champ=valeur])")
        selectors: list[Selector] = []
        for selector in _SELECTOR.findall(match.group(2)):
            if selector == "*":
                selectors.append(None)
            elif "=" in selector and selector.split("=", 1)[0].strip():
                name, value = selector.split("=", 1)
                selectors.append((name.strip(), _literal(value.strip())))
            else:
                raise ValueError(f"sélecteur invalide [{selector}] dans '{text}' (attendu : [*] ou [champ=valeur])")
        steps.append(Step(match.group(1), tuple(selectors)))
    return Path(text, tuple(steps), absolute)


class Found(NamedTuple):     # made for every value a check reads: a NamedTuple is made faster than a frozen dataclass
    where: str          # concrete JSON path, e.g. organisme.intervenants[0].cv
    value: object       # MISSING when the last key is absent
    element: dict       # the item (or object) the value was read from


def same(a: object, b: object) -> bool:
    """Equality that keeps booleans apart from numbers (True is not 1 here)."""
    return type(a) is type(b) and a == b if isinstance(a, bool) or isinstance(b, bool) else a == b


def _every(item: object) -> bool:
    return True


def _test(selector: Selector) -> Callable[[object], bool]:
    """[*]: every item; [field=value]: an object whose field equals the value or, for a list, holds it (`same`)."""
    if selector is None:
        return _every
    name, wanted = selector
    if isinstance(wanted, str):     # only a text equals a text: `in` and `==` are `same` here
        def text_test(item: object) -> bool:
            if not isinstance(item, dict):
                return False
            value = item.get(name, MISSING)
            return wanted in value if isinstance(value, list) else value == wanted
        return text_test

    def test(item: object) -> bool:
        if not isinstance(item, dict):
            return False
        value = item.get(name, MISSING)
        if isinstance(value, list):
            return any(same(element, wanted) for element in value)
        return same(value, wanted)
    return test


Node = tuple[str, object, dict]      # where (its concrete path), the value, the item it was read from


def resolve(path: Path, root: object, base: object = None) -> list[Found]:
    """Every value the path reaches. Absent keys give MISSING; a list step over nothing gives no value."""
    start = root if (path.absolute or base is None) else base
    keys = path.keys
    if keys is not None:        # no selectors: one value, found where the path's text says
        node, element = start, start if isinstance(start, dict) else {}
        for key in keys:
            if isinstance(node, dict):
                element, node = node, node.get(key, MISSING)
            else:
                node = MISSING
        return [Found(path.text, node, element)]
    return found_at([("$" if path.absolute else "", start, start if isinstance(start, dict) else {})], path.steps)


def found_at(nodes: Sequence[Node], steps: tuple[Step, ...]) -> list[Found]:
    """What the steps reach from the nodes."""
    for step in steps:
        nodes = advance(nodes, step)
    return list(map(Found._make, nodes))


def advance(nodes: Sequence[Node], step: Step) -> list[Node]:
    """The nodes one step further: the key's value in each, each list expanded and narrowed by the selectors."""
    key = step.key
    following: list[Node] = []
    if not step.selectors:
        for where, node, element in nodes:
            here = f"{where}.{key}" if where else key
            if isinstance(node, dict):
                following.append((here, node.get(key, MISSING), node))
            else:
                following.append((here, MISSING, element))
        return following
    first, *others = step.tests
    for where, node, element in nodes:
        here = f"{where}.{key}" if where else key
        child = node.get(key, MISSING) if isinstance(node, dict) else MISSING
        if child is MISSING or child is None:
            continue
        if isinstance(child, list):       # the first selector expands the list
            items = [(f"{here}[{i}]", value, value if isinstance(value, dict) else element)
                     for i, value in enumerate(child) if first(value)]
        elif first(child):
            items = [(here, child, element)]
        else:
            continue
        for test in others:               # the next ones narrow what it selected
            items = [item for item in items if item[1] is not MISSING and item[1] is not None and test(item[1])]
        following += items
    return following
