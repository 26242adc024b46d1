"""Where a version of the policies comes from: a folder, or a git revision of one read into a temporary folder.

A source is written the way git users expect:
    a path to an existing folder        that folder as it is on disk
    REV                                 the same folder as `reference` (the policies folder), at revision REV
    REV:PATH                            PATH (relative to the repository's root) at revision REV
Revisions are read with `git archive` into a temporary folder that is removed afterwards; nothing is checked out.
"""
from __future__ import annotations

import io
import subprocess
import tarfile
import tempfile
from contextlib import contextmanager
from pathlib import Path

from ...documents import parse_yaml, read_text
from ...errors import FactsError, Issue


class SourceError(FactsError):
    """A source that is neither a folder nor a readable git revision (bad input: exit 2)."""


def _git(cwd: Path, *args: str, binary: bool = False):
    try:
        done = subprocess.run(["git", "-C", str(cwd), *args], capture_output=True, check=False, timeout=60)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return None, str(exc)
    if done.returncode != 0:
        return None, done.stderr.decode("utf-8", "replace").strip()
    return (done.stdout if binary else done.stdout.decode("utf-8").strip()), ""


def git_location(folder: Path) -> tuple[Path, str] | None:
    """(repository root, folder's path inside it) when folder is inside a git work tree, else None."""
    folder = folder if folder.is_dir() else folder.parent
    root, _ = _git(folder, "rev-parse", "--show-toplevel")
    if not root:
        return None
    prefix, _ = _git(folder, "rev-parse", "--show-prefix")
    return Path(root), (prefix or "").rstrip("/")


def revision_exists(root: Path, revision: str) -> bool:
    found, _ = _git(root, "rev-parse", "--verify", "--quiet", f"{revision}^{{commit}}")
    return bool(found)


def path_in_revision(root: Path, revision: str, path: str) -> bool:
    found, _ = _git(root, "cat-file", "-e", f"{revision}:{path}" if path else f"{revision}^{{tree}}")
    return found is not None


@contextmanager
def policies_at(spec: str, reference: Path, label: str, *, with_references: bool = False):
    """Yield the folder a source spec names (see the module's doc); raise SourceError naming `label` if none.
    with_references: a revision comes with the files its policies refer to outside their folder (the facts schema
    each `politique.yaml` names, as of that revision), so that it can be loaded and evaluated."""
    as_path = Path(spec)
    if as_path.is_dir():
        yield as_path
        return
    location = git_location(reference)
    if location is None:
        raise SourceError([Issue(label, f"'{spec}' n'est pas un dossier, et {reference} n'est pas dans un "
                                 "dépôt git où lire une révision")])
    root, prefix = location
    revision, _, path = spec.partition(":")
    path = path.strip("/") if ":" in spec else prefix
    if not revision_exists(root, revision):
        raise SourceError([Issue(label, f"'{spec}' n'est ni un dossier ni une révision git de {root}")])
    if not path_in_revision(root, revision, path):
        raise SourceError([Issue(label, f"'{path or '.'}' n'existe pas à la révision {revision}")])
    with tempfile.TemporaryDirectory(prefix="clea-policies-") as tmp:
        folder = extract(root, revision, path, Path(tmp))
        if with_references:
            for reference_path in _references(folder, Path(tmp)):
                if path_in_revision(root, revision, reference_path):
                    extract(root, revision, reference_path, Path(tmp))
        yield folder


def _references(folder: Path, top: Path) -> set[str]:
    """Paths, relative to the repository's root, of the facts schemas the policies under folder name."""
    found = set()
    for main in [folder / "politique.yaml", *folder.glob("*/politique.yaml")]:
        text, _ = read_text(main)
        document, _ = parse_yaml(text or "", str(main))
        data = document.data if document is not None else None
        named = data.get("schema_faits") if isinstance(data, dict) else None
        if isinstance(named, str):
            target = (main.parent / named).resolve()
            if target.is_relative_to(top.resolve()):
                found.add(target.relative_to(top.resolve()).as_posix())
    return found


def extract(root: Path, revision: str, path: str, target: Path) -> Path:
    """Write `path` as of `revision` under target (with `git archive`); return the folder it is in."""
    data, error = _git(root, "archive", "--format=tar", revision, *([path] if path else []), binary=True)
    if data is None:
        raise SourceError([Issue(revision, f"impossible de lire {path or '.'} à la révision {revision} : {error}")])
    with tarfile.open(fileobj=io.BytesIO(data)) as archive:
        archive.extractall(target, filter="data")
    return target / path if path else target


def resolve_revision(root: Path, revision: str) -> str | None:
    """The commit id a revision names (HEAD~1, a tag, a short id), or None; never reads an option or a path."""
    if not revision or revision.startswith("-") or ":" in revision:
        return None
    found, _ = _git(root, "rev-parse", "--verify", "--quiet", "--end-of-options", f"{revision}^{{commit}}")
    return found or None


def recent_revisions(folder: Path, limit: int = 30) -> list[dict]:
    """The last commits that changed a policies folder, newest first: {'id', 'date', 'titre'}; [] outside git."""
    location = git_location(folder)
    if location is None:
        return []
    root, prefix = location
    found, _ = _git(root, "log", f"-n{int(limit)}", "--format=%H%x09%cs%x09%s", "--", prefix or ".")
    revisions = []
    for line in (found or "").splitlines():
        commit, day, title = (line.split("\t", 2) + ["", ""])[:3]
        revisions.append({"id": commit, "date": day, "titre": title})
    return revisions
