"""Policies that extend another one: an overlay folder holds only what it adds or replaces.

An overlay's `politique.yaml` names its base (`etend: <policy id>`) and its own id, version, title and instances.
Each other file it has is merged over the base's file of the same name:
  - mappings key by key; a key set to null is removed;
  - lists of items with an `id` (rules, criteria...) by id: the same id replaces the item, a new id is added,
    `{id: X, retirer: true}` removes X;
  - a parameter's dated values by date: its own value on a date replaces the base's on that date, the base's other
    values stay in force (a value it dates from 2027 leaves the base's in force before 2027);
  - anything else is replaced.
Rules (`regles/*.yaml`) merge by id into the base's rules. The merged policy is then checked like any policy, plus
what the base allows an extension to do (engine/policy/overlay_checks.py). Its revision hashes the base's revision
with the overlay's own content, so a change to either gives a new revision.
"""
from __future__ import annotations

import hashlib
import json
from collections.abc import Set as AbstractSet
from pathlib import Path

from ...documents import Document
from ...errors import Issue, PolicyError
from ...suggestions import unknown
from ..checks.overlays import check_overlay
from ..files.folder import FILES, JOURNAL, OPTIONAL_FILES
from ..files.merging import MergedSources, Merger
from ..files.reading import read_head, read_policy_file
from ..model.policy import Policy
from ..versions.snapshots import snapshot_of
from .building import build_policy, load_policy

BASE_KEY = "etend"
OWN_KEYS = ("id", "version", "titre", "instances")   # what an overlay must say itself, never inherit
MAIN = "politique"


def policy_head(folder: Path) -> tuple[dict, Document | None]:
    """A folder's politique.yaml as raw data ({} when unreadable: reported when the folder is loaded)."""
    data, document = read_head(folder / f"{MAIN}.yaml")
    return (data, document) if isinstance(data, dict) else ({}, None)


def extended_policy(folder: Path) -> str | None:
    """The id of the policy a folder extends, or None (a base policy, or an unreadable file reported elsewhere)."""
    value = policy_head(folder)[0].get(BASE_KEY)
    return value if isinstance(value, str) else None


def load_overlays(folders: list[Path], bases: list[Policy], directory: Path, *, broken: AbstractSet[str] = frozenset(),
                  heads: dict[str, Path] | None = None) -> tuple[list[Policy], list[Issue]]:
    """Load every overlay folder over its base (among `bases`, else a sibling folder of the one given).

    broken: ids of base policies that failed (their problems are reported once, with their own files);
    heads: id -> folder of every policy folder read (a base's folder when an id is also an overlay's)."""
    by_id = {policy.id: policy for policy in bases}
    heads = dict(heads or {})
    if folders == [directory]:      # one overlay folder validated alone: its base is looked for beside it
        heads = {**_siblings(directory), **heads}
    broken = set(broken)
    overlays, issues = [], []
    for folder in folders:
        wanted = extended_policy(folder)
        document = policy_head(folder)[1]
        where, line = str(folder / f"{MAIN}.yaml"), document.line_of((BASE_KEY,)) if document else None
        parent = extended_policy(heads[wanted]) if wanted in heads else None
        if wanted not in by_id and wanted in heads and parent is None and wanted not in broken:
            try:
                by_id[wanted] = load_policy(heads[wanted])
            except PolicyError as error:
                issues.extend(error.issues)
                broken.add(wanted)
        if wanted in broken:
            issues.append(Issue(f"{MAIN}.{BASE_KEY}", f"la politique de base '{wanted}' a des erreurs (listées avec "
                                "ses propres fichiers) : corrigez-les d'abord ; cette extension sera vérifiée ensuite",
                                where, line))
        elif parent is not None:
            issues.append(Issue(f"{MAIN}.{BASE_KEY}", f"'{wanted}' est elle-même une extension (elle étend "
                                f"'{parent}') : une extension étend une politique de base, jamais une autre "
                                f"extension ; écrivez {BASE_KEY}: {parent}", where, line))
        elif wanted not in by_id:
            issues.append(Issue(f"{MAIN}.{BASE_KEY}", unknown("étend une politique inconnue", wanted, by_id,
                                                             f" (aucune politique de {directory} n'a cet id)"), where, line))
        else:
            try:
                overlays.append(load_overlay(folder, by_id[wanted]))
            except PolicyError as error:
                issues.extend(error.issues)
    return overlays, issues


def _siblings(folder: Path) -> dict[str, Path]:
    """id -> folder of the policy folders beside this one."""
    out: dict[str, Path] = {}
    for candidate in sorted(folder.parent.glob(f"*/{MAIN}.yaml")):
        policy_id = policy_head(candidate.parent)[0].get("id")
        if candidate.parent != folder and isinstance(policy_id, str):
            out.setdefault(policy_id, candidate.parent)
    return out


def load_overlay(folder: Path, base: Policy) -> Policy:
    """Merge an overlay folder over its base and check the result; raise PolicyError listing every problem."""
    documents, rule_documents, issues = _read_overlay(folder, base)
    snapshot = snapshot_of(folder, documents, rule_documents, issues)
    if issues:
        raise PolicyError(issues)
    merger = Merger(base.sources)
    merged = {name: value for name, value in base.raw.items() if name != "regles"}
    for name, document in documents.items():
        merged[name] = merger.merge(base.raw.get(name), document.data, document, (), (name,), (name,))
    merged["regles"] = merger.merge_rules(base.raw["regles"], rule_documents)
    sources = MergedSources(base.sources, merger.origins, merger.rule_origins)
    problems = list(merger.issues) + check_overlay(base, merged, merger.removed, sources)
    return build_policy(folder, merged, sources, base=base, snapshot=snapshot, problems=tuple(problems),
                        revision=overlay_revision(base, documents, rule_documents))


def overlay_revision(base: Policy, documents: dict, rule_documents: list) -> str:
    own = {"fichiers": {name: document.data for name, document in documents.items()},
           "regles": [document.data for document in rule_documents]}
    canonical = json.dumps([base.revision, own], sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return "sha256:" + hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _read_overlay(folder: Path, base: Policy) -> tuple[dict[str, Document], list[Document], list[Issue]]:
    issues: list[Issue] = []
    documents: dict[str, Document] = {}
    known = set(base.raw) - {"regles"} | set(FILES) | set(OPTIONAL_FILES)
    for path in sorted(folder.glob("*.yaml")):
        if path.name == JOURNAL:
            continue
        if path.stem not in known:
            issues.append(Issue("", unknown("fichier de politique inconnu", path.name, {f"{k}.yaml" for k in known}),
                                str(path)))
            continue
        document = read_policy_file(path, issues)
        if document is None:
            continue
        if not isinstance(document.data, dict):
            issues.append(Issue("", "un fichier d'extension contient des clés (un mapping), fusionnées sur le fichier "
                                "de même nom de la base", str(path), 1))
            continue
        documents[path.stem] = document
    main = documents.get(MAIN)
    if main is not None:
        for key in OWN_KEYS:
            if key not in main.data:
                issues.append(Issue(f"{MAIN}.{key}", f"une extension donne son propre '{key}' (il ne s'hérite jamais "
                                    "de la base)", main.source, 1))
    rule_documents = []
    for path in sorted((folder / "regles").glob("*.yaml")):
        document = read_policy_file(path, issues, within=folder)
        if document is None:
            continue
        if not isinstance(document.data, list):
            issues.append(Issue("", "un fichier de règles contient une liste de règles (« - id: … »)",
                                document.source, 1))
            continue
        rule_documents.append(document)
    return documents, rule_documents, issues
