"""Declarative checks over a facts document: paths with wildcards, and conditions on what they find.

Paths (engine/policy/paths.py): dotted keys, `[*]` every item of a list, `[field=value]` the items whose field
equals (or, for a list field, contains) the value; `$.` from the root; an operand path is read beside the value it is
compared with (from the same item), a condition's own path from the root.

A condition is `{chemin: <path>, <operator>: <operand>}` with one operator:

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
"""
from __future__ import annotations

import re
import string
from dataclasses import dataclass, field

from .paths import MISSING, Found, Path, parse_path, resolve
from .paths import same as _same
from ...suggestions import unknown

__all__ = ["MISSING", "Condition", "Found", "Path", "Violation", "holds", "parse_condition", "parse_path", "render",
           "resolve", "show", "template_problems", "violations"]

OPERATORS = ("present", "egal", "parmi", "contient", "contient_un_de", "couvre", "commence_par", "disjoint_de",
             "au_moins", "au_plus", "nombre")
BOUNDS = ("au_moins", "au_plus")
# operators whose operand may be a path ({chemin: ...}) instead of a literal
PATH_OPERANDS = ("couvre", "commence_par", "disjoint_de")
# placeholders a message may use
PLACEHOLDERS = ("chemin", "valeur", "element", "manque", "communs", "attendu", "nombre")


def _empty(value) -> bool:
    return value is MISSING or value is None or value == "" or value == [] or value == {}


def _values(found: list[Found]) -> list:
    out = []
    for item in found:
        if isinstance(item.value, list):
            out.extend(item.value)
        elif not _empty(item.value):
            out.append(item.value)
    return out


@dataclass(frozen=True)
class Condition:
    path: Path
    operator: str
    operand: object           # a literal, or a Path for PATH_OPERANDS given as {chemin: ...}


@dataclass(frozen=True)
class Violation:
    where: str
    value: object
    element: dict
    details: dict = field(default_factory=dict)


def parse_condition(raw: dict) -> Condition:
    """{chemin, <operator>: operand} -> Condition; ValueError with the reason."""
    if not isinstance(raw, dict) or "chemin" not in raw:
        raise ValueError("une condition s'écrit {chemin: …, <opérateur>: …}")
    operators = [key for key in raw if key != "chemin"]
    if len(operators) != 1 or operators[0] not in OPERATORS:
        wrong = [key for key in operators if key not in OPERATORS]
        hint = unknown(" ; opérateur inconnu", wrong[0], OPERATORS) if wrong else ""
        raise ValueError(f"une condition prend exactement un opérateur parmi {', '.join(OPERATORS)}{hint}")
    operator = operators[0]
    operand = raw[operator]
    if operator == "nombre":
        if not isinstance(operand, dict) or not operand or set(operand) - set(BOUNDS) or not all(
                isinstance(v, int) and not isinstance(v, bool) and v >= 0 for v in operand.values()):
            raise ValueError("nombre prend {au_moins: n} et/ou {au_plus: n}, des entiers positifs ou nuls")
    elif isinstance(operand, dict):
        if operator not in PATH_OPERANDS or set(operand) != {"chemin"}:
            raise ValueError(f"'{operator}' ne prend pas de chemin pour opérande" if operator not in PATH_OPERANDS
                             else "un opérande chemin s'écrit {chemin: …}")
        operand = parse_path(operand["chemin"])
    elif operator == "present" and not isinstance(operand, bool):
        raise ValueError("present prend true ou false")
    elif operator in ("parmi", "contient_un_de", "couvre", "disjoint_de") and not isinstance(operand, list):
        raise ValueError(f"'{operator}' prend une liste (ou, pour certains, {{chemin: …}})")
    elif operator == "commence_par" and not isinstance(operand, str):
        raise ValueError("commence_par prend un texte ou {chemin: …}")
    elif operator in BOUNDS and (isinstance(operand, bool) or not isinstance(operand, (int, float))):
        raise ValueError(f"{operator} prend un nombre")
    return Condition(parse_path(raw["chemin"]), operator, operand)


def _operand(condition: Condition, root, element):
    """The operand's value; for a path, what it reaches beside `element` (lists flattened)."""
    if not isinstance(condition.operand, Path):
        return condition.operand
    found = resolve(condition.operand, root, element)
    if condition.operand.wildcard or condition.operator in ("couvre", "disjoint_de"):
        return _values(found)
    return found[0].value if found else MISSING


def violations(condition: Condition, root) -> list[Violation]:
    """What breaks the condition in the facts (empty: it holds)."""
    found = resolve(condition.path, root)
    operator, out = condition.operator, []
    if operator == "couvre":
        wanted = _operand(condition, root, root)
        present = _values(found)
        missing = [value for value in wanted if not any(_same(value, have) for have in present)]
        if missing:
            where = found[0].where if len(found) == 1 else condition.path.text
            out.append(Violation(where, present, found[0].element if len(found) == 1 else root,
                                 {"manque": missing, "attendu": wanted}))
        return out
    if operator == "present" and condition.operand and not found:
        return [Violation(condition.path.text, MISSING, root, {})]
    if operator == "nombre":
        return _count_violations(condition, found, root)
    for item in found:
        broken = _broken(condition, item, root)
        if broken is not None:
            out.append(Violation(item.where, item.value, item.element, broken))
    return out


def _broken(condition: Condition, item: Found, root) -> dict | None:
    """None when the value satisfies the condition; else the details of the violation."""
    value, operator = item.value, condition.operator
    if operator == "present":
        return None if _empty(value) != condition.operand else {}
    operand = _operand(condition, root, item.element)
    if operator == "egal":
        return None if _same(value, operand) else {"attendu": operand}
    if operator == "parmi":
        return None if any(_same(value, option) for option in operand) else {"attendu": operand}
    if operator == "contient":
        return None if isinstance(value, list) and any(_same(v, operand) for v in value) else {"attendu": operand}
    if operator == "contient_un_de":
        ok = isinstance(value, list) and any(_same(v, option) for v in value for option in operand)
        return None if ok else {"attendu": operand}
    if operator == "commence_par":
        if value is MISSING or operand is MISSING or not isinstance(operand, str):
            return None        # nothing to compare: `present` is the check that reports a missing value
        return None if isinstance(value, str) and value.startswith(operand) else {"attendu": operand}
    if operator in BOUNDS:
        number = isinstance(value, (int, float)) and not isinstance(value, bool)
        ok = number and (value >= operand if operator == "au_moins" else value <= operand)
        return None if ok else {"attendu": operand}
    if operator == "disjoint_de":
        mine = value if isinstance(value, list) else []
        common = [v for v in mine if any(_same(v, other) for other in operand)]
        return {"communs": common, "attendu": operand} if common else None
    raise AssertionError(operator)


def _count_violations(condition: Condition, found: list[Found], root) -> list[Violation]:
    """How many elements the path finds, against the bounds: one violation when out of them."""
    if len(found) == 1 and not condition.path.steps[-1].selectors and isinstance(found[0].value, list):
        count = len(found[0].value)
    else:
        count = sum(1 for item in found if not _empty(item.value))
    least, most = condition.operand.get("au_moins"), condition.operand.get("au_plus")
    if (least is None or count >= least) and (most is None or count <= most):
        return []
    where = found[0].where if len(found) == 1 else condition.path.text
    return [Violation(where, count, found[0].element if len(found) == 1 else root,
                      {"nombre": count, "attendu": least if least is not None and count < least else most})]


def holds(conditions: list[Condition], root) -> bool:
    return all(not violations(condition, root) for condition in conditions)


# --- messages ----------------------------------------------------------------------------------------
def show(value) -> str:
    """A value as a French text shows it."""
    if value is MISSING or value is None:
        return "absent"
    if isinstance(value, bool):
        return "oui" if value else "non"
    if isinstance(value, list):
        return ", ".join(show(item) for item in value) if value else "aucun"
    return str(value)


class _Element(dict):
    def __missing__(self, key):
        return "?"


def render(template: str, violation: Violation | None) -> str:
    if violation is None:
        return template
    values = {"chemin": violation.where, "valeur": show(violation.value),
              "element": _Element({k: show(v) for k, v in violation.element.items()}
                                  if isinstance(violation.element, dict) else {}),
              "manque": show(violation.details.get("manque", [])),
              "communs": show(violation.details.get("communs", [])),
              "nombre": show(violation.details.get("nombre", MISSING)),
              "attendu": show(violation.details.get("attendu", MISSING))}
    return template.format_map(values)


def template_problems(template: str) -> list[str]:
    """Placeholders a message template may not use (checked when the policy loads)."""
    problems = []
    try:
        fields = [name for _, name, _, _ in string.Formatter().parse(template) if name is not None]
    except ValueError as exc:
        return [f"modèle de message invalide : {exc} (les accolades {{ }} entourent un nom connu)"]
    for name in fields:
        head = re.split(r"[.\[]", name, maxsplit=1)[0]
        if head not in PLACEHOLDERS:
            problems.append(unknown("variable de message inconnue", "{" + name + "}", [f"{{{p}}}" for p in PLACEHOLDERS]))
    return problems
