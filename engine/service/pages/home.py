"""Accueil (what can be done here) and Politiques (each policy in service, and the outcome of the last reload).

    GET /             the home page
    GET /politiques   version, revision, what each policy extends, its scope; a failed reload and its problems

The server's own paths are not shown: a problem's file is named inside the policies folder (<id>/x.yaml).
"""
from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter

from ...errors import Issue
from ...policy import Policy
from .site import Site


def _describe(policy: Policy, titles: dict[str, str]) -> dict:
    scope = policy.head.scope
    return {"politique": policy, "texte": policy.head.text,
            "etend": titles.get(policy.extends, policy.extends) if policy.extends else None,
            "portee": None if scope is None else {"nom": scope.name, "libelle": scope.label, "valeur": scope.value,
                                                  "article": scope.article},
            "regles": len(policy.rules), "parametres": len(policy.parameters),
            "criteres": len(policy.dossier.criteria) if policy.dossier is not None else 0}


def _problem(issue: Issue, folder: Path) -> dict:
    """A failed reload's problem, its file named inside the policies folder (never the server's path)."""
    file = issue.file or ""
    if file:
        path = Path(file)
        try:
            file = str(path.resolve().relative_to(Path(folder).resolve()))
        except ValueError:
            file = path.name
    return {"fichier": file, "ligne": issue.line, "chemin": issue.path or "$", "message": issue.message}


def add_routes(router: APIRouter, site: Site) -> None:
    @router.get("/")
    async def home():
        policies = site.policies()
        return site.render("accueil.html", rubrique="/", politiques=list(policies),
                           politique_principale=site.default_policy_id())

    @router.get("/politiques")
    async def policies():
        return site.render("politiques.html", rubrique="/politiques",
                           politiques=[_describe(policy, {known.id: known.title for known in site.policies()})
                                       for policy in site.policies()],
                           rechargement=site.holder.last_reload,
                           problemes=[_problem(issue, site.holder.directory)
                                      for issue in site.holder.last_reload.issues])
