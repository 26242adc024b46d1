"""Where proposals live: a state folder beside the service's data, never the serving policies folder.

    <folder>/verrou                     a lock file: one change at a time, across the workers of one service
    <folder>/<id>/proposition.json      the proposal (engine/proposals/model.py), rewritten atomically
    <folder>/<id>/politiques/           its working copy of the policies folder (the files as it changes them)
    <folder>/<id>/controles.json        the result of its checks, made when it was written or changed
    <folder>/<id>/impact.json           its impact on the configured dossiers (progress, then the result)

Proposals are offered only when the serving policies folder is in a git repository: a publication is a commit.
"""
from __future__ import annotations

import fcntl
import hashlib
import json
import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from ..policy.versions.sources import git_location
from .model import Proposal

FILE = "proposition.json"
COPY = "politiques"
CHECKS = "controles.json"
IMPACT = "impact.json"


class Unavailable(Exception):
    """Proposals cannot be made here (French message: why, and what the administrator does)."""


def write_atomically(path: Path, text: str) -> None:
    """Readers see the old content or the new one, never half of it."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    temporary.write_text(text, encoding="utf-8")
    os.replace(temporary, path)


def file_hashes(folder: Path) -> dict[str, str]:
    """Every file of a policies folder (relative path -> sha256), the hidden ones left out."""
    found = {}
    for path in sorted(folder.rglob("*")):
        relative = path.relative_to(folder)
        if path.is_file() and not any(part.startswith(".") for part in relative.parts):
            found[relative.as_posix()] = hashlib.sha256(path.read_bytes()).hexdigest()
    return found


def unavailable_reason(policies: Path) -> str | None:
    """Why proposals are not offered for this policies folder (None: they are)."""
    if git_location(policies) is None:
        return (f"Le dossier des politiques en service ({policies}) n'est pas dans un dépôt git : une publication "
                "est un commit qui nomme l'auteur et l'approbateur. L'administrateur place ce dossier dans un dépôt "
                "git (git init, puis un premier commit) et redémarre le service.")
    return None


class ProposalStore:
    def __init__(self, folder: Path, policies: Path):
        self.folder = Path(folder)
        self.policies = Path(policies)

    def check_available(self) -> None:
        reason = unavailable_reason(self.policies)
        if reason:
            raise Unavailable(reason)
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise Unavailable(f"Le dossier des propositions ({self.folder}) ne peut être créé : {exc.strerror}. "
                              "L'administrateur choisit un dossier accessible en écriture (clea serve "
                              "--proposals DOSSIER).") from None

    @contextmanager
    def lock(self) -> Iterator[None]:
        """One change of the store at a time (a lock file, held by the process that writes)."""
        self.check_available()
        with open(self.folder / "verrou", "a+") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def place(self, proposal_id: str) -> Path:
        if not proposal_id.isdigit():
            raise KeyError(proposal_id)
        return self.folder / proposal_id

    def copy_of(self, proposal_id: str) -> Path:
        return self.place(proposal_id) / COPY

    def next_id(self) -> str:
        numbers = [int(path.name) for path in self.folder.iterdir() if path.name.isdigit()] if self.folder.is_dir() else []
        return str(max(numbers, default=0) + 1)

    def new_copy(self, proposal_id: str) -> Path:
        """A fresh working copy of the serving policies folder for a proposal."""
        target = self.copy_of(proposal_id)
        target.parent.mkdir(parents=True, exist_ok=True)
        if target.exists():
            shutil.rmtree(target)
        shutil.copytree(self.policies, target, ignore=shutil.ignore_patterns(".*"))
        return target

    def discard(self, proposal_id: str) -> None:
        shutil.rmtree(self.place(proposal_id), ignore_errors=True)

    def save(self, proposal: Proposal) -> None:
        write_atomically(self.place(proposal.id) / FILE, json.dumps(proposal.as_dict(), ensure_ascii=False, indent=1))

    def get(self, proposal_id: str) -> Proposal | None:
        try:
            path = self.place(proposal_id) / FILE
        except KeyError:
            return None
        if not path.is_file():
            return None
        return Proposal.from_dict(json.loads(path.read_text(encoding="utf-8")))

    def all(self) -> list[Proposal]:
        """Every proposal, newest first."""
        if not self.folder.is_dir():
            return []
        found = [self.get(path.name) for path in self.folder.iterdir() if path.name.isdigit()]
        return sorted((p for p in found if p is not None), key=lambda p: int(p.id), reverse=True)

    def read_json(self, proposal_id: str, name: str) -> dict | None:
        path = self.place(proposal_id) / name
        try:
            return json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None

    def write_json(self, proposal_id: str, name: str, data: dict) -> None:
        write_atomically(self.place(proposal_id) / name, json.dumps(data, ensure_ascii=False, indent=1))
