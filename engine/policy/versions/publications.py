"""The published baseline: each policy's journal of publications (`<policy>/publications.yaml`), written by
`clea policy publish`, and the snapshots of its last published revision, which the history check compares with.

    - commit: 0123…(40 hex)        the git commit whose files were published (they served verdicts)
      revision: sha256:…           the policy's revision (its content hash) at that commit
      date: 2026-12-01             the day of the publication
      decision: <the decision's reference, as the policy's board names it>

The journal only grows: an entry changed or removed, or one naming a commit the repository does not know, is
refused. Because the baseline is the published commit, not HEAD, committing a change before validating it, or
restarting the service instead of reloading it, no longer escapes the check.
"""
from __future__ import annotations

from contextlib import ExitStack
from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise
from pathlib import Path

from ...documents import parse_yaml, read_text
from ...errors import Issue, PolicyError
from ..files.folder import JOURNAL
from ..model.display import day_text
from .snapshots import Snapshot, link, read_snapshots
from .sources import _git, git_location, policies_at, revision_exists


@dataclass(frozen=True)
class Publication:
    commit: str
    revision: str
    day: str
    decision: str


def read_journal(folder: Path) -> tuple[list[Publication], list[Issue]]:
    """A policy folder's publications, oldest first, and the problems of the journal's shape."""
    path = folder / JOURNAL
    if not path.exists():
        return [], []
    text, problems = read_text(path)
    if text is None:
        return [], problems
    document, issues = parse_yaml(text, str(path))
    if document is None:
        return [], issues
    if not isinstance(document.data, list):
        return [], [Issue("publications", "le journal des publications est une liste (une entrée par publication, "
                          "écrite par `clea policy publish`)", str(path), 1)]
    found: list[Publication] = []
    for index, entry in enumerate(document.data):
        keys = ("commit", "revision", "date", "decision")
        if not isinstance(entry, dict) or any(entry.get(key) is None or not str(entry[key]).strip()
                                                   for key in keys):
            issues.append(Issue(f"publications[{index}]", "une publication a son commit, sa révision, sa date et sa "
                                "décision (commit, revision, date, decision)", str(path), document.line_of((index,))))
            continue
        found.append(Publication(*(str(entry[key]) for key in keys)))
    return found, issues


def journal_problems(folder: Path) -> list[Issue]:
    """A journal rewritten (an entry changed or removed, on disk or in any commit since it was first written) or
    naming an unknown commit."""
    publications, issues = read_journal(folder)
    path = str(folder / JOURNAL)
    location = git_location(folder)
    if location is None:
        return issues
    root, prefix = location
    for index, publication in enumerate(publications):
        if not revision_exists(root, publication.commit):
            issues.append(Issue(f"publications[{index}].commit", f"la publication du {day_text(publication.day)} "
                                f"nomme le commit {publication.commit}, que le dépôt ne connaît pas : une publication "
                                "nomme une révision publiée ; écrivez-la avec `clea policy publish`", path))
    name = f"{prefix}/{JOURNAL}" if prefix else JOURNAL
    commits, _ = _git(root, "log", "--format=%H", "--", name)
    versions = [_entries(_git(root, "show", f"{commit}:{name}")[0], path) for commit in reversed((commits or "").split())]
    text, _ = read_text(folder / JOURNAL) if (folder / JOURNAL).exists() else ("", [])
    versions.append(_entries(text, path))
    if any(newer[:len(older)] != older for older, newer in pairwise(versions)):
        issues.append(Issue("publications", "le journal des publications a été réécrit : une publication passée "
                            "a été modifiée ou retirée ; il ne fait que grandir — remettez les entrées publiées "
                            "et ajoutez la nouvelle à la fin (`clea policy publish`)", path, 1))
    return issues


def _entries(text: str | None, path: str) -> list:
    """A journal's entries as written (none when absent or unreadable)."""
    document, _ = parse_yaml(text or "", path)
    return document.data if document is not None and isinstance(document.data, list) else []


def policy_folders(directory: Path) -> list[Path]:
    """The policy folders under directory (or directory itself)."""
    if (directory / "politique.yaml").exists():
        return [directory]
    return sorted(path.parent for path in directory.glob("*/politique.yaml"))


def published_baseline(folders: list[Path], stack: ExitStack) -> tuple[dict[str, Snapshot], list[str]]:
    """The snapshot of each policy as last published (read at its commit), by id; notes saying what was compared.
    A policy never published has none (the caller compares it with what it has, or not at all)."""
    found: list[Snapshot] = []
    notes: list[str] = []
    for folder in folders:
        publications, _ = read_journal(folder)
        location = git_location(folder) if publications else None
        if not publications or location is None or not revision_exists(location[0], publications[-1].commit):
            continue
        last = publications[-1]
        spec = f"{last.commit}:{location[1]}" if location[1] else f"{last.commit}:"
        try:
            snapshots = read_snapshots(stack.enter_context(policies_at(spec, folder, JOURNAL)))
        except PolicyError:           # a published revision that cannot be read: journal_problems says why
            continue
        for snapshot in snapshots.values():
            if snapshot.folder.name == folder.name:
                found.append(snapshot)
                notes.append(f"historique : {snapshot.id} comparé à sa publication du {day_text(last.day)} ({last.decision}, "
                             f"commit {last.commit[:12]})")
    linked = link(found)
    return linked, notes


def append_publication(folder: Path, commit: str, revision: str, day: str, decision: str) -> Path:
    """Add an entry to a policy folder's journal (`clea policy publish`, and an approved proposal); returns its path.
    The journal is only appended to: its earlier entries stay as written."""
    journal = folder / JOURNAL
    text = journal.read_text(encoding="utf-8") if journal.exists() else (
        "# Publications of this policy (clea policy publish): the history check compares with the last one.\n")
    escaped = decision.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ")
    text += (f"- commit: \"{commit}\"\n  revision: \"{revision}\"\n  date: \"{day}\"\n"
             f"  decision: \"{escaped}\"\n")
    journal.write_text(text, encoding="utf-8")
    return journal


def revision_labels(folder: Path, revisions: list[dict]) -> list[dict]:
    """Each revision of a policies folder (recent_revisions) labelled by what a board knows it by: the version of each
    policy at that commit and, if it was published, the day and decision (`libelle`, `versions`, `publication`)."""
    published: dict[str, list[str]] = {}
    for policy_folder in policy_folders(folder):
        for entry in read_journal(policy_folder)[0]:
            published.setdefault(entry.commit, []).append(f"publiée le {day_text(entry.day)} ({entry.decision})")
    location = git_location(folder)
    out = []
    for revision in revisions:
        versions = _versions_at(location[0], location[1], revision["id"]) if location else ()
        said = "; ".join(dict.fromkeys(published.get(revision["id"], [])))
        label = ", ".join(f"{policy_id} {version}" for policy_id, version in versions) or revision["id"][:10]
        out.append({**revision, "versions": dict(versions), "publication": said or None,
                    "libelle": f"{label} — {said}" if said else label})
    return out


@lru_cache(maxsize=256)
def _versions_at(root: Path, prefix: str, commit: str) -> tuple[tuple[str, str], ...]:
    """(policy id, version) of each policy of the folder at a commit (its content never changes: cached)."""
    listing, _ = _git(root, "ls-tree", "--name-only", f"{commit}:{prefix}" if prefix else f"{commit}^{{tree}}")
    found = []
    for name in (listing or "").split("\n"):
        text, _ = _git(root, "show", f"{commit}:{prefix + '/' if prefix else ''}{name}/politique.yaml") if name \
            else (None, "")
        document, _ = parse_yaml(text or "", "politique.yaml") if text else (None, [])
        data = document.data if document is not None else None
        if isinstance(data, dict) and isinstance(data.get("id"), str):
            found.append((data["id"], str(data.get("version", ""))))
    return tuple(sorted(found))
