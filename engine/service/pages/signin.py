"""Signing in and out of the pages, and the page of a person who may not open one (403).

    GET  /connexion?suite=PAGE, POST (identifiant, mot_de_passe)   a server-side session for the working day
    POST /deconnexion                                               closes it: every copy of its cookie opens nothing
    GET  /decisions/connexion                                       the journal's former sign-in: here now

A wrong identifier and a wrong password get the same message, in the same time; repeated failures from one client,
or on one account, are slowed down, then refused for a while (engine/service/guessing.py). Without an accounts file, nobody signs in:
the pages are public and read-only, and a page that needs a role says that an administrator must configure accounts.
"""
from __future__ import annotations

import asyncio
from urllib.parse import urlencode

from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from ..account_book import subject_of
from ..accounts import Account, Forbidden, current, signed_in
from ..decision_log import DecisionLogError
from ..guessing import too_many_attempts
from ..problems import http_problem
from . import access
from .site import PageError, Site

ROLE_LABELS = {
    "lecture": "lecture (consulter les pages)",
    "instruction": "instruction (évaluer des dossiers, consulter le journal des décisions)",
    "proposition": "proposition (proposer un changement des politiques)",
    "approbation": "approbation (approuver un changement proposé par une autre personne)",
}
HASHES_AT_ONCE = 2      # password checks running at once in a process (each holds Argon2's memory, 64 MiB)
WRONG = "Identifiant ou mot de passe incorrect. Vérifiez-les et réessayez."
UNREADABLE = ("Les comptes de ce service sont illisibles pour le moment : personne ne peut se connecter tant que "
              "l'administrateur n'a pas corrigé leur fichier (clea account list montre ses erreurs).")
NOT_CONFIGURED = ("Aucun compte n'est configuré pour ce service : l'administrateur crée les comptes avec "
                  "« clea account add » et démarre clea serve avec --accounts FICHIER (ou la variable "
                  "d'environnement CLEA_ACCOUNTS).")


def add_routes(router: APIRouter, site: Site) -> None:
    hashing = asyncio.Semaphore(HASHES_AT_ONCE)

    def form(request: Request, *, suite: str, identifiant: str = "", erreur: str | None = None, status: int = 200,
             headers: dict | None = None) -> HTMLResponse:
        return site.render("connexion.html", rubrique="/connexion", status=status, headers=headers, suite=suite,
                           identifiant=identifiant, erreur=erreur)

    @router.get("/connexion")
    async def sign_in_form(request: Request, suite: str | None = None) -> Response:
        await signed_in(request)
        if site.accounts is None:
            raise PageError(403, "Connexion impossible : aucun compte", NOT_CONFIGURED)
        return form(request, suite=access.safe_next(suite))

    @router.get("/decisions/connexion")
    async def former_sign_in() -> Response:
        return RedirectResponse("/connexion?" + urlencode({"suite": "/decisions"}), status_code=303)

    @router.post("/connexion")
    async def sign_in(request: Request) -> Response:
        fields = await request.form(max_files=0, max_fields=5, max_part_size=4096)
        site.check_form(request, fields)
        if site.accounts is None or site.sessions is None:
            raise PageError(403, "Connexion impossible : aucun compte", NOT_CONFIGURED)
        target = access.safe_next(str(fields.get("suite") or ""))
        identifier = str(fields.get("identifiant") or "").strip().lower()[:64]
        password = str(fields.get("mot_de_passe") or "")
        # failures are counted per client address and per account: many addresses guessing one account are slowed
        # down too, and signing in to one's own account does not clear the count of another one
        keys = (request.client.host if request.client else "?", f"compte:{identifier}")
        waits = [wait for key in keys if (wait := site.guessing.retry_after(key, request.url.path)) is not None]
        if waits:
            return form(request, suite=target, identifiant=identifier, status=429,
                        headers=too_many_attempts(max(waits)).headers,
                        erreur=f"Trop d'essais infructueux : réessayez dans {max(waits)} s.")
        async with hashing:     # a hash check holds 64 MiB for a while: a few at once, the others wait their turn
            entry = await run_in_threadpool(site.accounts.authenticate, identifier, password)
        if entry is None:
            if identifier or password:
                await asyncio.sleep(max(site.guessing.failed(key, request.url.path) for key in keys))
            return form(request, suite=target, identifiant=identifier, status=401,
                        erreur=UNREADABLE if site.accounts.problems else WRONG)
        for key in keys:
            site.guessing.succeeded(key)
        try:
            former = request.cookies.get(access.COOKIE)
            if former:
                await run_in_threadpool(site.sessions.close, former)
            session_id = await run_in_threadpool(site.sessions.open, subject_of(entry))
        except DecisionLogError as error:
            raise PageError(503, "Connexion impossible pour le moment",
                            "Le service ne peut pas enregistrer la session ; réessayez dans un instant.") from error
        response = RedirectResponse(target, status_code=303)
        access.keep(response, request, session_id)
        return response

    @router.post("/deconnexion")
    async def sign_out(request: Request) -> Response:
        fields = await request.form(max_files=0, max_fields=2, max_part_size=4096)
        site.check_form(request, fields)
        session_id = request.cookies.get(access.COOKIE)
        if session_id and site.sessions is not None:
            try:
                await run_in_threadpool(site.sessions.close, session_id)
            except DecisionLogError as error:
                raise PageError(503, "Déconnexion impossible pour le moment",
                                "Le service ne peut pas fermer la session ; réessayez dans un instant.") from error
        response = RedirectResponse("/connexion" if site.accounts is not None else "/", status_code=303)
        access.forget(response, request)
        return response


def _policy_title(site: Site, policy: str | None) -> str | None:
    if policy is None:
        return None
    policies = site.policies()
    return policies.get(policy).title if policy in policies.ids() else policy


def _back(request: Request) -> str:
    """The page the person came from (a page of this service), else the home page."""
    referer = request.headers.get("referer", "")
    origin = f"{request.url.scheme}://{request.url.netloc}"
    return access.safe_next(referer[len(origin):] if referer.startswith(origin + "/") else None)


def install_forbidden(app: FastAPI, site: Site) -> None:
    """Forbidden (engine/service/accounts.py) as a page: the sign-in for nobody signed in, else a French 403."""

    @app.exception_handler(Forbidden)
    async def _forbidden(request: Request, exc: Forbidden) -> Response:
        if request.url.path.startswith("/v1/"):
            return _api_answer(request, exc)
        role = ROLE_LABELS.get(exc.role, exc.role)
        if site.accounts is None:
            return site.render("interdit.html", status=403, role=role, politique=_policy_title(site, exc.policy),
                               non_configure=NOT_CONFIGURED, retour="/")
        if exc.account is None:
            target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
            if request.method != "GET":
                target = _back(request)
            return RedirectResponse("/connexion?" + urlencode({"suite": target}), status_code=303)
        current.set(exc.account)
        return site.render("interdit.html", status=403, role=role, politique=_policy_title(site, exc.policy),
                           roles=_held(site, exc.account), non_configure=None, retour=_back(request))


def _held(site: Site, account: Account) -> list[str]:
    held = [ROLE_LABELS[role].split(" (")[0] for role in ROLE_LABELS if role in account.roles]
    if account.politiques:
        titles = ", ".join(sorted(str(_policy_title(site, policy)) for policy in account.politiques))
        held = [f"{role} ({titles})" if role == "proposition" else role for role in held]
    return held


def _api_answer(request: Request, exc: Forbidden) -> Response:
    status = 401 if exc.account is None else 403
    problem = http_problem(status, f"Le rôle {exc.role} est nécessaire" + (f" pour {exc.policy}" if exc.policy else ""))
    return problem.response(request.url.path)
