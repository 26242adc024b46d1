"""A policy folder read as plain data, without checking it: what `policy diff` and the history check compare.

Reading without the schema lets an old revision be compared even when the schema has moved on since. Each part
keeps where it was written (file, line) so the history check can point at the line to fix.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..documents import Document, parse_yaml_file
from ..errors import Issue, PolicyError
from .parameters import flatten_tree

MAIN_FILE = "politique.yaml"
RULES_FOLDER = "regles"
CRITERIA_KEY = "criteres"


@dataclass
class Located:
    data: object
    document: Document
    path: tuple

    def line(self, *more) -> int | None:
        return self.document.line_of(self.path + tuple(more))

    @property
    def file(self) -> str:
        return self.document.source


@dataclass
class Snapshot:
    id: str
    folder: Path
    politique: dict
    files: dict[str, object] = field(default_factory=dict)          # file stem -> data (rules apart)
    parameters: dict[str, Located] = field(default_factory=dict)    # dotted id (the folder is the namespace) -> its node
    rules: dict[str, Located] = field(default_factory=dict)
    criteria: dict[str, Located] = field(default_factory=dict)
    base: "Snapshot | None" = None                                  # the policy it extends, when read with it

    @property
    def version(self) -> str:
        return str(self.politique.get("version", ""))

    @property
    def extends(self) -> str | None:
        return self.politique.get("etend")

    def inherit(self, base: "Snapshot") -> None:
        """An overlay names only what it changes: a parameter's title, article and unit come from its base."""
        self.base = base
        for parameter_id, located in self.parameters.items():
            inherited = base.parameters.get(parameter_id)
            if inherited is not None and isinstance(located.data, dict):
                located.data = {**inherited.data, **located.data}


def read_snapshots(directory: Path) -> dict[str, Snapshot]:
    """Every policy folder under directory (or directory itself), by policy id. Raises PolicyError on unreadable YAML."""
    if (directory / MAIN_FILE).exists():
        folders = [directory]
    else:
        folders = sorted(path.parent for path in directory.glob(f"*/{MAIN_FILE}"))
    issues: list[Issue] = []
    out: dict[str, Snapshot] = {}
    for folder in folders:
        snapshot = read_snapshot(folder, issues)
        if snapshot is not None:
            out[snapshot.id] = snapshot
    if issues:
        raise PolicyError(issues)
    for snapshot in out.values():
        base = out.get(snapshot.extends) if snapshot.extends else None
        if base is not None:
            snapshot.inherit(base)
    return out


def read_snapshot(folder: Path, issues: list[Issue]) -> Snapshot | None:
    documents: dict[str, Document] = {}
    for path in sorted(folder.glob("*.yaml")):
        document = parse_yaml_file(path, issues)
        if document is not None:
            documents[path.stem] = document
    main = documents.get("politique")
    if main is None or not isinstance(main.data, dict) or not isinstance(main.data.get("id"), str):
        issues.append(Issue("politique.id", "a policy needs an id", str(folder / MAIN_FILE)))
        return None
    snapshot = Snapshot(main.data["id"], folder, main.data, {stem: doc.data for stem, doc in documents.items()})
    parameters = documents.get("parametres")
    if parameters is not None and isinstance(parameters.data, dict):
        for path, node in flatten_tree(parameters.data).items():
            snapshot.parameters[".".join(path)] = Located(node, parameters, path)
    for document in documents.values():
        if isinstance(document.data, dict) and CRITERIA_KEY in document.data:
            _collect(document, document.data[CRITERIA_KEY], (CRITERIA_KEY,), snapshot.criteria)
    for path in sorted((folder / RULES_FOLDER).glob("*.yaml")):
        document = parse_yaml_file(path, issues)
        if document is not None and isinstance(document.data, list):
            for index, rule in enumerate(document.data):
                if isinstance(rule, dict) and "id" in rule:
                    snapshot.rules[str(rule["id"])] = Located(rule, document, (index,))
    return snapshot


def _collect(document: Document, data, path: tuple, into: dict) -> None:
    """Criteria (under a `criteres` key of any file) are a list of specs with an `id`, or a mapping id -> spec."""
    if isinstance(data, dict):
        for key, spec in data.items():
            if isinstance(spec, dict):
                into[key] = Located(spec, document, path + (key,))
    elif isinstance(data, list):
        for index, spec in enumerate(data):
            if isinstance(spec, dict) and "id" in spec:
                into[str(spec["id"])] = Located(spec, document, path + (index,))

