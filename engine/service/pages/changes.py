"""Changements: what changed between two versions of the policies, as `clea policy diff` says it (the same data,
from engine/policy/diff.py), for a board that approves a change.

    GET /changements?avant=REV&apres=REV     REV: a commit of the policies folder's git history (an id, HEAD~1, a
                                             tag); `apres` may be empty: the policies folder as it is on disk
The versions offered are the last commits that changed the policies folder, labelled by each policy's version at
that commit and its publication (day and decision), not by commit messages. A commit's content never changes, so
what is read from one is kept (a few versions) for the next request; the folder on disk is read again only when
one of its files changed.
"""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from fastapi import APIRouter
from starlette.concurrency import run_in_threadpool

from ...errors import PolicyError
from ...policy.versions.diff import diff_policies
from ...policy.versions.publications import revision_labels
from ...policy.versions.snapshots import read_snapshots
from ...policy.versions.sources import SourceError, git_location, policies_at, recent_revisions, resolve_revision
from ...reports.policy_texts import diff_text, field_change_text
from .site import PageError, Site

RUBRIQUE = "/changements"
ON_DISK = "disque"
_REVISION = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._/~^@{}-]{0,99}$")


@lru_cache(maxsize=16)
def _snapshots_at(folder: Path, commit: str):
    with policies_at(commit, folder, "version") as extracted:
        return read_snapshots(extracted)


@lru_cache(maxsize=4)
def _snapshots_on_disk(folder: Path, fingerprint: tuple):
    return read_snapshots(folder)


def fingerprint(folder: Path) -> tuple:
    """What the folder's YAML files are now (path, modification time, size): read again only when it changes."""
    return tuple(sorted((str(path), stat.st_mtime_ns, stat.st_size)
                        for path in folder.rglob("*.yaml") if (stat := path.stat())))


def commit_of(folder: Path, spec: str, field: str) -> str:
    """The commit a version named on the page stands for (or ON_DISK); PageError when it names none."""
    if spec == ON_DISK:
        return ON_DISK
    location = git_location(folder)
    commit = resolve_revision(location[0], spec) if location and _REVISION.match(spec) else None
    if commit is None:
        raise PageError(422, f"Version inconnue : « {spec[:100]} »",
                        f"Le champ {field} attend une version de l'historique git du dossier des politiques "
                        "(un identifiant de commit, HEAD~1, une étiquette).")
    return commit


def label_of(commit: str) -> str:
    return "le dossier des politiques sur disque" if commit == ON_DISK else f"la version {commit[:10]}"


def _version(folder: Path, spec: str, field: str) -> tuple[dict, str]:
    """(snapshots, label) of a version named on the page."""
    commit = commit_of(folder, spec, field)
    if commit == ON_DISK:
        return _snapshots_on_disk(folder, fingerprint(folder)), label_of(commit)
    return _snapshots_at(folder, commit), label_of(commit)


def _show(policy, parameter: dict, value) -> str:
    """A changed value as people read it ('350,00 € HT', '20 jours ouvrés'), in the policy in service's words."""
    if value is None:
        return "aucune valeur"
    unit = parameter.get("unite")
    if policy is not None and unit in policy.head.currencies:
        return policy.labels.money(value, unit)
    return f"{value} {parameter.get('unite_titre') or ''}".strip()


def _worded(diff: dict, policies) -> dict:
    for entry in diff["politiques"]:
        policy = policies.get(entry["id"]) if entry["id"] in policies.ids() else None
        entry["nom"] = policy.title if policy is not None else entry["id"]      # a policy by its name on the page
        if entry.get("etend") in policies.ids():
            entry["etend_nom"] = policies.get(entry["etend"]).title
        for rule in entry.get("regles") or []:
            if policy is not None and any(known.id == rule["id"] for known in policy.rules):
                rule["titre"] = policy.labels.rule(rule["id"])
        for parameter in entry.get("parametres") or []:
            for change in parameter.get("valeurs_modifiees") or []:
                change["avant_texte"] = _show(policy, parameter, change["avant"])
                change["apres_texte"] = _show(policy, parameter, change["apres"])
            for value in parameter.get("valeurs") or []:
                value["valeur_texte"] = _show(policy, parameter, value["valeur"])
            units = policy.units if policy is not None else {}
            parameter["champs_texte"] = [field_change_text(field, units) for field in parameter.get("champs") or ()]
    return diff


def compare(folder: Path, before: str, after: str, policies) -> dict:
    old, old_label = _version(folder, before, "avant")
    new, new_label = _version(folder, after, "après")
    diff = _worded(diff_policies(old, new), policies)
    return {"diff": diff, "texte": diff_text(diff, old_label, new_label), "avant_libelle": old_label,
            "apres_libelle": new_label}


def add_routes(router: APIRouter, site: Site) -> None:
    @router.get("/changements")
    async def changes(avant: str | None = None, apres: str | None = None):
        folder = site.holder.directory
        revisions = await run_in_threadpool(lambda: revision_labels(folder, recent_revisions(folder)))
        before = (avant or "").strip() or (revisions[1]["id"] if len(revisions) > 1 else None)
        after = (apres or "").strip() or ON_DISK
        result = None
        if before:
            try:
                result = await run_in_threadpool(compare, folder, before, after, site.policies())
            except (SourceError, PolicyError) as error:
                raise PageError(422, "Versions illisibles",
                                "; ".join(str(issue) for issue in error.issues)[:2000]) from error
        return site.render("changements.html", rubrique=RUBRIQUE, revisions=revisions, avant=before, apres=after,
                           sur_disque=ON_DISK, resultat=result, choisi=bool(avant), effet=None)
