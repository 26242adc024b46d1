"""Is this plain, bounded JSON data? One walk over a document before anything else reads it.

Objects, lists, strings, booleans, null and finite numbers only; string keys; at most MAX_DEPTH levels; strings
of at most MAX_STRING_LENGTH characters and valid Unicode (no lone surrogate, which no UTF-8 text can carry);
numbers of at most MAX_NUMBER_LENGTH digits. Whatever reads the data next (JSON Schema validation and its
messages, the rules, hashing, masking, printing) may then recurse and encode without a RecursionError, a
UnicodeEncodeError or an unbounded repr. Data built in Python (the API) gets the same walk as data parsed from
text; a cycle is caught as nesting that never ends.

The common case is answered by a breadth-first pass that works on whole levels (fast); only data that fails it
is walked again, depth first, to name each problem with its path.
"""
from __future__ import annotations

import math

from .errors import Issue, json_path
from .limits import MAX_DEPTH, MAX_NUMBER_LENGTH, MAX_PROBLEMS, MAX_STRING_LENGTH

_BIG = 10 ** MAX_NUMBER_LENGTH

# The messages of this module, in one place.
TOO_DEEP = f"imbriqué sur plus de {MAX_DEPTH} niveaux"
TOO_LONG = "un texte de {length} caractères (au plus " + f"{MAX_STRING_LENGTH:,})".replace(",", " ")
SURROGATE = "texte Unicode invalide : un demi-caractère isolé ({code}) n'est pas un caractère"
NOT_FINITE = "{value} n'est pas un nombre fini"
NUMBER_TOO_LONG = f"un nombre de plus de {MAX_NUMBER_LENGTH} chiffres"
KEY_NOT_STRING = "une clé d'objet doit être une chaîne de caractères, pas {kind}"
NOT_JSON = "un {kind} n'est pas une valeur JSON (objets, listes, chaînes, nombres, booléens, null)"


def value_issues(data) -> tuple[list[Issue], int]:
    """(the problems, up to MAX_PROBLEMS, each with its path; how many more there are). ([], 0): plain data."""
    if _plain(data):
        return [], 0
    found: list[Issue] = []
    omitted = 0
    for issue in _located(data):
        if len(found) < MAX_PROBLEMS:
            found.append(issue)
        else:
            omitted += 1
    return found, omitted


def _plain(data) -> bool:
    level = [data]
    strings: list = []
    depth = 0
    while level:
        depth += 1
        if depth > MAX_DEPTH:
            return False
        children: list = []
        for node in level:
            if type(node) is dict:
                strings.extend(node)
                children.extend(node.values())
            elif type(node) is list:
                children.extend(node)
            else:
                return False        # the root itself is a scalar: let the located walk judge it
        level = []
        for child in children:      # one loop: faster than a comprehension per kind (3 calls of type() each)
            kind = type(child)
            if kind is str:
                strings.append(child)
            elif kind is dict or kind is list:
                level.append(child)
            elif not _plain_scalar(child):
                return False
    try:
        joined = "".join(strings)   # also the check that every key is text (values were checked above)
    except TypeError:
        return False
    if strings and max(map(len, strings)) > MAX_STRING_LENGTH:
        return False
    return joined.isascii() or _encodes(joined)


def _plain_scalar(value) -> bool:
    kind = type(value)
    if value is None or kind is bool:
        return True
    if kind is int:
        return -_BIG < value < _BIG
    if kind is float:
        return math.isfinite(value)
    return False


def _encodes(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _located(data):
    """Every problem with its path, depth first (iteratively: the data may be nested without end)."""
    stack: list[tuple[tuple[str | int, ...], object]] = [((), data)]
    while stack:
        path, value = stack.pop()
        if isinstance(value, str):
            yield from _string_issues(path, value)
        elif isinstance(value, (dict, list)):
            if len(path) >= MAX_DEPTH:
                yield Issue(json_path(path), TOO_DEEP)
                continue
            if isinstance(value, dict):
                items = list(value.items())
                for key, _ in items:
                    if not isinstance(key, str):
                        yield Issue(json_path(path), KEY_NOT_STRING.format(kind=type(key).__name__))
                    else:
                        yield from (Issue(issue.path, "dans une clé : " + issue.message)
                                    for issue in _string_issues(path, key))
                children: list[tuple[tuple[str | int, ...], object]] = [(path + (str(key),), item)
                                                                        for key, item in items]
            else:
                children = [(path + (index,), item) for index, item in enumerate(value)]
            stack.extend(reversed(children))
        elif not _plain_scalar(value):
            yield Issue(json_path(path), _scalar_message(value))


def _string_issues(path: tuple, text: str):
    if len(text) > MAX_STRING_LENGTH:
        yield Issue(json_path(path), TOO_LONG.format(length=f"{len(text):,}".replace(",", " ")))
    if not text.isascii() and not _encodes(text):
        code = next(f"\\u{ord(char):04x}" for char in text if 0xD800 <= ord(char) <= 0xDFFF)
        yield Issue(json_path(path), SURROGATE.format(code=code))


def _scalar_message(value) -> str:
    if isinstance(value, float) and not isinstance(value, bool):
        return NOT_FINITE.format(value=value)
    if isinstance(value, int) and not isinstance(value, bool):
        return NUMBER_TOO_LONG
    return NOT_JSON.format(kind=type(value).__name__)
