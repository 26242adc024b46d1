"""Approving a proposal publishes it: the only way the serving policies change through the service.

Approval is refused to the proposal's author, to a proposal that is not open, and to one gone stale (a file it
changes has changed in the serving folder since it was made). Everything is checked again on the serving folder as
it is now (its files with the proposal's changed ones on top, in a folder aside): the policies validate against
their publications and every case passes. Then, all or nothing:
  1. the changed files are written into the serving folder (each to a temporary file first, then renamed over);
  2. a commit in the policies' git repository, the proposal's author as git author, the approver as committer, the
     decision in the message and its trailers (Proposal, Proposed-by, Approved-by, Decision);
  3. the publication journal of each policy whose revision changed (`clea policy publish`'s
     engine/policy/versions/publications.py), committed;
  4. `reload()`: the caller's reload of every worker.
If any step fails, the files are put back, the branch is moved back to the commit before and the error is raised
(PublishError): nothing half-written stays in the serving folder, and the old set keeps serving.
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Callable
from datetime import date
from pathlib import Path

from ..policy import load_policies
from ..policy.files.folder import JOURNAL
from ..policy.versions.publications import append_publication, read_journal
from ..policy.versions.sources import git_location
from .checks import Runner, check, direct, stale_files
from .model import APPROVED, PUBLISHED, Event, Person, Proposal, now_utc
from .proposing import ProposalRefused, open_proposal
from .store import ProposalStore
from .wording import change_text


class PublishError(Exception):
    """A publication that failed and was undone (French message)."""


def _git(root: Path, *args: str, env: dict | None = None) -> str:
    done = subprocess.run(["git", "-C", str(root), *args], capture_output=True, check=False, timeout=120,
                          env={**os.environ, **(env or {})})
    if done.returncode != 0:
        message = (done.stderr or done.stdout).decode("utf-8", "replace").strip()
        raise PublishError(f"git {args[0]} a échoué : {message[:500]}")
    return done.stdout.decode("utf-8").strip()


def _identity(person: Person) -> tuple[str, str]:
    return person.name, f"{re.sub(r'[^A-Za-z0-9._-]', '-', person.identifier)}@comptes.clea.invalid"


def _signature(person: Person) -> str:
    name, email = _identity(person)
    return f"{name} <{email}>"


def message(proposal: Proposal, approver: Person, summary: str) -> str:
    change = proposal.change
    decision = change.decision_reference or f"correction : {change.motive}"
    return (f"{summary}\n\nProposition n° {proposal.id} de {proposal.author.name}, approuvée par {approver.name}.\n\n"
            f"Proposal: {proposal.id}\nProposed-by: {_signature(proposal.author)}\n"
            f"Approved-by: {_signature(approver)}\nDecision: {decision}\n")


def _staging(store: ProposalStore, proposal: Proposal, target: Path) -> Path:
    """The serving folder as it is now, with the proposal's changed files on top."""
    shutil.copytree(store.policies, target, ignore=shutil.ignore_patterns(".*"))
    copy = store.copy_of(proposal.id)
    for name in proposal.changed:
        if (copy / name).is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(copy / name, target / name)
        else:
            (target / name).unlink(missing_ok=True)
    return target


def recheck(store: ProposalStore, proposal: Proposal, today: date, runner: Runner = direct) -> None:
    """ProposalRefused unless the proposal still validates and passes every case on the serving folder of now."""
    with tempfile.TemporaryDirectory(prefix="clea-approbation-") as folder:
        checks = check(_staging(store, proposal, Path(folder) / "politiques"), store.policies, today, runner)
    if not checks["valide"]:
        problems = "; ".join(issue["message"] for issue in checks["erreurs"][:5])
        raise ProposalRefused(f"la proposition ne se valide plus sur les politiques en service : {problems}")
    failing = checks["cas"]["echoues"]
    if failing:
        raise ProposalRefused(f"{len(failing)} cas de la politique échouent avec ce changement "
                              f"({', '.join(case['nom'] or case['fichier'] for case in failing[:3])}) : mettez à "
                              "jour leurs valeurs attendues dans la proposition, ou refusez-la")


def _write_files(store: ProposalStore, proposal: Proposal) -> None:
    copy, serving = store.copy_of(proposal.id), store.policies
    staged = []
    for name in proposal.changed:
        if (copy / name).is_file():
            target = serving / name
            target.parent.mkdir(parents=True, exist_ok=True)
            temporary = target.with_name(f".{target.name}.{os.getpid()}.publication")
            shutil.copyfile(copy / name, temporary)
            staged.append((temporary, target))
    for temporary, target in staged:          # every file is written aside first: only renames remain
        os.replace(temporary, target)
    for name in proposal.changed:
        if not (copy / name).is_file():
            (serving / name).unlink(missing_ok=True)


def _journals(serving: Path, commit: str, day: date, decision: str) -> list[Path]:
    """A publication entry for each policy whose revision is not its last published one."""
    written = []
    for policy in load_policies(serving):
        published, _ = read_journal(policy.directory)
        if not published or published[-1].revision != policy.revision:
            written.append(append_publication(policy.directory, commit, policy.revision, day.isoformat(), decision))
    return written


def _rollback(root: Path, before: str, saved: dict[Path, bytes | None]) -> None:
    if _git(root, "rev-parse", "HEAD") != before:
        _git(root, "update-ref", "-m", "clea: publication annulée", "HEAD", before)
    paths = [str(path) for path in saved]
    subprocess.run(["git", "-C", str(root), "reset", "-q", before, "--", *paths], capture_output=True, check=False)
    for path, content in saved.items():
        if content is None:
            path.unlink(missing_ok=True)
        else:
            path.write_bytes(content)


def approve(store: ProposalStore, proposal_id: str, approver: Person, *, today: date, reload: Callable[[], object],
            runner: Runner = direct) -> Proposal:
    """Approve and publish (see the module's doc); ProposalRefused when it may not be, PublishError when it failed."""
    with store.lock():
        proposal = open_proposal(store, proposal_id)
        if approver.identifier == proposal.author.identifier:
            raise ProposalRefused("une proposition est approuvée par une autre personne que son auteur")
        stale = stale_files(proposal, store.policies)
        if stale:
            raise ProposalRefused(f"la proposition est périmée : {', '.join(stale)} a changé dans les politiques en "
                                  "service depuis qu'elle a été faite ; elle ne peut plus être approuvée")
        location = git_location(store.policies)
        if location is None:
            raise ProposalRefused("le dossier des politiques n'est pas dans un dépôt git")
        root, prefix = location
        if _git(root, "status", "--porcelain", "--", prefix or ".") or _git(root, "diff", "--cached", "--name-only"):
            raise ProposalRefused("le dossier des politiques en service a des changements non committés : "
                                  "l'administrateur les committe ou les annule avant toute publication")
        recheck(store, proposal, today, runner)
        before = _git(root, "rev-parse", "HEAD")
        policy_dirs = [path.parent for path in store.policies.glob("*/politique.yaml")]
        touched = [store.policies / name for name in proposal.changed] + [folder / JOURNAL for folder in policy_dirs]
        saved = {path: path.read_bytes() if path.is_file() else None for path in touched}
        summary = change_text(proposal.change, load_policies(store.copy_of(proposal.id)).get(proposal.policy))
        author, committer = _identity(proposal.author), _identity(approver)
        env = {"GIT_AUTHOR_NAME": author[0], "GIT_AUTHOR_EMAIL": author[1],
               "GIT_COMMITTER_NAME": committer[0], "GIT_COMMITTER_EMAIL": committer[1]}
        decision = proposal.change.decision_reference or f"correction : {proposal.change.motive}"
        try:
            _write_files(store, proposal)
            _git(root, "add", "-A", "--", *[str(store.policies / name) for name in proposal.changed])
            _git(root, "commit", "-q", "-m", message(proposal, approver, summary), env=env)
            commit = _git(root, "rev-parse", "HEAD")
            journals = _journals(store.policies, commit, today, decision)
            if journals:            # a policy whose revision did not change is already published as it is
                _git(root, "add", "--", *[str(path) for path in journals])
                _git(root, "commit", "-q", "-m", f"Publication : {decision} (proposition n° {proposal.id})", env={
                    **env, "GIT_AUTHOR_NAME": committer[0], "GIT_AUTHOR_EMAIL": committer[1]})
            journal_commit = _git(root, "rev-parse", "HEAD")
            reload()
        except Exception as exc:
            _rollback(root, before, saved)
            raise PublishError(f"rien n'est publié, les politiques en service sont inchangées : {exc}") from exc
        proposal = proposal.with_event(Event(APPROVED, approver, now_utc(), detail=f"commit {commit[:12]}"),
                                       state=PUBLISHED, publication={"commit": commit, "journal": journal_commit,
                                                                     "avant": before, "le": now_utc()})
        store.save(proposal)
        return proposal
