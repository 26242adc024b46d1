"""libyaml's C parser for the documents whose size is bounded (policy files, at most MAX_POLICY_FILE_BYTES; facts,
at most their body limit, with anchors and aliases refused): the same nodes, with their lines, as the Python loader
of engine/documents.py, several times faster — so a large document costs its parse in C before the limits on its
values (string lengths) refuse it, not seconds of pure-Python scanning.

Every limit of engine/documents.py still holds: a document nested deeper than half of MAX_DEPTH (a policy needs
about 8 levels), with a syntax error, or that libyaml refuses for any reason is left to the Python loader, which
refuses it or says what is wrong with the messages it always gave; aliases are bounded by the same count of
expanded values after composition (engine/documents.py does it for both; a document with no alias, whose nodes
are counted on the events, is within that bound already). The depth is measured on libyaml's
events before anything is composed (its parser keeps its own stack: no recursion on deep input).
"""
from __future__ import annotations

from typing import Any

import yaml

from .limits import MAX_DEPTH, MAX_POLICY_VALUES

# SafeLoader's implicit types without the timestamp: dates stay text (engine/documents.py)
IMPLICIT_RESOLVERS = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_SAFE_DEPTH = MAX_DEPTH // 2
_OPEN = (yaml.MappingStartEvent, yaml.SequenceStartEvent)
_CLOSE = (yaml.MappingEndEvent, yaml.SequenceEndEvent)
_C_SAFE_LOADER: Any = getattr(yaml, "CSafeLoader", None)      # None: PyYAML built without libyaml


def _c_loader(text: str) -> Any:
    loader = _C_SAFE_LOADER(text)
    loader.yaml_implicit_resolvers = IMPLICIT_RESOLVERS
    return loader


def _measured(text: str, aliases: bool) -> tuple[bool, bool]:
    """(nested no deeper than the safe depth, and, when aliases are refused, with no anchor nor alias: the Python
    loader refuses those with its own message; bounded: with no alias and at most MAX_POLICY_VALUES nodes, so its
    expanded size is its count of nodes and nothing is left to count once it is composed)."""
    probe = _c_loader(text)
    depth = nodes = 0
    alias_met = False
    while True:
        event = probe.get_event()
        if event is None or isinstance(event, yaml.StreamEndEvent):
            return True, not alias_met and nodes <= MAX_POLICY_VALUES
        if isinstance(event, yaml.AliasEvent):
            alias_met = True
        if not aliases and (alias_met or getattr(event, "anchor", None) is not None):
            return False, False
        if isinstance(event, _OPEN):
            nodes += 1
            depth += 1
            if depth > _SAFE_DEPTH:
                return False, False
        elif isinstance(event, yaml.ScalarEvent):
            nodes += 1
        elif isinstance(event, _CLOSE):
            depth -= 1


def composed(text: str, *, aliases: bool = True) -> tuple[Any, Any, bool] | None:
    """(the root node, the loader that constructs its scalars, bounded: see _measured), or None: the Python loader
    decides."""
    if _C_SAFE_LOADER is None:
        return None
    try:
        shallow, bounded = _measured(text, aliases)
        if not shallow:
            return None
        loader = _c_loader(text)
        node = loader.get_single_node()
    except (yaml.YAMLError, ValueError):
        return None
    return (node, loader, bounded) if node is not None else None
