"""A policy's cases: the files a PATH names, parsed with the line of every value, and checked for shape.

A case lives with the policy it tests (`<policies>/<id>/tests/*.yaml`) in the format of schemas/case.schema.json:
nom, article, date, faits, attendu (and en_attente). A case that cannot be read, or whose `attendu` holds a key the
runner does not know, is malformed: it is reported with file:line, never run and never silently half-checked.
"""
from __future__ import annotations

import copy
import json
import re
from dataclasses import dataclass
from pathlib import Path

from jsonschema import Draft202012Validator

from ..documents import Document, parse_yaml_file
from ..errors import Issue, json_path
from ..formats import FORMAT_CHECKER
from ..policy import PolicySet, schemas_dir
from ..schema_messages import listed, schema_message, shown

CASES_FOLDER = "tests"
MAIN_FILE = "politique.yaml"
_SEPARATORS = re.compile(r"[,;\s]+")


@dataclass
class Case:
    """One well-formed case file."""

    file: str
    document: Document

    @property
    def data(self) -> dict:
        return self.document.data

    @property
    def name(self) -> str:
        return self.data["nom"]

    @property
    def date(self) -> str:
        return self.data["date"]

    @property
    def facts(self) -> dict:
        return self.data["faits"]

    @property
    def expected(self) -> dict:
        return self.data["attendu"]

    @property
    def pending(self) -> str | None:
        return self.data.get("en_attente")

    @property
    def withdrawn(self) -> str | None:
        """The motif of `retire: {motif}`: the case is not run."""
        mark = self.data.get("retire")
        return str(mark["motif"]) if isinstance(mark, dict) and mark.get("motif") else None

    @property
    def articles(self) -> list[str]:
        return articles_of(self.data)

    @property
    def line(self) -> int:
        return self.document.line_of(()) or 1

    def line_of(self, path: tuple) -> int | None:
        return self.document.line_of(path)


def articles_of(data: dict) -> list[str]:
    raw = data.get("article")
    items = raw if isinstance(raw, list) else [raw] if isinstance(raw, str) else []
    return [part for item in items for part in _SEPARATORS.split(item) if part]


# --- where cases are -----------------------------------------------------------------------------------------------

def case_files(path: Path) -> list[Path]:
    """The case files a PATH names: a case file; a policy folder (its tests/); a folder of policies (each one's
    tests/); any other folder (its *.yaml)."""
    if path.is_file():
        return [path]
    if (path / MAIN_FILE).exists():
        return sorted((path / CASES_FOLDER).glob("*.yaml"))
    if any(path.glob(f"*/{MAIN_FILE}")):
        return sorted(path.glob(f"*/{CASES_FOLDER}/*.yaml"))
    return sorted(path.glob("*.yaml"))


def policies_root(path: Path) -> Path | None:
    """The folder of policies a PATH belongs to: the nearest folder, the path itself or above, holding policy
    folders (*/politique.yaml). None when there is none."""
    start = path.resolve()
    for folder in [start, *start.parents]:
        if folder.is_dir() and any(folder.glob(f"*/{MAIN_FILE}")):
            return folder
    return None


# --- reading one -----------------------------------------------------------------------------------------------------

class CaseReader:
    """Parses and checks case files against the case schema, completed with the names the policies give: the
    period's key in `attendu` and the amount fields of fees."""

    def __init__(self, policies: PolicySet):
        schema = json.loads((schemas_dir() / "case.schema.json").read_text(encoding="utf-8"))
        schema = copy.deepcopy(schema)
        definitions = schema["$defs"]
        for policy in policies:
            period = policy.status_model.period_name
            if period:
                definitions["attendu"]["properties"][period] = {"$ref": "#/$defs/periode"}
            scope = policy.head.scope
            if scope is not None:
                definitions["periode"]["properties"][scope.name] = {"type": "string"}
            for unit in policy.head.currencies.values():
                definitions["frais"]["properties"][unit.amount_field] = {"$ref": "#/$defs/montant"}
        self.validator = Draft202012Validator(schema, format_checker=FORMAT_CHECKER)
        self.articles = {article for policy in policies for article in policy.raw["articles"]}

    def read(self, path: Path) -> tuple[Case | None, list[Issue]]:
        issues: list[Issue] = []
        document = parse_yaml_file(path, issues)
        if document is None:
            return None, issues
        if not isinstance(document.data, dict):
            return None, issues + [Issue("", "un cas est un objet : nom, article, date, faits, attendu", str(path), 1)]
        issues += [Issue(json_path(where), message, str(path), document.line_of(where))
                   for where, message in self._problems(document.data)]
        return (None if issues else Case(str(path), document)), issues

    def _problems(self, data: dict):
        errors = [leaf for error in self.validator.iter_errors(data) for leaf in _leaves(error)]
        for error in sorted(errors, key=lambda e: list(map(str, e.absolute_path))):
            if error.validator == "additionalProperties":
                known = sorted(error.schema.get("properties", {}))
                for key in sorted(set(error.instance) - set(known)):
                    yield tuple(error.absolute_path) + (key,), f"champ inconnu (champs admis ici : {', '.join(known)})"
                continue
            yield tuple(error.absolute_path), schema_message(error)
        expected = data.get("attendu")
        if isinstance(expected, dict) and "erreur" in expected and len(expected) > 1:
            others = ", ".join(sorted(set(expected) - {"erreur"}))
            yield ("attendu",), f"'erreur' (des faits invalides : pas de verdict) ne va pas avec : {others}"
        for article in articles_of(data) if isinstance(data.get("article"), (str, list)) else []:
            if article not in self.articles:
                yield ("article",), (f"section inconnue : {shown(article)} (sections des articles.yaml des "
                                     f"politiques : {listed(sorted(self.articles), 40)})")


def _leaves(error):
    """The errors to show for one error: for a value that fits none of a `oneOf`, those of the alternative of its
    type (an object checked as an object), else the most relevant one."""
    if not error.context:
        yield error
        return
    branches: dict = {}
    for sub in error.context:
        branches.setdefault(sub.schema_path[0], []).append(sub)
    fitting = [subs for subs in branches.values()
               if not any(s.validator in ("type", "const") and not s.relative_path for s in subs)]
    if len(fitting) == 1:
        for sub in fitting[0]:
            yield from _leaves(sub)
    else:
        yield error
