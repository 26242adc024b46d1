"""Hypothesis strategies of the fuzz suite: hostile JSON values, and mutations of real dossiers and policies.

What an attacker or a careless client sends: any JSON value (deep, huge, NaN, lone surrogates, huge integers),
real facts with one to three parts replaced, removed, duplicated or nested without end, and texts with YAML
anchors, brackets and bytes spliced in.
"""
from __future__ import annotations

import copy
import json
from pathlib import Path

import yaml
from hypothesis import strategies as st

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures" / "policies"


def _scenario_facts() -> list[dict]:
    documents = []
    for path in sorted((FIXTURES / "certifpro" / "tests").glob("p*.yaml")):
        case = yaml.safe_load(path.read_text(encoding="utf-8"))
        if isinstance(case.get("faits"), dict):
            documents.append(json.loads(json.dumps(case["faits"], default=str)))
    for path in sorted((ROOT / "examples").glob("*.yaml")):
        documents.append(json.loads(json.dumps(yaml.safe_load(path.read_text(encoding="utf-8")), default=str)))
    return documents


FACTS = _scenario_facts()


def nested(depth: int, leaf=None, kind: str = "object"):
    for _ in range(depth):
        leaf = {"a": leaf} if kind == "object" else [leaf]
    return leaf


class HugeInt(int):
    """An integer of thousands of digits that knows how it is written (Python refuses to str() it)."""

    def __new__(cls, digits: int):
        value = super().__new__(cls, 10 ** abs(digits) if digits > 0 else -(10 ** abs(digits)))
        value.text = ("-" if digits < 0 else "") + "1" + "0" * abs(digits)
        return value

    def __repr__(self) -> str:
        return f"HugeInt({len(self.text)} characters)"


def _huge(digits: int) -> int:
    return HugeInt(digits)


def json_text(value) -> str:
    """JSON text of any generated value, however deep or huge (iterative; lone surrogates escaped)."""
    out: list[str] = []
    stack: list = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, (_Raw, HugeInt)):
            out.append(item.text)
        elif isinstance(item, dict):
            parts: list = [_Raw("{")]
            for index, (key, child) in enumerate(item.items()):
                parts += [_Raw(("," if index else "") + json.dumps(str(key)) + ":"), child]
            stack.extend(reversed(parts + [_Raw("}")]))
        elif isinstance(item, list):
            parts = [_Raw("[")]
            for index, child in enumerate(item):
                parts += ([_Raw(",")] if index else []) + [child]
            stack.extend(reversed(parts + [_Raw("]")]))
        else:
            out.append(json.dumps(item, default=str))     # a date of a policy file: its ISO text
    return "".join(out)


class _Raw:
    def __init__(self, text: str):
        self.text = text


HOSTILE_TEXTS = st.sampled_from(["\ud800", "a\udfffb", "\x00", "\u202e", "𝕏", "x" * 10_001, "2026-02-30", "20260101",
                                 "2026-W01-1", "０００", "-1", "1e999", "NaN", "' OR 1=1 --", "${jndi:x}", "\n" * 50])
SCALARS = st.one_of(
    st.none(), st.booleans(),
    st.integers(min_value=-10 ** 40, max_value=10 ** 40), st.sampled_from([5000, -400, 64]).map(_huge),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(st.characters(codec=None, exclude_categories=()), max_size=40), HOSTILE_TEXTS,
    st.dates(min_value=__import__("datetime").date(1, 1, 1)).map(lambda d: d.isoformat()),
)
JSON_VALUES = st.recursive(SCALARS, lambda inner: st.one_of(
    st.lists(inner, max_size=6), st.dictionaries(st.text(max_size=12), inner, max_size=6)), max_leaves=30)
HOSTILE_VALUES = st.one_of(
    JSON_VALUES,
    st.tuples(st.integers(25, 3000), st.sampled_from(["object", "list"])).map(lambda t: nested(t[0], kind=t[1])),
)


def _paths(document, limit: int = 12):
    """Every path in a document (objects and lists) down to ``limit`` levels, the root included."""
    stack = [((), document)]
    while stack:
        path, node = stack.pop()
        yield path
        if len(path) < limit:
            items = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else ()
            stack.extend((path + (key,), value) for key, value in items)


def _at(document, path):
    for part in path:
        document = document[part]
    return document


@st.composite
def mutated_facts(draw, mutations: int = 3):
    """A real dossier with up to ``mutations`` parts replaced, removed, duplicated or added."""
    facts = copy.deepcopy(draw(st.sampled_from(FACTS)))
    for _ in range(draw(st.integers(1, mutations))):
        paths = list(_paths(facts))
        path = draw(st.sampled_from(paths))
        operation = draw(st.sampled_from(["replace", "remove", "duplicate", "add", "date"]))
        if not path:
            if operation == "replace":
                return draw(HOSTILE_VALUES)
            continue
        parent, key = _at(facts, path[:-1]), path[-1]
        if operation == "replace":
            parent[key] = draw(HOSTILE_VALUES)
        elif operation == "remove":
            del parent[key]
        elif operation == "duplicate" and isinstance(parent, list):
            parent.insert(key, copy.deepcopy(parent[key]))
        elif operation == "add" and isinstance(parent[key], dict):
            parent[key][draw(st.text(max_size=12))] = draw(HOSTILE_VALUES)
        elif operation == "date":
            parent[key] = draw(st.dates().map(lambda d: d.isoformat()) | HOSTILE_TEXTS)
    return facts


SPLICES = st.sampled_from(["&a ", "*a", "[" * 600, "]", "{", ": ", "- ", "!!python/object:os.system ", "\t", "\x00",
                           "\ufeff", "<<: *a", "? ", "'", '"', "\\ud800", ".nan", "9" * 5000, "\n  ", "%YAML 1.1\n"])


@st.composite
def mutated_text(draw, text: str):
    """A text with a few hostile pieces spliced in, slices removed or repeated."""
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, len(text)))
        choice = draw(st.sampled_from(["splice", "cut", "repeat"]))
        if choice == "splice":
            text = text[:at] + draw(SPLICES | st.text(max_size=8)) + text[at:]
        elif choice == "cut":
            text = text[:at] + text[at + draw(st.integers(1, 40)):]
        else:
            piece = text[at:at + draw(st.integers(1, 60))]
            text = text[:at] + piece * draw(st.integers(2, 50)) + text[at:]
    return text


# --- issue 23: lists past the facts schema's caps, anywhere a capped list may be -----------------------------------
def _capped_lists() -> list[tuple[tuple, int]]:
    import json as _json

    from engine.evaluation.facts import list_caps

    schema = _json.loads((ROOT / "schemas" / "facts.schema.json").read_text(encoding="utf-8"))
    return list_caps(schema)


CAPPED_LISTS = _capped_lists()
ITEM_VALUES = st.sampled_from(["a", 1, 5, "evaluateur", None, {"id": "x"}, [], {"type": "inconnu", "date": "x"}])


@st.composite
def oversized_facts(draw):
    """A real dossier with one capped list (organisme.intervenants[0].domaines, beneficiaires...) made longer than its
    cap by up to 50,000 items, of one value, valid or not: (facts, the list's path, the cap)."""
    facts = json.loads(json.dumps(draw(st.sampled_from(FACTS))))
    path, cap = draw(st.sampled_from(CAPPED_LISTS))
    length = cap + draw(st.integers(1, 50_000))
    _put(facts, path, [draw(ITEM_VALUES)] * length)
    return facts, path, cap


def _put(node: dict, path: tuple, value) -> None:
    """Set ``value`` at ``path`` ("*": the first item of a list, made if missing), creating what is missing."""
    key, rest = path[0], path[1:]
    if not rest:
        node[key] = value
    elif rest[0] == "*":
        items = node.get(key) if isinstance(node.get(key), list) and node.get(key) else [{"id": "i1"}]
        if not isinstance(items[0], dict):
            items[0] = {"id": "i1"}
        node[key] = items
        _put(items[0], rest[1:], value)
    else:
        if not isinstance(node.get(key), dict):
            node[key] = {}
        _put(node[key], rest, value)
