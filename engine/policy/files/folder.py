"""Reading a policy folder: parse each YAML file into one assembled dict, remembering where each part came from.

Nothing is checked here but the YAML itself; every problem is an Issue(file, line, path, message). Policy files are
regular files of bounded size inside the folder (a symbolic link may point within it, never out of it): a FIFO, a
device or a link to /dev/zero or /etc is refused unread (engine/documents.py).
"""
from __future__ import annotations

import json
from pathlib import Path

from jsonschema import Draft202012Validator

from ...documents import Document
from ...errors import Issue, json_path
from ...formats import FORMAT_CHECKER
from ...suggestions import unknown
from ..model.policy import SCHEMAS_DIR
from .reading import read_policy_file

FILES = ("politique", "articles", "calendrier", "evenements", "parametres", "statuts", "constats")
JOURNAL = "publications.yaml"   # the policy's publications (engine/policy/versions/publications.py), never read here
OPTIONAL_FILES = ("dossier", "faits")   # a policy may do without these (engine/evaluation/dossier.py, facts_schema.py)


_POLICY_VALIDATOR = None


def policy_validator() -> Draft202012Validator:
    global _POLICY_VALIDATOR
    if _POLICY_VALIDATOR is None:
        schema = json.loads((SCHEMAS_DIR / "policy.schema.json").read_text(encoding="utf-8"))
        _POLICY_VALIDATOR = Draft202012Validator(schema, format_checker=FORMAT_CHECKER)
    return _POLICY_VALIDATOR


class Sources:
    """Where each part of the assembled policy came from, to turn a JSON path into file:line."""

    def __init__(self):
        self.documents: dict[str, Document] = {}
        self.rule_origins: list[tuple[Document, int]] = []
        self.rule_documents: list[Document] = []

    def locate(self, path: tuple) -> tuple[str | None, int | None]:
        if not path:
            return None, None
        if path[0] == "regles" and len(path) > 1 and isinstance(path[1], int) and path[1] < len(self.rule_origins):
            document, index = self.rule_origins[path[1]]
            return document.source, document.line_of((index,) + tuple(path[2:]))
        found = self.documents.get(path[0])
        if found is None:
            return None, None
        return found.source, found.line_of(path[1:])

    def issue(self, path: tuple, message: str) -> Issue:
        file, line = self.locate(path)
        return Issue(json_path(path), message, file, line)


def read_policy_folder(directory: Path) -> tuple[dict, Sources, list[Issue]]:
    """Parse every file of a policy folder into one assembled dict (not yet checked)."""
    sources = Sources()
    issues: list[Issue] = []
    assembled: dict = {}
    for name in FILES + OPTIONAL_FILES:
        path = directory / f"{name}.yaml"
        if not path.exists() and not path.is_symlink():
            if name not in OPTIONAL_FILES:
                issues.append(Issue("", f"fichier de politique manquant : {name}.yaml", str(path)))
            continue
        document = read_policy_file(path, issues, within=directory)
        if document is not None:
            sources.documents[name] = document
            assembled[name] = document.data
    known = {f"{name}.yaml" for name in FILES + OPTIONAL_FILES} | {JOURNAL}    # the journal is no policy text
    for path in sorted(directory.glob("*.yaml")):
        if path.name not in known:
            issues.append(Issue("", unknown("fichier de politique inconnu, jamais lu :", path.name, known), str(path)))
    rules: list = []
    rule_files = sorted((directory / "regles").glob("*.yaml")) if (directory / "regles").is_dir() else []
    if not rule_files:
        issues.append(Issue("", "aucun fichier de règles (regles/*.yaml)", str(directory / "regles")))
    for path in rule_files:
        document = read_policy_file(path, issues, within=directory)
        if document is None:
            continue
        if not isinstance(document.data, list):
            issues.append(Issue("", "un fichier de règles contient une liste de règles (« - id: … »)", document.source, 1))
            continue
        sources.rule_documents.append(document)
        for index, rule in enumerate(document.data):
            rules.append(rule)
            sources.rule_origins.append((document, index))
    assembled["regles"] = rules
    return assembled, sources, issues
