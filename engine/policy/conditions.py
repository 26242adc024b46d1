"""Declarative checks over a facts document: paths with wildcards, and conditions on what they find.

A path is dotted keys; a list step takes selectors: `[*]` every item, `[field=value]` the items whose field equals
the value (or, when the field is a list, contains it). Several selectors may follow each other. A path starting
with `$.` is read from the root of the facts; otherwise an operand path is read beside the value it is compared
with (from the same item), and a condition's own path from the root.

A condition is `{chemin: <path>, <operator>: <operand>}` with one operator:

    present: true|false     every value found is (is not) there and non-empty; `true` also needs at least one
    egal: v                 every value found equals v
    parmi: [v, ...]         every value found is one of these
    contient: v             every value found is a list holding v
    contient_un_de: [...]   every value found is a list holding at least one of these
    couvre: [...]|{chemin}  the values found, together (lists flattened), include every one of these
    commence_par: s|{chemin}  every value found is a string starting with s (an absent value is not compared)
    disjoint_de: [...]|{chemin}  every value found is a list with no element in common with the operand

Over a wildcard that selects nothing, every condition holds except `present: true` (nothing is there).
`violations` lists what breaks a condition, each with where it is in the facts (a JSON path with indices).
"""
from __future__ import annotations

import re
import string
from dataclasses import dataclass, field

OPERATORS = ("present", "egal", "parmi", "contient", "contient_un_de", "couvre", "commence_par", "disjoint_de")
# operators whose operand may be a path ({chemin: ...}) instead of a literal
PATH_OPERANDS = ("couvre", "commence_par", "disjoint_de")
# placeholders a message may use
PLACEHOLDERS = ("chemin", "valeur", "element", "manque", "communs", "attendu")


class _Missing:
    def __repr__(self) -> str:
        return "MISSING"


MISSING = _Missing()
_STEP = re.compile(r"^([A-Za-z_][A-Za-z0-9_]*)((?:\[[^\[\]]*\])*)$")
_SELECTOR = re.compile(r"\[([^\[\]]*)\]")


@dataclass(frozen=True)
class Step:
    key: str
    selectors: tuple          # each None (every item) or (field, value)


@dataclass(frozen=True)
class Path:
    text: str
    steps: tuple
    absolute: bool

    @property
    def wildcard(self) -> bool:
        return any(step.selectors for step in self.steps)


def _literal(text: str):
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
        raise ValueError("a path is a non-empty string")
    absolute = text.startswith("$.")
    body = text[2:] if absolute else text
    steps = []
    for part in body.split("."):
        match = _STEP.match(part)
        if not match:
            raise ValueError(f"bad path step '{part}' (expected name, name[*] or name[field=value])")
        selectors = []
        for selector in _SELECTOR.findall(match.group(2)):
            if selector == "*":
                selectors.append(None)
            elif "=" in selector and selector.split("=", 1)[0].strip():
                name, value = selector.split("=", 1)
                selectors.append((name.strip(), _literal(value.strip())))
            else:
                raise ValueError(f"bad selector [{selector}] in '{text}' (expected [*] or [field=value])")
        steps.append(Step(match.group(1), tuple(selectors)))
    return Path(text, tuple(steps), absolute)


@dataclass(frozen=True)
class Found:
    where: str          # concrete JSON path, e.g. organisme.intervenants[0].cv
    value: object       # MISSING when the last key is absent
    element: dict       # the item (or object) the value was read from


def _same(a, b) -> bool:
    """Equality that keeps booleans apart from numbers (True is not 1 here)."""
    return type(a) is type(b) and a == b if isinstance(a, bool) or isinstance(b, bool) else a == b


def _selected(item, selector) -> bool:
    if selector is None:
        return True
    if not isinstance(item, dict):
        return False
    name, wanted = selector
    value = item.get(name, MISSING)
    if isinstance(value, list):
        return any(_same(element, wanted) for element in value)
    return _same(value, wanted)


def resolve(path: Path, root, base=None) -> list[Found]:
    """Every value the path reaches. Absent keys give MISSING; a list step over nothing gives no value."""
    start = root if (path.absolute or base is None) else base
    nodes = [("$" if path.absolute else "", start, start if isinstance(start, dict) else {})]
    for step in path.steps:
        following = []
        for where, node, element in nodes:
            here = f"{where}.{step.key}" if where else step.key
            child = node.get(step.key, MISSING) if isinstance(node, dict) else MISSING
            if not step.selectors:
                following.append((here, child, node if isinstance(node, dict) else element))
                continue
            items = [(here, child, element)]
            for selector in step.selectors:
                narrowed = []
                for item_where, item, item_element in items:
                    if item is MISSING or item is None:
                        continue
                    if item_where == here and isinstance(item, list):   # first selector: expand the list
                        narrowed += [(f"{here}[{i}]", value, value if isinstance(value, dict) else item_element)
                                     for i, value in enumerate(item) if _selected(value, selector)]
                    elif _selected(item, selector):
                        narrowed.append((item_where, item, item_element))
                items = narrowed
            following += items
        nodes = following
    return [Found(where, value, element) for where, value, element in nodes]


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
        raise ValueError("a condition is {chemin: ..., <operator>: ...}")
    operators = [key for key in raw if key != "chemin"]
    if len(operators) != 1 or operators[0] not in OPERATORS:
        raise ValueError(f"a condition takes exactly one operator among {', '.join(OPERATORS)}")
    operator = operators[0]
    operand = raw[operator]
    if isinstance(operand, dict):
        if operator not in PATH_OPERANDS or set(operand) != {"chemin"}:
            raise ValueError(f"'{operator}' does not take a path operand" if operator not in PATH_OPERANDS
                             else "a path operand is {chemin: ...}")
        operand = parse_path(operand["chemin"])
    elif operator == "present" and not isinstance(operand, bool):
        raise ValueError("present takes true or false")
    elif operator in ("parmi", "contient_un_de", "couvre", "disjoint_de") and not isinstance(operand, list):
        raise ValueError(f"'{operator}' takes a list (or, for some, {{chemin: ...}})")
    elif operator == "commence_par" and not isinstance(operand, str):
        raise ValueError("commence_par takes a string or {chemin: ...}")
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
    if operator == "disjoint_de":
        mine = value if isinstance(value, list) else []
        common = [v for v in mine if any(_same(v, other) for other in operand)]
        return {"communs": common, "attendu": operand} if common else None
    raise AssertionError(operator)


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
              "attendu": show(violation.details.get("attendu", MISSING))}
    return template.format_map(values)


def template_problems(template: str) -> list[str]:
    """Placeholders a message template may not use (checked when the policy loads)."""
    problems = []
    try:
        fields = [name for _, name, _, _ in string.Formatter().parse(template) if name is not None]
    except ValueError as exc:
        return [f"bad message template: {exc}"]
    for name in fields:
        head = re.split(r"[.\[]", name, maxsplit=1)[0]
        if head not in PLACEHOLDERS:
            problems.append(f"unknown placeholder {{{name}}} (known: {', '.join(PLACEHOLDERS)})")
    return problems
