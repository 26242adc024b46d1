"""Writing a proposal into the policy files as a person would: only the lines the change needs are touched.

The file is read with ruamel.yaml's round-trip loader, which knows where each node is written (line and column);
the change is spliced into the text at that place, in the file's own layout (a block list stays a block list, a
one-line list `[{…}]` becomes a block list with its items kept as written, quotes kept as they were); every other
line, comment and blank stays byte for byte. The result is read again and compared with what was meant: a splice
that would say anything else is refused (WriteError), never written.
"""
from __future__ import annotations

import json
import re
from datetime import date
from decimal import Decimal
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import YAMLError


class WriteError(Exception):
    """A change that cannot be written in place (the file is not laid out as expected); the message is French."""


def _load(text: str) -> Any:
    try:
        return YAML().load(text)
    except YAMLError as exc:
        raise WriteError(f"le fichier n'est pas du YAML lisible : {exc}") from None


def _plain(data: Any) -> Any:
    """A document as plain data (dates as ISO text, amounts as text) to compare what is meant with what is written."""
    if isinstance(data, dict):
        return {str(key): _plain(value) for key, value in data.items()}
    if isinstance(data, list):
        return [_plain(value) for value in data]
    if isinstance(data, date):
        return data.isoformat()
    return data


def scalar(value: Any) -> str:
    """A value as YAML writes it: text in double quotes (a JSON string is a YAML one), dates and numbers bare."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, Decimal)):
        return str(value)
    if isinstance(value, date):
        return value.isoformat()
    if value is None:
        return "null"
    text = str(value)
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        return text
    return json.dumps(text, ensure_ascii=False)


def flow(mapping: dict) -> str:
    """A mapping on one line: {depuis: 2027-01-01, valeur: "350.00"}."""
    parts = []
    for key, value in mapping.items():
        parts.append(f"{key}: {flow(value) if isinstance(value, dict) else scalar(value)}")
    return "{" + ", ".join(parts) + "}"


def _block_item(mapping: dict, dash: int) -> list[str]:
    """A mapping as a block item of a list: `- depuis: …` then its other keys under it; nested mappings on one line."""
    lines = []
    for index, (key, value) in enumerate(mapping.items()):
        lead = " " * dash + ("- " if index == 0 else "  ")
        lines.append(f"{lead}{key}: {flow(value) if isinstance(value, dict) else scalar(value)}")
    return lines


def _node(data: Any, keys: tuple[str, ...]) -> CommentedMap:
    node = data
    for key in keys:
        if not isinstance(node, CommentedMap) or key not in node:
            raise WriteError(f"« {'.'.join(keys)} » n'est pas écrit dans ce fichier")
        node = node[key]
    if not isinstance(node, CommentedMap):
        raise WriteError(f"« {'.'.join(keys)} » n'est pas un paramètre de ce fichier")
    return node


def _split_flow(inner: str) -> list[str]:
    """The items of a one-line flow list, as written (split at its top-level commas, quotes respected)."""
    items, depth, quote, start = [], 0, "", 0
    for position, char in enumerate(inner):
        if quote:
            quote = "" if char == quote else quote
        elif char in "'\"":
            quote = char
        elif char in "{[":
            depth += 1
        elif char in "}]":
            depth -= 1
        elif char == "," and depth == 0:
            items.append(inner[start:position].strip())
            start = position + 1
    items.append(inner[start:].strip())
    return [item for item in items if item]


def _flow_span(line: str, column: int) -> int:
    """Where the flow list opened at `column` of `line` closes (the index after its `]`)."""
    depth, quote = 0, ""
    for position in range(column, len(line)):
        char = line[position]
        if quote:
            quote = "" if char == quote else quote
        elif char in "'\"":
            quote = char
        elif char in "{[":
            depth += 1
        elif char in "}]":
            depth -= 1
            if depth == 0:
                return position + 1
    raise WriteError("cette liste continue sur plusieurs lignes : écrivez la modification à la main")


def _last_line(lines: list[str], first: int, column: int) -> int:
    """The last line of a block that starts on `first` and whose lines are indented past `column`."""
    last = first
    for number in range(first + 1, len(lines)):
        text = lines[number]
        if not text.strip() or text.lstrip().startswith("#"):
            continue
        if len(text) - len(text.lstrip()) <= column:
            break
        last = number
    return last


def _values(text: str, keys: tuple[str, ...]) -> tuple[Any, CommentedMap, CommentedSeq, list[str]]:
    data = _load(text)
    node = _node(data, keys)
    values = node.get("valeurs")
    if not isinstance(values, CommentedSeq) or not values:
        raise WriteError(f"« {'.'.join(keys)} » n'a pas de liste de valeurs datées (valeurs) dans ce fichier")
    return data, node, values, text.splitlines(keepends=True)


def _checked(old_text: str, new_text: str, expected: Any) -> str:
    if _plain(_load(new_text)) != _plain(expected):
        raise WriteError("la modification ne s'écrit pas à sa place dans ce fichier : écrivez-la à la main")
    return new_text if new_text.endswith("\n") or not old_text.endswith("\n") else new_text + "\n"


def add_dated_value(text: str, keys: tuple[str, ...], entry: dict) -> str:
    """`text` with `entry` appended to the dated values (`valeurs`) of the parameter at `keys`."""
    data, node, values, lines = _values(text, keys)
    expected = _plain(data)
    target = expected
    for key in keys:
        target = target[key]
    target["valeurs"].append(_plain(entry))
    key_line, key_column = node.lc.key("valeurs")
    if values.fa.flow_style():
        line_no, column = node.lc.value("valeurs")
        if line_no != key_line:
            raise WriteError("la liste des valeurs n'est pas écrite sur la ligne de « valeurs » : écrivez-la à la main")
        line = lines[line_no]
        end = _flow_span(line, column)
        rest = line[end:].rstrip("\n")
        dash = key_column + 2
        new = [line[:column].rstrip() + rest + "\n"]
        new += [" " * dash + "- " + item + "\n" for item in _split_flow(line[column + 1:end - 1])]
        new += [item + "\n" for item in _block_item(entry, dash)]
        lines[line_no:line_no + 1] = new
    else:
        dash = values.lc.item(0)[1] - 2
        last = _last_line(lines, values.lc.item(len(values) - 1)[0], dash)
        lines[last + 1:last + 1] = [item + "\n" for item in _block_item(entry, dash)]
    return _checked(text, "".join(lines), expected)


def replace_dated_value(text: str, keys: tuple[str, ...], since: str, updates: dict) -> str:
    """`text` with the dated value of `since` (its `depuis`) given `updates` (a correction), in its own style."""
    data, node, values, lines = _values(text, keys)
    position = next((i for i, value in enumerate(values) if _plain(value.get("depuis")) == since), None)
    if position is None:
        raise WriteError(f"aucune valeur datée du {since} pour « {'.'.join(keys)} »")
    entry = {**{str(key): value for key, value in values[position].items()}, **updates}
    expected = _plain(data)
    target = expected
    for key in keys:
        target = target[key]
    target["valeurs"][position] = _plain(entry)
    line_no, column = values.lc.item(position)
    item = values[position]
    if values.fa.flow_style():
        line = lines[line_no]
        start = node.lc.value("valeurs")[1]
        end = _flow_span(line, start)
        items = _split_flow(line[start + 1:end - 1])
        items[position] = flow(entry)
        lines[line_no] = line[:start] + "[" + ", ".join(items) + "]" + line[end:]
    elif isinstance(item, CommentedMap) and item.fa.flow_style():
        line = lines[line_no]
        end = _flow_span(line, column)
        lines[line_no] = line[:column] + flow(entry) + line[end:]
    else:
        last = _last_line(lines, line_no, column - 2)
        lines[line_no:last + 1] = [text_line + "\n" for text_line in _block_item(entry, column - 2)]
    return _checked(text, "".join(lines), expected)


_PLAIN_END = re.compile(r"\s+#|\s*$")


def set_value(text: str, path: tuple, value: Any) -> str:
    """`text` with the scalar at `path` (keys and list positions) replaced by `value`, in the same quotes."""
    data = _load(text)
    parent = data
    for step in path[:-1]:
        try:
            parent = parent[step]
        except (KeyError, IndexError, TypeError):
            raise WriteError("cette valeur attendue n'est plus à sa place dans le cas") from None
    last = path[-1]
    if isinstance(parent, CommentedMap) and last in parent:
        line_no, column = parent.lc.value(last)
    elif isinstance(parent, CommentedSeq) and isinstance(last, int) and last < len(parent):
        line_no, column = parent.lc.item(last)
    else:
        raise WriteError("cette valeur attendue n'est plus à sa place dans le cas")
    if isinstance(parent[last], (dict, list)):
        raise WriteError("seule une valeur simple se met à jour ainsi")
    expected = _plain(data)
    target = expected
    for step in path[:-1]:
        target = target[step]
    target[last] = _plain(value)
    lines = text.splitlines(keepends=True)
    line = lines[line_no]
    quote = line[column] if line[column] in "'\"" else ""
    if quote:
        end = column + 1
        while end < len(line):
            if line[end] == quote and not (quote == "'" and line[end + 1:end + 2] == "'"):
                break
            end += 2 if quote == "'" and line[end:end + 2] == "''" else (2 if quote == '"' and line[end] == "\\" else 1)
        end += 1
        shown = ("'" + str(value).replace("'", "''") + "'") if quote == "'" else json.dumps(str(value), ensure_ascii=False)
    else:
        rest = line[column:].rstrip("\n")
        stop = len(rest)
        if parent.fa.flow_style():
            stop = min((rest.find(char) for char in ",}]" if char in rest), default=stop)
        match = _PLAIN_END.search(rest[:stop])
        end = column + (match.start() if match else stop)
        shown = scalar(value)
    lines[line_no] = line[:column] + shown + line[end:]
    return _checked(text, "".join(lines), expected)
