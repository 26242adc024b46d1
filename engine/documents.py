"""Reading YAML and JSON documents safely: plain data, dates kept as text, the line of every value, bounded work.

Dates stay strings ("2026-01-12") whether quoted or not, so that validation (not the YAML parser) decides
what a valid date is, and so that 2026-02-30 is reported as an error instead of crashing the parser.

Hostile or careless input is refused before anything is built from it (limits in engine/limits.py): nesting
deeper than MAX_DEPTH, YAML anchors and aliases where they are not wanted (facts) or expanding past
MAX_POLICY_VALUES (policies: a "billion laughs" is refused, not expanded), numbers longer than
MAX_NUMBER_LENGTH, NaN and infinities, duplicate keys (JSON as YAML), and files that are not regular files or
are larger than their limit. Every problem is an Issue(path, message, file, line).
"""
from __future__ import annotations

import json
import math
import os
import re
import stat
from collections import Counter
from pathlib import Path

import yaml

from .errors import Issue, json_path
from .json_plain import NOT_READ, read_plain
from .limits import MAX_DEPTH, MAX_FACTS_BYTES, MAX_NUMBER_LENGTH, MAX_POLICY_FILE_BYTES, MAX_POLICY_VALUES
from .values import value_issues
from .yaml_c import IMPLICIT_RESOLVERS, composed
from .yaml_messages import yaml_problem

# The messages of this module, in one place.
NO_ALIASES = "les ancres et alias YAML (&nom, *nom) ne sont pas acceptés ici"
TOO_DEEP = f"imbriqué sur plus de {MAX_DEPTH} niveaux"
TOO_MANY_VALUES = f"plus de {MAX_POLICY_VALUES:,} valeurs une fois ses alias développés".replace(",", " ")
NUMBER_TOO_LONG = f"un nombre de plus de {MAX_NUMBER_LENGTH} caractères"
NOT_FINITE = "{value} n'est pas un nombre fini (NaN et les infinis ne sont pas acceptés)"
DUPLICATE_KEY = "clé en double"
TOO_LARGE = "plus de {limit} octets"
NOT_REGULAR = "pas un fichier ordinaire (un tube nommé, un périphérique ou une socket ne se lisent pas comme un document)"
A_DEVICE = "un périphérique, pas un fichier"
EMPTY_PIPE = "un tube nommé (FIFO) vide : aucun programme n'y écrit (lancez d'abord celui qui l'alimente)"
OUTSIDE = "un lien symbolique vers un fichier hors de {folder}"

_LONG_NUMBER = re.compile(r"-?\d[\d.eE+-]{" + str(MAX_NUMBER_LENGTH) + ",}")    # finds the line of a refused number
_NUMBER_TAGS = ("tag:yaml.org,2002:int", "tag:yaml.org,2002:float")
_TEXT_TAG = "tag:yaml.org,2002:str"     # a text is its node's value, as SafeLoader's constructor gives it


class _Refused(yaml.MarkedYAMLError):
    """The document goes past a limit: refused before it is built."""


class _Loader(yaml.SafeLoader):
    """SafeLoader without the implicit timestamp type, with a bounded depth and, for facts, no aliases."""

    def __init__(self, stream, *, aliases: bool):
        super().__init__(stream)
        self._aliases = aliases
        self._depth = 0

    # The scanner reads every opening bracket before the composer sees the first node, in time quadratic in their
    # number: deep nesting is refused where it is scanned (flow) or indented (block), not only where it is composed.
    def fetch_flow_collection_start(self, TokenClass):
        if self.flow_level >= MAX_DEPTH:
            raise _Refused(problem=TOO_DEEP, problem_mark=self.get_mark())
        super().fetch_flow_collection_start(TokenClass)

    def add_indent(self, column):
        if len(self.indents) > MAX_DEPTH:
            raise _Refused(problem=TOO_DEEP, problem_mark=self.get_mark())
        return super().add_indent(column)

    def compose_node(self, parent, index):
        event = self.peek_event()
        if not self._aliases and getattr(event, "anchor", None) is not None:
            raise _Refused(problem=NO_ALIASES, problem_mark=event.start_mark)
        if self._depth >= MAX_DEPTH and not isinstance(event, yaml.ScalarEvent):
            raise _Refused(problem=TOO_DEEP, problem_mark=event.start_mark)
        self._depth += 1
        try:
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


_Loader.yaml_implicit_resolvers = IMPLICIT_RESOLVERS


def _expanded_size(node, depth: int, known: dict) -> tuple[int, int]:
    """(values under node once aliases are expanded, its height): a shared node counts each time it is used.
    Refuses a document deeper than MAX_DEPTH (a recursive alias is one) or larger than MAX_POLICY_VALUES, before
    anything is built."""
    size, height = known.get(id(node), (None, 0))
    if size is None:
        if depth > MAX_DEPTH + 1:       # bounds this recursion, even on a recursive alias
            raise _Refused(problem=TOO_DEEP, problem_mark=node.start_mark)
        children = ([part for pair in node.value for part in pair] if isinstance(node, yaml.MappingNode)
                    else node.value if isinstance(node, yaml.SequenceNode) else [])
        measured = [_expanded_size(child, depth + 1, known) for child in children]
        size = 1 + sum(child_size for child_size, _ in measured)
        height = 1 + max((child_height for _, child_height in measured), default=0)
        known[id(node)] = (size, height)
    if size > MAX_POLICY_VALUES:
        raise _Refused(problem=TOO_MANY_VALUES, problem_mark=node.start_mark)
    if depth + height - 1 > MAX_DEPTH + 1:
        raise _Refused(problem=TOO_DEEP, problem_mark=node.start_mark)
    return size, height


def _scalar(node, loader: _Loader, path: tuple, issues: list, source: str):
    line = node.start_mark.line + 1
    if node.tag in _NUMBER_TAGS and len(node.value) > MAX_NUMBER_LENGTH:
        issues.append(Issue(json_path(path), NUMBER_TOO_LONG, source, line))
        return None
    value = node.value if node.tag == _TEXT_TAG else loader.construct_object(node, deep=True)
    if isinstance(value, float) and not math.isfinite(value):
        issues.append(Issue(json_path(path), NOT_FINITE.format(value=node.value), source, line))
        return None
    if isinstance(value, str) and not value.isascii():      # "\ud800" written as an escape: no UTF-8 for it
        issues.extend(Issue(json_path(path), i.message, source, line) for i in value_issues([value])[0])
    return value


def _to_data(node, loader: _Loader, lines: dict, path: tuple, issues: list, source: str):
    lines[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        out = {}
        for key_node, value_node in node.value:
            key = _scalar(key_node, loader, path, issues, source) if isinstance(key_node, yaml.ScalarNode) else None
            if not isinstance(key, (str, int, float, bool)):
                issues.append(Issue(json_path(path), "clé non prise en charge", source, key_node.start_mark.line + 1))
                continue
            key = str(key) if not isinstance(key, str) else key
            if key in out:
                issues.append(Issue(json_path(path + (key,)), DUPLICATE_KEY, source, key_node.start_mark.line + 1))
            out[key] = _to_data(value_node, loader, lines, path + (key,), issues, source)
        return out
    if isinstance(node, yaml.SequenceNode):
        return [_to_data(item, loader, lines, path + (i,), issues, source) for i, item in enumerate(node.value)]
    return _scalar(node, loader, path, issues, source)


class Document:
    """Parsed data plus the line of each path, for messages of the form file:line: path: message."""

    def __init__(self, data, lines: dict, source: str):
        self.data = data
        self.lines = lines
        self.source = source

    def line_of(self, path) -> int | None:
        path = tuple(path)
        while path not in self.lines and path:
            path = path[:-1]
        return self.lines.get(path)


def parse_yaml(text: str, source: str, *, aliases: bool = True) -> tuple[Document | None, list[Issue]]:
    """Parse one YAML document (JSON is YAML too). Returns (document, issues); document is None on syntax errors.

    aliases=False refuses anchors and aliases (facts have no use for them); with aliases, the expanded document
    is bounded (MAX_POLICY_VALUES) before it is built. libyaml composes it when it can (engine/yaml_c.py)."""
    try:
        fast = composed(text, aliases=aliases)
        node, loader, bounded = fast if fast is not None else (None, _Loader(text, aliases=aliases), False)
        try:
            node = loader.get_single_node() if node is None else node
            if node is not None and aliases and not bounded:
                _expanded_size(node, 1, {})
        finally:
            loader.dispose()
    except _Refused as exc:
        return None, [Issue("", exc.problem or "", source, exc.problem_mark.line + 1 if exc.problem_mark else None)]
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        return None, [Issue("", yaml_problem(exc, text), source, mark.line + 1 if mark else None)]
    except yaml.YAMLError as exc:
        return None, [Issue("", f"YAML invalide : {exc}", source)]
    if node is None:
        return Document(None, {(): 1}, source), []
    issues: list[Issue] = []
    lines: dict = {}
    try:
        data = _to_data(node, loader, lines, (), issues, source)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        return None, [Issue("", yaml_problem(exc, text), source, mark.line + 1 if mark else None)]
    return Document(data, lines, source), issues


class _NumberRefused(ValueError):
    pass


def _json_number(text: str, convert):
    if len(text) > MAX_NUMBER_LENGTH:
        raise _NumberRefused(NUMBER_TOO_LONG)
    value = convert(text)
    if isinstance(value, float) and not math.isfinite(value):
        raise _NumberRefused(NOT_FINITE.format(value=text))
    return value


def _json_constant(name: str):
    raise _NumberRefused(NOT_FINITE.format(value=name))


def parse_json(text: str, source: str | None) -> tuple[object, list[Issue]]:
    """One JSON document, refusing duplicate keys, NaN, infinities, long numbers, deep nesting (see json_plain)."""
    if (plain := read_plain(text)) is not NOT_READ:
        return plain, []
    duplicated: dict[int, list[str]] = {}

    def pairs(items: list) -> dict:
        out = dict(items)
        if len(out) != len(items):
            duplicated[id(out)] = [key for key, count in Counter(key for key, _ in items).items() if count > 1]
        return out

    try:
        data = json.loads(text, object_pairs_hook=pairs, parse_int=lambda t: _json_number(t, int),
                          parse_float=lambda t: _json_number(t, float), parse_constant=_json_constant)
    except json.JSONDecodeError as exc:
        return None, [Issue("", f"JSON invalide : {exc.msg} (colonne {exc.colno})", source, exc.lineno)]
    except RecursionError:
        return None, [Issue("", TOO_DEEP, source)]
    except _NumberRefused as exc:
        match = _LONG_NUMBER.search(text) or re.search(r"NaN|-?Infinity|\d", text)
        return None, [Issue("", str(exc), source, text.count("\n", 0, match.start()) + 1 if match else None)]
    if duplicated:
        return None, [Issue(json_path(path + (key,)), DUPLICATE_KEY, source)
                      for path, node in _containers(data) if id(node) in duplicated for key in duplicated[id(node)]]
    return data, []


def _containers(data):
    """(path, object) for every object in parsed JSON data (depth first, iteratively)."""
    stack: list[tuple[tuple[str | int, ...], object]] = [((), data)]
    while stack:
        path, node = stack.pop()
        if isinstance(node, dict):
            yield path, node
            stack.extend((path + (key,), value) for key, value in node.items())
        elif isinstance(node, list):
            stack.extend((path + (index,), value) for index, value in enumerate(node))


def read_text(path: Path, *, limit: int = MAX_FACTS_BYTES, regular_only: bool = False,
              within: Path | None = None) -> tuple[str | None, list[Issue]]:
    """The UTF-8 text of a file, or the problems that stop it from being read.

    Never blocks on a FIFO nor reads a device (/dev/zero) forever: devices are refused, a pipe is read up to
    ``limit`` bytes (regular_only refuses it too), a larger file is refused unread. ``within``: a folder the file,
    once symbolic links are resolved, must be in."""
    where = str(path)
    try:
        if within is not None and not _inside(path, within):
            return None, [Issue("", OUTSIDE.format(folder=within), where)]
        descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        return None, [Issue("", "fichier introuvable", where)]
    except IsADirectoryError:
        return None, [Issue("", "est un dossier, pas un fichier", where)]
    except OSError as exc:
        return None, [Issue("", f"illisible : {exc.strerror or exc}", where)]
    except ValueError:              # a NUL character in the name
        return None, [Issue("", "nom de fichier invalide", where)]
    try:
        mode = os.fstat(descriptor).st_mode
        if stat.S_ISDIR(mode):
            return None, [Issue("", "est un dossier, pas un fichier", where)]
        if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
            return None, [Issue("", A_DEVICE, where)]
        if not stat.S_ISREG(mode):
            if regular_only:
                return None, [Issue("", NOT_REGULAR, where)]
            os.set_blocking(descriptor, True)     # a pipe the user gave (<(command)): wait for its writer
        elif os.fstat(descriptor).st_size > limit:
            return None, [Issue("", TOO_LARGE.format(limit=limit), where)]
        with os.fdopen(descriptor, "rb", closefd=False) as stream:
            data = stream.read(limit + 1)
    except OSError as exc:
        return None, [Issue("", f"illisible : {exc.strerror or exc}", where)]
    finally:
        os.close(descriptor)
    if len(data) > limit or (not data and not stat.S_ISREG(mode)):     # too large, or a FIFO nobody writes to
        return None, [Issue("", TOO_LARGE.format(limit=limit) if data else EMPTY_PIPE, where)]
    return decode_text(data, where)


def decode_text(data: bytes, where: str | None = None) -> tuple[str | None, list[Issue]]:
    try:
        return data.decode("utf-8"), []
    except UnicodeDecodeError as exc:
        return None, [Issue("", f"pas du texte UTF-8 ({exc.reason} à l'octet {exc.start})", where)]


def read_stream(stream, source: str, *, limit: int = MAX_FACTS_BYTES) -> tuple[str | None, list[Issue]]:
    """The text of a stream (standard input, binary or text), up to ``limit`` bytes (characters, for text)."""
    data = stream.read(limit + 1)
    if len(data) > limit:
        return None, [Issue("", TOO_LARGE.format(limit=limit), source)]
    return decode_text(data, source) if isinstance(data, bytes) else (data, [])


def _inside(path: Path, folder: Path) -> bool:
    return Path(os.path.realpath(path)).is_relative_to(Path(os.path.realpath(folder)))


def parse_yaml_file(path: Path, issues: list[Issue], *, within: Path | None = None) -> Document | None:
    """Read and parse one policy file; its problems are added to issues (None when it cannot be used).

    A policy file is a regular file of at most MAX_POLICY_FILE_BYTES inside ``within`` (default: its folder)."""
    text, problems = read_text(path, limit=MAX_POLICY_FILE_BYTES, regular_only=True, within=within or path.parent)
    issues.extend(problems)
    if text is None:
        return None
    document, problems = parse_yaml(text, str(path))
    issues.extend(problems)
    return document
