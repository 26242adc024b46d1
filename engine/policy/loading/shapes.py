"""Reading a policy's YAML while building its typed objects: each value is checked to have the shape it is read as,
and a wrong one becomes an Issue at its line (never a Python exception). The schema lets few wrong shapes through;
this is what stops the ones it does from reaching code that assumes another.
"""
from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Protocol, TypeVar

from ...errors import Issue
from ...formats import parse_day

T = TypeVar("T")
Path = tuple


class SourceMap(Protocol):
    def issue(self, path: tuple, message: str) -> Issue: ...


_KINDS: dict[type, str] = {str: "un texte", bool: "vrai ou faux (true, false)", int: "un nombre entier",
                           dict: "un ensemble de clés (un mapping)", list: "une liste"}


class Shapes:
    """Typed reads of a policy's raw data; the problems found are collected in `issues`."""

    def __init__(self, sources: SourceMap):
        self.sources = sources
        self.issues: list[Issue] = []

    def problem(self, path: Path, message: str) -> None:
        self.issues.append(self.sources.issue(path, message))

    def _value(self, parent: dict, key: str, path: Path, kind: type, required: bool) -> object:
        value = parent.get(key)
        if value is None:
            if required:
                self.problem(path + (key,), f"'{key}' manque : {_KINDS[kind]} est attendu ici")
            return None
        if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
            self.problem(path + (key,), f"'{key}' doit être {_KINDS[kind]}, pas {_shown(value)}")
            return None
        return value

    def mapping(self, parent: dict, key: str, path: Path, *, required: bool = True) -> dict:
        found = self._value(parent, key, path, dict, required)
        return found if isinstance(found, dict) else {}

    def text(self, parent: dict, key: str, path: Path) -> str:
        found = self._value(parent, key, path, str, True)
        return found if isinstance(found, str) else ""

    def optional_text(self, parent: dict, key: str, path: Path) -> str | None:
        found = self._value(parent, key, path, str, False)
        return found if isinstance(found, str) else None

    def flag(self, parent: dict, key: str, path: Path, *, required: bool = False) -> bool:
        return self._value(parent, key, path, bool, required) is True

    def integer(self, parent: dict, key: str, path: Path) -> int:
        found = self._value(parent, key, path, int, True)
        return found if isinstance(found, int) else 0

    def texts(self, parent: dict, key: str, path: Path, *, required: bool = False) -> tuple[str, ...]:
        found = self._value(parent, key, path, list, required)
        out = []
        for index, item in enumerate(found if isinstance(found, list) else ()):
            if isinstance(item, str):
                out.append(item)
            else:
                self.problem(path + (key, index), f"chaque élément de '{key}' est un texte, pas {_shown(item)}")
        return tuple(out)

    def day(self, parent: dict, key: str, path: Path) -> date:
        text = self.text(parent, key, path)
        try:
            return parse_day(text)
        except ValueError as exc:
            if text:
                self.problem(path + (key,), f"'{key}' : {text} n'est pas une date AAAA-MM-JJ ({exc})")
            return date.min

    def entries(self, parent: dict, key: str, path: Path, build: Callable[[str, dict, Path], T], *,
                required: bool = True) -> dict[str, T]:
        """Each entry of a mapping of mappings (`valeurs`, `types`, `territoires`...) built by build(name, node, path)."""
        out: dict[str, T] = {}
        for name, node in self.mapping(parent, key, path, required=required).items():
            where = path + (key, name)
            if not isinstance(name, str):
                self.problem(where, f"le nom {_shown(name)} doit être un texte (écrivez-le entre guillemets)")
            elif not isinstance(node, dict):
                self.problem(where, f"'{name}' doit être {_KINDS[dict]}, pas {_shown(node)}")
            else:
                out[name] = build(name, node, where)
        return out

    def items(self, parent: dict, key: str, path: Path, build: Callable[[int, dict, Path], T]) -> tuple[T, ...]:
        """Each item of a list of mappings (`identite`, `liste`...) built by build(index, node, path)."""
        found = self._value(parent, key, path, list, False)
        out = []
        for index, node in enumerate(found if isinstance(found, list) else ()):
            if isinstance(node, dict):
                out.append(build(index, node, path + (key, index)))
            else:
                self.problem(path + (key, index), f"chaque élément de '{key}' est {_KINDS[dict]}, pas {_shown(node)}")
        return tuple(out)


def _shown(value: object) -> str:
    for kind, name in _KINDS.items():
        if isinstance(value, kind) and not (kind is int and isinstance(value, bool)):
            return name
    if isinstance(value, bool):
        return _KINDS[bool]
    return "un nombre" if isinstance(value, float) else "une valeur vide" if value is None else f"« {value} »"
