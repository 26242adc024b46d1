"""The operators of the condition language, one entry a name: how its operand is written (parse), when a value the
path finds breaks it (check), and the details a message quotes about the break ({attendu}, {manque}, {communs},
{nombre}). The language (language.py) looks an operator up here by name and knows none of them.

Most operators judge each value found on its own (`each`); `couvre` and `nombre` judge what the path finds as a
whole (`together`); `present: true` also breaks when the path finds nothing (`needs_one`).
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from .paths import MISSING, Found, Path, same

Details = dict[str, object]
Operand = object
# the values a path reaches, the root they were read from, the operand (read from the root for a path operand),
# the condition's path
Together = Callable[[list[Found], object, Operand, Path], list["Broken"]]


@dataclass(frozen=True)
class Bounds:
    """The operand of `nombre`: how many elements, at least and/or at most."""

    least: int | None
    most: int | None


@dataclass(frozen=True)
class Broken:
    """Where a condition breaks: the JSON path, the value there, the item it was read from, what a message quotes."""

    where: str
    value: object
    element: object
    details: Details


@dataclass(frozen=True)
class Operator:
    name: str
    parse: Callable[[object], Operand]                         # the operand as written; ValueError with the reason
    each: Callable[[object, Operand], Details | None] | None = None    # one value found: None when it holds
    together: Together | None = None                           # what the path finds, judged as a whole
    path_operand: bool = False     # the operand may be a path {chemin: …}
    flattened: bool = False        # a path operand gives every value it reaches, lists flattened
    mapping: bool = False          # the operand is a mapping of the operator's own (not a path)

    def needs_one(self, operand: Operand) -> bool:
        """Whether a path that finds nothing breaks the condition."""
        return self.name == "present" and operand is True


def empty(value: object) -> bool:
    return value is MISSING or value is None or value == "" or value == [] or value == {}


def values_of(found: list[Found]) -> list:
    """The values found, lists flattened, empty ones left out."""
    out: list = []
    for item in found:
        if isinstance(item.value, list):
            out.extend(item.value)
        elif not empty(item.value):
            out.append(item.value)
    return out


def _number(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


# --- operands as written ----------------------------------------------------------------------------------
def _any(operand: object) -> Operand:
    return operand


def _boolean(operand: object) -> Operand:
    if isinstance(operand, bool):
        return operand
    raise ValueError("present prend true ou false")


def _list_of(name: str) -> Callable[[object], Operand]:
    def parse(operand: object) -> Operand:
        if isinstance(operand, list):
            return operand
        raise ValueError(f"'{name}' prend une liste (ou, pour certains, {{chemin: …}})")
    return parse


def _text(operand: object) -> Operand:
    if isinstance(operand, str):
        return operand
    raise ValueError("commence_par prend un texte ou {chemin: …}")


def _number_for(name: str) -> Callable[[object], Operand]:
    def parse(operand: object) -> Operand:
        if not _number(operand):
            raise ValueError(f"{name} prend un nombre")
        return operand
    return parse


def _bounds(operand: object) -> Operand:
    if not isinstance(operand, dict) or not operand or set(operand) - {"au_moins", "au_plus"} or not all(
            isinstance(v, int) and not isinstance(v, bool) and v >= 0 for v in operand.values()):
        raise ValueError("nombre prend {au_moins: n} et/ou {au_plus: n}, des entiers positifs ou nuls")
    return Bounds(operand.get("au_moins"), operand.get("au_plus"))


# --- one value against the operand ------------------------------------------------------------------------
def _there(value: object, operand: Operand) -> Details | None:
    return None if empty(value) != operand else {}


def _equal(value: object, operand: Operand) -> Details | None:
    return None if same(value, operand) else {"attendu": operand}


def _among(value: object, operand: Operand) -> Details | None:
    return None if any(same(value, option) for option in _listed(operand)) else {"attendu": operand}


def _holds(value: object, operand: Operand) -> Details | None:
    ok = isinstance(value, list) and any(same(v, operand) for v in value)
    return None if ok else {"attendu": operand}


def _holds_one_of(value: object, operand: Operand) -> Details | None:
    ok = isinstance(value, list) and any(same(v, option) for v in value for option in _listed(operand))
    return None if ok else {"attendu": operand}


def _starts_with(value: object, operand: Operand) -> Details | None:
    if value is MISSING or operand is MISSING or not isinstance(operand, str):
        return None        # nothing to compare: `present` is the check that reports a missing value
    return None if isinstance(value, str) and value.startswith(operand) else {"attendu": operand}


def _at_least(value: object, operand: Operand) -> Details | None:
    return None if _number(value) and value >= operand else {"attendu": operand}      # type: ignore[operator]


def _at_most(value: object, operand: Operand) -> Details | None:
    return None if _number(value) and value <= operand else {"attendu": operand}      # type: ignore[operator]


def _disjoint(value: object, operand: Operand) -> Details | None:
    mine = value if isinstance(value, list) else []
    common = [v for v in mine if any(same(v, other) for other in _listed(operand))]
    return {"communs": common, "attendu": operand} if common else None


def _listed(operand: Operand) -> list:
    return operand if isinstance(operand, list) else []


# --- what the path finds, as a whole ----------------------------------------------------------------------
def _where(found: list[Found], root: object, path: Path) -> tuple[str, object]:
    """One value found: its own place and item; several: the path as written and the root."""
    return (found[0].where, found[0].element) if len(found) == 1 else (path.text, root)


def _covers(found: list[Found], root: object, operand: Operand, path: Path) -> list[Broken]:
    wanted = _listed(operand)
    present = values_of(found)
    missing = [value for value in wanted if not any(same(value, have) for have in present)]
    if not missing:
        return []
    where, element = _where(found, root, path)
    return [Broken(where, present, element, {"manque": missing, "attendu": wanted})]


def _counts(found: list[Found], root: object, operand: Operand, path: Path) -> list[Broken]:
    """How many elements the path finds (the items a list step selects, or the items of the list it ends on),
    against the bounds: one break when out of them."""
    assert isinstance(operand, Bounds)
    if len(found) == 1 and not path.steps[-1].selectors and isinstance(found[0].value, list):
        count = len(found[0].value)
    else:
        count = sum(1 for item in found if not empty(item.value))
    least, most = operand.least, operand.most
    if (least is None or count >= least) and (most is None or count <= most):
        return []
    where, element = _where(found, root, path)
    return [Broken(where, count, element,
                   {"nombre": count, "attendu": least if least is not None and count < least else most})]


OPERATORS: dict[str, Operator] = {operator.name: operator for operator in (
    Operator("present", _boolean, each=_there),
    Operator("egal", _any, each=_equal),
    Operator("parmi", _list_of("parmi"), each=_among),
    Operator("contient", _any, each=_holds),
    Operator("contient_un_de", _list_of("contient_un_de"), each=_holds_one_of),
    Operator("couvre", _list_of("couvre"), together=_covers, path_operand=True, flattened=True),
    Operator("commence_par", _text, each=_starts_with, path_operand=True),
    Operator("disjoint_de", _list_of("disjoint_de"), each=_disjoint, path_operand=True, flattened=True),
    Operator("au_moins", _number_for("au_moins"), each=_at_least),
    Operator("au_plus", _number_for("au_plus"), each=_at_most),
    Operator("nombre", _bounds, together=_counts, mapping=True),
)}
