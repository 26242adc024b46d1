"""Declarative checks over a facts document: paths with wildcards, and conditions on what they find.

Paths (engine/policy/conditions/paths.py): dotted keys, `[*]` every item of a list, `[field=value]` the items whose
field equals (or, for a list field, contains) the value; `$.` from the root; an operand path is read beside the value
it is compared with (from the same item), a condition's own path from the root.

A condition is `{chemin: <path>, <operator>: <operand>}` with one operator (operators.py, one entry each):

    present: true|false     every value found is (is not) there and non-empty; `true` also needs at least one
    egal: v                 every value found equals v
    parmi: [v, ...]         every value found is one of these
    contient: v             every value found is a list holding v
    contient_un_de: [...]   every value found is a list holding at least one of these
    couvre: [...]|{chemin}  the values found, together (lists flattened), include every one of these
    commence_par: s|{chemin}  every value found is a string starting with s (an absent value is not compared)
    disjoint_de: [...]|{chemin}  every value found is a list with no element in common with the operand
    au_moins: n             every value found is a number ≥ n
    au_plus: n              every value found is a number ≤ n
    nombre: {au_moins: n, au_plus: m}   how many elements the path finds (the items a list step selects, or the
                            items of the list it ends on) is within these bounds: "at least 3 sector assessments"

Over a wildcard that selects nothing, every condition holds except `present: true` (nothing is there) and a
`nombre` with a lower bound (none were found).
`violations` lists what breaks a condition, each with where it is in the facts (a JSON path with indices).
A message about a violation is a Template (engine/policy/model/templates.py) of the PLACEHOLDERS, parsed at load,
filled with plain texts only when it is reported (`fill`).
"""
from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Protocol

from ...suggestions import unknown
from .operators import OPERATORS, Broken, Operator, values_of
from .paths import MISSING, Found, Path, found_at, parse_path, resolve

__all__ = ["KEYED", "MISSING", "PATH_OPERANDS", "PLACEHOLDERS", "Condition", "Found", "Message", "Path",
           "Placeholder", "Resolver", "Violation", "fill", "holds", "parse_condition", "parse_path", "resolve",
           "show", "violations"]

NAMES = tuple(OPERATORS)
# operators whose operand may be a path ({chemin: ...}) instead of a literal
PATH_OPERANDS = tuple(name for name, operator in OPERATORS.items() if operator.path_operand)
# placeholders a message may use; only `element` takes a key ({element[id]})
PLACEHOLDERS = ("chemin", "valeur", "element", "manque", "communs", "attendu", "nombre")
KEYED = ("element",)
Resolve = Callable[[Path, object, object], list[Found]]


@dataclass(frozen=True)
class Condition:
    path: Path
    operator: str
    operand: object           # a literal, a Bounds for `nombre`, or a Path for PATH_OPERANDS given as {chemin: ...}

    @property
    def kind(self) -> Operator:
        return OPERATORS[self.operator]


@dataclass(frozen=True)
class Violation:
    where: str
    value: object
    element: dict
    details: dict = field(default_factory=dict)


def parse_condition(raw: object) -> Condition:
    """{chemin, <operator>: operand} -> Condition; ValueError with the reason."""
    if not isinstance(raw, dict) or "chemin" not in raw:
        raise ValueError("une condition s'écrit {chemin: …, <opérateur>: …}")
    names = [key for key in raw if key != "chemin"]
    if len(names) != 1 or names[0] not in OPERATORS:
        wrong = [key for key in names if key not in OPERATORS]
        hint = unknown(" ; opérateur inconnu", wrong[0], NAMES) if wrong else ""
        raise ValueError(f"une condition prend exactement un opérateur parmi {', '.join(NAMES)}{hint}")
    name = names[0]
    operator, operand = OPERATORS[name], raw[name]
    if isinstance(operand, dict) and not operator.mapping:
        if not operator.path_operand:
            raise ValueError(f"'{name}' ne prend pas de chemin pour opérande")
        if set(operand) != {"chemin"}:
            raise ValueError("un opérande chemin s'écrit {chemin: …}")
        operand = parse_path(operand["chemin"])
    else:
        operand = operator.parse(operand)
    return Condition(parse_path(raw["chemin"]), name, operand)


class Placeholder(Protocol):
    @property
    def name(self) -> str: ...

    @property
    def key(self) -> str | None: ...


class Message(Protocol):
    """A parsed message (engine/policy/model/templates.py Template)."""

    def render(self, value_of: Callable[[Placeholder], str | None]) -> str: ...


class Resolver:
    """The values each path reaches in one facts document, resolved once per (path, item it is read beside)."""

    def __init__(self) -> None:
        self._found: dict[tuple[str, int], tuple[object, list[Found]]] = {}

    def __call__(self, path: Path, root: object, base: object = None) -> list[Found]:
        if path.absolute:
            base = None
        key = (path.text, id(base))      # a path's text says all of it
        known = self._found.get(key)
        if known is None:
            parent = path.parent if path.keys is None else None
            if parent is not None and parent.keys is None:     # its selected items shared with its neighbours
                found = found_at(self(parent, root, base), path.steps[-1:])     # a Found is a node
            else:
                found = resolve(path, root, base)
            known = (base, found)     # the base kept: its id stays its own
            self._found[key] = known
        return known[1]


def _plain(path: Path, root: object, base: object = None) -> list[Found]:
    return resolve(path, root, base)


def _operand(condition: Condition, root: object, element: object, read: Resolve) -> object:
    """The operand's value; for a path, what it reaches beside `element` (lists flattened)."""
    if not isinstance(condition.operand, Path):
        return condition.operand
    found = read(condition.operand, root, element)
    if condition.operand.wildcard or condition.kind.flattened:
        return values_of(found)
    return found[0].value if found else MISSING


def violations(condition: Condition, root: object, read: Resolve = _plain) -> list[Violation]:
    """What breaks the condition in the facts (empty: it holds); `read` resolves a path (a Resolver caches them)."""
    found = read(condition.path, root, None)
    operator = condition.kind
    if operator.together is not None:
        return [_violation(broken) for broken in
                operator.together(found, root, _operand(condition, root, root, read), condition.path)]
    if not found and operator.needs_one(condition.operand):
        return [Violation(condition.path.text, MISSING, root, {})]     # type: ignore[arg-type]
    each = operator.each
    assert each is not None
    operand = condition.operand
    beside = isinstance(operand, Path) and operator.name != "present"      # a path read beside each value found
    out = []
    for item in found:
        details = each(item.value, _operand(condition, root, item.element, read) if beside else operand)
        if details is not None:
            out.append(Violation(item.where, item.value, item.element, details))
    return out


def _violation(broken: Broken) -> Violation:
    return Violation(broken.where, broken.value, broken.element, broken.details)      # type: ignore[arg-type]


def holds(conditions: Iterable[Condition], root: object, read: Resolve = _plain) -> bool:
    return all(not violations(condition, root, read) for condition in conditions)


# --- messages ----------------------------------------------------------------------------------------
def show(value: object) -> str:
    """A value as a French text shows it."""
    if value is MISSING or value is None:
        return "absent"
    if isinstance(value, bool):
        return "oui" if value else "non"
    if isinstance(value, list):
        return ", ".join(show(item) for item in value) if value else "aucun"
    return str(value)


def fill(template: Message, violation: Violation) -> str:
    """The message about a violation: each placeholder it uses, shown as text (nothing else is computed)."""
    return template.render(lambda placeholder: _value(placeholder, violation))


def _value(placeholder: Placeholder, violation: Violation) -> str:
    name = placeholder.name
    if name == "chemin":
        return violation.where
    if name == "valeur":
        return show(violation.value)
    if name == "element":
        element = violation.element if isinstance(violation.element, dict) else {}
        if placeholder.key is None:
            return str({key: show(value) for key, value in element.items()})
        return show(element[placeholder.key]) if placeholder.key in element else "?"
    details = violation.details
    if name == "nombre" or name == "attendu":
        return show(details.get(name, MISSING))
    return show(details.get(name, []))       # manque, communs

