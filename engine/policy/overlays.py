"""Policies that extend another one: an overlay folder holds only what it adds or replaces.

An overlay's `politique.yaml` names its base (`etend: <policy id>`) and its own id, version, title and instances.
Each other file it has is merged over the base's file of the same name:
  - mappings key by key; a key set to null is removed;
  - lists of items with an `id` (rules, criteria...) by id: the same id replaces the item, a new id is added,
    `{id: X, retirer: true}` removes X;
  - anything else is replaced.
Rules (`regles/*.yaml`) merge by id into the base's rules. The merged policy is then checked like any policy, plus
what the base forbids an extension to do (engine/policy/overlay_checks.py). Its revision hashes the base's revision with the
overlay's own content, so a change to either gives a new revision.
"""
from __future__ import annotations

import hashlib
import json
from pathlib import Path

from ..documents import Document, parse_yaml, parse_yaml_file, read_text
from ..errors import Issue, PolicyError, json_path
from .building import build_policy, load_policy
from .folder import FILES, read_policy_folder
from .model import Policy
from .overlay_checks import check_overlay

BASE_KEY = "etend"
REMOVE_MARK = "retirer"
OWN_KEYS = ("id", "version", "titre", "instances")   # what an overlay must say itself, never inherit
MAIN = "politique"


def extended_policy(folder: Path) -> str | None:
    """The id of the policy a folder extends, or None (a base policy, or an unreadable file reported elsewhere)."""
    text, _ = read_text(folder / f"{MAIN}.yaml")
    document, _ = parse_yaml(text, "") if text is not None else (None, [])
    data = document.data if document is not None else None
    value = data.get(BASE_KEY) if isinstance(data, dict) else None
    return value if isinstance(value, str) else None


def load_overlays(folders: list[Path], bases: list[Policy], directory: Path) -> tuple[list[Policy], list[Issue]]:
    """Load every overlay folder over its base (among `bases`, else a sibling folder of the one given)."""
    by_id = {policy.id: policy for policy in bases}
    overlays, issues = [], []
    for folder in folders:
        wanted = extended_policy(folder)
        base = by_id.get(wanted) or _sibling_base(folder, wanted, directory)
        where = str(folder / f"{MAIN}.yaml")
        if base is None:
            issues.append(Issue(f"{MAIN}.{BASE_KEY}", f"extends '{wanted}', which is not a policy of "
                                f"{directory} (known: {', '.join(sorted(by_id)) or 'none'})", where))
            continue
        if base.extends is not None:
            issues.append(Issue(f"{MAIN}.{BASE_KEY}", f"'{wanted}' is itself an extension: extend a base policy",
                                where))
            continue
        try:
            overlays.append(load_overlay(folder, base))
        except PolicyError as error:
            issues.extend(error.issues)
    return overlays, issues


def _sibling_base(folder: Path, wanted: str, directory: Path) -> Policy | None:
    """When one overlay folder is loaded alone, its base is looked for beside it."""
    if folder != directory:
        return None
    for candidate in sorted(folder.parent.glob(f"*/{MAIN}.yaml")):
        text, _ = read_text(candidate)
        document, _ = parse_yaml(text or "", str(candidate))
        if document and isinstance(document.data, dict) and document.data.get("id") == wanted \
                and BASE_KEY not in document.data:
            return load_policy(candidate.parent)
    return None


def load_overlay(folder: Path, base: Policy) -> Policy:
    """Merge an overlay folder over its base and check the result; raise PolicyError listing every problem."""
    documents, rule_documents, issues = _read_overlay(folder, base)
    if issues:
        raise PolicyError(issues)
    _, base_sources, _ = read_policy_folder(base.directory)
    merger = _Merger(base_sources)
    merged = {name: value for name, value in base.data.items() if name != "regles"}
    for name, document in documents.items():
        merged[name] = merger.merge(base.data.get(name), document.data, document, (), (name,), (name,))
    merged["regles"] = merger.merge_rules(base.data["regles"], rule_documents)
    sources = MergedSources(base_sources, merger.origins, merger.rule_origins)
    problems = list(merger.issues) + check_overlay(base, merged, documents, merger.removed, sources)
    return build_policy(folder, merged, sources, extends=base.id, revision=overlay_revision(base, documents, rule_documents),
                        problems=tuple(problems))


def overlay_revision(base: Policy, documents: dict, rule_documents: list) -> str:
    own = {"fichiers": {name: document.data for name, document in documents.items()},
           "regles": [document.data for document in rule_documents]}
    canonical = json.dumps([base.revision, own], sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return "sha256:" + hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _read_overlay(folder: Path, base: Policy) -> tuple[dict[str, Document], list[Document], list[Issue]]:
    issues: list[Issue] = []
    documents: dict[str, Document] = {}
    known = set(base.data) - {"regles"} | set(FILES)
    for path in sorted(folder.glob("*.yaml")):
        if path.stem not in known:
            issues.append(Issue("", f"unknown policy file {path.name} (known: {', '.join(sorted(known))})", str(path)))
            continue
        document = parse_yaml_file(path, issues)
        if document is None:
            continue
        if not isinstance(document.data, dict):
            issues.append(Issue("", "an overlay file holds a mapping, merged over the base's file", str(path), 1))
            continue
        documents[path.stem] = document
    main = documents.get(MAIN)
    if main is not None:
        for key in OWN_KEYS:
            if key not in main.data:
                issues.append(Issue(f"{MAIN}.{key}", f"an overlay states its own '{key}' (it is never inherited "
                                    "from the base)", main.source, 1))
    rule_documents = []
    for path in sorted((folder / "regles").glob("*.yaml")):
        document = parse_yaml_file(path, issues)
        if document is None:
            continue
        if not isinstance(document.data, list):
            issues.append(Issue("", "a rule file holds a list of rules", document.source, 1))
            continue
        rule_documents.append(document)
    return documents, rule_documents, issues



def _is_id_list(value) -> bool:
    return isinstance(value, list) and all(isinstance(item, dict) and "id" in item for item in value)


class _Merger:
    """Merges overlay data over base data, remembering where every merged part comes from."""

    def __init__(self, base_sources):
        self.base_sources = base_sources
        # merged path -> ("overlay", document, path in it) or ("base", None, path in the assembled base)
        self.origins: dict[tuple, tuple] = {}
        self.rule_origins: list[tuple[Document, int]] = []
        self.removed: list[tuple[tuple, Document, tuple, dict]] = []   # merged path, document, its path, base item
        self.issues: list[Issue] = []

    def merge(self, base, patch, document: Document, patch_path: tuple, merged_path: tuple, base_path: tuple):
        if isinstance(base, dict) and isinstance(patch, dict):
            out = dict(base)
            for key, value in patch.items():
                here = merged_path + (key,)
                if value is None:
                    if key in out:
                        self.removed.append((here, document, patch_path + (key,), out.pop(key)))
                elif key in base:
                    out[key] = self.merge(base[key], value, document, patch_path + (key,), here, base_path + (key,))
                else:
                    out[key] = value
                    self.origins[here] = ("overlay", document, patch_path + (key,))
            return out
        if _is_id_list(base) and _is_id_list(patch):
            items = [(item, ("base", None, base_path + (index,))) for index, item in enumerate(base)]
            merged = self._merge_by_id(items, [(item, document, patch_path + (index,)) for index, item in enumerate(patch)],
                                       merged_path)
            for index, (_, origin) in enumerate(merged):
                self.origins[merged_path + (index,)] = origin
            return [item for item, _ in merged]
        self.origins[merged_path] = ("overlay", document, patch_path)
        return patch

    def merge_rules(self, base_rules: list, documents: list[Document]) -> list:
        items = [(rule, ("rule", *self.base_sources.rule_origins[index])) for index, rule in enumerate(base_rules)]
        patch = [(rule, document, (index,)) for document in documents for index, rule in enumerate(document.data)]
        merged = self._merge_by_id(items, patch, ("regles",))
        self.rule_origins = [(origin[1], origin[2]) if origin[0] == "rule" else (origin[1], origin[2][0])
                             for _, origin in merged]
        return [rule for rule, _ in merged]

    def _merge_by_id(self, items: list, patch: list, merged_path: tuple) -> list:
        position = {item.get("id"): index for index, (item, _) in enumerate(items)}
        out = list(items)
        dropped = set()
        for item, document, path in patch:
            item_id = item.get("id") if isinstance(item, dict) else None
            if not isinstance(item, dict) or item_id is None:
                out.append((item, ("overlay", document, path)))
                continue
            if item.get(REMOVE_MARK) is True:
                if item_id not in position:
                    self.issues.append(Issue(json_path(merged_path), f"cannot remove '{item_id}': the base has no "
                                             "such item", document.source, document.line_of(path)))
                else:
                    dropped.add(item_id)
                    self.removed.append((merged_path + (item_id,), document, path, items[position[item_id]][0]))
                continue
            if item_id in position:
                out[position[item_id]] = (item, ("overlay", document, path))
            else:
                position[item_id] = len(out)
                out.append((item, ("overlay", document, path)))
        return [entry for entry in out if not (isinstance(entry[0], dict) and entry[0].get("id") in dropped)]


class MergedSources:
    """Turns a JSON path of the merged policy into the file and line it was written at (overlay or base)."""

    def __init__(self, base_sources, origins: dict, rule_origins: list):
        self.base = base_sources
        self.documents = base_sources.documents
        self.origins = origins
        self.rule_origins = rule_origins

    def locate(self, path: tuple) -> tuple[str | None, int | None]:
        path = tuple(path)
        if not path:
            return None, None
        if path[0] == "regles" and len(path) > 1 and isinstance(path[1], int) and path[1] < len(self.rule_origins):
            document, index = self.rule_origins[path[1]]
            return document.source, document.line_of((index,) + path[2:])
        for size in range(len(path), 0, -1):
            origin = self.origins.get(path[:size])
            if origin is not None:
                kind, document, where = origin
                if kind == "overlay":
                    return document.source, document.line_of(where + path[size:])
                return self.base.locate(where + path[size:])
        # a part the overlay changed deeper down (e.g. only a parameter's values): the overlay's line for it
        below = sorted((origin_path, origin) for origin_path, origin in self.origins.items()
                       if origin[0] == "overlay" and origin_path[:len(path)] == path and len(origin_path) > len(path))
        if below:
            origin_path, (_, document, where) = below[0]
            return document.source, document.line_of(where[:len(where) - (len(origin_path) - len(path))])
        return self.base.locate(path)

    def issue(self, path: tuple, message: str) -> Issue:
        file, line = self.locate(path)
        return Issue(json_path(path), message, file, line)
