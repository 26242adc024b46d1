"""Policy sets kept per process, keyed by their folder's content: a command run again in the same process (the
tests call the CLI in-process, `clea test` per folder) reuses the set loaded from the same bytes, and loads again as
soon as one file of the folder changes (its content, its name, a file added or removed)."""
from __future__ import annotations

import hashlib
import os
from collections import OrderedDict
from pathlib import Path

from ..model.policy import PolicySet
from .sets import load_policies

_KEPT = 8
_sets: OrderedDict[tuple[str, str], PolicySet] = OrderedDict()


def content_hash(directory: Path) -> str:
    """A hash of every file under directory: its path relative to it and its bytes."""
    digest = hashlib.sha256()
    for folder, subfolders, files in os.walk(directory):
        subfolders[:] = sorted(name for name in subfolders if name != "__pycache__")
        for name in sorted(files):
            path = Path(folder, name)
            digest.update(str(path.relative_to(directory)).encode("utf-8", "surrogateescape") + b"\0")
            try:
                digest.update(path.read_bytes())
            except OSError:
                digest.update(b"\1unreadable")
            digest.update(b"\0")
    return digest.hexdigest()


def load_policies_cached(directory: str | Path) -> PolicySet:
    """load_policies(directory), or the set already loaded from the same content (a PolicyError is never kept)."""
    folder = Path(directory)
    if not folder.is_dir():
        return load_policies(folder)
    key = (str(folder.resolve()), content_hash(folder))
    found = _sets.get(key)
    if found is None:
        found = load_policies(folder)
        _sets[key] = found
        while len(_sets) > _KEPT:
            _sets.popitem(last=False)
    else:
        _sets.move_to_end(key)
    return found
