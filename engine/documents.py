"""Reading YAML and JSON documents: plain data, dates kept as text, and the line of every value.

Dates stay strings ("2026-01-12") whether quoted or not, so that validation (not the YAML parser) decides
what a valid date is, and so that 2026-02-30 is reported as an error instead of crashing the parser.
"""
from __future__ import annotations

import json
from pathlib import Path

import yaml

from .errors import Issue, json_path


class _Loader(yaml.SafeLoader):
    """SafeLoader without the implicit timestamp type."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _to_data(node, loader: _Loader, lines: dict, path: tuple, issues: list, source: str):
    lines[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        out = {}
        for key_node, value_node in node.value:
            key = loader.construct_object(key_node, deep=True)
            if not isinstance(key, (str, int, float, bool)) or key is None:
                issues.append(Issue(json_path(path), f"unsupported key {key!r}", source, key_node.start_mark.line + 1))
                continue
            key = str(key) if not isinstance(key, str) else key
            if key in out:
                issues.append(Issue(json_path(path + (key,)), "duplicate key", source, key_node.start_mark.line + 1))
            out[key] = _to_data(value_node, loader, lines, path + (key,), issues, source)
        return out
    if isinstance(node, yaml.SequenceNode):
        return [_to_data(item, loader, lines, path + (i,), issues, source) for i, item in enumerate(node.value)]
    return loader.construct_object(node, deep=True)


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


def parse_yaml(text: str, source: str) -> tuple[Document | None, list[Issue]]:
    """Parse one YAML document (JSON is YAML too). Returns (document, issues); document is None on syntax errors."""
    try:
        loader = _Loader(text)
        try:
            node = loader.get_single_node()
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        return None, [Issue("", f"invalid YAML: {exc.problem or exc}", source, line)]
    except yaml.YAMLError as exc:
        return None, [Issue("", f"invalid YAML: {exc}", source)]
    if node is None:
        return Document(None, {(): 1}, source), []
    issues: list[Issue] = []
    lines: dict = {}
    try:
        data = _to_data(node, loader, lines, (), issues, source)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        return None, [Issue("", f"invalid YAML: {getattr(exc, 'problem', None) or exc}", source,
                            mark.line + 1 if mark else None)]
    return Document(data, lines, source), issues


def parse_json(text: str, source: str) -> tuple[object, list[Issue]]:
    try:
        return json.loads(text), []
    except json.JSONDecodeError as exc:
        return None, [Issue("", f"invalid JSON: {exc.msg} (column {exc.colno})", source, exc.lineno)]


def read_text(path: Path) -> tuple[str | None, list[Issue]]:
    try:
        return path.read_text(encoding="utf-8"), []
    except FileNotFoundError:
        return None, [Issue("", "no such file", str(path))]
    except IsADirectoryError:
        return None, [Issue("", "is a directory, not a file", str(path))]
    except UnicodeDecodeError as exc:
        return None, [Issue("", f"not UTF-8 text ({exc.reason} at byte {exc.start})", str(path))]
    except OSError as exc:
        return None, [Issue("", f"cannot read: {exc.strerror}", str(path))]


def parse_yaml_file(path: Path, issues: list[Issue]) -> Document | None:
    """Read and parse one YAML file; its problems are added to issues (None when it cannot be used)."""
    text, problems = read_text(path)
    issues.extend(problems)
    if text is None:
        return None
    document, problems = parse_yaml(text, str(path))
    issues.extend(problems)
    return document
